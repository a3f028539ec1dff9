// Dilated convolutions without the kernel rows that read only padding.
//
// DeepLab's ASPP runs 3x3 convolutions at rates 6, 12 and 18 on 16x32 features: at rate 18
// the outer kernel rows fall outside the 16 input rows for every output row, at rate 12 for
// three quarters of them, so im2col + GEMM would spend half the ASPP's multiply-adds on zeros.
// These kernels group the output rows by the kernel rows that fall inside the image and run
// each group's GEMM over those taps only. The column matrix and the weight are laid out
// tap-major, (i, j, c) instead of (c, i, j), so that a group's taps are one contiguous block of
// the weight's columns. The sums run over the taps in that order, group after group, in a
// fixed order at every thread count (forward: workers take whole tiles, OpenBLAS at one thread
// inside, as in conv2dForwardIm2col).

/// A run of output rows that read the same kernel rows `taps` inside the image.
struct TapRowGroup: Equatable {
    let rows: Range<Int>
    let taps: Range<Int>
}

/// The output rows of `g` grouped by the kernel rows i whose input row
/// oh * stride - padding + i * dilation lies inside 0 ..< H (an interval, possibly empty).
func tapRowGroups(_ g: Conv2dGeometry) -> [TapRowGroup] {
    var groups: [TapRowGroup] = []
    for oh in 0..<g.ho {
        let top = oh * g.stride - g.padding
        let first = (0..<g.kh).first { top + $0 * g.dilation >= 0 } ?? g.kh
        let end = (0..<g.kh).last { top + $0 * g.dilation < g.h }.map { $0 + 1 } ?? 0
        let taps = first < end ? first..<end : 0..<0
        if let last = groups.last, last.taps == taps {
            groups[groups.count - 1] = TapRowGroup(
                rows: last.rows.lowerBound..<(oh + 1), taps: taps)
        } else {
            groups.append(TapRowGroup(rows: oh..<(oh + 1), taps: taps))
        }
    }
    return groups
}

/// Whether `g` runs on the tap-row kernels: a stride-1 dilated convolution whose kernel rows
/// inside the image are at most 90% of all (output row, kernel row) pairs, so that the
/// multiply-adds saved outweigh the two weight permutations per call.
package func skipsPaddingTaps(_ g: Conv2dGeometry) -> Bool {
    guard g.dilation > 1, g.stride == 1, g.kh > 1 else { return false }
    return 10 * insideTapRowPairs(g) <= 9 * g.ho * g.kh
}

/// The (output row, kernel row) pairs of `g` whose kernel row lies inside the image.
func insideTapRowPairs(_ g: Conv2dGeometry) -> Int {
    tapRowGroups(g).reduce(0) { $0 + $1.rows.count * $1.taps.count }
}

/// The work of one call: (image, kernel rows, output positions p0 ..< p1) in tiles of at most
/// `tile` positions, image after image, group after group.
private func tapRowTiles(_ g: Conv2dGeometry, tile: Int) -> [(
    n: Int, taps: Range<Int>, p0: Int, p1: Int
)] {
    var items: [(n: Int, taps: Range<Int>, p0: Int, p1: Int)] = []
    let groups = tapRowGroups(g)
    for n in 0..<g.n {
        for group in groups where !group.taps.isEmpty {
            let (a, b) = (group.rows.lowerBound * g.wo, group.rows.upperBound * g.wo)
            for p0 in stride(from: a, to: b, by: tile) {
                items.append((n, group.taps, p0, min(p0 + tile, b)))
            }
        }
    }
    return items
}

/// Writes columns p0 ..< p1 of the tap-major column matrix of kernel rows `taps`: row
/// (i - taps.lowerBound, j, c) holds what tap (i, j) of channel c reads.
///
/// image: (C, H, W) of one image, stride 1 -> col: (taps.count * kw * C, p1 - p0).
func im2colTaps(
    _ image: UnsafePointer<Float>, _ g: Conv2dGeometry, _ taps: Range<Int>, _ p0: Int,
    _ p1: Int, _ col: UnsafeMutablePointer<Float>, parallel: Bool
) {
    let t = p1 - p0
    func fill(_ rows: Range<Int>) {
        for r in rows {
            let (tap, c) = r.quotientAndRemainder(dividingBy: g.c)
            let i = taps.lowerBound + tap / g.kw, j = tap % g.kw
            im2colRow(image, g, c, i, j, p0, p1, col + r * t)
        }
    }
    let rows = taps.count * g.kw * g.c
    if parallel {
        Parallel.forChunks(rows, grain: max(1, 16_384 / max(t, 1))) { fill($0) }
    } else {
        fill(0..<rows)
    }
}

/// weight (K, C, kh, kw) -> (K, kh, kw, C), or back with `inverse`.
func tapMajor(_ weight: Tensor, _ g: Conv2dGeometry, inverse: Bool = false) -> Tensor {
    let taps = g.kh * g.kw
    return Tensor(shape: inverse ? [g.k, g.c, g.kh, g.kw] : [g.k, g.kh, g.kw, g.c]) { out in
        weight.withUnsafeBufferPointer { wb in
            let (src, dst) = (wb.baseAddress!, out.baseAddress!)
            Parallel.forChunks(g.k, grain: max(1, 65_536 / g.rows)) { ks in
                for k in ks {
                    let (from, to) = (src + k * g.rows, dst + k * g.rows)
                    for c in 0..<g.c {
                        for t in 0..<taps {
                            if inverse {
                                to[c * taps + t] = from[t * g.c + c]
                            } else {
                                to[t * g.c + c] = from[c * taps + t]
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Forward convolution over the kernel rows inside the image; `skipsPaddingTaps(g)` must hold.
///
/// x: (N, C, H, W), weight: (K, C, kh, kw), bias: (K) -> (N, K, Ho, Wo).
package func conv2dForwardTapRows(
    _ x: Tensor, _ weight: Tensor, _ bias: Tensor?, _ g: Conv2dGeometry
) -> Tensor {
    let p = g.positions
    let wt = tapMajor(weight, g)
    let tile = conv2dTileColumns(g)
    let items = tapRowTiles(g, tile: tile)
    return Tensor(shape: [g.n, g.k, g.ho, g.wo]) { out in
        let y = out.baseAddress!
        fillOutputPlanes(y, bias?.data, g)
        x.withUnsafeBufferPointer { xb in
            wt.withUnsafeBufferPointer { wb in
                let (xs, ws) = (xb.baseAddress!, wb.baseAddress!)
                BLAS.forEachShare(items.count, workers: Parallel.threads) { share, alone in
                    let col = UnsafeMutablePointer<Float>.allocate(capacity: g.rows * tile)
                    defer { col.deallocate() }
                    for (n, taps, p0, p1) in items[share] {
                        im2colTaps(
                            xs + n * g.c * g.h * g.w, g, taps, p0, p1, col, parallel: alone)
                        BLAS.sgemm(
                            transA: false, transB: false, m: g.k, n: p1 - p0,
                            k: taps.count * g.kw * g.c, alpha: 1,
                            a: ws + taps.lowerBound * g.kw * g.c, lda: g.rows, b: col,
                            ldb: p1 - p0, beta: 1, c: y + n * g.k * p + p0, ldc: p)
                    }
                }
            }
        }
    }
}

/// Gradient with respect to the weight over the kernel rows inside the image;
/// `skipsPaddingTaps(g)` must hold. Sums image after image, group after group, tile after tile.
///
/// gy: (N, K, Ho, Wo), x: (N, C, H, W) -> (K, C, kh, kw).
package func conv2dBackwardWeightTapRows(_ gy: Tensor, _ x: Tensor, _ g: Conv2dGeometry)
    -> Tensor
{
    let p = g.positions
    let tile = conv2dTileColumns(g)
    var dwt = Tensor(zeros: [g.k, g.kh, g.kw, g.c])
    dwt.withUnsafeMutableBufferPointer { db in
        let dw = db.baseAddress!
        let col = UnsafeMutablePointer<Float>.allocate(capacity: g.rows * tile)
        defer { col.deallocate() }
        gy.withUnsafeBufferPointer { gb in
            x.withUnsafeBufferPointer { xb in
                let (dys, xs) = (gb.baseAddress!, xb.baseAddress!)
                for (n, taps, p0, p1) in tapRowTiles(g, tile: tile) {
                    im2colTaps(xs + n * g.c * g.h * g.w, g, taps, p0, p1, col, parallel: true)
                    BLAS.sgemm(
                        transA: false, transB: true, m: g.k, n: taps.count * g.kw * g.c,
                        k: p1 - p0, alpha: 1, a: dys + n * g.k * p + p0, lda: p, b: col,
                        ldb: p1 - p0, beta: 1, c: dw + taps.lowerBound * g.kw * g.c, ldc: g.rows)
                }
            }
        }
    }
    return tapMajor(dwt, g, inverse: true)
}
