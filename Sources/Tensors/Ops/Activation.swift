import RealModule

// Pointwise activations. Each forward saves what its backward needs (the output for relu, tanh
// and sigmoid, the input for leaky ReLU); kernels run in parallel over contiguous chunks.

/// ReLU, PyTorch `F.relu`: max(x, 0); the gradient passes where the output is positive.
public func relu(_ x: Variable) -> Variable {
    let y = pointwise(x.value) { x, y, count in
        for i in 0..<count {
            let v = x[i]
            y[i] = v > 0 ? v : 0
        }
    }
    return Variable.record(y, inputs: [x]) { gy, _ in
        [
            pointwise(gy, y) { g, y, dx, count in
                for i in 0..<count {
                    let (gv, yv) = (g[i], y[i])
                    dx[i] = yv > 0 ? gv : 0
                }
            }
        ]
    }
}

/// Leaky ReLU, PyTorch `F.leaky_relu(negative_slope=slope)`: x if x > 0 else slope * x.
public func leakyReLU(_ x: Variable, slope: Float = 0.2) -> Variable {
    let input = x.value
    let y = pointwise(input) { x, y, count in
        for i in 0..<count {
            let v = x[i]
            y[i] = v > 0 ? v : v * slope
        }
    }
    return Variable.record(y, inputs: [x]) { gy, _ in
        [
            pointwise(gy, input) { g, x, dx, count in
                for i in 0..<count {
                    let (gv, xv) = (g[i], x[i])
                    dx[i] = xv > 0 ? gv : gv * slope
                }
            }
        ]
    }
}

/// Hyperbolic tangent, PyTorch `torch.tanh`; gradient (1 - y²).
public func tanh(_ x: Variable) -> Variable {
    let y = pointwise(x.value) { x, y, count in
        for i in 0..<count { y[i] = Float.tanh(x[i]) }
    }
    return Variable.record(y, inputs: [x]) { gy, _ in
        [
            pointwise(gy, y) { g, y, dx, count in
                for i in 0..<count { dx[i] = g[i] * (1 - y[i] * y[i]) }
            }
        ]
    }
}

/// Logistic sigmoid, PyTorch `torch.sigmoid`, evaluated without overflow: 1 / (1 + e^-x) for
/// x >= 0 and e^x / (1 + e^x) otherwise; gradient y (1 - y).
public func sigmoid(_ x: Variable) -> Variable {
    let y = pointwise(x.value) { x, y, count in
        for i in 0..<count {
            let v = x[i]
            let e = Float.exp(-abs(v))
            y[i] = v >= 0 ? 1 / (1 + e) : e / (1 + e)
        }
    }
    return Variable.record(y, inputs: [x]) { gy, _ in
        [
            pointwise(gy, y) { g, y, dx, count in
                for i in 0..<count { dx[i] = g[i] * (1 - y[i]) * y[i] }
            }
        ]
    }
}

// MARK: - Elementwise drivers

/// Elements per parallel chunk of a pointwise kernel.
let pointwiseGrain = 32_768

/// A new tensor shaped like `x`, filled by `body(x, y, count)` over parallel chunks. The loop
/// lives in `body`, so the compiler sees (and vectorises) it whole.
@inline(__always)
func pointwise(
    _ x: Tensor, _ body: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
) -> Tensor {
    Tensor(shape: x.shape) { yp in
        x.withUnsafeBufferPointer { xp in
            Parallel.forChunks(x.count, grain: pointwiseGrain) { r in
                body(xp.baseAddress! + r.lowerBound, yp.baseAddress! + r.lowerBound, r.count)
            }
        }
    }
}

/// A new tensor shaped like `a` and `b`, filled by `body(a, b, z, count)` over parallel chunks.
@inline(__always)
func pointwise(
    _ a: Tensor, _ b: Tensor,
    _ body: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
) -> Tensor {
    precondition(a.shape == b.shape, "pointwise: shapes \(a.shape) and \(b.shape) differ")
    return Tensor(shape: a.shape) { zp in
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                Parallel.forChunks(a.count, grain: pointwiseGrain) { r in
                    body(
                        ap.baseAddress! + r.lowerBound, bp.baseAddress! + r.lowerBound,
                        zp.baseAddress! + r.lowerBound, r.count)
                }
            }
        }
    }
}
