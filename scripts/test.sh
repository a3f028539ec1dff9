#!/usr/bin/env bash
# The test command: builds in release mode (the numeric kernels are the point) and runs every
# test. Tests run one at a time: some set the process-wide thread counts (OpenBLAS and the
# kernels' loops), and the bitwise golden test needs them fixed while it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --build-tests -Xswiftc -enable-testing
swift test -c release --skip-build -Xswiftc -enable-testing --no-parallel
