#!/usr/bin/env python3
"""Habits checked in CI: every target declares exactly the modules it imports (no missing,
no unused dependency), and no Swift file is longer than 400 lines. Prints each problem and
exits 1 if there is any. Run from anywhere: python3 scripts/check_targets.py"""
import glob
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_LINES = 400
SYSTEM = {"Foundation", "FoundationNetworking", "Glibc", "Darwin", "Dispatch", "Testing", "XCTest", "Synchronization"}
PRODUCTS = {"Numerics": {"Numerics", "RealModule", "ComplexModule"}}
IMPORT = re.compile(r"^(?:@testable |internal |public |@_exported )?import (\w+)", re.M)


def dependencies(target):
    names = set()
    for d in target["dependencies"]:
        for kind in ("byName", "target", "product"):
            if kind in d:
                names.add(d[kind][0])
    return names


def main():
    dump = subprocess.check_output(["swift", "package", "dump-package"], cwd=ROOT, stderr=subprocess.DEVNULL)
    problems = []
    for target in json.loads(dump)["targets"]:
        name = target["name"]
        folder = target.get("path") or os.path.join("Tests" if target["type"] == "test" else "Sources", name)
        imports = set()
        for path in glob.glob(os.path.join(ROOT, folder, "**", "*.swift"), recursive=True):
            imports |= set(IMPORT.findall(open(path, encoding="utf-8").read()))
        imports -= SYSTEM | {name}
        declared = dependencies(target)
        provided = set().union(*[PRODUCTS.get(d, {d}) for d in declared]) if declared else set()
        for m in sorted(imports - provided):
            problems.append(f"{name}: imports {m} without declaring it")
        for d in sorted(declared):
            if not PRODUCTS.get(d, {d}) & imports:
                problems.append(f"{name}: declares {d} but never imports it")
    for path in sorted(glob.glob(os.path.join(ROOT, "**", "*.swift"), recursive=True)):
        rel = os.path.relpath(path, ROOT)
        if rel.startswith(".build") or "/.build" in rel:
            continue
        n = sum(1 for _ in open(path, encoding="utf-8"))
        if n > MAX_LINES:
            problems.append(f"{rel}: {n} lines (at most {MAX_LINES})")
    for p in problems:
        print(p)
    print(f"check_targets: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
