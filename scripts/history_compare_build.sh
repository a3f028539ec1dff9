#!/usr/bin/env bash
# `repro compare A B --build` end to end, as a user runs it: each commit without a record is
# checked out in a temporary git worktree, built in release mode and recorded there (the
# smoke verification of every paper and the benchmark set), then the two records are
# compared. Too slow for the test suite (a release build per commit: see README.md), so it is
# a script; CompareBuildTests covers the same path with the test build as record command.
#
# Usage: scripts/history_compare_build.sh [A=HEAD~1] [B=HEAD] [folder=/tmp/repro-compare-build]
# DEFAULT=1 uses compare's default record command (a fresh build of every package in each
# worktree); otherwise the worktrees share one build folder (--scratch-path), so the second
# commit rebuilds only this package's own targets. RECORD_COMMAND='...' replaces the record
# command altogether (e.g. an already built repro, to check this script quickly).
# Exit status: 0 when both commits were built, recorded and compared (the comparison's own
# verdict, regression or not, is printed); 1 on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
a=${1:-HEAD~1}
b=${2:-HEAD}
dir=${3:-/tmp/repro-compare-build}
repro=${REPRO:-.build/release/repro}
rm -rf "$dir"
mkdir -p "$dir/history"
args=("$a" "$b" --build --history "$dir/history" --markdown "$dir/compare.md"
    --html "$dir/compare.html")
if [ -n "${RECORD_COMMAND:-}" ]; then
    args+=(--record-command "$RECORD_COMMAND")
elif [ "${DEFAULT:-0}" != 1 ]; then
    scratch="$dir/build"
    args+=(--record-command "swift build -c release --product repro --scratch-path '$scratch' \
&& '$scratch/release/repro' record --history \"\$REPRO_HISTORY\"")
fi
start=$(date +%s)
set +e
"$repro" compare "${args[@]}" >"$dir/compare.log" 2>&1
status=$?
set -e
seconds=$(($(date +%s) - start))
if [ "$status" -gt 1 ]; then
    echo "compare --build failed (exit $status) after ${seconds}s:" >&2
    tail -20 "$dir/compare.log" >&2
    exit 1
fi
records=$(ls "$dir/history"/*.json 2>/dev/null | wc -l)
if [ "$records" -ne 2 ] || ! grep -q '^\*\*\(No regression\|Regression\)\*\*' "$dir/compare.md" \
    || ! grep -q '^## Wall time' "$dir/compare.md"; then
    echo "compare --build ran but made $records records or an incomplete report:" >&2
    cat "$dir/compare.log" >&2
    exit 1
fi
echo "compare --build of $a and $b: $records records, ${seconds}s, compare exit $status"
grep -m1 '^\*\*' "$dir/compare.md"
echo "Report: $dir/compare.md ($dir/compare.html); log: $dir/compare.log"
