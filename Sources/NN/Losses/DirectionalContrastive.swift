import Foundation
import Tensors

/// Where the two crops of one unlabeled image overlap, in stride-8 feature cells of each crop's
/// own (un-flipped) coordinates, and whether each crop was flipped (CAC, cac.md §2.5).
public struct CropOverlap: Sendable, Equatable {
    public var rows1: Range<Int>, cols1: Range<Int>
    public var rows2: Range<Int>, cols2: Range<Int>
    public var flip1: Bool, flip2: Bool

    public init(
        rows1: Range<Int>, cols1: Range<Int>, rows2: Range<Int>, cols2: Range<Int>,
        flip1: Bool = false, flip2: Bool = false
    ) {
        precondition(
            rows1.count == rows2.count && cols1.count == cols2.count,
            "CropOverlap: boxes \(rows1)x\(cols1) and \(rows2)x\(cols2) differ in size")
        (self.rows1, self.cols1, self.rows2, self.cols2) = (rows1, cols1, rows2, cols2)
        (self.flip1, self.flip2) = (flip1, flip2)
    }

    /// The overlap from pixel boxes (upper-left inclusive, bottom-right exclusive, row/col),
    /// divided by the feature stride, as CAC slices `[ul // 8 : br // 8]`.
    public init(
        ul1: (Int, Int), br1: (Int, Int), ul2: (Int, Int), br2: (Int, Int), flip1: Bool,
        flip2: Bool, stride: Int = 8
    ) {
        self.init(
            rows1: ul1.0 / stride..<br1.0 / stride, cols1: ul1.1 / stride..<br1.1 / stride,
            rows2: ul2.0 / stride..<br2.0 / stride, cols2: ul2.1 / stride..<br2.1 / stride,
            flip1: flip1, flip2: flip2)
    }
}

/// Hyper-parameters of the DC loss (CAC's official values, cac.md §1.1).
public struct DirectionalContrastiveConfig: Sendable, Codable, Hashable {
    /// Temperature τ.
    public var temperature: Float = 0.1
    /// Confidence threshold γ of the target side.
    public var threshold: Float = 0.75
    public init(temperature: Float = 0.1, threshold: Float = 0.75) {
        self.temperature = temperature
        self.threshold = threshold
    }
}

/// The loss and what it looked at, for logging.
public struct DirectionalContrastiveResult: Sendable {
    /// L1 + L2 (λ is applied by the caller).
    public let loss: Variable
    public let l1: Float, l2: Float
    /// Overlap pixels in total, and those selected by each direction's mask.
    public let overlapPixels: Int, selected1: Int, selected2: Int
    /// Overlap positions of both crops whose confidence is above the threshold (of
    /// 2 x `overlapPixels`): how much of the unlabeled data can be a target at all.
    public let confident: Int
}

/// CAC's Directional Contrastive loss, L1 + L2, exactly as cac.md §1.4 (the official code).
///
/// - Parameters:
///   - z1, z2: raw projector outputs of the two crops, (B, D, h, w); L2-normalised here.
///   - logits1, logits2: the domain head's logits on the same pooled features, (B, K, h, w);
///     only their argmax (pseudo-label) and max softmax (confidence) are used, detached.
///   - overlaps: one per image.
/// The negative bank is every position of both crops of the batch (step_save = 0, one process),
/// filtered by pseudo-label inequality with the anchor; the bank's order does not change the
/// sum, so it is taken in natural order (CAC's random `selected_num` draw is a permutation of
/// all positions). The shift m is the maximum over the positive and all bank logits (§1.4
/// recommendation) and is treated as a constant. Gradient reaches only the anchors (z of the
/// less confident crop), through the L2 normalisation.
public func directionalContrastiveLoss(
    z1: Variable, z2: Variable, logits1: Tensor, logits2: Tensor, overlaps: [CropOverlap],
    config: DirectionalContrastiveConfig = .init()
) -> DirectionalContrastiveResult {
    directionalContrastiveLoss(
        z1: z1, z2: z2, logits1: logits1, logits2: logits2, overlaps: overlaps, config: config,
        stopGradient: nil)
}

/// The DC loss with the stop-gradient side (positives and bank) taken from `stopGradient`
/// instead of (z1, z2): for gradient checks, whose finite differences must hold it fixed.
func directionalContrastiveLoss(
    z1: Variable, z2: Variable, logits1: Tensor, logits2: Tensor, overlaps: [CropOverlap],
    config: DirectionalContrastiveConfig, stopGradient: (Tensor, Tensor)?
) -> DirectionalContrastiveResult {
    let (b, d, h, w) = z1.value.nchw("directionalContrastiveLoss")
    precondition(z2.shape == z1.shape, "DC loss: z1 \(z1.shape) and z2 \(z2.shape) differ")
    precondition(
        logits1.rank == 4 && logits1.shape == logits2.shape && logits1.shape[0] == b
            && logits1.shape[2] == h && logits1.shape[3] == w,
        "DC loss: logits \(logits1.shape) / \(logits2.shape) do not match features \(z1.shape)")
    precondition(overlaps.count == b, "DC loss: \(overlaps.count) overlaps for batch \(b)")

    // Pixel-major unit vectors (B*h*w, D), norms, pseudo-labels and confidences per crop.
    let f1 = PixelFeatures(z1.value), f2 = PixelFeatures(z2.value)
    let t1 = stopGradient.map { PixelFeatures($0.0) } ?? f1
    let t2 = stopGradient.map { PixelFeatures($0.1) } ?? f2
    let (y1, c1) = pseudoLabels(logits1), (y2, c2) = pseudoLabels(logits2)

    // Overlap pairs: flat pixel index in crop 1 and in crop 2 of the same image location.
    var p1: [Int] = [], p2: [Int] = []
    for (n, o) in overlaps.enumerated() {
        for (r1, r2) in zip(o.rows1, o.rows2) {
            for (q1, q2) in zip(o.cols1, o.cols2) {
                p1.append((n * h + r1) * w + (o.flip1 ? w - 1 - q1 : q1))
                p2.append((n * h + r2) * w + (o.flip2 ? w - 1 - q2 : q2))
            }
        }
    }

    // The bank: all positions of crop 1 then crop 2.
    let bank = t1.unit + t2.unit
    let bankLabels = y1 + y2
    let tau = config.temperature, gamma = config.threshold

    // Direction 1: anchors in crop 1 whose crop-2 target is more confident and above γ.
    let sel1 = p1.indices.filter { c2[p2[$0]] > gamma && c1[p1[$0]] < c2[p2[$0]] }
    let dir1 = contrast(
        anchors: sel1.map { p1[$0] }, positives: sel1.map { p2[$0] }, anchorSide: f1,
        targetSide: t2, anchorLabels: y1, bank: bank, bankLabels: bankLabels, dim: d, tau: tau)
    let sel2 = p1.indices.filter { c1[p1[$0]] > gamma && c2[p2[$0]] < c1[p1[$0]] }
    let dir2 = contrast(
        anchors: sel2.map { p2[$0] }, positives: sel2.map { p1[$0] }, anchorSide: f2,
        targetSide: t1, anchorLabels: y2, bank: bank, bankLabels: bankLabels, dim: d, tau: tau)

    let total = Tensor(scalar: dir1.loss + dir2.loss)
    let loss = Variable.record(total, inputs: [z1, z2]) { g, needs in
        let scale = g.scalar
        return [
            needs[0] ? f1.backward(dir1.unitGradient, scale: scale, shape: [b, d, h, w]) : nil,
            needs[1] ? f2.backward(dir2.unitGradient, scale: scale, shape: [b, d, h, w]) : nil,
        ]
    }
    return DirectionalContrastiveResult(
        loss: loss, l1: dir1.loss, l2: dir2.loss, overlapPixels: p1.count,
        selected1: sel1.count, selected2: sel2.count,
        confident: p1.filter { c1[$0] > gamma }.count + p2.filter { c2[$0] > gamma }.count)
}

/// One direction's masked mean loss and its gradient w.r.t. the anchor side's unit vectors
/// (pixel-major, zero away from the anchors).
private struct Direction {
    var loss: Float
    var unitGradient: [Float]
}

/// L = Σ_i ℓ_i / (n + 1e-12) over the n selected anchors (cac.md §1.4), and dL/dẑ_anchor.
private func contrast(
    anchors: [Int], positives: [Int], anchorSide: PixelFeatures, targetSide: PixelFeatures,
    anchorLabels: [Int32], bank: [Float], bankLabels: [Int32], dim d: Int, tau: Float
) -> Direction {
    var grad = [Float](repeating: 0, count: anchorSide.unit.count)
    let n = anchors.count
    guard n > 0 else { return Direction(loss: 0, unitGradient: grad) }
    let banks = bankLabels.count
    let weight = 1 / (Float(n) + 1e-12)

    // Anchor and positive rows, (n, D).
    var a = [Float](repeating: 0, count: n * d), pos = a
    for i in 0..<n {
        for k in 0..<d {
            a[i * d + k] = anchorSide.unit[anchors[i] * d + k]
            pos[i * d + k] = targetSide.unit[positives[i] * d + k]
        }
    }
    // Logits against the bank, (n, N), then turned in place into dℓ/ds_j.
    var s = [Float](repeating: 0, count: n * banks)
    a.withUnsafeBufferPointer { ap in
        bank.withUnsafeBufferPointer { fp in
            s.withUnsafeMutableBufferPointer { sp in
                BLAS.sgemm(
                    transA: false, transB: true, m: n, n: banks, k: d, alpha: 1 / tau,
                    a: ap.baseAddress!, lda: d, b: fp.baseAddress!, ldb: d, beta: 0,
                    c: sp.baseAddress!, ldc: banks)
            }
        }
    }
    var total: Double = 0
    var dPositive = [Float](repeating: 0, count: n)
    for i in 0..<n {
        var sPos: Float = 0
        for k in 0..<d { sPos += a[i * d + k] * pos[i * d + k] }
        sPos /= tau
        var m = sPos
        for j in 0..<banks { m = max(m, s[i * banks + j]) }
        let ePos = expf(sPos - m)
        var denominator = ePos
        for j in 0..<banks {
            let e = bankLabels[j] != anchorLabels[anchors[i]] ? expf(s[i * banks + j] - m) : 0
            s[i * banks + j] = e
            denominator += e
        }
        let r = ePos / (denominator + 1e-8)
        total += Double(-logf(r + 1e-8))
        // ℓ = -log(r + ε2), r = E+/(D + ε1): dℓ/ds+ = -r/(r+ε2) (1 - E+/(D+ε1)),
        // dℓ/ds_j = r/(r+ε2) · w_j E_j/(D+ε1).
        let k = r / (r + 1e-8)
        dPositive[i] = -k * (1 - ePos / (denominator + 1e-8)) * weight / tau
        let q = k / (denominator + 1e-8) * weight / tau
        for j in 0..<banks { s[i * banks + j] *= q }
    }
    // dL/dâ_i = dℓ/ds+ · positive + Σ_j dℓ/ds_j · F_j.
    var g = [Float](repeating: 0, count: n * d)
    s.withUnsafeBufferPointer { qp in
        bank.withUnsafeBufferPointer { fp in
            g.withUnsafeMutableBufferPointer { gp in
                BLAS.sgemm(
                    transA: false, transB: false, m: n, n: d, k: banks, alpha: 1,
                    a: qp.baseAddress!, lda: banks, b: fp.baseAddress!, ldb: d, beta: 0,
                    c: gp.baseAddress!, ldc: d)
            }
        }
    }
    for i in 0..<n {
        for k in 0..<d {
            grad[anchors[i] * d + k] += g[i * d + k] + dPositive[i] * pos[i * d + k]
        }
    }
    return Direction(loss: Float(total) * weight, unitGradient: grad)
}

/// Features of one crop as pixel-major unit vectors, with the norms needed for backward.
private struct PixelFeatures {
    /// (B*h*w, D) rows of z / max(|z|, 1e-12).
    var unit: [Float]
    /// max(|z|, 1e-12) per pixel.
    var norms: [Float]
    let d: Int, plane: Int

    init(_ z: Tensor) {
        let (b, d, h, w) = z.nchw("PixelFeatures")
        self.d = d
        plane = h * w
        unit = [Float](repeating: 0, count: b * plane * d)
        norms = [Float](repeating: 0, count: b * plane)
        for n in 0..<b {
            for p in 0..<plane {
                var s: Float = 0
                for k in 0..<d { let v = z.data[(n * d + k) * plane + p]; s += v * v }
                let norm = max(s.squareRoot(), 1e-12)
                norms[n * plane + p] = norm
                for k in 0..<d {
                    unit[(n * plane + p) * d + k] = z.data[(n * d + k) * plane + p] / norm
                }
            }
        }
    }

    /// dL/dz from dL/dẑ (pixel-major): (g - ẑ<ẑ, g>) / |z| (F.normalize's backward), NCHW.
    func backward(_ g: [Float], scale: Float, shape: [Int]) -> Tensor {
        var out = Tensor(zeros: shape)
        let b = shape[0]
        for n in 0..<b {
            for p in 0..<plane {
                let row = (n * plane + p) * d
                var dot: Float = 0
                for k in 0..<d { dot += unit[row + k] * g[row + k] }
                let norm = norms[n * plane + p]
                // Below eps the op is x / eps: a plain scale, no projection.
                let project: Float = norm > 1e-12 ? 1 : 0
                for k in 0..<d {
                    out.data[(n * d + k) * plane + p] =
                        scale * (g[row + k] - project * unit[row + k] * dot) / norm
                }
            }
        }
        return out
    }
}

/// Argmax and max softmax per pixel of (B, K, h, w) logits, pixel-major (first max wins).
func pseudoLabels(_ logits: Tensor) -> (labels: [Int32], confidence: [Float]) {
    let (b, k, h, w) = logits.nchw("pseudoLabels")
    let plane = h * w
    var labels = [Int32](repeating: 0, count: b * plane)
    var confidence = [Float](repeating: 0, count: b * plane)
    for n in 0..<b {
        for p in 0..<plane {
            var best = -Float.infinity, arg = 0
            for c in 0..<k where logits.data[(n * k + c) * plane + p] > best {
                best = logits.data[(n * k + c) * plane + p]
                arg = c
            }
            var z: Float = 0
            for c in 0..<k { z += expf(logits.data[(n * k + c) * plane + p] - best) }
            labels[n * plane + p] = Int32(arg)
            confidence[n * plane + p] = 1 / z
        }
    }
    return (labels, confidence)
}
