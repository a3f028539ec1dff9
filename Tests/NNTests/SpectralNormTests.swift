import TestSupport
import Testing

@testable import NN
@testable import Tensors

@Suite struct SpectralNormTests {
    /// The keys and their order are PyTorch's: bias, weight_orig, weight_u, weight_v.
    @Test func keysInPyTorchOrder() {
        let store = ParameterStore()
        var random = RandomSource(seed: 1)
        let conv = SpectralConv2d(
            4, 5, kernel: 3, padding: 1, at: Scope(store) / "conv_0", random: &random)
        #expect(
            store.entries.map(\.key) == [
                "conv_0.bias", "conv_0.weight_orig", "conv_0.weight_u", "conv_0.weight_v",
            ])
        #expect(store.entries.map(\.shape) == [[5], [5, 4, 3, 3], [5], [36]])
        #expect(store.parameters.count == 2)
        let u = conv.norm.u.value.data
        let v = conv.norm.v.value.data
        #expect(abs(u.map { $0 * $0 }.reduce(0, +) - 1) < 1e-5)
        #expect(abs(v.map { $0 * $0 }.reduce(0, +) - 1) < 1e-5)
        let plain = ParameterStore()
        _ = SpectralConv2d(
            4, 5, kernel: 1, bias: false, at: Scope(plain) / "conv_s", random: &random)
        #expect(
            plain.entries.map(\.key) == [
                "conv_s.weight_orig", "conv_s.weight_u", "conv_s.weight_v",
            ])
    }

    /// Power iterations on a matrix with known singular values converge to the largest.
    @Test func powerIterationFindsTheLargestSingularValue() {
        // W = diag(3, 1) padded to 2x3; singular values 3 and 1.
        let w = Tensor(shape: [2, 3], data: [3, 0, 0, 0, 1, 0])
        var u = Tensor(shape: [2], data: [0.6, 0.8])
        var v = Tensor(shape: [3], data: [0.6, 0.0, 0.8])
        for _ in 0..<30 { (u, v) = spectralPowerIteration(w, u: u, v: v) }
        let normalised = spectralNormalized(Variable(w), u: u, v: v).value
        #expect(
            mismatch(normalised, Tensor(shape: [2, 3], data: [1, 0, 0, 0, 1.0 / 3, 0])) == nil)
    }

    /// The gradient treats u and v as constants.
    @Test func normalisedWeightGradient() {
        var random = RandomSource(seed: 2)
        let w = random.normalTensor([4, 2, 3, 3])
        let (u, v) = spectralPowerIteration(
            w, u: random.normalTensor([4]), v: random.normalTensor([18]))
        let report = checkGradients([w], eps: 1e-2) { spectralNormalized($0[0], u: u, v: v) }
        #expect(report.passed, "\(report)")
    }

    /// Train mode advances u and v once per forward; eval mode leaves them alone.
    @Test func trainModeIteratesEvalDoesNot() {
        let store = ParameterStore()
        var random = RandomSource(seed: 3)
        let w = random.normalTensor([3, 4])
        let norm = SpectralNorm(weight: w, at: Scope(store), random: &random)
        let (u0, v0) = (norm.u.value, norm.v.value)
        let expected = spectralPowerIteration(w, u: u0, v: v0)
        _ = norm.weight(mode: .eval)
        #expect(norm.u.value == u0 && norm.v.value == v0)
        _ = norm.weight(mode: .train)
        #expect(norm.u.value == expected.u && norm.v.value == expected.v)
    }
}

/// Goldens from make_ops_a.py `spectral_norm`: torch.nn.utils.spectral_norm(nn.Conv2d(4, 5, 3,
/// padding=1)) run for three training forwards (gradients of sum(y * g), then an SGD step of
/// 0.1 on weight_orig and bias) and one eval forward; stored per step: u, v, the normalised
/// weight, its gradient (retain_grad) and the gradient of weight_orig.
@Suite struct SpectralNormGoldenTests {
    @Test func weightPathMatchesPyTorch() throws {
        let file = try Fixture.open("ops_a.h5")
        let store = ParameterStore()
        var random = RandomSource(seed: 0)
        let norm = SpectralNorm(
            weight: try file.tensor("sn/weight_orig"), at: Scope(store), random: &random)
        norm.u.value = try file.tensor("sn/u0")
        norm.v.value = try file.tensor("sn/v0")
        for step in 0..<3 {
            let t = { (name: String) in try file.tensor("sn/train\(step)/\(name)") }
            let upstream = try t("dweight")
            var weight = Tensor(zeros: [0])
            let (_, grads) = valueAndGradient(of: [norm.weightOrig]) {
                let w = norm.weight(mode: .train)
                weight = w.value
                return contract(w, upstream)
            }
            #expect(mismatch(norm.u.value, try t("u")) == nil, "step \(step)")
            #expect(mismatch(norm.v.value, try t("v")) == nil, "step \(step)")
            #expect(mismatch(weight, try t("weight")) == nil, "step \(step)")
            #expect(mismatch(grads[0], try t("dweight_orig"), atol: 1e-4) == nil, "step \(step)")
            norm.weightOrig.value = try t("weight_orig_after")
        }
        let (u, v) = (norm.u.value, norm.v.value)
        let weight = norm.weight(mode: .eval).value
        #expect(norm.u.value == u && norm.v.value == v)
        #expect(mismatch(weight, try file.tensor("sn/eval/weight")) == nil)
        #expect(mismatch(u, try file.tensor("sn/eval/u")) == nil)
    }

    /// The whole layer: conv output, input gradient and parameter gradients per training step
    /// (with PyTorch's SGD step in between), then the eval forward.
    @Test func spectralConvMatchesPyTorch() throws {
        let file = try Fixture.open("ops_a.h5")
        let store = ParameterStore()
        var random = RandomSource(seed: 0)
        let conv = SpectralConv2d(4, 5, kernel: 3, padding: 1, at: Scope(store), random: &random)
        conv.norm.weightOrig.value = try file.tensor("sn/weight_orig")
        conv.bias!.value = try file.tensor("sn/bias")
        conv.norm.u.value = try file.tensor("sn/u0")
        conv.norm.v.value = try file.tensor("sn/v0")
        for step in 0..<3 {
            let t = { (name: String) in try file.tensor("sn/train\(step)/\(name)") }
            let (x, g) = (try t("x"), try t("g"))
            var y = Tensor(zeros: [0])
            let (_, grads) = valueAndGradient(at: [x]) { v in
                let out = conv(v[0], mode: .train)
                y = out.value
                return contract(out, g)
            }
            let (_, paramGrads) = valueAndGradient(of: [conv.norm.weightOrig, conv.bias!]) {
                // u, v already advanced this step: evaluate with the same vectors again.
                contract(conv(Variable(x), mode: .eval), g)
            }
            #expect(mismatch(y, try t("y"), atol: 1e-4) == nil, "step \(step)")
            #expect(mismatch(grads[0], try t("dx"), atol: 1e-4) == nil, "step \(step)")
            #expect(
                mismatch(paramGrads[0], try t("dweight_orig"), atol: 1e-4) == nil, "step \(step)")
            #expect(mismatch(paramGrads[1], try t("dbias"), atol: 1e-4) == nil, "step \(step)")
            conv.norm.weightOrig.value = try t("weight_orig_after")
            conv.bias!.value = try t("bias_after")
        }
        let evalX = try file.tensor("sn/eval/x")
        let y = withoutGradient { conv(Variable(evalX), mode: .eval) }
        #expect(mismatch(y.value, try file.tensor("sn/eval/y"), atol: 1e-4) == nil)
    }

    /// Σ y ⊙ g as a recorded scalar (gradient g with respect to y).
    func contract(_ y: Variable, _ g: Tensor) -> Variable {
        var total: Double = 0
        for i in 0..<g.count { total += Double(y.value.data[i]) * Double(g.data[i]) }
        return Variable.record(Tensor(scalar: Float(total)), inputs: [y]) { s, _ in
            [Tensor(shape: g.shape, data: g.data.map { $0 * s.data[0] })]
        }
    }
}
