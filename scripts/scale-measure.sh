#!/usr/bin/env bash
# Step time and scaling efficiency of data-parallel training on this machine: the same
# global batch trained by 1 process computing both of its 2 shards, then by 2 MPI ranks with
# one shard each (1 thread per process). Paper 1: p1/multi-semi, 4 labeled + 4 unlabeled
# images per domain. Paper 2: p2/L+I+P (smoke scenes, 32x64), batch 2 (1 image per shard,
# synchronized batch norm). Prints the machine load before and after, and each run's mean
# step time (metrics.json "timings.step": seconds inside training iterations / iterations).
# Usage: bash scripts/scale-measure.sh [repro binary] [iterations] [width divisor] [paper 1|2]
set -euo pipefail
repro="${1:-.build/release/repro}"
iterations="${2:-12}"
divisor="${3:-16}"
paper="${4:-1}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
if [ "$paper" = 2 ]; then
    width=$(python3 -c "print(1 / $divisor)")
    cell=(p2/L+I+P --threads 1 --results "$out/results" --set "trainImages=$((2 * iterations))"
        --set niter=1 --set niterDecay=0 --set valImages=2 --set sheetRows=2
        --set "width=$width" --shards 2)
else
    cell=(p1/multi-semi --threads 1 --results "$out/results" --set batchLabeled=4
        --set batchUnlabeled=4 --set epochs=1 --set "itersPerEpoch=$iterations"
        --set "widthDivisor=$divisor" --shards 2)
fi
step() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["timings"]["step"])' "$1"; }
echo "paper $paper, width 1/$divisor, $iterations iterations; load before: $(cut -d' ' -f1-3 /proc/loadavg) (nproc $(nproc))"
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
