#!/usr/bin/env bash
# Habits checked in CI: swift-format's lint with the repository's .swift-format (100 columns),
# no Swift file over 400 lines, and every target declaring exactly what it imports.
# `swift format format -i -r Sources Tests Benchmarks Fuzz Package.swift` fixes most lint findings.
set -euo pipefail
cd "$(dirname "$0")/.."
swift format lint --strict -r Sources Tests Benchmarks Fuzz Package.swift
python3 scripts/check_targets.py
