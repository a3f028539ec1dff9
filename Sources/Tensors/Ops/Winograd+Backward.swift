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
    let layout = WinogradTiles(g)
    var du = Tensor(zeros: [16, g.k, g.c])
    du.withUnsafeMutableBufferPointer { dub in
        let dU = dub.baseAddress!
        let v = UnsafeMutablePointer<Float>.allocate(capacity: 16 * g.c * layout.chunkTiles)
        let e = UnsafeMutablePointer<Float>.allocate(capacity: 16 * g.k * layout.chunkTiles)
        defer { v.deallocate(); e.deallocate() }
        x.withUnsafeBufferPointer { xb in
            gy.withUnsafeBufferPointer { gb in
                for r0 in stride(from: 0, to: layout.tileRows, by: layout.chunkRows) {
                    let rows = r0..<min(r0 + layout.chunkRows, layout.tileRows)
                    let tc = rows.count * layout.columns
                    winogradInput(xb.baseAddress!, g, layout, rows, v)
                    winogradGradient(gb.baseAddress!, g, layout, rows, e)
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

/// E_xi[k, i] = (A dy A^T)[xi] for the 2x2 gradient block dy of tile i (zero past Ho, Wo),
/// A = [1 0; 1 1; 1 -1; 0 -1], for the tiles of tile rows `rows`. Parallel over output
/// channels.
///
/// gy: (N, K, Ho, Wo) -> e: (16, K, rows.count * columns).
func winogradGradient(
    _ gy: UnsafePointer<Float>, _ g: Conv2dGeometry, _ layout: WinogradTiles,
    _ rows: Range<Int>, _ e: UnsafeMutablePointer<Float>
) {
    let cols = layout.columns, tc = rows.count * cols
    Parallel.forChunks(g.k, grain: max(1, 4096 / max(tc, 1))) { ks in
        // The block's two gradient rows, zero-padded to 2 * cols, then A's four rows.
        let d = UnsafeMutablePointer<Float>.allocate(capacity: 6 * 2 * cols)
        defer { d.deallocate() }
        let (d0, d1) = (d, d + 2 * cols)
        let a = d + 4 * cols
        for k in ks {
            let stride = g.k * tc
            for (index, r) in rows.enumerated() {
                let (n, oh) = layout.origin(r)
                let plane = gy + (n * g.k + k) * g.ho * g.wo
                d0.update(from: plane + oh * g.wo, count: g.wo)
                (d0 + g.wo).update(repeating: 0, count: 2 * cols - g.wo)
                if oh + 1 < g.ho {
                    d1.update(from: plane + (oh + 1) * g.wo, count: g.wo)
                    (d1 + g.wo).update(repeating: 0, count: 2 * cols - g.wo)
                } else {
                    d1.update(repeating: 0, count: 2 * cols)
                }
                let (a0, a1, a2, a3) = (a, a + 2 * cols, a + 4 * cols, a + 6 * cols)
                for q in 0..<(2 * cols) {
                    a0[q] = d0[q]
                    a1[q] = d0[q] + d1[q]
                    a2[q] = d0[q] - d1[q]
                    a3[q] = -d1[q]
                }
                for row in 0..<4 {
                    let src = a + row * 2 * cols
                    let out = e + 4 * row * stride + k * tc + index * cols
                    for j in 0..<cols {
                        let (f0, f1) = (src[2 * j], src[2 * j + 1])
                        out[j] = f0
                        out[stride + j] = f0 + f1
                        out[2 * stride + j] = f0 - f1
                        out[3 * stride + j] = -f1
                    }
                }
            }
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
            let stride = g.k * g.c
            Parallel.forChunks(g.k * g.c, grain: 4096) { pairs in
                for kc in pairs {
                    var m = SIMD16<Float>()
                    for xi in 0..<16 { m[xi] = src[xi * stride + kc] }
                    // G^T dU: three rows of four.
                    var r = SIMD16<Float>()
                    for s in 0..<4 {
                        let (a, b, c, d) = (m[s], m[4 + s], m[8 + s], m[12 + s])
                        r[s] = a + (b + c) * 0.5
                        r[4 + s] = (b - c) * 0.5
                        r[8 + s] = (b + c) * 0.5 + d
                    }
                    // (G^T dU) G: three columns per row.
                    let to = dw + kc * 9
                    for i in 0..<3 {
                        let (a, b, c, d) = (r[4 * i], r[4 * i + 1], r[4 * i + 2], r[4 * i + 3])
                        to[3 * i] = a + (b + c) * 0.5
                        to[3 * i + 1] = (b - c) * 0.5
                        to[3 * i + 2] = (b + c) * 0.5 + d
                    }
                }
            }
        }
    }
}
