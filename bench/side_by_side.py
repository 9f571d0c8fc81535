#!/usr/bin/env python3
"""The core against PyTorch, side by side in one run: medians, ranges, ratios and shares of the machine's limit.

    python3 bench/side_by_side.py [--runs 5] [--paths blas,avx2] [--torch-python ~/torch/bin/python]

Each round times every configuration in turn, and each configuration on every contender, one after the
other: `.build/release/bench` once per product path (SEQUENCEMODELS_PRODUCTS), and bench/peer_torch.py,
limited to the same instruction set as the fastest path asked for (AVX2: ATEN_CPU_CAPABILITY=avx2 and
MKL_ENABLE_INSTRUCTIONS=AVX2). The contenders take turns at going first (the order rotates from one
configuration and round to the next), so that a noisy moment of the machine, which on a shared virtual
machine lasts seconds, falls on each of them alike, and the results compared in one round were timed
seconds apart. It prints one Markdown row per configuration: PyTorch's median characters per second and
range, and for each path its median and range, the ratio of the medians to PyTorch's, the lowest ratio of
one round (the path and PyTorch of the same round, timed seconds apart), and the median share of the machine's limit (the
better of OpenBLAS and the path on a 2048³ product, the best of its timings just before and just after, in the same
invocation). Build the bench first
(`make bench` or `swift build -c release --product bench`).
"""
import argparse, os, re, statistics, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINE = re.compile(r"(swift|torch) float32 H=(\d+) B=(\d+) T=100 chars_per_s=(\d+)(?: limit=\d+ share=(\d+)%)?")
LIMIT = re.compile(r"the limit is ([\d.]+) GFLOP/s")


def run(arguments, environment):
    done = subprocess.run(arguments, capture_output=True, text=True, env={**os.environ, **environment})
    if done.returncode != 0:
        sys.exit(f"{' '.join(arguments)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--paths", default="blas,avx2", help="SEQUENCEMODELS_PRODUCTS values, comma-separated")
    parser.add_argument("--configurations", default="128x1,256x1,256x32,512x32")
    parser.add_argument("--torch-python", default=os.environ.get("TORCH_PYTHON", "python3"))
    args = parser.parse_args()
    paths = args.paths.split(",")
    torch_environment = {} if "avx512" in paths else {"ATEN_CPU_CAPABILITY": "avx2", "MKL_ENABLE_INSTRUCTIONS": "AVX2"}
    contenders = paths + ["torch"]
    configurations = args.configurations.split(",")
    rates, shares, limits = {}, {}, []
    for round_ in range(args.runs):
        for index, configuration in enumerate(configurations):
            turn = (round_ + index) % len(contenders)
            for contender in contenders[turn:] + contenders[:turn]:
                if contender == "torch":
                    output = run([args.torch_python, os.path.join(ROOT, "bench/peer_torch.py"), "--dtypes", "float32",
                                  "--configs", configuration], torch_environment)
                else:
                    output = run([os.path.join(ROOT, ".build/release/bench"), configuration], {"SEQUENCEMODELS_PRODUCTS": contender})
                    limits += [float(x) for x in LIMIT.findall(output)]
                for _, h, b, rate, share in LINE.findall(output):
                    rates.setdefault((contender, h, b), {})[round_] = int(rate)
                    if share:
                        shares.setdefault((contender, h, b), []).append(int(share))
        print(f"round {round_ + 1} of {args.runs} done", file=sys.stderr)

    def k(x):
        return f"{x / 1000:.1f}k"

    print(f"{args.runs} rounds; limit: median {statistics.median(limits):.1f} GFLOP/s ({min(limits):.1f}–{max(limits):.1f}); "
          "PyTorch with " + (" ".join(f"{name}={value}" for name, value in torch_environment.items()) or "its default instruction set"))
    print("| H×B | PyTorch | " + " | ".join(paths) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in paths) + " |")
    for configuration in configurations:
        h, b = configuration.split("x")
        torch = rates.get(("torch", h, b))
        if not torch:
            continue
        cells = []
        for path in paths:
            mine = rates[(path, h, b)]
            ratios = [mine[r] / torch[r] for r in mine if r in torch]
            cells.append(f"{k(statistics.median(mine.values()))} ({k(min(mine.values()))}–{k(max(mine.values()))}), "
                         f"{statistics.median(mine.values()) / statistics.median(torch.values()):.2f}× "
                         f"(lowest {min(ratios):.2f}×), {statistics.median(shares[(path, h, b)]):.0f}% of the limit")
        print(f"| {h}×{b} | {k(statistics.median(torch.values()))} ({k(min(torch.values()))}–{k(max(torch.values()))}) | "
              + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
