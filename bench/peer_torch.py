#!/usr/bin/env python3
"""The course's PyTorch peer for `make bench`: the same character-level LSTM training step as Sources/bench.

A step is: one-hot characters [T, B, V] -> nn.LSTM -> nn.Linear -> mean cross-entropy -> backward through
time -> clip the gradients' global norm to 5 -> Adam. The rate is characters trained per second, timed
after a few warm-up steps, and printed one configuration per line, in the format the Swift bench prints:

    torch float32 H=256 B=32 T=100 chars_per_s=86907

PyTorch is not part of the course: install it in a virtual environment outside the repository
(`python3 -m venv ~/torch && ~/torch/bin/pip install torch`) and run `make bench TORCH_PYTHON=~/torch/bin/python`.
"""
import argparse
import time

import torch


def characters_per_second(dtype, hidden, batch, steps, vocabulary=65, warmup=3, timed=20):
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(vocabulary, hidden).to(dtype)
    head = torch.nn.Linear(hidden, vocabulary).to(dtype)
    parameters = list(lstm.parameters()) + list(head.parameters())
    optimizer = torch.optim.Adam(parameters, lr=1e-3)
    inputs = torch.randint(0, vocabulary, (steps, batch))
    targets = torch.randint(0, vocabulary, (steps, batch))
    one_hot = torch.nn.functional.one_hot(inputs, vocabulary).to(dtype)     # data: no gradient needed

    def train_step():
        optimizer.zero_grad()
        outputs, _ = lstm(one_hot)
        logits = head(outputs).reshape(-1, vocabulary)
        torch.nn.functional.cross_entropy(logits, targets.reshape(-1)).backward()
        torch.nn.utils.clip_grad_norm_(parameters, 5.0)
        optimizer.step()

    for _ in range(warmup):
        train_step()
    start = time.perf_counter()
    for _ in range(timed):
        train_step()
    return timed * steps * batch / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2, help="intra-op threads (default 2, as the course's machines)")
    parser.add_argument("--configs", default="128x1,256x1,256x32,512x32", help="HIDDENxBATCH pairs, comma-separated")
    parser.add_argument("--steps", type=int, default=100, help="characters per sequence, T")
    parser.add_argument("--dtypes", default="float32", help="comma-separated torch dtypes")
    arguments = parser.parse_args()
    torch.set_num_threads(arguments.threads)
    for name in arguments.dtypes.split(","):
        for configuration in arguments.configs.split(","):
            hidden, batch = (int(part) for part in configuration.split("x"))
            rate = characters_per_second(getattr(torch, name), hidden, batch, arguments.steps)
            print(f"torch {name} H={hidden} B={batch} T={arguments.steps} chars_per_s={rate:.0f}", flush=True)


if __name__ == "__main__":
    main()
