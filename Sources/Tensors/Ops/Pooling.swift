// 2-D pooling over NCHW planes (ceil_mode false, dilation 1), PyTorch `F.max_pool2d`,
// `F.avg_pool2d` and `F.adaptive_avg_pool2d(x, 1)`.
//
// Output extent: Ho = (H + 2 * padding - kernel) / stride + 1 (floor), likewise Wo. A window
// starts at oh * stride - padding and is clipped to the input; padding counts as -inf for max
// pooling and as zeros for average pooling. Kernels run in parallel over (n, c) planes; a
// backward scatters into its own plane only.

/// Max pooling, PyTorch `F.max_pool2d(kernel, stride, padding)`; the gradient goes to the first
/// maximum of each window in row-major scan order (a NaN counts as a maximum), as in PyTorch.
public func maxPool2d(_ x: Variable, kernel: Int, stride: Int, padding: Int = 0) -> Variable {
    let window = PoolWindow(x.value, kernel: kernel, stride: stride, padding: padding, op: "maxPool2d")
    let (y, argmax) = maxPool2dForward(x.value, window, recordArgmax: x.requiresGradient)
    return Variable.record(y, inputs: [x]) { gy, _ in [maxPool2dBackward(gy, argmax, window)] }
}

/// Average pooling, PyTorch `F.avg_pool2d(kernel, stride, padding, count_include_pad)`: the
/// divisor is the window clipped to the padded input (count_include_pad true) or to the input.
public func avgPool2d(
    _ x: Variable, kernel: Int, stride: Int, padding: Int = 0, countIncludePad: Bool = true
) -> Variable {
    let window = PoolWindow(x.value, kernel: kernel, stride: stride, padding: padding, op: "avgPool2d")
    let y = avgPool2dForward(x.value, window, countIncludePad: countIncludePad)
    return Variable.record(y, inputs: [x]) { gy, _ in
        [avgPool2dBackward(gy, window, countIncludePad: countIncludePad)]
    }
}

/// Global average pooling, PyTorch `F.adaptive_avg_pool2d(x, 1)`: (N, C, H, W) -> (N, C, 1, 1).
public func globalAvgPool2d(_ x: Variable) -> Variable {
    let (n, c, h, w) = x.value.nchw()
    precondition(h * w > 0, "globalAvgPool2d: empty planes in input shape \(x.shape)")
    let hw = h * w
    let y = Tensor(shape: [n, c, 1, 1]) { yp in
        x.value.withUnsafeBufferPointer { xp in
            Parallel.forEach(n * c, grain: planeGrain(hw)) { plane in
                yp[plane] = PlaneSums.sum(xp.baseAddress! + plane * hw, hw) / Float(hw)
            }
        }
    }
    return Variable.record(y, inputs: [x]) { gy, _ in
        // dx = gy / (H * W), spread over each plane.
        [Tensor(shape: [n, c, h, w]) { dxp in
            Parallel.forEach(n * c, grain: planeGrain(hw)) { plane in
                let g = gy.data[plane] / Float(hw)
                (dxp.baseAddress! + plane * hw).update(repeating: g, count: hw)
            }
        }]
    }
}

// MARK: - Geometry

/// The pooling geometry of one input: extents, output extents and window parameters.
struct PoolWindow {
    let n: Int, c: Int, h: Int, w: Int
    let outH: Int, outW: Int
    let kernel: Int, stride: Int, padding: Int

    init(_ x: Tensor, kernel: Int, stride: Int, padding: Int, op: StaticString) {
        (n, c, h, w) = x.nchw(op)
        precondition(
            kernel > 0 && stride > 0 && padding >= 0 && 2 * padding <= kernel,
            "\(op): kernel \(kernel), stride \(stride), padding \(padding) (padding at most half the kernel) for input \(x.shape)")
        precondition(
            h + 2 * padding >= kernel && w + 2 * padding >= kernel,
            "\(op): kernel \(kernel) with padding \(padding) is larger than the input \(x.shape)")
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        outH = (h + 2 * padding - kernel) / stride + 1
        outW = (w + 2 * padding - kernel) / stride + 1
    }

    var outputShape: [Int] { [n, c, outH, outW] }

    /// The window of output index `o` along an axis of `extent`: the clipped input range and
    /// the length of the window clipped to the padded input (PyTorch's pool_size factor).
    @inline(__always)
    func span(_ o: Int, extent: Int) -> (range: Range<Int>, padded: Int) {
        let start = o * stride - padding
        let end = min(start + kernel, extent + padding)
        return (max(start, 0)..<min(end, extent), end - start)
    }
}

// MARK: - Max pooling kernels

/// The max of each window and, when `recordArgmax`, its plane-local input index.
func maxPool2dForward(_ x: Tensor, _ g: PoolWindow, recordArgmax: Bool) -> (Tensor, [Int32]) {
    let inPlane = g.h * g.w, outPlane = g.outH * g.outW
    var argmax = [Int32](repeating: 0, count: recordArgmax ? g.n * g.c * outPlane : 0)
    let y = Tensor(shape: g.outputShape) { yp in
        x.withUnsafeBufferPointer { xp in
            argmax.withUnsafeMutableBufferPointer { ap in
                let ap = ap
                Parallel.forEach(g.n * g.c, grain: planeGrain(inPlane)) { plane in
                    let src = xp.baseAddress! + plane * inPlane
                    let dst = yp.baseAddress! + plane * outPlane
                    for oh in 0..<g.outH {
                        let rows = g.span(oh, extent: g.h).range
                        for ow in 0..<g.outW {
                            let cols = g.span(ow, extent: g.w).range
                            var best = -Float.infinity
                            var index = rows.lowerBound * g.w + cols.lowerBound
                            for ih in rows {
                                let row = src + ih * g.w
                                for iw in cols where row[iw] > best || row[iw].isNaN {
                                    best = row[iw]
                                    index = ih * g.w + iw
                                }
                            }
                            dst[oh * g.outW + ow] = best
                            if recordArgmax { ap[plane * outPlane + oh * g.outW + ow] = Int32(index) }
                        }
                    }
                }
            }
        }
    }
    return (y, argmax)
}

/// dx[argmax] += gy for every output element, plane by plane.
func maxPool2dBackward(_ gy: Tensor, _ argmax: [Int32], _ g: PoolWindow) -> Tensor {
    precondition(gy.shape == g.outputShape, "maxPool2d backward: gradient \(gy.shape) vs output \(g.outputShape)")
    let inPlane = g.h * g.w, outPlane = g.outH * g.outW
    var dx = Tensor(zeros: [g.n, g.c, g.h, g.w])
    dx.withUnsafeMutableBufferPointer { dxp in
        let dxp = dxp
        gy.withUnsafeBufferPointer { gp in
            Parallel.forEach(g.n * g.c, grain: planeGrain(inPlane)) { plane in
                let d = dxp.baseAddress! + plane * inPlane
                for o in plane * outPlane..<(plane + 1) * outPlane { d[Int(argmax[o])] += gp[o] }
            }
        }
    }
    return dx
}

// MARK: - Average pooling kernels

/// The mean of each window (window sum in row-major order, then one division).
func avgPool2dForward(_ x: Tensor, _ g: PoolWindow, countIncludePad: Bool) -> Tensor {
    let inPlane = g.h * g.w, outPlane = g.outH * g.outW
    return Tensor(shape: g.outputShape) { yp in
        x.withUnsafeBufferPointer { xp in
            Parallel.forEach(g.n * g.c, grain: planeGrain(inPlane)) { plane in
                let src = xp.baseAddress! + plane * inPlane
                let dst = yp.baseAddress! + plane * outPlane
                for oh in 0..<g.outH {
                    let rows = g.span(oh, extent: g.h)
                    for ow in 0..<g.outW {
                        let cols = g.span(ow, extent: g.w)
                        var total: Float = 0
                        for ih in rows.range {
                            for iw in cols.range { total += src[ih * g.w + iw] }
                        }
                        let divisor =
                            countIncludePad
                            ? rows.padded * cols.padded : rows.range.count * cols.range.count
                        dst[oh * g.outW + ow] = total / Float(divisor)
                    }
                }
            }
        }
    }
}

/// dx[window] += gy / divisor for every output element, plane by plane.
func avgPool2dBackward(_ gy: Tensor, _ g: PoolWindow, countIncludePad: Bool) -> Tensor {
    precondition(gy.shape == g.outputShape, "avgPool2d backward: gradient \(gy.shape) vs output \(g.outputShape)")
    let inPlane = g.h * g.w, outPlane = g.outH * g.outW
    var dx = Tensor(zeros: [g.n, g.c, g.h, g.w])
    dx.withUnsafeMutableBufferPointer { dxp in
        let dxp = dxp
        gy.withUnsafeBufferPointer { gp in
            Parallel.forEach(g.n * g.c, grain: planeGrain(inPlane)) { plane in
                let d = dxp.baseAddress! + plane * inPlane
                let src = gp.baseAddress! + plane * outPlane
                for oh in 0..<g.outH {
                    let rows = g.span(oh, extent: g.h)
                    for ow in 0..<g.outW {
                        let cols = g.span(ow, extent: g.w)
                        let divisor =
                            countIncludePad
                            ? rows.padded * cols.padded : rows.range.count * cols.range.count
                        let share = src[oh * g.outW + ow] / Float(divisor)
                        for ih in rows.range {
                            for iw in cols.range { d[ih * g.w + iw] += share }
                        }
                    }
                }
            }
        }
    }
    return dx
}
