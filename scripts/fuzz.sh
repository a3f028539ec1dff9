#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer) of the readers of untrusted input.
#
#   bash scripts/fuzz.sh build            build the four targets (nested package Fuzz/)
#   bash scripts/fuzz.sh short [TARGET]   bounded run per target (CI): 20 s or 20000 runs
#   bash scripts/fuzz.sh long TARGET [N]  N executions (default 1000000) over $FUZZ_JOBS (4)
#                                         libFuzzer fork-mode workers; new inputs kept in
#                                         .build-fuzz/corpus/TARGET, log in .build-fuzz/TARGET.log
#   bash scripts/fuzz.sh seeds            regenerate the harness-written seeds in Fuzz/Corpus
#
# Targets: FuzzPNG FuzzHDF5 FuzzCheckpoint FuzzOverrides. Seeds: Fuzz/Corpus/<target>/ (also
# h5py-made files for the HDF5 targets). A crash leaves crash-<sha1> in .build-fuzz/ and makes
# the script fail; reproduce with .build-fuzz/release/<target> <file>.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=$ROOT/.build-fuzz
TARGETS=(FuzzPNG FuzzHDF5 FuzzCheckpoint FuzzOverrides)

build() {
    (cd Fuzz && swift build -c release --build-path "$BUILD" \
        -Xswiftc -sanitize=fuzzer -Xcc -fsanitize=fuzzer-no-link -Xswiftc -use-ld=lld)
}

run() {  # target, extra libFuzzer flags...
    local target=$1
    shift
    local corpus=$BUILD/corpus/$target
    mkdir -p "$corpus"
    # TMPDIR in memory: the HDF5 targets copy every input through a child process into a
    # temporary file (Storage/HDF5+Checks.swift); on disk that costs about half the time.
    (cd "$BUILD" && TMPDIR=/dev/shm "$BUILD/release/$target" "$corpus" "$ROOT/Fuzz/Corpus/$target" \
        -max_len=65536 -rss_limit_mb=2048 -timeout=30 -print_final_stats=1 "$@")
}

case "${1:-short}" in
build) build ;;
short)
    build
    for target in ${2:-${TARGETS[@]}}; do
        echo "== $target"
        run "$target" -max_total_time=20 -runs=20000 2>&1 | tail -12
    done
    ;;
long)
    target=${2:?target}
    # Fork mode: the HDF5 targets spend most of an execution waiting for their child process
    # to be scheduled, so several workers keep the cores busy (about 8x the executions on a
    # loaded 2-core machine). The "#N" count of the log is the workers' total.
    run "$target" -runs="${3:-1000000}" -fork="${FUZZ_JOBS:-4}" >"$BUILD/$target.log" 2>&1
    tail -12 "$BUILD/$target.log"
    ;;
seeds)
    build
    for target in FuzzHDF5 FuzzCheckpoint; do
        "$BUILD/release/$target" --make-seeds "$ROOT/Fuzz/Corpus/$target"
    done
    ;;
*) sed -n 2,13p "$0" && exit 2 ;;
esac
