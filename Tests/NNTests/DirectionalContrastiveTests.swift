import Testing
import Tensors
import TestSupport
@testable import NN

/// The worked example of cac.md §6, confirmed there with CAC's official `CAC.forward`.
@Suite struct DirectionalContrastiveTests {
    // Columns w = 0..3 of a 1x4 feature map (B = 1, D = 4, K = 3).
    static let a: [[Float]] = [[1, 0, 0, 0], [1, 1, 0, 0], [0, 1, 1, 0], [1, 0, 1, 1]]
    static let b: [[Float]] = [
        [1, 0.5, 0, 0], [0, 1, 0.5, 0.5], [0.5, 0.5, 0.5, 0], [0, 0, 0, 1],
    ]
    static let la: [[Float]] = [[0, 0, 2], [1.5, 0, 0], [0, 3, 0], [0.5, 0, 0]]
    static let lb: [[Float]] = [[2.5, 0, 0], [0, 2, 0], [0, 0.5, 0], [0, 0, 2]]

    /// (w, c) rows -> (1, c, 1, w) NCHW, optionally mirrored along w.
    static func nchw(_ rows: [[Float]], flip: Bool = false) -> Tensor {
        let w = rows.count, c = rows[0].count
        var t = Tensor(zeros: [1, c, 1, w])
        for x in 0..<w { for k in 0..<c { t.data[k * w + (flip ? w - 1 - x : x)] = rows[x][k] } }
        return t
    }

    static func run(flip2: Bool) -> (value: Float, gradients: [Tensor], l1: Float, l2: Float) {
        let overlap = CropOverlap(
            ul1: (0, 8), br1: (8, 32), ul2: (0, 0), br2: (8, 24), flip1: false, flip2: flip2)
        var parts: (Float, Float) = (0, 0)
        let (v, g) = valueAndGradient(at: [nchw(a), nchw(b, flip: flip2)]) { z in
            let r = directionalContrastiveLoss(
                z1: z[0], z2: z[1], logits1: nchw(la), logits2: nchw(lb, flip: flip2),
                overlaps: [overlap])
            parts = (r.l1, r.l2)
            return Variable.record(Tensor(scalar: 0.1 * r.loss.value.scalar), inputs: [r.loss]) {
                g, _ in
                [Tensor(scalar: 0.1 * g.scalar)]
            }
        }
        return (v, g, parts.0, parts.1)
    }

    @Test func workedExampleValues() {
        let r = Self.run(flip2: false)
        #expect(isClose(r.l1, 0.33050036, atol: 1e-6, rtol: 1e-6))
        #expect(isClose(r.l2, 0.08820778, atol: 1e-6, rtol: 1e-6))
        #expect(isClose(r.value, 0.04187081, atol: 1e-7, rtol: 1e-6))
    }

    @Test func workedExampleGradients() {
        let r = Self.run(flip2: false)
        let g1 = r.gradients[0], g2 = r.gradients[1]
        let expected1: [Float] = [-0.028895, 0.028895, 0.087323, 0.005099]
        let expected2: [Float] = [0.042411, 0.002446, -0.030661, 0.025768]
        for k in 0..<4 {
            for x in 0..<4 {
                #expect(
                    isClose(g1.data[k * 4 + x], x == 1 ? expected1[k] : 0, atol: 2e-6, rtol: 1e-4))
                #expect(
                    isClose(g2.data[k * 4 + x], x == 1 ? expected2[k] : 0, atol: 2e-6, rtol: 1e-4))
            }
        }
    }

    /// Mirroring crop 2's maps and setting flip2 gives the same loss (verified on the official code).
    @Test func flipInvariance() {
        let plain = Self.run(flip2: false), flipped = Self.run(flip2: true)
        #expect(isClose(plain.l1, flipped.l1, atol: 1e-7, rtol: 1e-6))
        #expect(isClose(plain.l2, flipped.l2, atol: 1e-7, rtol: 1e-6))
    }

    /// Finite differences on random features with enough pixels that both directions select;
    /// the stop-gradient side (positives, bank) is held at the unperturbed values.
    @Test func gradientCheck() {
        var random = RandomSource(seed: 3)
        let z1 = random.normalTensor([2, 6, 3, 4]), z2 = random.normalTensor([2, 6, 3, 4])
        let l1 = random.normalTensor([2, 3, 3, 4], std: 3),
            l2 = random.normalTensor([2, 3, 3, 4], std: 3)
        let overlaps = [
            CropOverlap(rows1: 0..<3, cols1: 1..<4, rows2: 0..<3, cols2: 0..<3),
            CropOverlap(rows1: 1..<3, cols1: 0..<4, rows2: 0..<2, cols2: 0..<4, flip1: true),
        ]
        let report = checkGradients([z1, z2], eps: 1e-2, atol: 1e-3, rtol: 2e-2) { z in
            directionalContrastiveLoss(
                z1: z[0], z2: z[1], logits1: l1, logits2: l2, overlaps: overlaps, config: .init(),
                stopGradient: (z1, z2)
            ).loss
        }
        #expect(report.passed, "\(report)")
        let selected = directionalContrastiveLoss(
            z1: Variable(z1), z2: Variable(z2), logits1: l1, logits2: l2, overlaps: overlaps)
        #expect(selected.selected1 > 0 && selected.selected2 > 0)
    }
}
