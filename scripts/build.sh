#!/usr/bin/env bash
# The set-up build: release mode (the numeric kernels are the point), the `repro` binary and
# the test bundles in one go, with the flags the test command uses, so `bash scripts/test.sh`
# afterwards compiles nothing again. Portable code generation (no -target-cpu native).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --build-tests -Xswiftc -enable-testing "$@"
