#!/usr/bin/env python3
"""Writes PyTorch reference values for the core library's recurrent layers and optimizers, in float64.

Each fixture holds the layer's weights (PyTorch's layout), a time-major input [T, B, D],
the initial state, a random read-out R for the outputs (and final states), the forward
outputs, and the gradients of L = sum(R * outputs) + sum(Rh * h_n) [+ sum(Rc * c_n)]
with respect to every weight, the input and the initial state.

The `_packed` fixtures run a padded batch of sequences of different lengths (LENGTHS, not sorted) through
pack_padded_sequence and back through pad_packed_sequence: padded outputs are zero, h_n (and c_n) are each
sequence's state after its own last step, and the padded inputs get zero gradient.

Run from the repository root, with torch installed in a virtual environment outside it:
    python Tests/SequenceModelsTests/Fixtures/make_fixtures.py
"""
import json, os, zlib
import torch

T, B, D, H = 5, 3, 4, 3
LENGTHS = [5, 2, 4]
HERE = os.path.dirname(os.path.abspath(__file__))


def as_list(t):
    return t.detach().reshape(-1).tolist()


def fixture(name, module, lstm=False, lengths=None):
    torch.manual_seed(zlib.crc32(name.encode()))
    layers = module.num_layers * (2 if module.bidirectional else 1)
    x = torch.randn(T, B, D, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(layers, B, H, dtype=torch.float64, requires_grad=True)
    c0 = torch.randn(layers, B, H, dtype=torch.float64, requires_grad=True)
    run = x if lengths is None else torch.nn.utils.rnn.pack_padded_sequence(x, torch.tensor(lengths), enforce_sorted=False)
    out, state = module(run, (h0, c0)) if lstm else module(run, h0)
    if lengths is not None:
        out, _ = torch.nn.utils.rnn.pad_packed_sequence(out, total_length=T)
    hn, cn = state if lstm else (state, None)
    r_out = torch.randn_like(out)
    r_h = torch.randn_like(hn)
    loss = (r_out * out).sum() + (r_h * hn).sum()
    data = {"T": T, "B": B, "D": D, "H": H, "layers": module.num_layers,
            "bidirectional": module.bidirectional,
            "input": as_list(x), "h0": as_list(h0), "readOut": as_list(r_out), "readHidden": as_list(r_h),
            "output": as_list(out), "hn": as_list(hn)}
    if lengths is not None:
        data["lengths"] = lengths
    if lstm:
        r_c = torch.randn_like(cn)
        loss = loss + (r_c * cn).sum()
        data.update({"c0": as_list(c0), "readCell": as_list(r_c), "cn": as_list(cn)})
    loss.backward()
    data["parameters"] = {n: as_list(p) for n, p in module.named_parameters()}
    data["gradients"] = {n: as_list(p.grad) for n, p in module.named_parameters()}
    data["inputGradient"] = as_list(x.grad)
    data["h0Gradient"] = as_list(h0.grad)
    if lstm:
        data["c0Gradient"] = as_list(c0.grad)
    with open(os.path.join(HERE, f"{name}.json"), "w") as f:
        json.dump(data, f, indent=0, sort_keys=True)
        f.write("\n")
    print(f"wrote {name}.json")


def optimizer_fixture():
    """Three steps of SGD, Adagrad and Adam on fixed parameters and gradients, and clip_grad_norm_."""
    torch.manual_seed(zlib.crc32(b"optim"))
    start = [torch.randn(3, 4, dtype=torch.float64), torch.randn(1, 4, dtype=torch.float64)]
    grads = [[torch.randn_like(p) * 3 for p in start] for _ in range(3)]
    data = {"start": [as_list(p) for p in start], "shapes": [list(p.shape) for p in start],
            "gradients": [[as_list(g) for g in step] for step in grads]}
    for name, make in [("sgd", lambda ps: torch.optim.SGD(ps, lr=0.1)),
                       ("sgdMomentum", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9)),
                       ("adagrad", lambda ps: torch.optim.Adagrad(ps, lr=0.1, eps=1e-8)),
                       ("adam", lambda ps: torch.optim.Adam(ps, lr=0.01))]:
        params = [p.clone().requires_grad_(True) for p in start]
        optimizer = make(params)
        for step in grads:
            for p, g in zip(params, step):
                p.grad = g.clone()
            optimizer.step()
        data[name] = [as_list(p) for p in params]
    clipped = [g.clone().requires_grad_(False) for g in grads[0]]
    holders = [torch.zeros_like(g, requires_grad=True) for g in clipped]
    for h, g in zip(holders, clipped):
        h.grad = g.clone()
    norm = torch.nn.utils.clip_grad_norm_(holders, max_norm=1.0)
    data["clipNorm"] = {"maxNorm": 1.0, "totalNorm": float(norm), "clipped": [as_list(h.grad) for h in holders]}
    with open(os.path.join(HERE, "optim.json"), "w") as f:
        json.dump(data, f, indent=0, sort_keys=True)
        f.write("\n")
    print("wrote optim.json")


if __name__ == "__main__":
    torch.manual_seed(0)
    fixture("rnn", torch.nn.RNN(D, H, nonlinearity="tanh").double())
    fixture("lstm", torch.nn.LSTM(D, H).double(), lstm=True)
    fixture("gru", torch.nn.GRU(D, H).double())
    fixture("bilstm", torch.nn.LSTM(D, H, bidirectional=True).double(), lstm=True)
    fixture("gru2", torch.nn.GRU(D, H, num_layers=2).double())
    fixture("rnn_packed", torch.nn.RNN(D, H, nonlinearity="tanh").double(), lengths=LENGTHS)
    fixture("lstm_packed", torch.nn.LSTM(D, H).double(), lstm=True, lengths=LENGTHS)
    fixture("gru_packed", torch.nn.GRU(D, H).double(), lengths=LENGTHS)
    fixture("bilstm_packed", torch.nn.LSTM(D, H, bidirectional=True).double(), lstm=True, lengths=LENGTHS)
    fixture("gru2_packed", torch.nn.GRU(D, H, num_layers=2).double(), lengths=LENGTHS)
    optimizer_fixture()
