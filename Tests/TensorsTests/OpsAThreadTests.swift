import TestSupport
import Testing

@testable import Tensors

/// The ops-a kernels split work over planes, channels or chunks that each own their outputs and
/// sum in a fixed order, so 1 and 2 workers must give the same bits. The input (2, 8, 64, 64)
/// (and the 512 x 576 spectral-norm weight) is large enough for every kernel to use two workers.
@Suite struct OpsAThreadTests {
    static let x = OpsA.normal([2, 8, 64, 64], seed: 1)
    static let g = OpsA.normal([2, 8, 64, 64], seed: 2)

    /// Outputs and input gradients of every ops-a op, as bit patterns.
    static func everything() -> [[UInt32]] {
        var results: [Tensor] = []
        func record(_ op: (Variable) -> Variable, upstream: Tensor? = nil) {
            let (_, grads) = valueAndGradient(at: [x]) { v in
                let y = op(v[0])
                results.append(y.value)
                return OpsA.contract(y, upstream ?? OpsA.normal(y.shape, seed: 3))
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
            }, upstream: g)
        results += [rm, rv]
        record({ instanceNorm2d($0) }, upstream: g)
        record({ leakyReLU($0) }, upstream: g)
        record({ maxPool2d($0, kernel: 3, stride: 2, padding: 1) })
        record({ avgPool2d($0, kernel: 3, stride: 2, padding: 1, countIncludePad: false) })
        record({ resizeBilinear($0, height: 97, width: 41, alignCorners: false) })
        record({ resizeNearest($0, height: 97, width: 41) })
        var random = RandomSource(seed: 4)
        record({ dropout($0, p: 0.5, mode: .train, random: &random) }, upstream: g)
        let weight = OpsA.normal([512, 64, 3, 3], seed: 5)
        let (u, v) = spectralPowerIteration(
            weight, u: OpsA.normal([512], seed: 6), v: OpsA.normal([576], seed: 7))
        results += [u, v]
        let (_, grads) = valueAndGradient(at: [weight]) { w in
            let y = spectralNormalized(w[0], u: u, v: v)
            results.append(y.value)
            return OpsA.contract(y, weight)
        }
        results.append(grads[0])
        return results.map(OpsA.bits)
    }

    @Test func sameBitsWithOneAndTwoWorkers() {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        Parallel.threads = 1
        let one = Self.everything()
        Parallel.threads = 2
        let two = Self.everything()
        #expect(one.count == two.count)
        for (i, (a, b)) in zip(one, two).enumerated() { #expect(a == b, "result \(i)") }
    }
}
