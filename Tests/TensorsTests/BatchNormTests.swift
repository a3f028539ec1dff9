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
                return OpsA.contract(out, x)
            }
            return ([y, rm, rv] + grads).map { $0.data.map(\.bitPattern) }
        }
        #expect(run() == run())
    }
}

/// Goldens from make_ops_a.py `batch_norm`: F.batch_norm(x, rm, rv, w, b, training, 0.1, 1e-5)
/// on random x, with the gradients of sum(y * g), for train/eval with and without affine.
@Suite struct BatchNormGoldenTests {
    @Test(arguments: [
        "bn_train_affine", "bn_train_plain", "bn_train_pool", "bn_eval_affine", "bn_eval_plain",
    ])
    func matchesPyTorch(_ group: String) throws {
        let t = try OpsA.golden(group)
        let x = try t("x")
        let g = try t("g")
        let affine = group.hasSuffix("affine") || group == "bn_train_pool"
        var rm = try t("running_mean")
        var rv = try t("running_var")
        let params = affine ? [try t("weight"), try t("bias")] : []
        var y = Tensor(zeros: [0])
        let (_, grads) = valueAndGradient(at: [x] + params) { v in
            let out = batchNorm2d(
                v[0], weight: affine ? v[1] : nil, bias: affine ? v[2] : nil, runningMean: &rm,
                runningVar: &rv, training: group.contains("train"))
            y = out.value
            return OpsA.contract(out, g)
        }
        #expect(mismatch(y, try t("y")) == nil)
        #expect(mismatch(grads[0], try t("dx"), atol: 1e-4) == nil)
        #expect(mismatch(rm, try t("running_mean_after")) == nil)
        #expect(mismatch(rv, try t("running_var_after")) == nil)
        if affine {
            #expect(mismatch(grads[1], try t("dweight"), atol: 1e-4) == nil)
            #expect(mismatch(grads[2], try t("dbias"), atol: 1e-4) == nil)
        }
    }
}
