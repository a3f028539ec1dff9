#!/usr/bin/env python3
"""How far a paper's smoke metrics move between machine fingerprints.

A golden is compared bit for bit on the fingerprint that made it and with its tolerance on any
other. This script measures what "any other" does to the numbers: run `repro verify` once per
configuration that changes the floating-point path (OpenBLAS core type, thread count), each into
its own results folder, then

    python3 scripts/golden_spread.py results/golden/paper2-smoke-seed0.json DIR [DIR ...]

prints, per metric, the golden value, the values each folder reproduced and the largest
absolute and relative deviation from the golden (relative to the larger magnitude, as the
harness's closeness rule), then the same per metric family (the metric
name without its cell). scripts/golden_spread.sh runs the configurations. Standard library only.
"""
import json
import os
import sys


def newest_runs(results, profile, seed):
    """The newest run folder of each cell in results/runs (folder names start with a UTC stamp)."""
    runs = {}
    base = os.path.join(results, "runs")
    for name in sorted(os.listdir(base)):
        path = os.path.join(base, name, "metrics.json")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            m = json.load(f)
        if m.get("profile") == profile and m.get("seed") == seed:
            runs[m["cell"]] = m["metrics"]
    return runs


def family(metric):
    """`micv_car_x255/city` -> `micv_car_x255`: the metric without its domain."""
    return metric.split("/")[0]


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    with open(argv[1]) as f:
        golden = json.load(f)
    folders = argv[2:]
    runs = [newest_runs(d, "smoke", 0) for d in folders]
    for d, r in zip(folders, runs):
        if not r:
            sys.exit(f"{d}: no smoke seed-0 run folders with metrics.json")
    rows, families = [], {}
    for e in golden["entries"]:
        values = [r.get(e["cell"], {}).get(e["metric"]) for r in runs]
        if any(v is None for v in values):
            missing = [d for d, v in zip(folders, values) if v is None]
            sys.exit(f"{e['cell']} {e['metric']}: missing in {', '.join(missing)}")
        g = e["value"]
        dev = max(abs(v - g) for v in values)
        # Relative to the larger magnitude, as the harness's closeness rule (isApproximatelyEqual).
        rel = max((abs(v - g) / max(abs(v), abs(g)) if v != g else 0.0) for v in values)
        rows.append((e["cell"], e["metric"], g, values, dev, rel, e["atol"], e["rtol"]))
        a, r = families.get(family(e["metric"]), (0.0, 0.0))
        families[family(e["metric"])] = (max(a, dev), max(r, rel))
    print("| cell | metric | golden | " + " | ".join(os.path.basename(d) for d in folders)
          + " | max abs dev | max rel dev | passes |")
    print("|---|---|---:|" + "---:|" * len(folders) + "---:|---:|---|")
    for cell, metric, g, values, dev, rel, atol, rtol in rows:
        ok = all(abs(v - g) <= max(atol, rtol * max(abs(v), abs(g))) for v in values)
        print(f"| {cell} | {metric} | {g:.6g} | " + " | ".join(f"{v:.6g}" for v in values)
              + f" | {dev:.3g} | {rel:.3g} | {'yes' if ok else 'NO'} |")
    print()
    print("| metric family | max abs dev | max rel dev |")
    print("|---|---:|---:|")
    for name in sorted(families):
        a, r = families[name]
        print(f"| {name} | {a:.3g} | {r:.3g} |")


if __name__ == "__main__":
    main(sys.argv)
