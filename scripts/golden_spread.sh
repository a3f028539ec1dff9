#!/usr/bin/env bash
# Runs `repro verify PAPER` (smoke) once per floating-point configuration a user's machine may
# have, each into its own results folder holding a copy of the committed goldens, then prints
# how far every golden metric moved (scripts/golden_spread.py). The configurations: OpenBLAS
# kernels of several core types (what OpenBLAS picks on other CPUs) at 2 threads, and 1 thread.
#
# Usage: scripts/golden_spread.sh [paper=p2] [folder=/tmp/golden-spread] [repro]
set -euo pipefail
cd "$(dirname "$0")/.."
paper=${1:-p2}
dir=${2:-/tmp/golden-spread}
repro=${3:-.build/release/repro}
suite=$([ "$paper" = p1 ] && echo paper1 || echo paper2)
configs=("default:2" "SkylakeX:2" "Haswell:2" "Zen:2" "Sandybridge:2" "default:1" "SkylakeX:1")
folders=()
for c in "${configs[@]}"; do
    core=${c%%:*}
    threads=${c##*:}
    out="$dir/$core-t$threads"
    rm -rf "$out"
    mkdir -p "$out/golden"
    cp "results/golden/$suite-smoke-seed0.json" "$out/golden/"
    echo "== $core, $threads thread(s) (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
    env_args=()
    [ "$core" != default ] && env_args=(OPENBLAS_CORETYPE="$core")
    set +e
    env "${env_args[@]}" "$repro" verify "$paper" --threads "$threads" --results "$out" \
        --report "$out/verify.md" >"$out/verify.log" 2>&1
    echo "   verify exit $?: $(grep -m1 -i 'goldens' "$out/verify.md" || true)" >&2
    set -e
    folders+=("$out")
done
python3 scripts/golden_spread.py "results/golden/$suite-smoke-seed0.json" "${folders[@]}"
