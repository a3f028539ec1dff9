import Foundation
import Reports
import Results
import Tensors

/// What `repro bench conv` measures.
public struct ConvBenchOptions: Sendable {
    public var shapes = ConvShape.paper
    public var passes = ConvPass.allCases
    public var threads = [1, 2]
    /// Interleaved sample pairs at least; more (up to `maxRepeats`) until the ratio's interval
    /// is within `tolerance` of its median.
    public var repeats = 5
    public var maxRepeats = 11
    /// The wanted half-width of the ratio's interval, relative to the ratio (0.05: +-5%).
    public var tolerance = 0.05
    public var warmup = 1
    /// Each sample repeats the call for at least this long and reports the time per call.
    public var minSampleSeconds = 0.05
    public var batch = 2
    /// Time CPU seconds of each process instead of wall-clock seconds (`ConvBenchCase.time`).
    public var cpuClock = false
    /// The Python with PyTorch to compare against; nil measures Swift alone.
    public var torchPython: String?
    public var torchScript = "scripts/bench_conv_torch.py"

    public init() {}
}

/// One (shape, pass, threads) measurement: medians of interleaved samples.
public struct ConvBenchRow: Sendable, Codable {
    public let shape: String, pass: String, threads: Int
    public let flops: Double
    public let swiftSeconds: Double
    public let torchSeconds: Double?
    /// The interval of the ratio (PyTorch time over ours, sample by sample); nil without PyTorch.
    public let interval: RatioInterval?
    /// Sample pairs taken (or Swift samples, without PyTorch).
    public let samples: Int
    /// The machine's FMA peak at this thread count, GFLOP/s.
    public let peak: Double

    public var swiftGflops: Double { flops / swiftSeconds * 1e-9 }
    public var torchGflops: Double? { torchSeconds.map { flops / $0 * 1e-9 } }
    /// Swift speed over PyTorch speed (> 1: Swift is faster).
    public var ratio: Double? { torchSeconds.map { $0 / swiftSeconds } }
    /// Our speed as a fraction of the peak.
    public var swiftPeakFraction: Double { swiftGflops / peak }
    /// PyTorch's speed as a fraction of the peak.
    public var torchPeakFraction: Double? { torchGflops.map { $0 / peak } }
}

/// Everything a run measured, with the facts needed to read it.
public struct ConvBenchReport: Sendable, Codable {
    public var date: String
    public var cpu: String
    public var peak: MachinePeak
    public var blasCore: String
    public var blasConfig: String
    /// OPENBLAS_CORETYPE when set: OpenBLAS then uses that kernel family instead of detecting one.
    public var blasCoreOverride: String?
    public var torchVersion: String?
    /// OMP_WAIT_POLICY of the PyTorch process.
    public var torchOMPWaitPolicy: String?
    public var batch: Int
    public var repeats: Int
    public var minSampleSeconds: Double
    public var maxRepeats: Int
    public var tolerance: Double
    /// The 1-minute load average before and after the run (-1 where unknown).
    public var loadAverage: [Double]
    /// Whether times are CPU seconds of each process rather than wall-clock seconds.
    public var cpuClock: Bool
    public var rows: [ConvBenchRow]

    /// The geometric mean of Swift/PyTorch ratios at `threads`, nil without PyTorch numbers.
    public func geometricMeanRatio(threads: Int) -> Double? {
        let ratios = rows.filter { $0.threads == threads }.compactMap(\.ratio)
        guard !ratios.isEmpty else { return nil }
        return exp(ratios.map { log($0) }.reduce(0, +) / Double(ratios.count))
    }
}

/// Times the Swift conv kernels (and PyTorch's, when `options.torchPython` is set) sample by
/// sample in alternating order, so noise from other processes hits both sides alike.
public func runConvBench(_ options: ConvBenchOptions, log: (String) -> Void = { _ in }) throws
    -> ConvBenchReport
{
    let torch = try options.torchPython.map {
        try TorchConvTimer(python: $0, script: options.torchScript)
    }
    let loadBefore = loadAverage1Minute()
    let peak = MachinePeak.measure(threads: options.threads.max() ?? 1)
    log(
        "FMA peak (\(peak.isa)): \(Report.fixed(peak.perCore, 1)) GFLOP/s per core, \(Report.fixed(peak.total, 1)) on \(peak.threads)"
    )
    let previousThreads = Parallel.threads
    defer { Runtime.setThreads(previousThreads) }
    var rows: [ConvBenchRow] = []
    for threads in options.threads {
        Runtime.setThreads(threads)
        for shape in options.shapes {
            let bench = ConvBenchCase(shape, batch: options.batch)
            for pass in options.passes {
                for _ in 0..<options.warmup { _ = bench.time(pass) }
                if let torch {
                    _ = try torch.time(
                        shape, pass, threads: threads, batch: options.batch, warmup: options.warmup)
                }
                let minSeconds = options.minSampleSeconds
                let cpu = options.cpuClock
                func ours() -> Double { bench.time(pass, minSeconds: minSeconds, cpuClock: cpu) }
                let row: ConvBenchRow
                if let torch {
                    func theirs() throws -> Double {
                        try torch.time(
                            shape, pass, threads: threads, batch: options.batch,
                            minSeconds: minSeconds, cpuClock: cpu
                        ).first ?? .nan
                    }
                    // Alternate which side goes first, so drift hits both alike.
                    let pairs = try sampleUntilTight(
                        minimum: options.repeats, maximum: options.maxRepeats,
                        tolerance: options.tolerance
                    ) { r in
                        if r % 2 == 1 {
                            let t = try theirs()
                            return (ours(), t)
                        }
                        let s = ours()
                        return (s, try theirs())
                    }
                    row = ConvBenchRow(
                        shape: shape.description, pass: pass.rawValue, threads: threads,
                        flops: bench.flops, swiftSeconds: median(pairs.map(\.swift)),
                        torchSeconds: median(pairs.map(\.torch)),
                        interval: RatioInterval(pairs.map { $0.torch / $0.swift }),
                        samples: pairs.count, peak: peak.gflops(threads: threads))
                } else {
                    let samples = (0..<options.repeats).map { _ in ours() }
                    row = ConvBenchRow(
                        shape: shape.description, pass: pass.rawValue, threads: threads,
                        flops: bench.flops, swiftSeconds: median(samples), torchSeconds: nil,
                        interval: nil, samples: samples.count, peak: peak.gflops(threads: threads))
                }
                rows.append(row)
                log(row.markdownLine)
            }
        }
    }
    return ConvBenchReport(
        date: ISO8601DateFormatter().string(from: Date()), cpu: SystemProbe.cpu.model, peak: peak,
        blasCore: BLAS.coreName, blasConfig: BLAS.config,
        blasCoreOverride: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"],
        torchVersion: torch?.version,
        torchOMPWaitPolicy: torch?.ompWaitPolicy,
        batch: options.batch, repeats: options.repeats, minSampleSeconds: options.minSampleSeconds,
        maxRepeats: options.maxRepeats, tolerance: options.tolerance,
        loadAverage: [loadBefore, loadAverage1Minute()], cpuClock: options.cpuClock, rows: rows)
}
