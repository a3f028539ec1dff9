// The conv hot path: the paper shapes (Bench `ConvShape.paper`), batch 2, float32, each
// pass (forward, backward-data, backward-weight) as its own benchmark. Inputs are made in
// `setup`, outside the measurement. Threads: $REPRO_THREADS (default 1). The side-by-side
// comparison with PyTorch is `repro bench conv`; this suite tracks regressions over commits.
//
// Static thresholds (Benchmarks/Thresholds, one machine's p90 figures) are checked with
// `bash scripts/bench-thresholds.sh check` and remade with `... update`. The check compares
// p90 only. Tolerances: wall time 50% (two runs of the same build on a quiet shared machine
// differed by up to 38% at p90 on the millisecond passes; throughput is not measured: it is
// the inverse, in whole calls per second, 2-4 for the SPADE shapes), resident memory 10%,
// malloc count 32 calls (two runs of the same build differed by up to 16 of 41-284: the
// kernels' own buffers are fixed, the rest is runtime and tool bookkeeping; a per-tile or
// per-channel allocation would add hundreds).
import Benchmark
import Foundation
import Bench

let benchmarks: @Sendable () -> Void = {
    let threads = Int(ProcessInfo.processInfo.environment["REPRO_THREADS"] ?? "") ?? 1
    ConvBenchCase.setThreads(threads)
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
        timeUnits: .milliseconds, warmupIterations: 1, maxDuration: .seconds(3), maxIterations: 100,
        thresholds: [
            .wallClock: .init(relative: [.p90: 50]),
            .mallocCountTotal: .init(absolute: [.p90: 32]),
            .peakMemoryResident: .init(relative: [.p90: 10]),
        ])
    for (index, shape) in ConvShape.paper.enumerated() {
        for pass in ConvPass.allCases {
            Benchmark(
                // No spaces: the thresholds files are named after the benchmark, and the tool
                // writes spaces as "_" but reads them back unchanged.
                "conv\(index + 1)_\(shape)_\(pass.rawValue)_t\(threads)",
                configuration: configuration
            ) { benchmark, bench in
                for _ in benchmark.scaledIterations { blackHole(bench.run(pass)) }
            } setup: {
                ConvBenchCase(shape)
            }
        }
    }
}
