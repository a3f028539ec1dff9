#!/usr/bin/env python3
"""Times PyTorch's CPU conv2d passes (forward, backward-data, backward-weight) for the harness.

Called by `repro bench conv --torch-python PY`, which passes the shapes and settings and reads
the JSON printed on stdout. Each pass is timed with a warm-up and the median of `--repeats`.

  --shapes "Cin,Cout,k,stride,dilation,H,W;..."  --batch 2  --threads 1  --repeats 5
  --warmup 1  --min-time 0.05  --passes forward,backwardData,backwardWeight

Output: {"torch": "<version>", "threads": T, "results": [{"shape": "...", "pass": "...",
"seconds": median, "samples": [...]}, ...]}

With --serve it instead answers one JSON request per stdin line, so the caller can interleave
its own measurements with PyTorch's sample by sample (machine noise then hits both):
  {"shape": "Cin,Cout,k,stride,dilation,H,W", "pass": "forward", "threads": 2, "batch": 2,
   "repeats": 1, "warmup": 0, "min_time": 0.05}  ->  {"samples": [seconds per call, ...]}
The first line printed is {"torch": "<version>"}; an empty line or EOF ends the session.
"""
import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F
from torch.nn.grad import conv2d_input, conv2d_weight


def parse_shapes(text):
    shapes = []
    for item in text.split(";"):
        if item.strip():
            cin, cout, k, s, d, h, w = (int(v) for v in item.split(","))
            shapes.append((cin, cout, k, s, d, h, w))
    return shapes


def make_pass(name, shape, batch, gen):
    cin, cout, k, s, d, h, w = shape
    pad = d * (k - 1) // 2
    x = torch.randn(batch, cin, h, w, generator=gen)
    wt = torch.randn(cout, cin, k, k, generator=gen) * (cin * k * k) ** -0.5
    y = F.conv2d(x, wt, stride=s, padding=pad, dilation=d)
    gy = torch.randn(y.shape, generator=gen)
    if name == "forward":
        return lambda: F.conv2d(x, wt, stride=s, padding=pad, dilation=d)
    if name == "backwardData":
        return lambda: conv2d_input(x.shape, wt, gy, stride=s, padding=pad, dilation=d)
    if name == "backwardWeight":
        return lambda: conv2d_weight(x, wt.shape, gy, stride=s, padding=pad, dilation=d)
    raise SystemExit(f"bench_conv_torch.py: unknown pass {name!r}")


def time_pass(fn, warmup, repeats, min_time=0.0, clock=time.perf_counter):
    """Seconds per call: each sample repeats the call until min_time has passed (so one lost
    time slice on a busy machine is averaged out) and divides by the number of calls. clock is
    time.perf_counter (wall) or time.process_time (CPU time of all the process's threads)."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeats):
        calls, t0 = 0, clock()
        while True:
            fn()
            calls += 1
            elapsed = clock() - t0
            if elapsed >= min_time:
                break
        samples.append(elapsed / calls)
    return samples


def serve():
    print(json.dumps({"torch": torch.__version__}), flush=True)
    gen = torch.Generator().manual_seed(0)
    cached = (None, None)
    with torch.no_grad():
        for line in sys.stdin:
            if not line.strip():
                break
            req = json.loads(line)
            torch.set_num_threads(int(req["threads"]))
            key = (req["shape"], req["pass"], int(req.get("batch", 2)))
            if cached[0] != key:
                cached = (None, None)  # free the previous tensors first
                cached = (key, make_pass(req["pass"], parse_shapes(req["shape"])[0], key[2], gen))
            samples = time_pass(cached[1], int(req.get("warmup", 0)), int(req.get("repeats", 1)),
                                float(req.get("min_time", 0)),
                                time.process_time if req.get("clock") == "cpu" else time.perf_counter)
            print(json.dumps({"samples": samples}), flush=True)


def main():
    if "--serve" in sys.argv:
        serve()
        return
    p = argparse.ArgumentParser()
    p.add_argument("--shapes", required=True)
    p.add_argument("--batch", type=int, default=2)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--min-time", type=float, default=0.0)
    p.add_argument("--passes", default="forward,backwardData,backwardWeight")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    gen = torch.Generator().manual_seed(0)
    results = []
    with torch.no_grad():
        for shape in parse_shapes(a.shapes):
            for name in a.passes.split(","):
                fn = make_pass(name, shape, a.batch, gen)
                samples = time_pass(fn, a.warmup, a.repeats, a.min_time)
                results.append({"shape": ",".join(map(str, shape)), "pass": name,
                                "seconds": statistics.median(samples), "samples": samples})
    print(json.dumps({"torch": torch.__version__, "threads": a.threads, "results": results}))


if __name__ == "__main__":
    main()
