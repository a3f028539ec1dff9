// The sizes of a 2-D convolution, shared by its kernels (Conv2d.swift, Conv2d+Backward.swift,
// Im2col.swift).

/// The sizes of a 2-D convolution (PyTorch `F.conv2d` semantics, symmetric stride, padding and
/// dilation).
package struct Conv2dGeometry: Sendable, Equatable {
    package let n: Int, c: Int, h: Int, w: Int
    package let k: Int, kh: Int, kw: Int
    package let stride: Int, padding: Int, dilation: Int
    package let ho: Int, wo: Int

    /// input: (N, C, H, W), weight: (K, C, kh, kw).
    package init(input: [Int], weight: [Int], stride: Int, padding: Int, dilation: Int) {
        precondition(
            input.count == 4 && weight.count == 4 && input[1] == weight[1],
            "conv2d: input \(input) and weight \(weight) must be (N, C, H, W) and (K, C, kh, kw)")
        precondition(
            stride >= 1 && padding >= 0 && dilation >= 1,
            "conv2d: stride \(stride), padding \(padding), dilation \(dilation)")
        (n, c, h, w) = (input[0], input[1], input[2], input[3])
        (k, kh, kw) = (weight[0], weight[2], weight[3])
        (self.stride, self.padding, self.dilation) = (stride, padding, dilation)
        ho = (h + 2 * padding - dilation * (kh - 1) - 1) / stride + 1
        wo = (w + 2 * padding - dilation * (kw - 1) - 1) / stride + 1
        precondition(
            ho >= 1 && wo >= 1,
            "conv2d: input \(input) with weight \(weight), stride \(stride), padding \(padding), "
                + "dilation \(dilation) gives an empty output")
    }

    /// Rows of the column matrix: C * kh * kw.
    package var rows: Int { c * kh * kw }
    /// Output positions per image: Ho * Wo.
    package var positions: Int { ho * wo }
    /// A 1x1, stride-1, unpadded convolution is a plain matrix product on the input.
    package var isPointwise: Bool { kh == 1 && kw == 1 && stride == 1 && padding == 0 }
    /// Multiply-adds times two, per pass: 2 * N * K * Ho * Wo * C * kh * kw.
    package var flops: Double { 2 * Double(n * k * positions) * Double(rows) }

    /// The output columns ow whose input column iw = ow * stride - padding + j * dilation lies
    /// inside 0 ..< W, for kernel column j.
    package func validColumns(_ j: Int) -> Range<Int> {
        let offset = j * dilation - padding
        let lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        let hi = w - offset <= 0 ? 0 : (w - offset + stride - 1) / stride
        return min(lo, wo)..<max(min(hi, wo), min(lo, wo))
    }
}
