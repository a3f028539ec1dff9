import Foundation
import Models
import NN
import Paper1
import Results
import Tensors

/// Per-module time of a cell's training step: each part of the network timed alone at its
/// shapes inside the network, forward and forward + backward, with its convolution FLOPs, and
/// the optimizer updates. Paper 1 (`measure`): DeepLabv3+'s stem, the four ResNet stages,
/// ASPP, decoder, head with the loss, one phase. Paper 2 (`spade`, LayerProfile+SPADE.swift):
/// the SPADE generator's blocks and each discriminator scale, in the G step and the D step.
public struct LayerProfile: Sendable {
    /// One part of the network in one phase of the step.
    public struct Row: Sendable {
        public var name: String
        /// The phase of the step ("step" for a one-phase step; "G step", "D step" for a GAN).
        public var phase = "step"
        /// Median seconds of the train-mode forward.
        public var forward: Double
        /// Median seconds of the backward (forward + backward minus forward).
        public var backward: Double
        /// Convolution FLOPs of the forward (2 * N * Cout * Ho * Wo * Cin * k * k per conv).
        public var forwardFLOPs: Double
        /// Convolution FLOPs of the backward (input gradient unless the part takes the image,
        /// plus weight gradient: each the forward's count).
        public var backwardFLOPs: Double
    }

    public var cell: String
    /// Input (N, 3, H, W).
    public var input: [Int]
    public var threads: Int
    public var rows: [Row]
    /// The optimizer updates, each at the end of its phase.
    public var updates: [Update]
    /// The machine's FMA peak on `threads` threads, GFLOP/s.
    public var peak: Double
    /// The whole training step timed as it runs (median), when measured: a check that the
    /// parts account for the step.
    public var measuredStep: Double? = nil

    /// An optimizer update of one phase.
    public struct Update: Sendable {
        public var name: String
        public var phase: String
        /// Median seconds.
        public var seconds: Double
    }

    /// The step as the parts add up: every forward, every backward and every update.
    public var stepSeconds: Double {
        rows.reduce(updates.reduce(0) { $0 + $1.seconds }) { $0 + $1.forward + $1.backward }
    }

    /// The phases in step order.
    public var phases: [String] {
        var out: [String] = []
        for p in rows.map(\.phase) + updates.map(\.phase) where !out.contains(p) { out.append(p) }
        return out
    }

    /// Profiles `config` (a paper-1 cell) with `samples` timed calls per part.
    public static func measure(
        cell: String, config: SegmentationConfig, samples: Int, threads: Int, peak: Double
    ) -> LayerProfile {
        Runtime.setThreads(threads)
        let (n, h, w) = (max(2, config.batchLabeled), config.cropSize, config.cropSize)
        let shape = DeepLabConfig(
            backbone: ResNetConfig(
                blocks: config.blocks, outputStride: config.outputStride,
                widthDivisor: config.widthDivisor),
            classes: [19], projector: false)
        var random = RandomSource(seed: 0).split("profile")
        let model = DeepLabV3Plus(shape, random: random.split("init"))
        let x = Variable(random.normalTensor([n, 3, h, w]))
        let labels = Labels(
            shape: [n, h, w], data: (0..<(n * h * w)).map { _ in Int32(random.int(below: 19)) })
        let parts = ProfileParts(model: model, x: x, labels: labels)
        var rows: [Row] = []
        for part in parts.parts {
            let params = model.store.parameters.filter { p in
                part.prefixes.contains { p.key.hasPrefix($0) }
            }
            let leaves = part.inputs.enumerated().map {
                Parameter(key: "input.\($0.offset)", value: $0.element)
            }
            var dropout = random.split(part.name)
            let out = withoutGradient { part.forward(part.inputs.map(Variable.init), &dropout) }
            var seedSource = random.split("seed")
            let seed = Variable(seedSource.normalTensor(out.shape))
            let forward = time(samples) {
                _ = withoutGradient { part.forward(part.inputs.map(Variable.init), &dropout) }
            }
            let both = time(samples) {
                _ = valueAndGradient(of: params + (part.imageInput ? [] : leaves)) {
                    let o = part.forward(leaves.map(Variable.init), &dropout)
                    return o.value.count == 1 ? o : sum(o * seed)
                }
            }
            let gradients = part.imageInput ? 1.0 : 2.0
            rows.append(
                Row(
                    name: part.name, forward: forward, backward: max(0, both - forward),
                    forwardFLOPs: part.flops, backwardFLOPs: gradients * part.flops))
        }
        let sgd = SGD(model.store.parameters, lr: 0.01, momentum: 0.9, weightDecay: 1e-4)
        let zeros = model.store.parameters.map { Tensor(zeros: $0.shape) }
        let update = time(samples) { sgd.step(zeros) }
        return LayerProfile(
            cell: cell, input: [n, 3, h, w], threads: threads, rows: rows,
            updates: [Update(name: "sgd update", phase: "step", seconds: update)], peak: peak)
    }

    /// The median of `samples` timed calls after one untimed call.
    static func time(_ samples: Int, _ body: () -> Void) -> Double {
        body()
        return median(
            (0..<samples).map { _ in
                let start = ContinuousClock.now
                body()
                let d = ContinuousClock.now - start
                return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
            })
    }
}
