import TestSupport
import Testing

@testable import Tensors

@Suite struct BatchNormTests {
    static func input(_ shape: [Int], seed: UInt64 = 1) -> Tensor {
        var r = RandomSource(seed: seed)
        return r.normalTensor(shape, mean: 0.5, std: 2)
    }

    @Test func trainingGradientsWithAffine() {
        let x = Self.input([2, 3, 4, 5])
        let w = Tensor(shape: [3], data: [1.2, 0.7, -0.4])
        let b = Tensor(shape: [3], data: [0.1, -0.3, 0.5])
        let report = checkGradients([x, w, b]) { v in
            var rm = Tensor(zeros: [3])
            var rv = Tensor(repeating: 1, shape: [3])
            return batchNorm2d(
                v[0], weight: v[1], bias: v[2], runningMean: &rm, runningVar: &rv, training: true)
        }
        #expect(report.passed, "\(report)")
    }

    @Test func trainingGradientsWithoutAffineOnPooledInput() {
        // The ASPP image-pooling case: one value per channel and sample.
        let x = Self.input([4, 3, 1, 1], seed: 2)
        let report = checkGradients([x]) { v in
            var rm = Tensor(zeros: [3])
            var rv = Tensor(repeating: 1, shape: [3])
            return batchNorm2d(
                v[0], weight: nil, bias: nil, runningMean: &rm, runningVar: &rv, training: true)
        }
        #expect(report.passed, "\(report)")
    }

    @Test func evalGradients() {
        let x = Self.input([2, 2, 3, 3], seed: 3)
        let report = checkGradients([
            x, Tensor(shape: [2], data: [0.8, 1.5]), Tensor(shape: [2], data: [0.2, -0.1]),
        ]) { v in
            var rm = Tensor(shape: [2], data: [0.3, -0.2])
            var rv = Tensor(shape: [2], data: [1.4, 0.6])
            return batchNorm2d(
                v[0], weight: v[1], bias: v[2], runningMean: &rm, runningVar: &rv, training: false)
        }
        #expect(report.passed, "\(report)")
    }

    /// Batch statistics, normalised output and the running-stat update, against a Double
    /// re-computation of PyTorch's formulas.
    @Test func trainingMatchesFormula() {
        let (n, c, hw) = (3, 2, 4)
        let x = Self.input([n, c, 2, 2], seed: 4)
        var rm = Tensor(shape: [c], data: [0.1, 0.2])
        var rv = Tensor(shape: [c], data: [0.9, 1.1])
        let y = batchNorm2d(
            Variable(x), weight: nil, bias: nil, runningMean: &rm, runningVar: &rv, training: true
        ).value
        for ch in 0..<c {
            let values = (0..<n).flatMap { b in
                (0..<hw).map { Double(x.data[(b * c + ch) * hw + $0]) }
            }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance =
                values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
            #expect(isClose(rm.data[ch], Float(0.9 * [0.1, 0.2][ch] + 0.1 * mean)))
            #expect(isClose(rv.data[ch], Float(0.9 * [0.9, 1.1][ch] + 0.1 * variance * 12 / 11)))
            for b in 0..<n {
                for i in 0..<hw {
                    let expected =
                        (Double(x.data[(b * c + ch) * hw + i]) - mean)
                        / (variance + 1e-5).squareRoot()
                    #expect(isClose(y.data[(b * c + ch) * hw + i], Float(expected)))
                }
            }
        }
    }

    @Test func evalLeavesRunningStatisticsAlone() {
        var rm = Tensor(shape: [2], data: [0.5, -1])
        var rv = Tensor(shape: [2], data: [4, 0.25])
        let x = Tensor(shape: [1, 2, 1, 2], data: [2.5, 0.5, -1, 0])
        let y = batchNorm2d(
            Variable(x), weight: nil, bias: nil, runningMean: &rm, runningVar: &rv, training: false)
        #expect(rm.data == [0.5, -1] && rv.data == [4, 0.25])
        let expected: [Float] = [2 / (4 + 1e-5).squareRoot(), 0, 0, 1 / (0.25 + 1e-5).squareRoot()]
        #expect(mismatch(y.value, Tensor(shape: [1, 2, 1, 2], data: expected)) == nil)
    }

    /// Same input, same bits: forward, running statistics and every gradient.
    @Test func bitwiseRepeatable() {
        let x = Self.input([2, 4, 9, 7], seed: 5)
        func run() -> [[UInt32]] {
            var rm = Tensor(zeros: [4])
            var rv = Tensor(repeating: 1, shape: [4])
            let w = Tensor(repeating: 1.5, shape: [4])
            let b = Tensor(repeating: 0.25, shape: [4])
            var y = Tensor(zeros: [0])
            let (_, grads) = valueAndGradient(at: [x, w, b]) { v in
                let out = batchNorm2d(
                    v[0], weight: v[1], bias: v[2], runningMean: &rm, runningVar: &rv,
                    training: true)
                y = out.value
                return weightedSum(out, x)
            }
            return ([y, rm, rv] + grads).map { $0.data.map(\.bitPattern) }
        }
        #expect(run() == run())
    }
}

/// Goldens from make_normalization.py (normalization.h5): F.batch_norm(x, running_mean,
/// running_var, weight, bias, training, momentum 0.1, eps 1e-5) on random x, train and eval,
/// with and without affine; gradients of sum(y * grad_output) and the running statistics after.
@Suite struct BatchNormGoldenTests {
    static let cases = [
        "batch_norm_train_affine", "batch_norm_train_plain", "batch_norm_train_pool",
        "batch_norm_eval_affine", "batch_norm_eval_plain",
    ]

    @Test(arguments: cases) func matchesPyTorch(_ name: String) throws {
        let c = try Fixture.case("normalization.h5", name)
        #expect(try c.double("momentum") == 0.1 && c.double("eps") == 1e-5)
        let affine = try c.flag("affine")
        let training = try c.flag("training")
        var rm = try c.inputs["running_mean"]
        var rv = try c.inputs["running_var"]
        try c.expectMatches(affine ? ["x", "weight", "bias"] : ["x"], gradAtol: 1e-4) { v in
            batchNorm2d(
                v[0], weight: affine ? v[1] : nil, bias: affine ? v[2] : nil, runningMean: &rm,
                runningVar: &rv, training: training)
        }
        #expect(mismatch(rm, try c.stateAfter["running_mean"]) == nil)
        #expect(mismatch(rv, try c.stateAfter["running_var"]) == nil)
    }
}
