import RealModule

// Cross-entropy of per-pixel logits against integer labels: log-softmax and negative
// log-likelihood fused, with its own backward (softmax - one-hot). Pixels run in parallel
// blocks; the per-pixel losses are summed in a fixed order (`Summation`).

/// Cross-entropy of logits (N, K, H, W) against labels (N, H, W), averaged over the pixels
/// whose label is not `ignoreIndex` (PyTorch `F.cross_entropy(ignore_index=255)`, mean).
///
/// When every pixel is ignored the result is 0 with a zero gradient; PyTorch returns nan
/// there (0 / 0). A label outside 0..<K other than `ignoreIndex` is a precondition failure.
public func crossEntropy(
    _ logits: Variable, _ labels: Labels, ignoreIndex: Int32 = Labels.ignoreIndex
) -> Variable {
    let (n, k, h, w) = logits.value.nchw("crossEntropy")
    precondition(
        labels.shape == [n, h, w],
        "crossEntropy: labels \(labels.shape) do not match logits \(logits.shape)")
    for v in labels.data where v != ignoreIndex && (v < 0 || Int(v) >= k) {
        preconditionFailure(
            "crossEntropy: label \(v) outside 0..<\(k) (ignore index \(ignoreIndex))")
    }
    let inner = h * w
    // Per pixel: log-sum-exp of the logits, and the loss (0 where ignored).
    var lse = [Float](repeating: 0, count: n * inner)
    var losses = [Float](repeating: 0, count: n * inner)
    lse.withUnsafeMutableBufferPointer { lb in
        losses.withUnsafeMutableBufferPointer { cb in
            labels.data.withUnsafeBufferPointer { yb in
                let lp = lb.baseAddress!
                let cp = cb.baseAddress!
                let yp = yb.baseAddress!
                withChannelStatistics(logits.value, "crossEntropy") { xp, base, p0, count, m, s in
                    let pixel = base / k + p0  // sample * inner + p0
                    for p in 0..<count {
                        let logZ = m[p] + Float.log(s[p])
                        lp[pixel + p] = logZ
                        let label = yp[pixel + p]
                        if label != ignoreIndex {
                            cp[pixel + p] = logZ - xp[base + Int(label) * inner + p0 + p]
                        }
                    }
                }
            }
        }
    }
    let valid = labels.data.reduce(0) { $1 == ignoreIndex ? $0 : $0 + 1 }
    let total = losses.withUnsafeBufferPointer { Summation.sum($0.baseAddress!, $0.count) }
    let loss = valid == 0 ? 0 : Float(total / Double(valid))
    let x = logits.value
    return Variable.record(Tensor(scalar: loss), inputs: [logits]) { g, _ in
        guard valid > 0 else { return [Tensor(zeros: x.shape)] }
        let scale = g.scalar / Float(valid)
        let gx = Tensor(shape: x.shape) { out in
            let op = out.baseAddress!
            x.withUnsafeBufferPointer { xb in
                labels.data.withUnsafeBufferPointer { yb in
                    lse.withUnsafeBufferPointer { lb in
                        let xp = xb.baseAddress!
                        let yp = yb.baseAddress!
                        let lp = lb.baseAddress!
                        forEachPixelBlock(n: n, c: k, inner: inner) { base, p0, count in
                            let pixel = base / k + p0
                            for c in 0..<k {
                                let o = base + c * inner + p0
                                for p in 0..<count { op[o + p] = xp[o + p] - lp[pixel + p] }
                                FastExp.apply(op + o, count)
                                for p in 0..<count {
                                    let label = yp[pixel + p]
                                    let hit: Float = label == Int32(c) ? 1 : 0
                                    op[o + p] = label == ignoreIndex ? 0 : scale * (op[o + p] - hit)
                                }
                            }
                        }
                    }
                }
            }
        }
        return [gx]
    }
}
