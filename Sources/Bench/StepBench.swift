import Foundation
import Models
import NN
import Results
import Tensors

/// The network `repro bench step` trains.
public enum StepBenchModel: String, Sendable, Codable, CaseIterable {
    /// CAC's DeepLabv3+ ResNet-50 (paper 1).
    case deeplab
    /// Paper 2's SPADE generator + multi-scale discriminator.
    case spade
}

/// What one side of `repro bench step` measures: a training step (DeepLabv3+) or iteration
/// (SPADE G + D) and a forward.
public struct StepBenchOptions: Sendable, Codable {
    public var model = StepBenchModel.deeplab
    /// Paper 2's configuration for `.spade`: "L", "L+I" or "L+I+P".
    public var variant = "L+I+P"
    public var batch = 2
    public var height = 256
    public var width = 512
    /// Classes of the DeepLab head.
    public var classes = 19
    /// 1 = ResNet-50 DeepLabv3+ or SPADE's ngf = ndf = 64; larger values divide every width.
    public var widthDivisor = 1
    public var threads = 2
    /// Timed samples per measurement in each round.
    public var repeats = 1
    public var warmup = 1
    /// Rounds of (Swift process, PyTorch process), alternating, so that both sides sample the
    /// same spells of machine load; the samples of all rounds are pooled.
    public var rounds = 3
    /// Rounds at most: with PyTorch beside, rounds continue past `rounds` until the ~90%
    /// interval of the median per-round step ratio is within `tolerance` of it (nil: `rounds`).
    public var maxRounds: Int?
    /// Wanted half-width of that interval, relative (nil: 0.05, see `wantedTolerance`).
    public var tolerance: Double?
    /// The half-width the rounds aim at: `tolerance`, or 5% when it is not set.
    public var wantedTolerance: Double { tolerance ?? 0.05 }
    /// Whether the per-module profile runs after the step and forward timings.
    public var profile = true

    public init() {}
}

/// The time of one part of the network alone, at its shapes inside the network (medians).
public struct StepProfileRow: Sendable, Codable {
    public let name: String
    public let forward: Double
    /// Forward and backward (input and parameter gradients); for "sgd" the update alone.
    public let forwardBackward: Double

    enum CodingKeys: String, CodingKey {
        case name, forward
        case forwardBackward = "forward_backward"
    }
}

/// One side's measurements, as JSON both from this process and from
/// scripts/bench_step_torch.py.
public struct StepBenchSide: Sendable, Codable {
    /// "Swift" or "PyTorch <version>".
    public let side: String
    public let threads: Int
    public let stepSeconds: [Double]
    public let forwardSeconds: [Double]
    /// The process's resident-set high-water mark (getrusage ru_maxrss), MiB.
    public let maxRSSMB: Double
    public let profile: [StepProfileRow]?
    /// The GEMM/conv kernels in use: OpenBLAS's core type, or PyTorch's CPU capability.
    public let kernels: String?

    enum CodingKeys: String, CodingKey {
        case side, threads, profile, kernels
        case stepSeconds = "step_seconds"
        case forwardSeconds = "forward_seconds"
        case maxRSSMB = "max_rss_mb"
    }

    /// The rounds of one side pooled: all samples, the largest peak RSS, and per part the
    /// median over the rounds.
    public static func pooled(_ rounds: [StepBenchSide]) -> StepBenchSide {
        let first = rounds[0]
        let profile = first.profile.map { parts in
            parts.indices.map { i in
                let rows = rounds.compactMap { $0.profile?[i] }
                return StepProfileRow(
                    name: parts[i].name, forward: median(rows.map(\.forward)),
                    forwardBackward: median(rows.map(\.forwardBackward)))
            }
        }
        return StepBenchSide(
            side: first.side, threads: first.threads, stepSeconds: rounds.flatMap(\.stepSeconds),
            forwardSeconds: rounds.flatMap(\.forwardSeconds),
            maxRSSMB: rounds.map(\.maxRSSMB).max()!, profile: profile, kernels: first.kernels)
    }
}

/// Measures the Swift side in this process: CAC's DeepLabv3+ (one head, no projector), train
/// mode with CAC's dropout, loss = cross-entropy of the logits upsampled to the input size,
/// backward, SGD (momentum 0.9, weight decay 1e-4); the forward is eval mode without a tape.
/// The same network, loss and optimizer as scripts/bench_step_torch.py.
public func runStepBench(_ options: StepBenchOptions) -> StepBenchSide {
    Runtime.setThreads(options.threads)
    let (n, h, w) = (options.batch, options.height, options.width)
    let config = DeepLabConfig(
        backbone: ResNetConfig(widthDivisor: options.widthDivisor), classes: [options.classes],
        projector: false)
    let random = RandomSource(seed: 0).split("bench-step")
    let model = DeepLabV3Plus(config, random: random.split("init"))
    var data = random.split("data")
    let x = Variable(data.normalTensor([n, 3, h, w]))
    let labels = Labels(
        shape: [n, h, w],
        data: (0..<(n * h * w)).map { _ in
            Int32(data.int(below: options.classes))
        })
    let params = model.store.parameters
    let sgd = SGD(params, lr: 0.01, momentum: 0.9, weightDecay: 1e-4)
    var dropout = random.split("dropout")

    let step = {
        let (_, grads) = valueAndGradient(of: params) {
            let f = model.features(x, mode: .train, random: &dropout)
            let logits = model.logits(f, domain: 0, mode: .train, random: &dropout)
            return crossEntropy(
                resizeBilinear(logits, height: h, width: w, alignCorners: true), labels)
        }
        sgd.step(grads)
    }
    let forward = {
        _ = withoutGradient { model(x, domain: 0, mode: .eval, random: &dropout) }
    }
    let stepSeconds = timeSamples(options, step)
    let forwardSeconds = timeSamples(options, forward)
    let rss = maxResidentMB()
    let profile =
        options.profile ? profileStep(model, x: x, labels: labels, sgd: sgd, options) : nil
    return StepBenchSide(
        side: "Swift", threads: options.threads, stepSeconds: stepSeconds,
        forwardSeconds: forwardSeconds, maxRSSMB: rss, profile: profile,
        kernels: "OpenBLAS \(BLAS.coreName)")
}

/// Seconds per call of `body`, `options.repeats` samples after `options.warmup` calls.
func timeSamples(_ options: StepBenchOptions, _ body: () -> Void) -> [Double] {
    for _ in 0..<options.warmup { body() }
    return (0..<options.repeats).map { _ in
        let start = ContinuousClock.now
        body()
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}

/// This process's resident-set high-water mark in MiB (`ru_maxrss`: KiB on Linux, bytes on
/// macOS).
public func maxResidentMB() -> Double {
    var usage = rusage()
    #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    #else
        getrusage(RUSAGE_SELF, &usage)
        return Double(usage.ru_maxrss) / 1_048_576
    #endif
}
