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

/// Goldens from make_spectral_norm.py (spectral_norm.h5):
/// torch.nn.utils.spectral_norm(nn.Conv2d(4, 5, 3, padding=1)) run for three training forwards
/// (gradients of sum(y * grad_output), then an SGD step of 0.1 on weight_orig and bias, whose
/// result is the next case's inputs) and one eval forward. Case `weight_<step>` is the weight
/// path (output the normalised weight, upstream the gradient that reached it), `conv_<step>`
/// the whole layer; both hold u and v before (inputs) and after (state_after) the forward.
@Suite struct SpectralNormGoldenTests {
    static let steps = ["train0", "train1", "train2", "eval"]

    @Test func weightPathMatchesPyTorch() throws {
        let first = try Fixture.case("spectral_norm.h5", "weight_train0")
        let store = ParameterStore()
        var random = RandomSource(seed: 0)
        let norm = SpectralNorm(
            weight: try first.inputs["weight_orig"], at: Scope(store), random: &random)
        norm.u.value = try first.inputs["u"]
        norm.v.value = try first.inputs["v"]
        for step in Self.steps {
            let c = try Fixture.case("spectral_norm.h5", "weight_\(step)")
            norm.weightOrig.value = try c.inputs["weight_orig"]
            let mode: Mode = try c.flag("training") ? .train : .eval
            let (u, v) = (norm.u.value, norm.v.value)
            let upstream = try c.gradOutput
            var weight = Tensor(zeros: [0])
            let (_, grads) = valueAndGradient(of: [norm.weightOrig]) {
                let w = norm.weight(mode: mode)
                weight = w.value
                return weightedSum(w, upstream)
            }
            if mode == .eval { #expect(norm.u.value == u && norm.v.value == v) }
            #expect(mismatch(norm.u.value, try c.stateAfter["u"]) == nil, "\(step)")
            #expect(mismatch(norm.v.value, try c.stateAfter["v"]) == nil, "\(step)")
            #expect(mismatch(weight, c.output) == nil, "\(step)")
            let problem = mismatch(grads[0], try c.gradInputs["weight_orig"], atol: 1e-4)
            #expect(problem == nil, "\(step): \(problem ?? "")")
        }
    }

    /// The whole layer: conv output, input gradient and parameter gradients per step, with
    /// PyTorch's SGD step in between (the next case's weight_orig and bias).
    @Test func spectralConvMatchesPyTorch() throws {
        let first = try Fixture.case("spectral_norm.h5", "conv_train0")
        let store = ParameterStore()
        var random = RandomSource(seed: 0)
        let conv = SpectralConv2d(4, 5, kernel: 3, padding: 1, at: Scope(store), random: &random)
        conv.norm.u.value = try first.inputs["u"]
        conv.norm.v.value = try first.inputs["v"]
        for step in Self.steps {
            let c = try Fixture.case("spectral_norm.h5", "conv_\(step)")
            conv.norm.weightOrig.value = try c.inputs["weight_orig"]
            conv.bias!.value = try c.inputs["bias"]
            let mode: Mode = try c.flag("training") ? .train : .eval
            let (x, g) = (try c.inputs["x"], try c.gradOutput)
            var y = Tensor(zeros: [0])
            let (_, grads) = valueAndGradient(at: [x]) { v in
                let out = conv(v[0], mode: mode)
                y = out.value
                return weightedSum(out, g)
            }
            let (_, paramGrads) = valueAndGradient(of: [conv.norm.weightOrig, conv.bias!]) {
                // u, v already advanced this step: evaluate with the same vectors again.
                weightedSum(conv(Variable(x), mode: .eval), g)
            }
            let expected = [
                ("y", y, c.output), ("grad x", grads[0], try c.gradInputs["x"]),
                ("grad weight_orig", paramGrads[0], try c.gradInputs["weight_orig"]),
                ("grad bias", paramGrads[1], try c.gradInputs["bias"]),
            ]
            for (key, actual, want) in expected {
                let problem = mismatch(actual, want, atol: 1e-4)
                #expect(problem == nil, "\(step) \(key): \(problem ?? "")")
            }
            #expect(mismatch(conv.norm.u.value, try c.stateAfter["u"]) == nil, "\(step)")
            #expect(mismatch(conv.norm.v.value, try c.stateAfter["v"]) == nil, "\(step)")
        }
    }

    @Test func everyCaseIsTested() throws {
        let names = Self.steps.flatMap { ["conv_\($0)", "weight_\($0)"] }
        #expect(try Fixture.caseNames("spectral_norm.h5") == names.sorted())
    }
}
