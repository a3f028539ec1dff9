// L2 normalisation over channels, per pixel: y = x / max(||x||, eps).

/// x / max(||x||_2, eps) over dim 1 of an (N, C, ...) tensor (PyTorch `F.normalize(x, dim=1)`).
///
/// Backward: where ||x|| > eps, dx = (g - y * sum_c g * y) / ||x||; elsewhere dx = g / eps (the
/// clamp passes no gradient to the norm, as in PyTorch's `clamp_min`).
public func l2Normalize(_ x: Variable, eps: Float = 1e-12) -> Variable {
    let (n, c, inner) = channelLayout(x.shape, "l2Normalize")
    var denominators = [Float](repeating: 0, count: n * inner)
    let y = Tensor(shape: x.shape) { out in
        guard let op = out.baseAddress else { return }
        x.value.withUnsafeBufferPointer { xb in
            denominators.withUnsafeMutableBufferPointer { db in
                let xp = xb.baseAddress!
                let dp = db.baseAddress!
                forEachPixelBlock(n: n, c: c, inner: inner) { base, p0, count in
                    let d = dp + base / max(c, 1) + p0
                    d.initialize(repeating: 0, count: count)
                    for k in 0..<c {
                        let row = xp + base + k * inner + p0
                        for p in 0..<count { d[p] += row[p] * row[p] }
                    }
                    for p in 0..<count { d[p] = max(d[p].squareRoot(), eps) }
                    for k in 0..<c {
                        let o = base + k * inner + p0
                        for p in 0..<count { op[o + p] = xp[o + p] / d[p] }
                    }
                }
            }
        }
    }
    let norms = denominators
    return Variable.record(y, inputs: [x]) { g, _ in
        let gx = Tensor(shape: y.shape) { out in
            guard let op = out.baseAddress else { return }
            g.withUnsafeBufferPointer { gb in
                y.withUnsafeBufferPointer { yb in
                    norms.withUnsafeBufferPointer { db in
                        let gp = gb.baseAddress!
                        let yp = yb.baseAddress!
                        let dp = db.baseAddress!
                        forEachPixelBlock(n: n, c: c, inner: inner) { base, p0, count in
                            let d = dp + base / max(c, 1) + p0
                            withUnsafeTemporaryAllocation(of: Float.self, capacity: channelBlock) {
                                s in
                                let dot = s.baseAddress!
                                dot.initialize(repeating: 0, count: count)
                                for k in 0..<c {
                                    let o = base + k * inner + p0
                                    for p in 0..<count { dot[p] += gp[o + p] * yp[o + p] }
                                }
                                // Where the clamp is active the norm gets no gradient.
                                for p in 0..<count where d[p] == eps { dot[p] = 0 }
                                for k in 0..<c {
                                    let o = base + k * inner + p0
                                    for p in 0..<count {
                                        op[o + p] = (gp[o + p] - yp[o + p] * dot[p]) / d[p]
                                    }
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
