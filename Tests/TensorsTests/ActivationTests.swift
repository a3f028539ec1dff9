import TestSupport
import Testing

@testable import Tensors

@Suite struct ActivationTests {
    /// Inputs kept at least 0.05 away from 0 so the kinks of relu / leaky relu are not probed.
    static let x: Tensor = {
        var t = Sample.normal([2, 3, 4, 5], seed: 1, std: 2)
        for i in 0..<t.count where abs(t.data[i]) < 0.05 { t.data[i] = 0.3 }
        return t
    }()

    @Test func reluValuesAndGradient() {
        let y = relu(Variable(Self.x)).value
        #expect(y.data == Self.x.data.map { max($0, 0) })
        let report = checkGradients([Self.x], eps: 1e-2) { relu($0[0]) }
        #expect(report.passed, "\(report)")
    }

    @Test func leakyReLUValuesAndGradient() {
        let y = leakyReLU(Variable(Self.x), slope: 0.2).value
        #expect(y.data == Self.x.data.map { $0 > 0 ? $0 : 0.2 * $0 })
        let report = checkGradients([Self.x], eps: 1e-2) { leakyReLU($0[0], slope: 0.01) }
        #expect(report.passed, "\(report)")
    }

    @Test func tanhGradient() {
        let report = checkGradients([Self.x], eps: 1e-3) { tanh($0[0]) }
        #expect(report.passed, "\(report)")
    }

    @Test func sigmoidGradientAndSaturation() {
        let report = checkGradients([Self.x], eps: 1e-3) { sigmoid($0[0]) }
        #expect(report.passed, "\(report)")
        let extreme = Tensor(shape: [4], data: [-200, -90, 90, 200])
        let y = sigmoid(Variable(extreme)).value
        #expect(y.data.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        #expect(y.data[0] == 0 && y.data[3] == 1)
    }
}

/// Goldens from Tests/Fixtures/scripts/make_activations.py (activations.h5): F.relu,
/// F.leaky_relu(0.2 / 0.01), torch.tanh and torch.sigmoid on 120 N(0, 9) values plus ±40, ±20,
/// ±1e-3; gradients of sum(y * grad_output).
@Suite struct ActivationGoldenTests {
    static let cases: [String: @Sendable (Variable) -> Variable] = [
        "relu": { relu($0) }, "leaky_0.2": { leakyReLU($0, slope: 0.2) },
        "leaky_0.01": { leakyReLU($0, slope: 0.01) }, "tanh": { tanh($0) },
        "sigmoid": { sigmoid($0) },
    ]

    @Test(arguments: cases.keys.sorted()) func matchesPyTorch(_ name: String) throws {
        try Fixture.case("activations.h5", name).expectMatches(["x"], atol: 1e-6, rtol: 1e-5) {
            Self.cases[name]!($0[0])
        }
    }

    @Test func everyCaseIsTested() throws {
        #expect(try Fixture.caseNames("activations.h5") == Self.cases.keys.sorted())
    }
}
