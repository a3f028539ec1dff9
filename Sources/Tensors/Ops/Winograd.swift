// Winograd F(2x2, 3x3) for stride-1, undilated 3x3 convolutions (Lavin and Gray, "Fast
// Algorithms for Convolutional Neural Networks", 2016): every 2x2 block of outputs ("tile") is
// A^T [(G w G^T) * (B^T d B)] A for its 4x4 input patch d, and the products summed over input
// channels are 16 GEMMs, one per element of the 4x4 transformed tile:
//   M_xi (K x T) = U_xi (K x C) * V_xi (C x T),  U = G w G^T,  V = B^T d B
// 16 * K * C multiply-adds per tile instead of 36 * K * C: 2.25x fewer FLOPs than im2col.
// The transforms are exact adds and halvings; rounding differs from im2col's one dot product
// per output (tested against the Float64 definition). Tiles run over all images in chunks,
// so small images still give long GEMMs; every chunk sums in the same fixed order.

/// Whether the 3x3 kernels compute `g` with Winograd F(2x2, 3x3) (forward, stride-1
/// backward-data, backward-weight): a 3x3, stride-1, undilated convolution with 32 or more
/// channels in and out and at least 128 tiles in all images, so that the 16 GEMMs are long
/// and the weight transform (paid per call) is small beside them. Measured on the paper shapes
/// (results/bench/conv-2026-11-30-winograd.md): 1.1-1.6x at 64-304 channels from 16x32 up;
/// 1024 channels at 8x16, batch 2 (64 tiles), ran slower than im2col.
package func usesWinograd(_ g: Conv2dGeometry) -> Bool {
    g.kh == 3 && g.kw == 3 && g.stride == 1 && g.dilation == 1 && g.c >= 32 && g.k >= 32
        && g.n * ((g.ho + 1) / 2) * ((g.wo + 1) / 2) >= 128
}

/// Forward convolution by Winograd F(2x2, 3x3); `usesWinograd(g)` must hold.
///
/// x: (N, C, H, W), weight: (K, C, 3, 3), bias: (K) -> (N, K, Ho, Wo).
package func winogradForward(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?, _ g: Conv2dGeometry)
    -> Tensor
{
    let layout = WinogradTiles(g)
    let u = winogradWeights(weight, g)
    return Tensor(shape: [g.n, g.k, g.ho, g.wo]) { out in
        let y = out.baseAddress!
        let v = UnsafeMutablePointer<Float>.allocate(capacity: 16 * g.c * layout.chunkTiles)
        let m = UnsafeMutablePointer<Float>.allocate(capacity: 16 * g.k * layout.chunkTiles)
        defer { v.deallocate(); m.deallocate() }
        x.withUnsafeBufferPointer { xb in
            u.withUnsafeBufferPointer { ub in
                for r0 in stride(from: 0, to: layout.tileRows, by: layout.chunkRows) {
                    let rows = r0..<min(r0 + layout.chunkRows, layout.tileRows)
                    let tc = rows.count * layout.columns
                    winogradInput(xb.baseAddress!, g, layout, rows, v)
                    for xi in 0..<16 {
                        BLAS.sgemm(
                            transA: false, transB: false, m: g.k, n: tc, k: g.c, alpha: 1,
                            a: ub.baseAddress! + xi * g.k * g.c, lda: g.c,
                            b: v + xi * g.c * tc, ldb: tc, beta: 0, c: m + xi * g.k * tc,
                            ldc: tc)
                    }
                    winogradOutput(m, bias, g, layout, rows, y)
                }
            }
        }
    }
}

/// The tiles of a convolution: 2x2 output blocks, in rows of `columns` tiles; tile row R
/// (0-based over all images) is image R / rowsPerImage, output rows 2 * (R % rowsPerImage)
/// and the next. Chunks of whole tile rows bound the transformed buffers (about 8 MB) while
/// keeping GEMMs at least 512 tiles long; small images share a chunk.
struct WinogradTiles {
    let rowsPerImage: Int, columns: Int, tileRows: Int, chunkRows: Int

    init(_ g: Conv2dGeometry) {
        rowsPerImage = (g.ho + 1) / 2
        columns = (g.wo + 1) / 2
        tileRows = g.n * rowsPerImage
        let wanted = max(512, (1 << 21) / (16 * max(g.c, g.k)))
        chunkRows = min(tileRows, max(1, (wanted + columns - 1) / columns))
    }

    /// Tiles per full chunk.
    var chunkTiles: Int { chunkRows * columns }

    /// (image, top output row) of tile row R.
    func origin(_ r: Int) -> (n: Int, oh: Int) { (r / rowsPerImage, 2 * (r % rowsPerImage)) }
}

/// U_xi[k, c] = (G w[k, c] G^T)[xi], G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1].
///
/// weight: (K, C, 3, 3) -> (16, K, C).
func winogradWeights(_ weight: Tensor, _ g: Conv2dGeometry) -> Tensor {
    Tensor(shape: [16, g.k, g.c]) { out in
        let u = out.baseAddress!
        weight.withUnsafeBufferPointer { wb in
            let w = wb.baseAddress!
            Parallel.forChunks(g.k, grain: max(1, 4096 / max(g.c, 1))) { ks in
                for k in ks {
                    for c in 0..<g.c {
                        let f = w + (k * g.c + c) * 9
                        let to = u + k * g.c + c
                        let stride = g.k * g.c
                        // G w: rows (a, b, d) of w become four rows; then G^T on columns.
                        func put(_ row: Int, _ a: Float, _ b: Float, _ d: Float) {
                            to[(4 * row) * stride] = a
                            to[(4 * row + 1) * stride] = (a + b + d) * 0.5
                            to[(4 * row + 2) * stride] = (a - b + d) * 0.5
                            to[(4 * row + 3) * stride] = d
                        }
                        put(0, f[0], f[1], f[2])
                        put(
                            1, (f[0] + f[3] + f[6]) * 0.5, (f[1] + f[4] + f[7]) * 0.5,
                            (f[2] + f[5] + f[8]) * 0.5)
                        put(
                            2, (f[0] - f[3] + f[6]) * 0.5, (f[1] - f[4] + f[7]) * 0.5,
                            (f[2] - f[5] + f[8]) * 0.5)
                        put(3, f[6], f[7], f[8])
                    }
                }
            }
        }
    }
}

/// V_xi[c, i] = (B^T d B)[xi] for the 4x4 input patch d of tile i (zero outside the image),
/// B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1], for the tiles of tile rows `rows`. Row by
/// row: B^T combines four padded input rows, then B combines columns 2j ... 2j + 3 of each
/// into tile j's four values, written contiguously per xi. Parallel over input channels.
///
/// x: (N, C, H, W) -> v: (16, C, rows.count * columns).
func winogradInput(
    _ x: UnsafePointer<Float>, _ g: Conv2dGeometry, _ layout: WinogradTiles, _ rows: Range<Int>,
    _ v: UnsafeMutablePointer<Float>
) {
    let cols = layout.columns, tc = rows.count * cols
    let width = 2 * cols + 2  // padded input columns -padding ..< 2 * cols + 2 - padding
    Parallel.forChunks(g.c, grain: max(1, 4096 / max(tc, 1))) { channels in
        let d = UnsafeMutablePointer<Float>.allocate(capacity: 8 * width)
        defer { d.deallocate() }
        let e = d + 4 * width
        for c in channels {
            for (index, r) in rows.enumerated() {
                let (n, oh) = layout.origin(r)
                let plane = x + (n * g.c + c) * g.h * g.w
                for i in 0..<4 {
                    let ih = oh - g.padding + i
                    let row = d + i * width
                    guard ih >= 0, ih < g.h else {
                        row.update(repeating: 0, count: width)
                        continue
                    }
                    let lo = min(g.padding, width), hi = min(width, g.w + g.padding)
                    row.update(repeating: 0, count: lo)
                    if hi > lo { (row + lo).update(from: plane + ih * g.w, count: hi - lo) }
                    if width > hi { (row + hi).update(repeating: 0, count: width - hi) }
                }
                let (d0, d1, d2, d3) = (d, d + width, d + 2 * width, d + 3 * width)
                let (e0, e1, e2, e3) = (e, e + width, e + 2 * width, e + 3 * width)
                for q in 0..<width {
                    e0[q] = d0[q] - d2[q]
                    e1[q] = d1[q] + d2[q]
                    e2[q] = d2[q] - d1[q]
                    e3[q] = d1[q] - d3[q]
                }
                let stride = g.c * tc
                for a in 0..<4 {
                    let src = e + a * width
                    let out = v + 4 * a * stride + c * tc + index * cols
                    for j in 0..<cols {
                        let (f0, f1, f2, f3) = (
                            src[2 * j], src[2 * j + 1], src[2 * j + 2], src[2 * j + 3]
                        )
                        out[j] = f0 - f2
                        out[stride + j] = f1 + f2
                        out[2 * stride + j] = f2 - f1
                        out[3 * stride + j] = f1 - f3
                    }
                }
            }
        }
    }
}

/// y[n, k, oh + a, ow + b] = (A^T M A)[a, b] (+ bias), A^T = [1 1 1 0; 0 1 -1 -1], for the
/// tiles of tile rows `rows`; outputs past Ho or Wo (odd sizes) are dropped. Parallel over
/// output channels.
///
/// m: (16, K, rows.count * columns) -> y: (N, K, Ho, Wo).
func winogradOutput(
    _ m: UnsafePointer<Float>, _ bias: Tensor?, _ g: Conv2dGeometry, _ layout: WinogradTiles,
    _ rows: Range<Int>, _ y: UnsafeMutablePointer<Float>
) {
    let cols = layout.columns, tc = rows.count * cols
    let biases = bias?.data ?? []
    Parallel.forChunks(g.k, grain: max(1, 4096 / max(tc, 1))) { ks in
        let line = UnsafeMutablePointer<Float>.allocate(capacity: 4 * cols)
        defer { line.deallocate() }
        for k in ks {
            let b0: Float = biases.isEmpty ? 0 : biases[k]
            let stride = g.k * tc
            for (index, r) in rows.enumerated() {
                let (n, oh) = layout.origin(r)
                let src = m + k * tc + index * cols
                let (top, bottom) = (line, line + 2 * cols)
                for j in 0..<cols {
                    // A^T M: rows top and bottom of four columns each; then A on columns.
                    var t = SIMD4<Float>(), b = SIMD4<Float>()
                    for s in 0..<4 {
                        let (p0, p1) = (src[s * stride + j], src[(4 + s) * stride + j])
                        let (p2, p3) = (src[(8 + s) * stride + j], src[(12 + s) * stride + j])
                        t[s] = p0 + p1 + p2
                        b[s] = p1 - p2 - p3
                    }
                    top[2 * j] = t[0] + t[1] + t[2] + b0
                    top[2 * j + 1] = t[1] - t[2] - t[3] + b0
                    bottom[2 * j] = b[0] + b[1] + b[2] + b0
                    bottom[2 * j + 1] = b[1] - b[2] - b[3] + b0
                }
                let plane = y + (n * g.k + k) * g.ho * g.wo
                (plane + oh * g.wo).update(from: top, count: g.wo)
                if oh + 1 < g.ho { (plane + (oh + 1) * g.wo).update(from: bottom, count: g.wo) }
            }
        }
    }
}
