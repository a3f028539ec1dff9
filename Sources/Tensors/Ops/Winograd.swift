import CWinograd

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
/// (results/bench/conv-2026-11-30.md): 1.1-1.6x at 64-304 channels from 16x32 up;
/// 1024 channels at 8x16, batch 2 (64 tiles), ran slower than im2col.
package func usesWinograd(_ g: Conv2dGeometry) -> Bool {
    g.kh == 3 && g.kw == 3 && g.stride == 1 && g.dilation == 1 && g.c >= 32 && g.k >= 32
        && g.n * ((g.ho + 1) / 2) * ((g.wo + 1) / 2) >= 128
}

/// Forward convolution by Winograd F(2x2, 3x3); `usesWinograd(g)` must hold.
///
/// x: (N, C, H, W), weight: (K, C, 3, 3), bias: (K) -> (N, K, Ho, Wo).
///
/// Chunk by chunk of tile rows (about 2 MB per transformed buffer): input transform, the 16
/// GEMMs, output transform, while the chunk's data are still in cache. The workers take whole
/// chunks (OpenBLAS runs one thread inside each): no worker waits for another between the
/// three steps, and every output is computed the same way at every thread count. Measured
/// (results/bench/conv-2026-11-30-winograd-chunks.md): 1.2-2.5x the earlier kernel at 2
/// threads, which ran each step across both threads; 1 MB chunks (GEMMs of 64-256 tiles) were
/// slower at 128-256 channels than 2-8 MB ones.
package func winogradForward(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?, _ g: Conv2dGeometry)
    -> Tensor
{
    let layout = WinogradTiles(
        g, budget: 1 << 19, minTiles: 256, pairs: true, workers: Parallel.threads)
    let u = winogradWeights(weight, g)
    let biases = bias?.data
    return Tensor(shape: [g.n, g.k, g.ho, g.wo]) { out in
        let y = UncheckedSendable(out.baseAddress!)
        x.withUnsafeBufferPointer { xb in
            u.withUnsafeBufferPointer { ub in
                let (xs, us) = (xb.baseAddress!, ub.baseAddress!)
                layout.forEachChunk(channels: max(g.c, g.k)) { rows, v, m, scratch in
                    let tc = rows.count * layout.columns
                    winogradInput(xs, g, layout, rows, 0..<g.c, v, scratch)
                    for xi in 0..<16 {
                        BLAS.sgemm(
                            transA: false, transB: false, m: g.k, n: tc, k: g.c, alpha: 1,
                            a: us + xi * g.k * g.c, lda: g.c, b: v + xi * g.c * tc, ldb: tc,
                            beta: 0, c: m + xi * g.k * tc, ldc: tc)
                    }
                    winogradOutput(m, biases, g, layout, rows, 0..<g.k, y.value)
                }
            }
        }
    }
}

/// The tiles of a convolution: 2x2 output blocks, in rows of `columns` tiles; tile row R
/// (0-based over all images) is image R / rowsPerImage, output rows 2 * (R % rowsPerImage)
/// and the next. A chunk is a run of whole tile rows; small images share a chunk.
struct WinogradTiles {
    let rowsPerImage: Int, columns: Int, tileRows: Int, chunkRows: Int, workers: Int

    /// Chunks of at least `minTiles` tiles and about `budget` floats per transformed buffer
    /// (16 * max(C, K) floats per tile); with `pairs`, an even number of chunks of equal size
    /// (two workers share them evenly), whatever `workers` is. The chunks never depend on the
    /// thread count: OpenBLAS rounds a GEMM column differently by its place among the
    /// kernel's column blocks (measured: chunks of 180 and 360 tiles gave other bits in the
    /// second half), so chunking by the workers would change the bits with the threads.
    init(_ g: Conv2dGeometry, budget: Int, minTiles: Int, pairs: Bool = false, workers: Int = 1) {
        rowsPerImage = (g.ho + 1) / 2
        columns = (g.wo + 1) / 2
        tileRows = g.n * rowsPerImage
        let wanted = max(minTiles, budget / (16 * max(g.c, g.k)))
        let rows = min(tileRows, max(1, (wanted + columns - 1) / columns))
        if pairs && tileRows > 1 {
            let chunks = 2 * ((tileRows + 2 * rows - 1) / (2 * rows))
            chunkRows = (tileRows + chunks - 1) / chunks
        } else {
            chunkRows = rows
        }
        self.workers = max(1, min(workers, (tileRows + chunkRows - 1) / chunkRows))
    }

    /// Tiles per full chunk.
    var chunkTiles: Int { chunkRows * columns }

    /// Chunks of tile rows.
    var chunks: Int { (tileRows + chunkRows - 1) / chunkRows }

    /// (image, top output row) of tile row R.
    func origin(_ r: Int) -> (n: Int, oh: Int) { (r / rowsPerImage, 2 * (r % rowsPerImage)) }

    /// Calls `body(rows, v, m, scratch)` for every chunk, `workers` at once with OpenBLAS at
    /// one thread inside; each worker has its own buffers: v and m of 16 * channels floats per
    /// tile, scratch for the row transforms. The body must write only its chunk's outputs.
    func forEachChunk(
        channels: Int,
        _ body: (
            Range<Int>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
            UnsafeMutablePointer<Float>
        ) -> Void
    ) {
        BLAS.forEachShare(chunks, workers: workers) { share, _ in
            let v = UnsafeMutablePointer<Float>.allocate(capacity: 16 * channels * chunkTiles)
            let m = UnsafeMutablePointer<Float>.allocate(capacity: 16 * channels * chunkTiles)
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 16 * columns + 16)
            defer { v.deallocate(); m.deallocate(); scratch.deallocate() }
            for chunk in share {
                let r0 = chunk * chunkRows
                body(r0..<min(r0 + chunkRows, tileRows), v, m, scratch)
            }
        }
    }
}

/// U_xi[k, c] = (G w[k, c] G^T)[xi], G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1].
///
/// weight: (K, C, 3, 3) -> (16, K, C).
func winogradWeights(_ weight: Tensor, _ g: Conv2dGeometry) -> Tensor {
    Tensor(shape: [16, g.k, g.c]) { out in
        let u = out.baseAddress!
        weight.withUnsafeBufferPointer { wb in
            let w = wb.baseAddress!
            Parallel.forChunks(g.k * g.c, grain: 8192) { filters in
                cwino_weights(
                    w + 9 * filters.lowerBound, Int32(filters.count), u + filters.lowerBound,
                    g.k * g.c)
            }
        }
    }
}

/// V_xi[c, i] = (B^T d B)[xi] for the 4x4 input patch d of tile i (zero outside the image),
/// B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1], for the tiles of tile rows `rows` and the
/// input channels `channels` (`cwino_input_rows`).
///
/// x: (N, C, H, W) -> v: (16, C, rows.count * columns); scratch: 10 * (columns + 1) floats.
func winogradInput(
    _ x: UnsafePointer<Float>, _ g: Conv2dGeometry, _ layout: WinogradTiles, _ rows: Range<Int>,
    _ channels: Range<Int>, _ v: UnsafeMutablePointer<Float>, _ scratch: UnsafeMutablePointer<Float>
) {
    let tc = rows.count * layout.columns
    for c in channels {
        cwino_input_rows(
            x + c * g.h * g.w, g.c * g.h * g.w, Int32(g.h), Int32(g.w), Int32(g.padding),
            Int32(layout.rowsPerImage), Int32(rows.lowerBound), Int32(rows.count),
            Int32(layout.columns), v + c * tc, g.c * tc, scratch)
    }
}

/// y[n, k, oh + a, ow + b] = (A^T M A)[a, b] (+ bias), A^T = [1 1 1 0; 0 1 -1 -1], for the
/// tiles of tile rows `rows` and the output channels `ks`; outputs past Ho or Wo (odd sizes)
/// are dropped (`cwino_output_rows`).
///
/// m: (16, K, rows.count * columns) -> y: (N, K, Ho, Wo).
func winogradOutput(
    _ m: UnsafePointer<Float>, _ biases: [Float]?, _ g: Conv2dGeometry, _ layout: WinogradTiles,
    _ rows: Range<Int>, _ ks: Range<Int>, _ y: UnsafeMutablePointer<Float>
) {
    let tc = rows.count * layout.columns
    for k in ks {
        cwino_output_rows(
            m + k * tc, g.k * tc, Int32(layout.columns), biases?[k] ?? 0,
            y + k * g.ho * g.wo, g.k * g.ho * g.wo, Int32(g.ho), Int32(g.wo),
            Int32(layout.rowsPerImage), Int32(rows.lowerBound), Int32(rows.count))
    }
}

/// E_xi[k, i] = (A dy A^T)[xi] for the 2x2 gradient block dy of tile i (zero past Ho, Wo),
/// A = [1 0; 1 1; 1 -1; 0 -1], for the tiles of tile rows `rows` and the output channels `ks`
/// (`cwino_gradient_rows`).
///
/// gy: (N, K, Ho, Wo) -> e: (16, K, rows.count * columns); scratch: 10 * columns floats.
func winogradGradient(
    _ gy: UnsafePointer<Float>, _ g: Conv2dGeometry, _ layout: WinogradTiles,
    _ rows: Range<Int>, _ ks: Range<Int>, _ e: UnsafeMutablePointer<Float>,
    _ scratch: UnsafeMutablePointer<Float>
) {
    let tc = rows.count * layout.columns
    for k in ks {
        cwino_gradient_rows(
            gy + k * g.ho * g.wo, g.k * g.ho * g.wo, Int32(g.ho), Int32(g.wo),
            Int32(layout.rowsPerImage), Int32(rows.lowerBound), Int32(rows.count),
            Int32(layout.columns), e + k * tc, g.k * tc, scratch)
    }
}

/// dw_i = G^T dU_i G for `count` filters (`cwino_weight_gradient`): dU_i[xi] = du[xi * stride + i]
/// -> dw[9i ..< 9i + 9].
func winogradFilterGradients(
    _ du: UnsafePointer<Float>, _ stride: Int, _ count: Int, _ dw: UnsafeMutablePointer<Float>
) {
    cwino_weight_gradient(du, stride, Int32(count), dw)
}
