// The weight gradient by Winograd F(2x2, 3x3) (forward in Winograd.swift). The forward output
// of a tile is A^T (U * V) A, so the gradient of U_xi is the sum over tiles of (A dY A^T)_xi
// times V_xi, 16 GEMMs with the tiles as their inner dimension:
//   dU_xi (K x C) = E_xi (K x T) * V_xi^T (T x C),  E = A dY A^T,  dW = G^T dU G
// The backward-data of a stride-1 convolution is a forward one (Conv2d+Backward.swift).

/// Gradient of `F.conv2d` with respect to its weight by Winograd F(2x2, 3x3);
/// `usesWinograd(g)` must hold. Tiles are summed chunk after chunk, in a fixed order.
///
/// gy: (N, K, Ho, Wo), x: (N, C, H, W) -> (K, C, 3, 3).
package func winogradBackwardWeight(_ gy: Tensor, _ x: Tensor, _ g: Conv2dGeometry) -> Tensor {
    // Long chunks (the GEMMs' inner dimension), about 8 MB of transformed data; the chunk
    // boundaries decide the summation order, so they depend on the shape only.
    let layout = WinogradTiles(g, budget: 1 << 21, minTiles: 512)
    var du = Tensor(zeros: [16, g.k, g.c])
    du.withUnsafeMutableBufferPointer { dub in
        let dU = dub.baseAddress!
        let v = UnsafeMutablePointer<Float>.allocate(capacity: 16 * g.c * layout.chunkTiles)
        let e = UnsafeMutablePointer<Float>.allocate(capacity: 16 * g.k * layout.chunkTiles)
        defer { v.deallocate(); e.deallocate() }
        x.withUnsafeBufferPointer { xb in
            gy.withUnsafeBufferPointer { gb in
                let (xs, gs) = (xb.baseAddress!, gb.baseAddress!)
                for r0 in stride(from: 0, to: layout.tileRows, by: layout.chunkRows) {
                    let rows = r0..<min(r0 + layout.chunkRows, layout.tileRows)
                    let tc = rows.count * layout.columns
                    Parallel.forChunks(g.c + g.k, grain: max(1, 4096 / max(tc, 1))) { part in
                        let scratch = UnsafeMutablePointer<Float>.allocate(
                            capacity: 16 * layout.columns + 16)
                        defer { scratch.deallocate() }
                        let channels = part.clamped(to: 0..<g.c)
                        let ks = (part.lowerBound - g.c)..<(part.upperBound - g.c)
                        winogradInput(xs, g, layout, rows, channels, v, scratch)
                        winogradGradient(gs, g, layout, rows, ks.clamped(to: 0..<g.k), e, scratch)
                    }
                    for xi in 0..<16 {
                        BLAS.sgemm(
                            transA: false, transB: true, m: g.k, n: g.c, k: tc, alpha: 1,
                            a: e + xi * g.k * tc, lda: tc, b: v + xi * g.c * tc, ldb: tc,
                            beta: r0 == 0 ? 0 : 1, c: dU + xi * g.k * g.c, ldc: g.c)
                    }
                }
            }
        }
    }
    return winogradWeightGradient(du, g)
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
