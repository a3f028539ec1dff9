// The backward kernels of 2-D convolution (forward and the recorded op in Conv2d.swift).

/// Gradient of `F.conv2d` with respect to its input, PyTorch `torch.nn.grad.conv2d_input`.
///
/// gy: (N, K, Ho, Wo), weight: (K, C, kh, kw) -> (N, C, H, W).
///
/// A stride-1 square kernel whose padding is at most dilation * (k - 1) is a forward
/// convolution of gy with the flipped, transposed weight (padding dilation * (k - 1) - padding):
/// im2col instead of col2im, and the GEMM writes dx directly. It is used when the images are
/// large next to the weight (the flip copies the weight once); otherwise GEMM + col2im.
package func conv2dBackwardData(_ gy: Tensor, _ weight: Tensor, _ g: Conv2dGeometry) -> Tensor {
    precondition(
        gy.shape == [g.n, g.k, g.ho, g.wo] && weight.shape == [g.k, g.c, g.kh, g.kw],
        "conv2dBackwardData: gradient \(gy.shape), weight \(weight.shape) do not match \(g)")
    if let pg = dilationPhaseGeometry(g) { return conv2dBackwardDataPhases(gy, weight, g, pg) }
    let reach = g.dilation * (g.kh - 1)
    if !g.isPointwise, g.stride == 1, g.kh == g.kw, reach >= g.padding, g.n * g.positions >= 4 * g.k
    {
        let transposed = Conv2dGeometry(
            input: [g.n, g.k, g.ho, g.wo], weight: [g.c, g.k, g.kh, g.kw], stride: 1,
            padding: reach - g.padding, dilation: g.dilation)
        return conv2dForward(gy, flippedTransposed(weight), nil, transposed)
    }
    let p = g.positions
    let imageSize = g.c * g.h * g.w
    return Tensor(shape: [g.n, g.c, g.h, g.w]) { out in
        let dx = out.baseAddress!
        gy.withUnsafeBufferPointer { gb in
            weight.withUnsafeBufferPointer { wb in
                let dys = gb.baseAddress!, ws = wb.baseAddress!
                if g.isPointwise {
                    for n in 0..<g.n {
                        BLAS.sgemm(
                            transA: true, transB: false, m: g.c, n: p, k: g.k, alpha: 1,
                            a: ws, lda: g.c, b: dys + n * g.k * p, ldb: p, beta: 0,
                            c: dx + n * imageSize, ldc: p)
                    }
                    return
                }
                Parallel.forChunks(g.n * g.c, grain: max(1, 32_768 / (g.h * g.w))) { planes in
                    (dx + planes.lowerBound * g.h * g.w)
                        .update(repeating: 0, count: planes.count * g.h * g.w)
                }
                let tile = conv2dTileColumns(g)
                let col = UnsafeMutablePointer<Float>.allocate(capacity: g.rows * tile)
                defer { col.deallocate() }
                for n in 0..<g.n {
                    for p0 in stride(from: 0, to: p, by: tile) {
                        let t = min(tile, p - p0)
                        BLAS.sgemm(
                            transA: true, transB: false, m: g.rows, n: t, k: g.k, alpha: 1,
                            a: ws, lda: g.rows, b: dys + n * g.k * p + p0, ldb: p, beta: 0,
                            c: col, ldc: t)
                        col2im(col, g, p0, p0 + t, dx + n * imageSize)
                    }
                }
            }
        }
    }
}

/// Gradient of `F.conv2d` with respect to its weight, PyTorch `torch.nn.grad.conv2d_weight`.
///
/// gy: (N, K, Ho, Wo), x: (N, C, H, W) -> (K, C, kh, kw), summed over images in order.
package func conv2dBackwardWeight(_ gy: Tensor, _ x: Tensor, _ g: Conv2dGeometry) -> Tensor {
    precondition(
        gy.shape == [g.n, g.k, g.ho, g.wo] && x.shape == [g.n, g.c, g.h, g.w],
        "conv2dBackwardWeight: gradient \(gy.shape), x \(x.shape) do not match \(g)")
    if usesWinograd(g) { return winogradBackwardWeight(gy, x, g) }
    if let pg = dilationPhaseGeometry(g) { return conv2dBackwardWeightPhases(gy, x, g, pg) }
    if skipsPaddingTaps(g) { return conv2dBackwardWeightTapRows(gy, x, g) }
    let p = g.positions
    let imageSize = g.c * g.h * g.w
    return Tensor(shape: [g.k, g.c, g.kh, g.kw]) { out in
        let dw = out.baseAddress!
        gy.withUnsafeBufferPointer { gb in
            x.withUnsafeBufferPointer { xb in
                let dys = gb.baseAddress!, xs = xb.baseAddress!
                if g.isPointwise {
                    for n in 0..<g.n {
                        BLAS.sgemm(
                            transA: false, transB: true, m: g.k, n: g.c, k: p, alpha: 1,
                            a: dys + n * g.k * p, lda: p, b: xs + n * imageSize, ldb: p,
                            beta: n == 0 ? 0 : 1, c: dw, ldc: g.c)
                    }
                    return
                }
                let tile = conv2dTileColumns(g)
                let col = UnsafeMutablePointer<Float>.allocate(capacity: g.rows * tile)
                let phases = UnsafeMutablePointer<Float>.allocate(capacity: im2colSourceCount(g))
                defer { col.deallocate(); phases.deallocate() }
                var first = true
                for n in 0..<g.n {
                    let source = im2colSource(xs + n * imageSize, g, phases)
                    for p0 in stride(from: 0, to: p, by: tile) {
                        let t = min(tile, p - p0)
                        im2col(source, g, p0, p0 + t, col)
                        BLAS.sgemm(
                            transA: false, transB: true, m: g.k, n: g.rows, k: t, alpha: 1,
                            a: dys + n * g.k * p + p0, lda: p, b: col, ldb: t,
                            beta: first ? 0 : 1, c: dw, ldc: g.rows)
                        first = false
                    }
                }
            }
        }
    }
}

/// Gradient of `F.conv2d` with respect to its bias: gy summed over (N, Ho, Wo).
///
/// gy: (N, K, Ho, Wo) -> (K). Each channel sums its images in order, 16 lanes per row.
package func conv2dBackwardBias(_ gy: Tensor, _ g: Conv2dGeometry) -> Tensor {
    precondition(
        gy.shape == [g.n, g.k, g.ho, g.wo], "conv2dBackwardBias: gradient \(gy.shape), \(g)")
    let p = g.positions
    return Tensor(shape: [g.k]) { out in
        gy.withUnsafeBufferPointer { gb in
            let dys = gb.baseAddress!
            Parallel.forChunks(g.k, grain: max(1, 16_384 / (g.n * p))) { channels in
                for k in channels {
                    var lanes = SIMD16<Float>()
                    var tail: Float = 0
                    for n in 0..<g.n {
                        let row = dys + (n * g.k + k) * p
                        var i = 0
                        while i + 16 <= p {
                            lanes += UnsafeRawPointer(row + i).loadUnaligned(as: SIMD16<Float>.self)
                            i += 16
                        }
                        while i < p { tail += row[i]; i += 1 }
                    }
                    out[k] = lanes.sum() + tail
                }
            }
        }
    }
}

/// The weight of the transposed convolution: w'[c, k, i, j] = w[k, c, kh-1-i, kw-1-j].
///
/// weight: (K, C, kh, kw) -> (C, K, kh, kw).
func flippedTransposed(_ weight: Tensor) -> Tensor {
    let (k, c, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
    let taps = kh * kw
    return Tensor(shape: [c, k, kh, kw]) { out in
        weight.withUnsafeBufferPointer { w in
            let src = w.baseAddress!, dst = out.baseAddress!
            // Blocks of 32 x 32 filters: the source rows (stride C * taps) and the destination
            // rows (stride K * taps) of a block stay within 64 pages, where a sweep over all K
            // for each input channel touched a new page per filter (perf: 1.5% of a DeepLab
            // step before).
            let block = 32
            Parallel.forChunks((c + block - 1) / block, grain: max(1, 2048 / (k * taps))) {
                blocks in
                for c0 in blocks.lazy.map({ $0 * block }) {
                    for k0 in stride(from: 0, to: k, by: block) {
                        for ko in k0..<min(k0 + block, k) {
                            for ci in c0..<min(c0 + block, c) {
                                let from = src + (ko * c + ci) * taps
                                let to = dst + (ci * k + ko) * taps
                                for t in 0..<taps { to[t] = from[taps - 1 - t] }
                            }
                        }
                    }
                }
            }
        }
    }
}
