import Foundation
import TestSupport
import Testing

@testable import Tensors

@Suite struct MathTests {
    @Test func expAndLogGradients() {
        var random = RandomSource(seed: 4).split("math")
        let x = random.uniformTensor([3, 4, 5], -1, 1)
        #expect(checkGradients([x]) { exp($0[0]) }.passed)
        let positive = x.map { abs($0) + 0.5 }
        let report = checkGradients([positive], eps: 1e-3) { log($0[0]) }
        #expect(report.passed, "\(report)")
    }

    /// The vectorised exp is within 2 ulp of the exact value over the normal range, and handles
    /// underflow, overflow, NaN and partial tails through libm.
    @Test func fastExpAccuracy() {
        var values = stride(from: Float(-87.3), through: 88.7, by: 0.0137).map { $0 }
        values += [-200, -100, -87.5, 0, -0, 89, 100, .infinity, -.infinity, 1e-8, -1e-8]
        let y = withoutGradient { exp(Variable(Tensor(shape: [values.count], data: values))) }.value
        for (x, e) in zip(values, y.data) {
            let exact = Foundation.exp(Double(x))
            if exact > Double(Float.greatestFiniteMagnitude) {
                #expect(e == .infinity)
            } else if exact < Double(Float.leastNormalMagnitude) {
                #expect(
                    abs(Double(e) - exact) <= Double(Float.leastNonzeroMagnitude) * 2, "exp(\(x))")
            } else {
                let ulp = Double(Float(exact).ulp)
                #expect(abs(Double(e) - exact) <= 2 * ulp, "exp(\(x)) = \(e), exact \(exact)")
            }
        }
        let nan = withoutGradient { exp(Variable(Tensor(shape: [1], data: [.nan]))) }.value.data[0]
        #expect(nan.isNaN)
    }

    @Test func sumAndMean() {
        var random = RandomSource(seed: 5).split("reduce")
        let x = random.uniformTensor([3, 4, 5000], -1, 1)
        let total = x.data.reduce(0.0) { $0 + Double($1) }
        #expect(abs(Double(withoutGradient { sum(Variable(x)) }.value.scalar) - total) < 1e-3)
        #expect(
            abs(Double(withoutGradient { mean(Variable(x)) }.value.scalar) - total / 60000) < 1e-7)
        let small = random.uniformTensor([2, 3, 4], -1, 1)
        #expect(checkGradients([small]) { sum($0[0]) }.passed)
        #expect(checkGradients([small]) { mean($0[0]) }.passed)
    }

    @Test func sumDoesNotDependOnThreadCount() {
        var random = RandomSource(seed: 6).split("threads")
        let x = random.normalTensor([2, 64, 33, 17])
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        Parallel.threads = 1
        let one = withoutGradient { sum(Variable(x)) }.value.scalar
        Parallel.threads = 2
        let two = withoutGradient { sum(Variable(x)) }.value.scalar
        #expect(one.bitPattern == two.bitPattern)
    }
}

/// Goldens from make_math.py (math.h5): torch.exp, torch.log on U(0.2, 2), torch.sum and
/// torch.mean; gradients of sum(y * grad_output).
@Suite struct MathGoldenTests {
    static let cases: [String: @Sendable (Variable) -> Variable] = [
        "exp": { exp($0) }, "log": { log($0) }, "sum": { sum($0) }, "mean": { mean($0) },
    ]

    @Test(arguments: cases.keys.sorted()) func matchesPyTorch(_ name: String) throws {
        try Fixture.case("math.h5", name).expectMatches(["input"]) { Self.cases[name]!($0[0]) }
    }

    @Test func everyCaseIsTested() throws {
        #expect(try Fixture.caseNames("math.h5") == Self.cases.keys.sorted())
    }
}
