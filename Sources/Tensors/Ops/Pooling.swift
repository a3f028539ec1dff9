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
    let window = PoolWindow(
        x.value, kernel: kernel, stride: stride, padding: padding, op: "maxPool2d")
    let (y, argmax) = maxPool2dForward(x.value, window, recordArgmax: x.requiresGradient)
    return Variable.record(y, inputs: [x]) { gy, _ in [maxPool2dBackward(gy, argmax, window)] }
}

/// Average pooling, PyTorch `F.avg_pool2d(kernel, stride, padding, count_include_pad)`: the
/// divisor is the window clipped to the padded input (count_include_pad true) or to the input.
public func avgPool2d(
    _ x: Variable, kernel: Int, stride: Int, padding: Int = 0, countIncludePad: Bool = true
) -> Variable {
    let window = PoolWindow(
        x.value, kernel: kernel, stride: stride, padding: padding, op: "avgPool2d")
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
                yp[plane] = Float(Summation.sum(xp.baseAddress! + plane * hw, hw)) / Float(hw)
            }
        }
    }
    return Variable.record(y, inputs: [x]) { gy, _ in
        // dx = gy / (H * W), spread over each plane.
        [
            Tensor(shape: [n, c, h, w]) { dxp in
                Parallel.forEach(n * c, grain: planeGrain(hw)) { plane in
                    let g = gy.data[plane] / Float(hw)
                    (dxp.baseAddress! + plane * hw).update(repeating: g, count: hw)
                }
            }
        ]
    }
}

// MARK: - Geometry

/// The pooling geometry of one input: extents, output extents and, per output row and
/// column, the window clipped to the input (`start..<end`) and its length clipped to the padded
/// input (`padded`, PyTorch's pool_size factor).
struct PoolWindow {
    let n: Int, c: Int, h: Int, w: Int
    let outH: Int, outW: Int
    let rowStart: [Int], rowEnd: [Int], rowPadded: [Int]
    let colStart: [Int], colEnd: [Int], colPadded: [Int]

    init(_ x: Tensor, kernel: Int, stride: Int, padding: Int, op: StaticString) {
        (n, c, h, w) = x.nchw(op)
        precondition(
            kernel > 0 && stride > 0 && padding >= 0 && 2 * padding <= kernel,
            """
            \(op): kernel \(kernel), stride \(stride), padding \(padding) (at most half the \
            kernel) for input \(x.shape)
            """)
        precondition(
            h + 2 * padding >= kernel && w + 2 * padding >= kernel,
            "\(op): kernel \(kernel) with padding \(padding) is larger than the input \(x.shape)")
        outH = (h + 2 * padding - kernel) / stride + 1
        outW = (w + 2 * padding - kernel) / stride + 1
        func spans(_ count: Int, extent: Int) -> ([Int], [Int], [Int]) {
            let starts = (0..<count).map { $0 * stride - padding }
            let ends = starts.map { min($0 + kernel, extent + padding) }
            return (
                starts.map { max($0, 0) }, ends.map { min($0, extent) },
                zip(starts, ends).map { $1 - $0 }
            )
        }
        (rowStart, rowEnd, rowPadded) = spans(outH, extent: h)
        (colStart, colEnd, colPadded) = spans(outW, extent: w)
    }

    var outputShape: [Int] { [n, c, outH, outW] }

    /// The divisor of output (oh, ow) of an average pool.
    @inline(__always)
    func divisor(_ oh: Int, _ ow: Int, countIncludePad: Bool) -> Float {
        countIncludePad
            ? Float(rowPadded[oh] * colPadded[ow])
            : Float((rowEnd[oh] - rowStart[oh]) * (colEnd[ow] - colStart[ow]))
    }
}

// MARK: - Max pooling kernels

/// The max of each window and, when `recordArgmax`, its plane-local input index.
func maxPool2dForward(_ x: Tensor, _ g: PoolWindow, recordArgmax: Bool) -> (Tensor, [Int32]) {
    let inPlane = g.h * g.w
    let outPlane = g.outH * g.outW
    var argmax = [Int32](repeating: 0, count: recordArgmax ? g.n * g.c * outPlane : 0)
    let y = Tensor(shape: g.outputShape) { yp in
        x.withUnsafeBufferPointer { xp in
            argmax.withUnsafeMutableBufferPointer { ap in
                let ap = ap
                Parallel.forEach(g.n * g.c, grain: planeGrain(inPlane)) { plane in
                    let src = xp.baseAddress! + plane * inPlane
                    let dst = yp.baseAddress! + plane * outPlane
                    for oh in 0..<g.outH {
                        let (r0, r1) = (g.rowStart[oh], g.rowEnd[oh])
                        for ow in 0..<g.outW {
                            let (c0, c1) = (g.colStart[ow], g.colEnd[ow])
                            // PyTorch takes val when (val > maxval) || isnan(val): the first
                            // maximum, or the last NaN. Kept as two selects without branches.
                            var best = -Float.infinity
                            var index = r0 * g.w + c0
                            var nanIndex = -1
                            for ih in r0..<r1 {
                                let row = src + ih * g.w
                                for iw in c0..<c1 {
                                    let v = row[iw]
                                    let position = ih * g.w + iw
                                    index = v > best ? position : index
                                    best = v > best ? v : best
                                    nanIndex = v.isNaN ? position : nanIndex
                                }
                            }
                            if nanIndex >= 0 {
                                best = .nan
                                index = nanIndex
                            }
                            dst[oh * g.outW + ow] = best
                            if recordArgmax {
                                ap[plane * outPlane + oh * g.outW + ow] = Int32(index)
                            }
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
    precondition(
        gy.shape == g.outputShape,
        "maxPool2d backward: gradient \(gy.shape) vs output \(g.outputShape)")
    let inPlane = g.h * g.w
    let outPlane = g.outH * g.outW
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
    let inPlane = g.h * g.w
    let outPlane = g.outH * g.outW
    return Tensor(shape: g.outputShape) { yp in
        x.withUnsafeBufferPointer { xp in
            Parallel.forEach(g.n * g.c, grain: planeGrain(inPlane)) { plane in
                let src = xp.baseAddress! + plane * inPlane
                let dst = yp.baseAddress! + plane * outPlane
                for oh in 0..<g.outH {
                    for ow in 0..<g.outW {
                        var total: Float = 0
                        for ih in g.rowStart[oh]..<g.rowEnd[oh] {
                            for iw in g.colStart[ow]..<g.colEnd[ow] { total += src[ih * g.w + iw] }
                        }
                        dst[oh * g.outW + ow] =
                            total / g.divisor(oh, ow, countIncludePad: countIncludePad)
                    }
                }
            }
        }
    }
}

/// dx[window] += gy / divisor for every output element, plane by plane.
func avgPool2dBackward(_ gy: Tensor, _ g: PoolWindow, countIncludePad: Bool) -> Tensor {
    precondition(
        gy.shape == g.outputShape,
        "avgPool2d backward: gradient \(gy.shape) vs output \(g.outputShape)")
    let inPlane = g.h * g.w
    let outPlane = g.outH * g.outW
    var dx = Tensor(zeros: [g.n, g.c, g.h, g.w])
    dx.withUnsafeMutableBufferPointer { dxp in
        let dxp = dxp
        gy.withUnsafeBufferPointer { gp in
            Parallel.forEach(g.n * g.c, grain: planeGrain(inPlane)) { plane in
                let d = dxp.baseAddress! + plane * inPlane
                let src = gp.baseAddress! + plane * outPlane
                for oh in 0..<g.outH {
                    for ow in 0..<g.outW {
                        let share =
                            src[oh * g.outW + ow]
                            / g.divisor(oh, ow, countIncludePad: countIncludePad)
                        for ih in g.rowStart[oh]..<g.rowEnd[oh] {
                            for iw in g.colStart[ow]..<g.colEnd[ow] { d[ih * g.w + iw] += share }
                        }
                    }
                }
            }
        }
    }
    return dx
}
