import Testing
import TestSupport
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

    @Test func sumAndMean() {
        var random = RandomSource(seed: 5).split("reduce")
        let x = random.uniformTensor([3, 4, 5000], -1, 1)
        let total = x.data.reduce(0.0) { $0 + Double($1) }
        #expect(abs(Double(withoutGradient { sum(Variable(x)) }.value.scalar) - total) < 1e-3)
        #expect(abs(Double(withoutGradient { mean(Variable(x)) }.value.scalar) - total / 60000) < 1e-7)
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
