// 2-D convolution: the forward kernel and the recorded op (backward kernels in
// Conv2d+Backward.swift).
//
// Every pass is GEMM on OpenBLAS plus cheap layout work (a 3x3, stride-1 forward with 32 or more
// channels, and so the stride-1 backward-data, runs Winograd F(2x2, 3x3) instead: Winograd.swift):
//   forward          Y_n[:, tile] = W (K x CKK) * col_n[:, tile] (CKK x T)        (+ bias)
//   backward-data    dcol = W^T (CKK x K) * dY_n[:, tile] (K x T), then col2im; for stride 1
//                    a forward conv of dY with the flipped weight instead (no col2im)
//   backward-weight  dW += dY_n[:, tile] (K x T) * col_n[:, tile]^T, over n and tiles
// with CKK = C * kh * kw and a tile of T output positions (`conv2dTileColumns`). A 1x1,
// stride-1, unpadded convolution skips im2col: the input image is already its column matrix;
// a strided one reads a phase-split copy of the image so im2col only copies contiguous runs.
// Dilated 3x3 convolutions run on Winograd through their phases where that saves work
// (Conv2dDilationPhases.swift); otherwise, where the outer kernel rows read mostly padding (the
// ASPP), they skip those rows (Conv2dTapRows.swift).
// Summation orders are fixed (tile after tile, image after image), so a call repeats bit for
// bit at a given thread count; OpenBLAS may round differently at another thread count.

/// conv2d, PyTorch `F.conv2d`: x (N, C, H, W), weight (K, C, kh, kw), bias (K) -> (N, K, Ho, Wo).
public func conv2d(
    _ x: Variable, _ weight: Variable, _ bias: Variable?, stride: Int = 1, padding: Int = 0,
    dilation: Int = 1
) -> Variable {
    let g = Conv2dGeometry(
        input: x.shape, weight: weight.shape, stride: stride, padding: padding, dilation: dilation)
    if let bias {
        precondition(bias.shape == [g.k], "conv2d: bias \(bias.shape) for weight \(weight.shape)")
    }
    let y = conv2dForward(x.value, weight.value, bias?.value, g)
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    let (xValue, wValue) = (x.value, weight.value)
    return Variable.record(y, inputs: inputs) { gy, needs in
        var grads: [Tensor?] = [
            needs[0] ? conv2dBackwardData(gy, wValue, g) : nil,
            needs[1] ? conv2dBackwardWeight(gy, xValue, g) : nil,
        ]
        if needs.count > 2 { grads.append(needs[2] ? conv2dBackwardBias(gy, g) : nil) }
        return grads
    }
}

/// Forward convolution, PyTorch `F.conv2d`.
///
/// x: (N, C, H, W), weight: (K, C, kh, kw), bias: (K) -> (N, K, Ho, Wo).
package func conv2dForward(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?, _ g: Conv2dGeometry)
    -> Tensor
{
    precondition(
        x.shape == [g.n, g.c, g.h, g.w] && weight.shape == [g.k, g.c, g.kh, g.kw],
        "conv2dForward: x \(x.shape), weight \(weight.shape) do not match \(g)")
    if usesWinograd(g) { return winogradForward(x, weight, bias, g) }
    if let pg = dilationPhaseGeometry(g) { return conv2dForwardPhases(x, weight, bias, g, pg) }
    if skipsPaddingTaps(g) { return conv2dForwardTapRows(x, weight, bias, g) }
    return conv2dForwardIm2col(x, weight, bias, g)
}

/// Forward convolution by im2col + GEMM (every geometry), one sgemm dot product over
/// C * kh * kw per output element. With several threads and at least as many column tiles,
/// the workers take whole tiles (im2col, then the GEMM at one OpenBLAS thread), as the
/// Winograd kernel does: no worker waits for another, and the bits do not depend on the
/// thread count.
package func conv2dForwardIm2col(
    _ x: Tensor, _ weight: Tensor, _ bias: Tensor?, _ g: Conv2dGeometry
) -> Tensor {
    let p = g.positions
    return Tensor(shape: [g.n, g.k, g.ho, g.wo]) { out in
        let y = out.baseAddress!
        if let bias {
            precondition(bias.shape == [g.k], "conv2dForward: bias \(bias.shape), K = \(g.k)")
            fillOutputPlanes(y, bias.data, g)
        }
        let beta: Float = bias == nil ? 0 : 1
        x.withUnsafeBufferPointer { xb in
            weight.withUnsafeBufferPointer { wb in
                let xs = xb.baseAddress!, ws = wb.baseAddress!
                if g.isPointwise {
                    for n in 0..<g.n {
                        BLAS.sgemm(
                            transA: false, transB: false, m: g.k, n: p, k: g.c, alpha: 1,
                            a: ws, lda: g.c, b: xs + n * g.c * p, ldb: p, beta: beta,
                            c: y + n * g.k * p, ldc: p)
                    }
                    return
                }
                let tile = conv2dTileColumns(g)
                let perImage = (p + tile - 1) / tile
                let tiles = g.n * perImage
                let sourceCount = im2colSourceCount(g)
                let phases = UnsafeMutablePointer<Float>.allocate(capacity: g.n * sourceCount)
                defer { phases.deallocate() }
                let sources = (0..<g.n).map { n in
                    im2colSource(xs + n * g.c * g.h * g.w, g, phases + n * sourceCount)
                }
                BLAS.forEachShare(tiles, workers: Parallel.threads) { share, alone in
                    let col = UnsafeMutablePointer<Float>.allocate(capacity: g.rows * tile)
                    defer { col.deallocate() }
                    for index in share {
                        let (n, p0) = (index / perImage, index % perImage * tile)
                        let t = min(tile, p - p0)
                        im2col(sources[n], g, p0, p0 + t, col, parallel: alone)
                        BLAS.sgemm(
                            transA: false, transB: false, m: g.k, n: t, k: g.rows, alpha: 1,
                            a: ws, lda: g.rows, b: col, ldb: t, beta: beta,
                            c: y + n * g.k * p + p0, ldc: p)
                    }
                }
            }
        }
    }
}

/// Sets every output plane (n, k) of `y` (N, K, Ho, Wo) to biases[k], or to 0 without biases.
func fillOutputPlanes(_ y: UnsafeMutablePointer<Float>, _ biases: [Float]?, _ g: Conv2dGeometry) {
    let p = g.positions
    Parallel.forChunks(g.n * g.k, grain: max(1, 32_768 / p)) { planes in
        for plane in planes {
            (y + plane * p).update(repeating: biases?[plane % g.k] ?? 0, count: p)
        }
    }
}
