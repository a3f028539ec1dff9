// The backward kernels of 2-D convolution (forward and the recorded op in Conv2d.swift).

/// Gradient of `F.conv2d` with respect to its input, PyTorch `torch.nn.grad.conv2d_input`.
///
/// gy: (N, K, Ho, Wo), weight: (K, C, kh, kw) -> (N, C, H, W).
package func conv2dBackwardData(_ gy: Tensor, _ weight: Tensor, _ g: Conv2dGeometry) -> Tensor {
    precondition(
        gy.shape == [g.n, g.k, g.ho, g.wo] && weight.shape == [g.k, g.c, g.kh, g.kw],
        "conv2dBackwardData: gradient \(gy.shape), weight \(weight.shape) do not match \(g)")
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
                defer { col.deallocate() }
                var first = true
                for n in 0..<g.n {
                    for p0 in stride(from: 0, to: p, by: tile) {
                        let t = min(tile, p - p0)
                        im2col(xs + n * imageSize, g, p0, p0 + t, col)
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
    precondition(gy.shape == [g.n, g.k, g.ho, g.wo], "conv2dBackwardBias: gradient \(gy.shape), \(g)")
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
