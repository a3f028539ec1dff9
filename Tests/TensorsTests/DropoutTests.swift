import TestSupport
import Testing

@testable import Tensors

@Suite struct DropoutTests {
    static let x = Sample.normal([2, 3, 8, 8], seed: 1)

    @Test func evalAndZeroProbabilityAreIdentityAndDrawNothing() {
        var random = RandomSource(seed: 9)
        let before = random
        #expect(dropout(Variable(Self.x), p: 0.5, mode: .eval, random: &random).value == Self.x)
        #expect(dropout(Variable(Self.x), p: 0, mode: .train, random: &random).value == Self.x)
        #expect(random == before)
    }

    /// The documented draw order: one uniform per element in row-major order, kept if u >= p.
    @Test func followsTheDocumentedDrawOrder() {
        let p: Float = 0.3
        var random = RandomSource(seed: 9).split("dropout")
        var replay = random
        let (_, grads) = valueAndGradient(at: [Self.x]) { v in
            weightedSum(
                dropout(v[0], p: p, mode: .train, random: &random),
                Tensor(repeating: 2, shape: Self.x.shape))
        }
        var kept = 0
        for i in 0..<Self.x.count {
            let keep = replay.uniform() >= p
            kept += keep ? 1 : 0
            #expect(grads[0].data[i] == (keep ? 2 / (1 - p) : 0))
        }
        #expect(random.state == replay.state)  // exactly one word per element was drawn
        #expect(abs(Double(kept) / Double(Self.x.count) - 0.7) < 0.08)
    }

    /// The mask is the same whether the source starts mid-block or not, and whatever the tail.
    @Test func drawOrderHoldsFromAnyPositionInABlock() {
        for skip in 0..<4 {
            for count in [1, 3, 15, 64, 1001] {
                var random = RandomSource(seed: 5, stream: 2)
                for _ in 0..<skip { _ = random.nextUInt32() }
                var replay = random
                let mask = dropoutMask(shape: [count], p: 0.25, random: &random)
                let expected = (0..<count).map { _ in replay.uniform() >= 0.25 ? Float(1 / 0.75) : 0
                }
                #expect(mask.data == expected, "skip \(skip), count \(count)")
                #expect(random.state == replay.state, "skip \(skip), count \(count)")
                #expect(random.nextUInt32() == replay.nextUInt32())
            }
        }
    }

    @Test func outputIsMaskedAndScaled() {
        var random = RandomSource(seed: 3)
        var replay = random
        let y = dropout(Variable(Self.x), p: 0.5, mode: .train, random: &random).value
        for i in 0..<Self.x.count {
            #expect(y.data[i] == (replay.uniform() >= 0.5 ? Self.x.data[i] * 2 : 0))
        }
    }

    @Test func bitwiseRepeatable() {
        func run() -> [UInt32] {
            var random = RandomSource(seed: 11).split("dropout")
            return Sample.bits(
                dropout(Variable(Self.x), p: 0.1, mode: .train, random: &random).value)
        }
        #expect(run() == run())
    }

    @Test func probabilityOneZeroesEverything() {
        var random = RandomSource(seed: 3)
        #expect(
            dropout(Variable(Self.x), p: 1, mode: .train, random: &random).value
                == Tensor(zeros: Self.x.shape))
    }
}
