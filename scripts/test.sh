#!/usr/bin/env bash
# The test command: builds in release mode (the numeric kernels are the point) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --build-tests -Xswiftc -enable-testing
swift test -c release --skip-build -Xswiftc -enable-testing
