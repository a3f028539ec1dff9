import Testing
import TestSupport
@testable import Tensors

@Suite struct ActivationTests {
    /// Inputs kept at least 0.05 away from 0 so the kinks of relu / leaky relu are not probed.
    static let x: Tensor = {
        var t = OpsA.normal([2, 3, 4, 5], seed: 1, std: 2)
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
