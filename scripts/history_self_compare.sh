#!/usr/bin/env bash
# How stable are the timing and instruction-count verdicts on this machine? Records the
# current commit N+1 times (timings and callgrind counts; no verification unless VERIFY=1;
# no callgrind with INSTRUCTIONS=0)
# into a scratch history folder and compares each record with the next: every "slower" or
# "faster" verdict is a false positive, since the code is the same.
# Usage: scripts/history_self_compare.sh [N=10] [folder=/tmp/repro-self-compare]
set -euo pipefail
n=${1:-10}
dir=${2:-/tmp/repro-self-compare}
repro=${REPRO:-.build/release/repro}
verify=--no-verify
if [ "${VERIFY:-0}" = 1 ]; then verify=""; fi
instructions=--instructions
if [ "${INSTRUCTIONS:-1}" = 0 ]; then instructions=""; fi
mkdir -p "$dir"
for i in $(seq 0 "$n"); do
    "$repro" record $verify $instructions --history "$dir/history" --results "$dir/results" \
        >/dev/null 2>"$dir/record-$i.log"
done
mapfile -t files < <(ls -tr "$dir"/history/*.json)
for i in $(seq 1 "$n"); do
    "$repro" compare "${files[$((i - 1))]}" "${files[$i]}" >"$dir/compare-$i.md" || true
done
echo "Per comparison of consecutive records (any slower/faster/more/fewer is a false positive):"
for i in $(seq 1 "$n"); do
    echo "$i: $(grep -m1 '^\*\*' "$dir/compare-$i.md")"
done
