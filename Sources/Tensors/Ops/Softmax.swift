import RealModule

// Softmax and log-softmax over channels (dim 1) of (N, C, ...) tensors, numerically stable
// (the per-pixel maximum is subtracted before exp). Pixels are processed in blocks with the
// channel loop outside, so the inner loops run over contiguous pixels.

/// Pixels per block: the per-pixel max / sum scratch of one block stays in L1.
let channelBlock = 256

/// (N, C, inner) view of an (N, C, ...) shape.
func channelLayout(_ shape: [Int], _ op: String) -> (n: Int, c: Int, inner: Int) {
    precondition(shape.count >= 2, "\(op): expected an (N, C, ...) tensor, got \(shape)")
    return (shape[0], shape[1], shape.dropFirst(2).reduce(1, *))
}

/// Calls `body(sampleOffset, firstPixel, pixelCount)` for every pixel block, in parallel.
func forEachPixelBlock(
    n: Int, c: Int, inner: Int, _ body: (_ base: Int, _ p0: Int, _ count: Int) -> Void
) {
    let blocksPerSample = (inner + channelBlock - 1) / channelBlock
    Parallel.forEach(n * blocksPerSample, grain: max(1, 64 / max(c, 1))) { item in
        let s = item / blocksPerSample
        let p0 = (item % blocksPerSample) * channelBlock
        body(s * c * inner, p0, min(channelBlock, inner - p0))
    }
}

/// Per-pixel max over channels and sum of exp(x - max) for one block, into `m` and `s`
/// (`s` must have room for 2 * channelBlock floats: the second half is scratch).
@inline(__always)
func channelMaxAndSum(
    _ x: UnsafePointer<Float>, c: Int, inner: Int, count: Int,
    _ m: UnsafeMutablePointer<Float>, _ s: UnsafeMutablePointer<Float>
) {
    m.update(from: x, count: count)
    for k in 1..<max(c, 1) {
        let row = x + k * inner
        for p in 0..<count { m[p] = max(m[p], row[p]) }
    }
    s.initialize(repeating: 0, count: count)
    let t = s + channelBlock  // scratch: exp(x - max) of one channel
    for k in 0..<c {
        let row = x + k * inner
        for p in 0..<count { t[p] = row[p] - m[p] }
        FastExp.apply(t, count)
        for p in 0..<count { s[p] += t[p] }
    }
}

/// Runs `body` over every pixel block with the block's max and exp-sum computed.
func withChannelStatistics(
    _ x: Tensor, _ op: String,
    _ body: (
        _ x: UnsafePointer<Float>, _ base: Int, _ p0: Int, _ count: Int,
        _ m: UnsafeMutablePointer<Float>, _ s: UnsafeMutablePointer<Float>
    ) -> Void
) {
    let (n, c, inner) = channelLayout(x.shape, op)
    precondition(c > 0, "\(op): no channels in \(x.shape)")
    x.withUnsafeBufferPointer { xb in
        guard let xp = xb.baseAddress, x.count > 0 else { return }
        forEachPixelBlock(n: n, c: c, inner: inner) { base, p0, count in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 3 * channelBlock) { scratch in
                let m = scratch.baseAddress!
                let s = m + channelBlock
                channelMaxAndSum(xp + base + p0, c: c, inner: inner, count: count, m, s)
                body(xp, base, p0, count, m, s)
            }
        }
    }
}

/// Softmax over dim 1 (PyTorch `F.softmax(x, dim=1)`).
public func softmax(_ x: Variable) -> Variable {
    let (n, c, inner) = channelLayout(x.shape, "softmax")
    precondition(c > 0, "softmax: no channels in \(x.shape)")
    let y = Tensor(shape: x.shape) { out in
        guard let op = out.baseAddress else { return }
        x.value.withUnsafeBufferPointer { xb in
            let xp = xb.baseAddress!
            forEachPixelBlock(n: n, c: c, inner: inner) { base, p0, count in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * channelBlock) {
                    scratch in
                    // max, then exp(x - max) written once and scaled by 1 / sum.
                    let m = scratch.baseAddress!
                    let s = m + channelBlock
                    m.update(from: xp + base + p0, count: count)
                    for k in 1..<c {
                        let row = xp + base + k * inner + p0
                        for p in 0..<count { m[p] = max(m[p], row[p]) }
                    }
                    s.initialize(repeating: 0, count: count)
                    for k in 0..<c {
                        let src = xp + base + k * inner + p0
                        let dst = op + base + k * inner + p0
                        for p in 0..<count { dst[p] = src[p] - m[p] }
                        FastExp.apply(dst, count)
                        for p in 0..<count { s[p] += dst[p] }
                    }
                    for k in 0..<c {
                        let dst = op + base + k * inner + p0
                        for p in 0..<count { dst[p] /= s[p] }
                    }
                }
            }
        }
    }
    return Variable.record(y, inputs: [x]) { g, _ in [channelBackward(g, y, log: false)] }
}

/// Log-softmax over dim 1 (PyTorch `F.log_softmax(x, dim=1)`).
public func logSoftmax(_ x: Variable) -> Variable {
    let (_, c, inner) = channelLayout(x.shape, "logSoftmax")
    let y = Tensor(shape: x.shape) { out in
        guard let op = out.baseAddress else { return }
        withChannelStatistics(x.value, "logSoftmax") { xp, base, p0, count, m, s in
            for p in 0..<count { s[p] = Float.log(s[p]) }
            for k in 0..<c {
                let src = xp + base + k * inner + p0
                let dst = op + base + k * inner + p0
                for p in 0..<count { dst[p] = src[p] - m[p] - s[p] }
            }
        }
    }
    return Variable.record(y, inputs: [x]) { g, _ in [channelBackward(g, y, log: true)] }
}

/// Softmax backward, dx = y * (g - sum_c g * y), or with `log` log-softmax backward,
/// dx = g - exp(y) * sum_c g.
func channelBackward(_ g: Tensor, _ y: Tensor, log: Bool) -> Tensor {
    let (n, c, inner) = channelLayout(y.shape, "softmax backward")
    return Tensor(shape: y.shape) { out in
        guard let op = out.baseAddress else { return }
        g.withUnsafeBufferPointer { gb in
            y.withUnsafeBufferPointer { yb in
                let gp = gb.baseAddress!
                let yp = yb.baseAddress!
                forEachPixelBlock(n: n, c: c, inner: inner) { base, p0, count in
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: channelBlock) {
                        scratch in
                        let d = scratch.baseAddress!
                        d.initialize(repeating: 0, count: count)
                        for k in 0..<c {
                            let o = base + k * inner + p0
                            if log {
                                for p in 0..<count { d[p] += gp[o + p] }
                            } else {
                                for p in 0..<count { d[p] += gp[o + p] * yp[o + p] }
                            }
                        }
                        for k in 0..<c {
                            let o = base + k * inner + p0
                            if log {
                                (op + o).update(from: yp + o, count: count)
                                FastExp.apply(op + o, count)
                                for p in 0..<count { op[o + p] = gp[o + p] - op[o + p] * d[p] }
                            } else {
                                for p in 0..<count { op[o + p] = yp[o + p] * (gp[o + p] - d[p]) }
                            }
                        }
                    }
                }
            }
        }
    }
}
