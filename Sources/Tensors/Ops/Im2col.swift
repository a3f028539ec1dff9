// im2col / col2im over a tile of output positions, the non-GEMM half of convolution.
//
// The column matrix of one image has a row per (c, i, j) (input channel, kernel row, kernel
// column) and a column per output position p = oh * Wo + ow. A tile holds the columns
// p0 ..< p1 only, so the buffer stays cache-sized and the GEMM that consumes it runs on
// data still in cache. Both directions are parallel over rows each worker owns: im2col over
// column-matrix rows, col2im over input rows (c, ih) that gather their contributions, so the
// summation order is fixed and independent of the thread count.

/// Output positions per column tile: about `budget` floats of column matrix (4 MB: the tile
/// stays in cache between im2col and the GEMM that packs it), but at least 1024 positions so
/// each GEMM call is long enough to amortise packing the weight, and at most one image.
/// Measured on the paper shapes (repro bench conv): 1M floats / 1024 beat 256K-16M floats.
package func conv2dTileColumns(_ g: Conv2dGeometry, budget: Int = 1 << 20) -> Int {
    min(g.positions, max(1024, budget / max(g.rows, 1)))
}

/// Elements of the image layout `im2col` reads: the image itself for stride 1; for stride s > 1
/// its columns split by phase, (C, H, s, ceil(W / s)), so every column-matrix row is a run of
/// contiguous copies instead of a strided gather.
package func im2colSourceCount(_ g: Conv2dGeometry) -> Int {
    g.stride == 1 ? 0 : g.c * g.h * g.stride * phaseWidth(g)
}

/// ceil(W / stride): the width of one phase of an input row.
package func phaseWidth(_ g: Conv2dGeometry) -> Int { (g.w + g.stride - 1) / g.stride }

/// The image as `im2col` reads it: `x` itself for stride 1, else its phase split written into
/// `scratch` (`im2colSourceCount(g)` elements): scratch[c, ih, q, u] = x[c, ih, u * s + q].
package func im2colSource(
    _ x: UnsafePointer<Float>, _ g: Conv2dGeometry, _ scratch: UnsafeMutablePointer<Float>
) -> UnsafePointer<Float> {
    let s = g.stride
    if s == 1 { return x }
    let wq = phaseWidth(g)
    Parallel.forChunks(g.c * g.h, grain: max(1, 16_384 / g.w)) { rows in
        for row in rows {
            let src = x + row * g.w, dst = scratch + row * s * wq
            for q in 0..<s {
                let out = dst + q * wq
                var u = 0
                while u * s + q < g.w { out[u] = src[u * s + q]; u += 1 }
                while u < wq { out[u] = 0; u += 1 }
            }
        }
    }
    return UnsafePointer(scratch)
}

/// Writes columns p0 ..< p1 of an image's column matrix into `col` (rows x (p1 - p0)), across
/// the threads unless `parallel` is false (a caller that runs tiles on its own workers).
///
/// source: one image as laid out by `im2colSource` -> col: (C * kh * kw, p1 - p0).
package func im2col(
    _ source: UnsafePointer<Float>, _ g: Conv2dGeometry, _ p0: Int, _ p1: Int,
    _ col: UnsafeMutablePointer<Float>, parallel: Bool = true
) {
    let t = p1 - p0
    func fill(_ rows: Range<Int>) {
        for r in rows {
            let ci = r / (g.kh * g.kw), i = (r / g.kw) % g.kh, j = r % g.kw
            im2colRow(source, g, ci, i, j, p0, p1, col + r * t)
        }
    }
    if parallel {
        Parallel.forChunks(g.rows, grain: max(1, 16_384 / max(t, 1))) { fill($0) }
    } else {
        fill(0..<g.rows)
    }
}

/// Writes columns p0 ..< p1 of the column-matrix row of input channel `ci` and kernel tap
/// (i, j) into `dst`: the input values the tap reads at those output positions, zero where
/// it reads padding.
package func im2colRow(
    _ source: UnsafePointer<Float>, _ g: Conv2dGeometry, _ ci: Int, _ i: Int, _ j: Int,
    _ p0: Int, _ p1: Int, _ dst: UnsafeMutablePointer<Float>
) {
    let s = g.stride
    let rowLength = s == 1 ? g.w : s * phaseWidth(g)
    let valid = g.validColumns(j)
    // Input column iw = ow * s + offset lies in phase q at u = ow + shift.
    let offset = j * g.dilation - g.padding
    let q = ((offset % s) + s) % s
    let shift = (offset - q) / s
    let plane = source + ci * g.h * rowLength + q * phaseWidth(g) + shift
    var oh = p0 / g.wo
    while oh * g.wo < p1 {
        let a = max(p0 - oh * g.wo, 0), b = min(p1 - oh * g.wo, g.wo)
        let out = dst + (oh * g.wo - p0)
        let ih = oh * s - g.padding + i * g.dilation
        if ih < 0 || ih >= g.h {
            (out + a).update(repeating: 0, count: b - a)
        } else {
            let lo = min(max(a, valid.lowerBound), b), hi = max(min(b, valid.upperBound), lo)
            if lo > a { (out + a).update(repeating: 0, count: lo - a) }
            (out + lo).update(from: plane + ih * rowLength + lo, count: hi - lo)
            if b > hi { (out + hi).update(repeating: 0, count: b - hi) }
        }
        oh += 1
    }
}

/// Adds columns p0 ..< p1 of a column-matrix gradient back onto image gradient `dx`.
///
/// col: (C * kh * kw, p1 - p0) -> dx: (C, H, W) of one image, accumulated. For every input
/// element the contributions are added in kernel order (i, then j), tile after tile.
package func col2im(
    _ col: UnsafePointer<Float>, _ g: Conv2dGeometry, _ p0: Int, _ p1: Int,
    _ dx: UnsafeMutablePointer<Float>
) {
    let t = p1 - p0
    let s = g.stride
    let firstRow = p0 / g.wo, lastRow = (p1 - 1) / g.wo
    Parallel.forChunks(g.c * g.h, grain: max(1, 4096 / max(g.w * g.kh * g.kw, 1))) { rows in
        for row in rows {
            let ci = row / g.h, ih = row % g.h
            let out = dx + row * g.w
            for i in 0..<g.kh {
                // Output row oh reads input row ih through kernel row i when
                // oh * stride - padding + i * dilation == ih.
                let num = ih + g.padding - i * g.dilation
                if num < 0 || num % s != 0 { continue }
                let oh = num / s
                if oh < firstRow || oh > lastRow || oh >= g.ho { continue }
                let a = max(p0 - oh * g.wo, 0), b = min(p1 - oh * g.wo, g.wo)
                for j in 0..<g.kw {
                    let valid = g.validColumns(j)
                    let lo = max(a, valid.lowerBound), hi = min(b, valid.upperBound)
                    if lo >= hi { continue }
                    let src = col + ((ci * g.kh + i) * g.kw + j) * t + (oh * g.wo - p0)
                    let dst = out + (j * g.dilation - g.padding)
                    if s == 1 {
                        for ow in lo..<hi { dst[ow] += src[ow] }
                    } else {
                        for ow in lo..<hi { dst[ow * s] += src[ow] }
                    }
                }
            }
        }
    }
}
