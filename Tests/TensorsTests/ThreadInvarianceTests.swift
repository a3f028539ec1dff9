import Testing
import TestSupport
@testable import Tensors

/// The kernels' parallel loops write disjoint outputs and sum in an order fixed by the shapes,
/// so outputs and gradients have the same bits with 1 and 2 worker threads. The inputs are
/// large enough (2x64x24x40) for every loop here to split.
@Suite(.serialized) struct ThreadInvarianceTests {
    static let x = [2, 64, 24, 40]
    static let cases: [(String, [[Int]], @Sendable ([Variable]) -> Variable)] = [
        ("x + per-channel", [x, [1, 64, 1, 1]], { $0[0] + $0[1] }),
        ("per-sample-channel * x", [[2, 64, 1, 1], x], { $0[0] * $0[1] }),
        ("x / per-channel", [x, [1, 64, 1, 1]], { $0[0] / ($0[1] * $0[1] + 1) }),
        ("concat", [x, [2, 3, 24, 40]], { concatChannels($0) }),
        ("flip, crop", [x], { crop(flipWidth($0[0]), rows: 2..<20, cols: 1..<39) }),
        ("softmax", [x], { softmax($0[0]) }),
        ("logSoftmax", [x], { logSoftmax($0[0]) }),
        ("exp, log", [x], { log(exp($0[0]) + 1) }),
        ("l1", [x, x], { l1Loss($0[0], $0[1]) }),
        ("l2Normalize", [x], { l2Normalize($0[0]) }),
        ("mean", [x], { mean($0[0]) }),
    ]

    func run(_ shapes: [[Int]], threads: Int, _ op: ([Variable]) -> Variable) -> [Tensor] {
        var random = RandomSource(seed: 14).split("threads")
        let inputs = shapes.map { random.normalTensor($0) }
        let upstream = withoutGradient { op(inputs.map { Variable($0) }) }.value.map { $0 * 0.5 }
        let saved = Parallel.threads
        Parallel.threads = threads
        defer { Parallel.threads = saved }
        var out = Tensor(zeros: [])
        let (_, grads) = valueAndGradient(at: inputs) { xs in
            let y = op(xs)
            out = y.value
            return sum(y * Variable(upstream))
        }
        return [out] + grads
    }

    @Test func opsGiveTheSameBitsWithOneAndTwoThreads() {
        for (name, shapes, op) in Self.cases {
            let one = run(shapes, threads: 1, op), two = run(shapes, threads: 2, op)
            for (a, b) in zip(one, two) {
                #expect(a.data.map(\.bitPattern) == b.data.map(\.bitPattern), "\(name)")
            }
        }
    }

    @Test func crossEntropyGivesTheSameBitsWithOneAndTwoThreads() {
        var random = RandomSource(seed: 15).split("ce threads")
        let logits = random.normalTensor([2, 19, 24, 40])
        let labels = Labels(
            shape: [2, 24, 40],
            data: (0..<1920).map { _ in
                random.uniform() < 0.2 ? 255 : Int32(random.int(below: 19))
            })
        func run(_ threads: Int) -> (Float, Tensor) {
            let saved = Parallel.threads
            Parallel.threads = threads
            defer { Parallel.threads = saved }
            let (loss, grads) = valueAndGradient(at: [logits]) { crossEntropy($0[0], labels) }
            return (loss, grads[0])
        }
        let one = run(1), two = run(2)
        #expect(one.0.bitPattern == two.0.bitPattern)
        #expect(one.1.data.map(\.bitPattern) == two.1.data.map(\.bitPattern))
    }
}

/// Batch and instance norm, leaky ReLU, pooling, resizing, dropout and spectral normalisation
/// split work over planes, channels or chunks that each own their outputs and sum in a fixed
/// order. The input (2, 8, 64, 64) (and the 512 x 576 spectral-norm weight) is large enough
/// for every kernel to use two workers.
extension ThreadInvarianceTests {
    static let image = Sample.normal([2, 8, 64, 64], seed: 1)
    static let imageUpstream = Sample.normal([2, 8, 64, 64], seed: 2)

    /// Outputs and input gradients of the layer ops, as bit patterns.
    static func layerResults() -> [[UInt32]] {
        var results: [Tensor] = []
        func record(_ op: (Variable) -> Variable, upstream: Tensor? = nil) {
            let (_, grads) = valueAndGradient(at: [image]) { v in
                let y = op(v[0])
                results.append(y.value)
                return weightedSum(y, upstream ?? Sample.normal(y.shape, seed: 3))
            }
            results.append(grads[0])
        }
        var rm = Tensor(zeros: [8])
        var rv = Tensor(repeating: 1, shape: [8])
        let w = Variable(Tensor(repeating: 1.5, shape: [8]))
        let b = Variable(Tensor(repeating: 0.5, shape: [8]))
        record(
            {
                batchNorm2d(
                    $0, weight: w, bias: b, runningMean: &rm, runningVar: &rv, training: true)
            }, upstream: imageUpstream)
        results += [rm, rv]
        record({ instanceNorm2d($0) }, upstream: imageUpstream)
        record({ leakyReLU($0) }, upstream: imageUpstream)
        record({ maxPool2d($0, kernel: 3, stride: 2, padding: 1) })
        record({ avgPool2d($0, kernel: 3, stride: 2, padding: 1, countIncludePad: false) })
        record({ resizeBilinear($0, height: 97, width: 41, alignCorners: false) })
        record({ resizeNearest($0, height: 97, width: 41) })
        var random = RandomSource(seed: 4)
        record({ dropout($0, p: 0.5, mode: .train, random: &random) }, upstream: imageUpstream)
        let weight = Sample.normal([512, 64, 3, 3], seed: 5)
        let (u, v) = spectralPowerIteration(
            weight, u: Sample.normal([512], seed: 6), v: Sample.normal([576], seed: 7))
        results += [u, v]
        let (_, grads) = valueAndGradient(at: [weight]) { w in
            let y = spectralNormalized(w[0], u: u, v: v)
            results.append(y.value)
            return weightedSum(y, weight)
        }
        results.append(grads[0])
        return results.map(Sample.bits)
    }

    @Test func layerOpsGiveTheSameBitsWithOneAndTwoThreads() {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        Parallel.threads = 1
        let one = Self.layerResults()
        Parallel.threads = 2
        let two = Self.layerResults()
        #expect(one.count == two.count)
        for (i, (a, b)) in zip(one, two).enumerated() { #expect(a == b, "result \(i)") }
    }
}
