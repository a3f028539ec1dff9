import TestSupport
import Testing

@testable import Tensors

@Suite struct SoftmaxTests {
    @Test func softmaxSumsToOneAndIsStable() {
        var x = Tensor(zeros: [2, 3, 2, 2])
        x.data[0] = 1000  // exp would overflow without the max shift
        let y = withoutGradient { softmax(Variable(x)) }.value
        #expect(!y.data.contains { $0.isNaN })
        for s in 0..<2 {
            for p in 0..<4 {
                let total = (0..<3).reduce(Float(0)) { $0 + y.data[(s * 3 + $1) * 4 + p] }
                #expect(abs(total - 1) < 1e-6)
            }
        }
        #expect(y.data[0] == 1)
        let logY = withoutGradient { logSoftmax(Variable(x)) }.value
        #expect(logY.data[4] == -1000)
    }

    @Test(arguments: [[2, 5, 3, 4], [3, 7], [1, 4, 300]])
    func gradients(_ shape: [Int]) {
        var random = RandomSource(seed: 9).split("softmax")
        let x = random.uniformTensor(shape, -2, 2)
        let a = checkGradients([x]) { softmax($0[0]) }
        #expect(a.passed, "softmax \(shape): \(a)")
        let b = checkGradients([x]) { logSoftmax($0[0]) }
        #expect(b.passed, "logSoftmax \(shape): \(b)")
    }
}

/// Goldens from make_softmax.py (softmax.h5): F.softmax and F.log_softmax over the channels
/// (dim 1) of (2, 5, 3, 4) logits in U(-3, 3); gradients of sum(y * grad_output).
@Suite struct SoftmaxGoldenTests {
    @Test func matchesPyTorch() throws {
        #expect(try Fixture.caseNames("softmax.h5") == ["log_softmax", "softmax"])
        let c = try Fixture.case("softmax.h5", "softmax")
        #expect(try c.int("dim") == 1)
        try c.expectMatches(["x"]) { softmax($0[0]) }
        try Fixture.case("softmax.h5", "log_softmax").expectMatches(["x"]) { logSoftmax($0[0]) }
    }
}
