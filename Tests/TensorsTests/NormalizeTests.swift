import TestSupport
import Testing

@testable import Tensors

@Suite struct NormalizeTests {
    @Test func unitNormPerPixel() {
        var random = RandomSource(seed: 11).split("normalize")
        let x = random.uniformTensor([2, 5, 3, 4], -1, 1)
        let y = withoutGradient { l2Normalize(Variable(x)) }.value
        for s in 0..<2 {
            for p in 0..<12 {
                let n = (0..<5).reduce(Float(0)) {
                    $0 + y.data[(s * 5 + $1) * 12 + p] * y.data[(s * 5 + $1) * 12 + p]
                }
                #expect(abs(n - 1) < 1e-5)
            }
        }
        let report = checkGradients([x]) { l2Normalize($0[0]) }
        #expect(report.passed, "\(report)")
    }

    @Test func zeroPixelStaysZero() {
        let x = Tensor(zeros: [1, 3, 1, 2])
        let (_, grads) = valueAndGradient(at: [x]) { sum(l2Normalize($0[0]) * 2) }
        #expect(withoutGradient { l2Normalize(Variable(x)) }.value.data.allSatisfy { $0 == 0 })
        #expect(grads[0].data.allSatisfy { $0 == 2e12 })
    }

    @Test func l1LossAndGradient() {
        var random = RandomSource(seed: 12).split("l1")
        let a = random.uniformTensor([2, 3, 4], -1, 1)
        let b = random.uniformTensor([2, 3, 4], -1, 1)
        let expected = zip(a.data, b.data).reduce(Float(0)) { $0 + abs($1.0 - $1.1) } / 24
        #expect(
            abs(withoutGradient { l1Loss(Variable(a), Variable(b)) }.value.scalar - expected) < 1e-6
        )
        let report = checkGradients([a, b], eps: 1e-3) { l1Loss($0[0], $0[1]) }
        #expect(report.passed, "\(report)")
    }
}

/// Goldens from make_normalization.py (normalization.h5): F.normalize(x, dim=1, eps=1e-12)
/// with an all-zero pixel; gradients of sum(y * grad_output).
@Suite struct NormalizeGoldenTests {
    @Test func l2NormalizeMatchesPyTorch() throws {
        try Fixture.case("normalization.h5", "l2_normalize").expectMatches(["x"]) {
            l2Normalize($0[0])
        }
    }

    /// The file's other cases are BatchNormGoldenTests' and InstanceNormGoldenTests'.
    @Test func everyCaseIsTested() throws {
        let names = BatchNormGoldenTests.cases + InstanceNormGoldenTests.cases + ["l2_normalize"]
        #expect(try Fixture.caseNames("normalization.h5") == names.sorted())
    }
}
