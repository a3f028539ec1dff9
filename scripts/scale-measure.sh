#!/usr/bin/env bash
# Step time and scaling efficiency of paper 1's data-parallel training on this machine:
# the same global batch (4 labeled + 4 unlabeled images per domain, 2 shards) trained by
# 1 process computing both shards, then by 2 MPI ranks with one shard each (1 thread per
# process). Prints the machine load before and after, and each run's mean step time
# (metrics.json "timings.step": seconds inside training iterations / iterations).
# Usage: bash scripts/scale-measure.sh [repro binary] [iterations] [width divisor]
set -euo pipefail
repro="${1:-.build/release/repro}"
iterations="${2:-12}"
divisor="${3:-16}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cell=(p1/multi-semi --threads 1 --results "$out/results" --set batchLabeled=4
    --set batchUnlabeled=4 --set epochs=1 --set "itersPerEpoch=$iterations" --set "widthDivisor=$divisor" --shards 2)
step() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["timings"]["step"])' "$1"; }
echo "width 1/$divisor, $iterations iterations; load before: $(cut -d' ' -f1-3 /proc/loadavg) (nproc $(nproc))"
"$repro" run "${cell[@]}" --folder "$out/one" >/dev/null
mpirun --allow-run-as-root -np 2 "$repro" run "${cell[@]}" --folder "$out/two" --mpi >/dev/null
"$repro" diff "$out/one" "$out/two"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
one=$(step "$out/one/metrics.json")
two=$(step "$out/two/metrics.json")
python3 - "$one" "$two" <<'PY'
import sys
one, two = map(float, sys.argv[1:])
print(f"step time, 1 process x 2 shards: {one:.3f} s")
print(f"step time, 2 ranks x 1 shard:   {two:.3f} s")
print(f"speed-up {one / two:.2f}, scaling efficiency {one / (2 * two):.2f}")
PY
