#!/usr/bin/env bash
# The test command: the build of scripts/build.sh (a no-op when it already ran) and every
# test. Tests run one at a time: OpenBLAS's thread count is process-wide and its GEMM bits
# depend on it, so a test that changes it must not overlap the bitwise golden test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
# The sweep tests submit to a real single-node Slurm: start it (idempotent; root) unless
# REPRO_SLURM=0 skips those tests.
if [ "${REPRO_SLURM:-1}" != 0 ]; then bash scripts/slurm-start.sh; fi
swift test -c release --skip-build -Xswiftc -enable-testing --no-parallel
