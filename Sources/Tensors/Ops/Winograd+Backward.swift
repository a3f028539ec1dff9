// The weight gradient by Winograd F(2x2, 3x3) (forward in Winograd.swift). The forward output
// of a tile is A^T (U * V) A, so the gradient of U_xi is the sum over tiles of (A dY A^T)_xi
// times V_xi, 16 GEMMs with the tiles as their inner dimension:
//   dU_xi (K x C) = E_xi (K x T) * V_xi^T (T x C),  E = A dY A^T,  dW = G^T dU G
// The backward-data of a stride-1 convolution is a forward one (Conv2d+Backward.swift).

/// Gradient of `F.conv2d` with respect to its weight by Winograd F(2x2, 3x3);
/// `usesWinograd(g)` must hold. Tiles are summed chunk after chunk, in a fixed order.
///
/// With at least 1024 tiles and at most 128 x 256 filters, the chunks form two halves (as many
/// chunks each, at least 512 tiles), each summed into its own dU, and dU = first + second: two
/// workers take a half each, with OpenBLAS at one thread inside, and one worker takes both in
/// turn, so the bits are the same at every thread count. The 16 GEMMs of such small K x C
/// outputs (the tiles inner) split badly across OpenBLAS's threads: the second thread gained
/// 1.5x at 64-128 channels and 1.1x at 36 -> 128; in halves, 1.2-1.7x faster at 2 threads.
/// From 256 x 256 filters up OpenBLAS's threads share each chunk's GEMMs well, and halves
/// measured no faster (results/bench/conv-2026-11-30-weight-halves.md).
///
/// gy: (N, K, Ho, Wo), x: (N, C, H, W) -> (K, C, 3, 3).
package func winogradBackwardWeight(_ gy: Tensor, _ x: Tensor, _ g: Conv2dGeometry) -> Tensor {
    let (layout, halves) = winogradWeightLayout(g)
    let size = 16 * g.k * g.c
    var du = Tensor(zeros: [16, g.k, g.c])
    du.withUnsafeMutableBufferPointer { dub in
        let dU = dub.baseAddress!
        x.withUnsafeBufferPointer { xb in
            gy.withUnsafeBufferPointer { gb in
                let (xs, gs) = (xb.baseAddress!, gb.baseAddress!)
                guard halves else {
                    return winogradWeightSums(xs, gs, g, layout, 0..<layout.chunks, dU)
                }
                let second = UnsafeMutablePointer<Float>.allocate(capacity: size)
                defer { second.deallocate() }
                let half = layout.chunks / 2
                BLAS.forEachShare(2, workers: Parallel.threads) { share, _ in
                    for part in share {
                        winogradWeightSums(
                            xs, gs, g, layout, part == 0 ? 0..<half : half..<layout.chunks,
                            part == 0 ? dU : second)
                    }
                }
                Parallel.forChunks(size, grain: 1 << 16) { range in
                    for i in range { dU[i] += second[i] }
                }
            }
        }
    }
    return winogradWeightGradient(du, g)
}

/// The chunks of the weight gradient: long ones (the GEMMs' inner dimension), about 8 MB of
/// transformed data each, and whether they form two halves. The chunk boundaries decide the
/// summation order, so they depend on the shape only.
func winogradWeightLayout(_ g: Conv2dGeometry) -> (layout: WinogradTiles, halves: Bool) {
    let single = WinogradTiles(g, budget: 1 << 21, minTiles: 512)
    guard single.tileRows * single.columns >= 1024, g.k * g.c <= 128 * 256 else {
        return (single, false)
    }
    return (WinogradTiles(g, budget: 1 << 21, minTiles: 512, pairs: true), true)
}

/// dU (16, K, C) = the sum over the tiles of `chunks` of E_xi V_xi^T, chunk after chunk.
/// The transforms run on the calling thread, or across the workers when OpenBLAS has more
/// than one thread (no other worker is running).
private func winogradWeightSums(
    _ xs: UnsafePointer<Float>, _ gs: UnsafePointer<Float>, _ g: Conv2dGeometry,
    _ layout: WinogradTiles, _ chunks: Range<Int>, _ dU: UnsafeMutablePointer<Float>
) {
    let scratchSize = 16 * layout.columns + 16
    let v = UnsafeMutablePointer<Float>.allocate(capacity: 16 * g.c * layout.chunkTiles)
    let e = UnsafeMutablePointer<Float>.allocate(capacity: 16 * g.k * layout.chunkTiles)
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchSize)
    defer { v.deallocate(); e.deallocate(); scratch.deallocate() }
    let shared = BLAS.threads > 1
    for chunk in chunks {
        let r0 = chunk * layout.chunkRows
        let rows = r0..<min(r0 + layout.chunkRows, layout.tileRows)
        let tc = rows.count * layout.columns
        let transform = { (part: Range<Int>, scratch: UnsafeMutablePointer<Float>) in
            let channels = part.clamped(to: 0..<g.c)
            let ks = (part.lowerBound - g.c)..<(part.upperBound - g.c)
            winogradInput(xs, g, layout, rows, channels, v, scratch)
            winogradGradient(gs, g, layout, rows, ks.clamped(to: 0..<g.k), e, scratch)
        }
        if shared {
            Parallel.forChunks(g.c + g.k, grain: max(1, 4096 / max(tc, 1))) { part in
                let own = UnsafeMutablePointer<Float>.allocate(capacity: scratchSize)
                defer { own.deallocate() }
                transform(part, own)
            }
        } else {
            transform(0..<(g.c + g.k), scratch)
        }
        for xi in 0..<16 {
            BLAS.sgemm(
                transA: false, transB: true, m: g.k, n: g.c, k: tc, alpha: 1,
                a: e + xi * g.k * tc, lda: tc, b: v + xi * g.c * tc, ldb: tc,
                beta: chunk == chunks.lowerBound ? 0 : 1, c: dU + xi * g.k * g.c, ldc: g.c)
        }
    }
}

/// dW[k, c] = G^T dU[k, c] G, G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1].
///
/// du: (16, K, C) -> (K, C, 3, 3).
func winogradWeightGradient(_ du: Tensor, _ g: Conv2dGeometry) -> Tensor {
    Tensor(shape: [g.k, g.c, 3, 3]) { out in
        let dw = out.baseAddress!
        du.withUnsafeBufferPointer { dub in
            let src = dub.baseAddress!
            Parallel.forChunks(g.k * g.c, grain: 8192) { filters in
                winogradFilterGradients(
                    src + filters.lowerBound, g.k * g.c, filters.count,
                    dw + 9 * filters.lowerBound)
            }
        }
    }
}
