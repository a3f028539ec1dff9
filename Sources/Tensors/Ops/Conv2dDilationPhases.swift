// A 3x3 convolution with dilation d and padding d ("same" size) is d * d independent
// undilated 3x3 convolutions with padding 1: output (oh, ow) reads only input rows and columns
// congruent to (oh, ow) modulo d. Splitting the images into those phases lets ResNet's dilated
// layer4 (DeepLab at output stride 16: d = 2, 4, 8 on 16x32 features) and ASPP-like rates on
// larger maps run on the Winograd kernels instead of im2col + GEMM, in every pass. Where d
// does not divide a side, the phases have ceil(side / d) rows or columns and the short ones
// are zero-padded: the zeros are exactly the padding the dilated convolution reads there, and
// the outputs computed on them are dropped.

/// The share of multiply-adds of the direct kernels (im2col, or the tap-row kernels' rows
/// inside the image) below which the phases' Winograd tiles are taken: the transforms, the
/// phase copies and the padded tiles cost about a third of the saving on 16x32 to 32x64 maps
/// (results/bench/conv-2026-11-30-winograd-chunks.md).
let phaseWorkShare = 0.7

/// The undilated geometry of the phase images of `g`, when `g` is a stride-1 3x3 convolution
/// with padding = dilation = d > 1, the phases take Winograd, and their tiles (16
/// multiply-adds per tile and channel pair, padded tiles included) cost at most
/// `phaseWorkShare` of the direct kernels' multiply-adds; otherwise nil.
package func dilationPhaseGeometry(_ g: Conv2dGeometry) -> Conv2dGeometry? {
    let d = g.dilation
    guard d > 1, g.kh == 3, g.kw == 3, g.stride == 1, g.padding == d else { return nil }
    let (hp, wp) = ((g.h + d - 1) / d, (g.w + d - 1) / d)
    let phases = Conv2dGeometry(
        input: [g.n * d * d, g.c, hp, wp], weight: [g.k, g.c, 3, 3], stride: 1, padding: 1,
        dilation: 1)
    guard usesWinograd(phases) else { return nil }
    let tiles = d * d * ((hp + 1) / 2) * ((wp + 1) / 2)
    let taps = skipsPaddingTaps(g) ? insideTapRowPairs(g) * 3 * g.wo : 9 * g.ho * g.wo
    return Double(16 * tiles) <= phaseWorkShare * Double(taps) ? phases : nil
}

/// x (N, C, H, W) -> (N * d * d, C, ceil(H / d), ceil(W / d)): phase image
/// (n * d + a) * d + b holds x[n, :, a + d * i, b + d * j] at (i, j), zero where that lies
/// outside x. With `inverse`, the other way (shape: the (N, C, H, W) to rebuild; positions
/// outside it are dropped).
func dilationPhases(_ x: Tensor, _ d: Int, inverse: [Int]? = nil) -> Tensor {
    let (n, c, h, w) =
        inverse.map { ($0[0], $0[1], $0[2], $0[3]) }
        ?? (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (hp, wp) = ((h + d - 1) / d, (w + d - 1) / d)
    return Tensor(shape: inverse ?? [n * d * d, c, hp, wp]) { out in
        x.withUnsafeBufferPointer { xb in
            let (src, dst) = (xb.baseAddress!, out.baseAddress!)
            if inverse == nil && (h % d != 0 || w % d != 0) {
                Parallel.forChunks(n * d * d * c, grain: max(1, 32_768 / (hp * wp))) { range in
                    (dst + range.lowerBound * hp * wp).update(
                        repeating: 0, count: range.count * hp * wp)
                }
            }
            // One task per (image, channel, input row): the row's d column phases.
            Parallel.forChunks(n * c * h, grain: max(1, 16_384 / w)) { rows in
                for row in rows {
                    let (image, rest) = row.quotientAndRemainder(dividingBy: c * h)
                    let (ch, ih) = rest.quotientAndRemainder(dividingBy: h)
                    let (i, a) = ih.quotientAndRemainder(dividingBy: d)
                    for b in 0..<min(d, w) {
                        let phase = ((image * d + a) * d + b) * c + ch
                        let packed = (phase * hp + i) * wp
                        let columns = (w - b + d - 1) / d
                        if inverse == nil {
                            let (from, to) = (src + row * w, dst + packed)
                            for j in 0..<columns { to[j] = from[b + d * j] }
                        } else {
                            let (from, to) = (src + packed, dst + row * w)
                            for j in 0..<columns { to[b + d * j] = from[j] }
                        }
                    }
                }
            }
        }
    }
}

/// Forward of a dilated convolution through its phases; `dilationPhaseGeometry(g)` is `pg`.
func conv2dForwardPhases(
    _ x: Tensor, _ weight: Tensor, _ bias: Tensor?, _ g: Conv2dGeometry, _ pg: Conv2dGeometry
) -> Tensor {
    let y = winogradForward(dilationPhases(x, g.dilation), weight, bias, pg)
    return dilationPhases(y, g.dilation, inverse: [g.n, g.k, g.ho, g.wo])
}

/// Gradient with respect to the input through the phases: a Winograd forward of each phase
/// of gy with the flipped, transposed weight.
func conv2dBackwardDataPhases(
    _ gy: Tensor, _ weight: Tensor, _ g: Conv2dGeometry, _ pg: Conv2dGeometry
) -> Tensor {
    let transposed = Conv2dGeometry(
        input: [pg.n, g.k, pg.h, pg.w], weight: [g.c, g.k, 3, 3], stride: 1, padding: 1,
        dilation: 1)
    let dx = winogradForward(
        dilationPhases(gy, g.dilation), flippedTransposed(weight), nil, transposed)
    return dilationPhases(dx, g.dilation, inverse: [g.n, g.c, g.h, g.w])
}

/// Gradient with respect to the weight through the phases (summed over all phase images).
func conv2dBackwardWeightPhases(
    _ gy: Tensor, _ x: Tensor, _ g: Conv2dGeometry, _ pg: Conv2dGeometry
) -> Tensor {
    winogradBackwardWeight(dilationPhases(gy, g.dilation), dilationPhases(x, g.dilation), pg)
}
