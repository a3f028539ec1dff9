#!/bin/bash
# The ordo-one conv suite (Benchmarks/) against its static thresholds (Benchmarks/Thresholds,
# committed: one machine's p90 figures per benchmark). Tolerances are in ConvBench.swift.
#   bash scripts/bench-thresholds.sh check     # this build against the committed figures
#   bash scripts/bench-thresholds.sh update    # remake them on this machine (then commit, saying
#                                              # which machine, its load and REPRO_THREADS)
# REPRO_THREADS (default 1) is part of each benchmark's name. Release build; takes minutes.
set -euo pipefail
cd "$(dirname "$0")/../Benchmarks"
case "${1:-check}" in
check) swift package benchmark thresholds check --no-progress ;;
update)
    swift package --allow-writing-to-package-directory benchmark thresholds update --no-progress
    ;;
*)
    echo "usage: $0 [check|update]" >&2
    exit 2
    ;;
esac
