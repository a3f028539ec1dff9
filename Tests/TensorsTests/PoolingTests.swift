import TestSupport
import Testing

@testable import Tensors

@Suite struct PoolingTests {
    @Test func maxPoolGradients() {
        // Distinct, well separated values: the finite differences never move the argmax.
        var r = RandomSource(seed: 1)
        let values = r.permutation(2 * 3 * 9 * 10).map { Float($0) * 0.1 }
        let x = Tensor(shape: [2, 3, 9, 10], data: values)
        let report = checkGradients([x], eps: 1e-2) {
            maxPool2d($0[0], kernel: 3, stride: 2, padding: 1)
        }
        #expect(report.passed, "\(report)")
    }

    /// Ties go to the first maximum in row-major window order; padding never wins.
    @Test func maxPoolTiesAndPadding() {
        let x = Tensor(shape: [1, 1, 2, 3], data: [-5, 7, 7, -1, 7, -2])
        let (value, grads) = valueAndGradient(at: [x]) { v in
            let y = maxPool2d(v[0], kernel: 2, stride: 1, padding: 1)
            #expect(y.shape == [1, 1, 3, 4])
            #expect(y.value.data == [-5, 7, 7, 7, -1, 7, 7, 7, -1, 7, 7, -2])
            return weightedSum(y, Tensor(repeating: 1, shape: [1, 1, 3, 4]))
        }
        #expect(value == 47)
        #expect(grads[0].data == [1, 4, 2, 2, 2, 1])
    }

    /// A NaN wins its window and the gradient goes to the last NaN, as PyTorch's
    /// `(val > maxval) || isnan(val)` scan gives.
    @Test func maxPoolNaN() {
        let x = Tensor(shape: [1, 1, 2, 2], data: [1, .nan, .nan, 5])
        let (_, grads) = valueAndGradient(at: [x]) { v in
            let y = maxPool2d(v[0], kernel: 2, stride: 1)
            #expect(y.value.data.count == 1 && y.value.data[0].isNaN)
            return weightedSum(y, Tensor(repeating: 1, shape: [1, 1, 1, 1]))
        }
        #expect(grads[0].data == [0, 0, 1, 0])
    }

    @Test func avgPoolGradients() {
        let x = Sample.normal([2, 3, 9, 10], seed: 2)
        for include in [true, false] {
            let report = checkGradients([x]) {
                avgPool2d($0[0], kernel: 3, stride: 2, padding: 1, countIncludePad: include)
            }
            #expect(report.passed, "countIncludePad \(include): \(report)")
        }
    }

    /// The corner window of a 3x3 / pad 1 pool sees 4 real values: divided by 9 with padding
    /// counted, by 4 without.
    @Test func avgPoolDivisors() {
        let x = Tensor(repeating: 1, shape: [1, 1, 4, 4])
        let included = avgPool2d(
            Variable(x), kernel: 3, stride: 2, padding: 1, countIncludePad: true
        ).value
        let excluded = avgPool2d(
            Variable(x), kernel: 3, stride: 2, padding: 1, countIncludePad: false
        ).value
        #expect(included.shape == [1, 1, 2, 2])
        #expect(
            mismatch(included, Tensor(shape: [1, 1, 2, 2], data: [4 / 9, 6 / 9, 6 / 9, 1])) == nil)
        #expect(excluded.data == [1, 1, 1, 1])
    }

    @Test func globalAvgPool() {
        let x = Sample.normal([2, 3, 5, 7], seed: 3)
        let y = globalAvgPool2d(Variable(x)).value
        #expect(y.shape == [2, 3, 1, 1])
        for plane in 0..<6 {
            let mean = (0..<35).map { Double(x.data[plane * 35 + $0]) }.reduce(0, +) / 35
            #expect(isClose(y.data[plane], Float(mean)))
        }
        let report = checkGradients([x]) { globalAvgPool2d($0[0]) }
        #expect(report.passed, "\(report)")
    }
}

/// Goldens from make_pooling.py (pooling.h5): F.max_pool2d (k3 s2 p1, k2 s2 p0, and k3 s1 p1
/// on integer-valued input full of ties), F.avg_pool2d (count_include_pad both ways, no
/// padding) and F.adaptive_avg_pool2d(x, 1); gradients of sum(y * grad_output). Kernel, stride
/// and padding are the case's attributes.
@Suite struct PoolingGoldenTests {
    static let max = ["max_k3s2p1", "max_k2s2p0", "max_k3s1p1_ties"]
    static let avg = ["avg_k3s2p1_incl", "avg_k3s2p1_excl", "avg_k2s2p0", "avg_k3s1p0"]

    @Test(arguments: max) func maxPoolMatchesPyTorch(_ name: String) throws {
        let c = try Fixture.case("pooling.h5", name)
        let (k, s, p) = (try c.int("kernel"), try c.int("stride"), try c.int("padding"))
        try c.expectMatches(["x"], atol: 0, rtol: 0, gradAtol: 1e-5, gradRtol: 1e-4) {
            maxPool2d($0[0], kernel: k, stride: s, padding: p)
        }
    }

    @Test(arguments: avg) func avgPoolMatchesPyTorch(_ name: String) throws {
        let c = try Fixture.case("pooling.h5", name)
        let (k, s, p) = (try c.int("kernel"), try c.int("stride"), try c.int("padding"))
        let include = try c.flag("count_include_pad")
        try c.expectMatches(["x"]) {
            avgPool2d($0[0], kernel: k, stride: s, padding: p, countIncludePad: include)
        }
    }

    @Test func globalAvgPoolMatchesPyTorch() throws {
        try Fixture.case("pooling.h5", "global_avg").expectMatches(["x"]) {
            globalAvgPool2d($0[0])
        }
    }

    @Test func everyCaseIsTested() throws {
        let names = Self.max + Self.avg + ["global_avg"]
        #expect(try Fixture.caseNames("pooling.h5") == names.sorted())
    }
}
