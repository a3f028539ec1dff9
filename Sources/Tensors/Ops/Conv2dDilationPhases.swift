// A 3x3 convolution with dilation d and padding d ("same" size) on an image whose sides are
// multiples of d is d * d independent undilated 3x3 convolutions with padding 1: output
// (oh, ow) reads only input rows and columns congruent to (oh, ow) modulo d. Splitting the
// images into those phases lets ResNet's dilated layer4 (DeepLab at output stride 16: d = 2 on
// 16x32 features) run on the Winograd kernels instead of im2col + GEMM, in every pass.

/// The undilated geometry of the phase images of `g`, when `g` is a stride-1 3x3 convolution
/// with padding = dilation = d > 1, sides divisible by d, and the phases take Winograd;
/// otherwise nil.
package func dilationPhaseGeometry(_ g: Conv2dGeometry) -> Conv2dGeometry? {
    let d = g.dilation
    guard d > 1, g.kh == 3, g.kw == 3, g.stride == 1, g.padding == d, g.h % d == 0,
        g.w % d == 0
    else { return nil }
    let phases = Conv2dGeometry(
        input: [g.n * d * d, g.c, g.h / d, g.w / d], weight: [g.k, g.c, 3, 3], stride: 1,
        padding: 1, dilation: 1)
    return usesWinograd(phases) ? phases : nil
}

/// x (N, C, H, W) -> (N * d * d, C, H / d, W / d): phase image (n * d + a) * d + b holds
/// x[n, :, a + d * i, b + d * j] at (i, j). With `inverse`, the other way (shape: the
/// (N, C, H, W) to rebuild).
func dilationPhases(_ x: Tensor, _ d: Int, inverse: [Int]? = nil) -> Tensor {
    let (n, c, h, w) =
        inverse.map { ($0[0], $0[1], $0[2], $0[3]) }
        ?? (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (hp, wp) = (h / d, w / d)
    return Tensor(shape: inverse ?? [n * d * d, c, hp, wp]) { out in
        x.withUnsafeBufferPointer { xb in
            let (src, dst) = (xb.baseAddress!, out.baseAddress!)
            // One task per (image, channel, input row): the row's d column phases.
            Parallel.forChunks(n * c * h, grain: max(1, 16_384 / w)) { rows in
                for row in rows {
                    let (image, rest) = row.quotientAndRemainder(dividingBy: c * h)
                    let (ch, ih) = rest.quotientAndRemainder(dividingBy: h)
                    let (i, a) = ih.quotientAndRemainder(dividingBy: d)
                    for b in 0..<d {
                        let phase = ((image * d + a) * d + b) * c + ch
                        let packed = (phase * hp + i) * wp
                        if inverse == nil {
                            let (from, to) = (src + row * w, dst + packed)
                            for j in 0..<wp { to[j] = from[b + d * j] }
                        } else {
                            let (from, to) = (src + packed, dst + row * w)
                            for j in 0..<wp { to[b + d * j] = from[j] }
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
