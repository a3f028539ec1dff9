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
            data: (0..<1920).map { _ in random.uniform() < 0.2 ? 255 : Int32(random.int(below: 19)) })
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
