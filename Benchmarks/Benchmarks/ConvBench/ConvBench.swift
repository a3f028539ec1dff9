// The conv hot path: the paper shapes (Bench `ConvShape.paper`), batch 2, float32, each
// pass (forward, backward-data, backward-weight) as its own benchmark. Inputs are made in
// `setup`, outside the measurement. Threads: $REPRO_THREADS (default 1). The side-by-side
// comparison with PyTorch is `repro bench conv`; this suite tracks regressions over commits.
import Benchmark
import Foundation
import Bench

let benchmarks: @Sendable () -> Void = {
    let threads = Int(ProcessInfo.processInfo.environment["REPRO_THREADS"] ?? "") ?? 1
    ConvBenchCase.setThreads(threads)
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        timeUnits: .milliseconds, warmupIterations: 1, maxDuration: .seconds(3), maxIterations: 20)
    for (index, shape) in ConvShape.paper.enumerated() {
        for pass in ConvPass.allCases {
            Benchmark(
                "conv\(index + 1) \(shape) \(pass.rawValue) t\(threads)",
                configuration: configuration
            ) { benchmark, bench in
                for _ in benchmark.scaledIterations { blackHole(bench.run(pass)) }
            } setup: {
                ConvBenchCase(shape)
            }
        }
    }
}
