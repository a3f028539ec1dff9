import Foundation
import TestSupport
import Testing

@testable import Tensors

@Suite struct CrossEntropyTests {
    static func problem(ignoring fraction: Float) -> (Tensor, Labels) {
        var random = RandomSource(seed: 10).split("ce")
        let logits = random.uniformTensor([2, 4, 3, 5], -2, 2)
        let labels = (0..<30).map { _ in
            random.uniform() < fraction ? Labels.ignoreIndex : Int32(random.int(below: 4))
        }
        return (logits, Labels(shape: [2, 3, 5], data: labels))
    }

    @Test func matchesTheDefinition() {
        let (x, y) = Self.problem(ignoring: 0.3)
        var total: Double = 0
        var count = 0
        for s in 0..<2 {
            for p in 0..<15 where y.data[s * 15 + p] != Labels.ignoreIndex {
                let z = (0..<4).map { Double(x.data[(s * 4 + $0) * 15 + p]) }
                let lse = Foundation.log(z.map { Foundation.exp($0) }.reduce(0, +))
                total += lse - z[Int(y.data[s * 15 + p])]
                count += 1
            }
        }
        let loss = withoutGradient { crossEntropy(Variable(x), y) }.value.scalar
        #expect(abs(Double(loss) - total / Double(count)) < 1e-6)
    }

    @Test func gradient() {
        let (x, y) = Self.problem(ignoring: 0.3)
        let report = checkGradients([x]) { crossEntropy($0[0], y) }
        #expect(report.passed, "\(report)")
    }

    /// PyTorch returns nan here (0 / 0); we return 0 and a zero gradient.
    @Test func allIgnoredIsZero() {
        let (x, _) = Self.problem(ignoring: 0)
        let y = Labels(repeating: Labels.ignoreIndex, shape: [2, 3, 5])
        let (loss, grads) = valueAndGradient(at: [x]) { crossEntropy($0[0], y) }
        #expect(loss == 0)
        #expect(grads[0].data.allSatisfy { $0 == 0 })
    }

    /// A label that is neither a class nor the ignore index stops the process.
    @Test func labelOutOfRangeIsAPreconditionFailure() async {
        await #expect(processExitsWith: .failure) {
            let logits = Tensor(zeros: [1, 3, 1, 2])
            _ = crossEntropy(Variable(logits), Labels(shape: [1, 1, 2], data: [1, 7]))
        }
    }
}

/// Goldens from make_losses.py (losses.h5); gradients of sum(y * grad_output).
@Suite struct LossGoldenTests {
    /// F.cross_entropy(input (2,6,7,9), target, ignore_index=255), a quarter of the labels
    /// ignored.
    @Test func crossEntropyMatchesPyTorch() throws {
        let c = try Fixture.case("losses.h5", "cross_entropy")
        #expect(try c.int("ignore_index") == Int(Labels.ignoreIndex))
        let target = try c.inputs.labels("target")
        try c.expectMatches(["input"]) { crossEntropy($0[0], target) }
    }

    /// F.l1_loss(input, target), mean over (2, 3, 4, 5).
    @Test func l1MatchesPyTorch() throws {
        try Fixture.case("losses.h5", "l1").expectMatches(["input", "target"]) {
            l1Loss($0[0], $0[1])
        }
    }

    @Test func everyCaseIsTested() throws {
        #expect(try Fixture.caseNames("losses.h5") == ["cross_entropy", "l1"])
    }
}
