import RealModule

// Pointwise activations. Each forward saves what its backward needs (the output for relu, tanh
// and sigmoid, the input for leaky ReLU); kernels run in parallel over contiguous chunks.

/// ReLU, PyTorch `F.relu`: max(x, 0); the gradient passes where the output is positive.
public func relu(_ x: Variable) -> Variable {
    let y = mapElements(x.value) { $0 > 0 ? $0 : 0 }
    return Variable.record(y, inputs: [x]) { gy, _ in
        [zipElements(gy, y) { g, out in out > 0 ? g : 0 }]
    }
}

/// Leaky ReLU, PyTorch `F.leaky_relu(negative_slope=slope)`: x if x > 0 else slope * x.
public func leakyReLU(_ x: Variable, slope: Float = 0.2) -> Variable {
    let input = x.value
    let y = mapElements(input) { $0 > 0 ? $0 : $0 * slope }
    return Variable.record(y, inputs: [x]) { gy, _ in
        [zipElements(gy, input) { g, v in v > 0 ? g : g * slope }]
    }
}

/// Hyperbolic tangent, PyTorch `torch.tanh`; gradient (1 - y²).
public func tanh(_ x: Variable) -> Variable {
    let y = mapElements(x.value) { Float.tanh($0) }
    return Variable.record(y, inputs: [x]) { gy, _ in
        [zipElements(gy, y) { g, out in g * (1 - out * out) }]
    }
}

/// Logistic sigmoid, PyTorch `torch.sigmoid`, evaluated without overflow: 1 / (1 + e^-x) for
/// x >= 0 and e^x / (1 + e^x) otherwise; gradient y (1 - y).
public func sigmoid(_ x: Variable) -> Variable {
    let y = mapElements(x.value) { v in
        if v >= 0 { return 1 / (1 + Float.exp(-v)) }
        let e = Float.exp(v)
        return e / (1 + e)
    }
    return Variable.record(y, inputs: [x]) { gy, _ in
        [zipElements(gy, y) { g, out in g * (1 - out) * out }]
    }
}

// MARK: - Elementwise kernels

/// Elements per parallel chunk of a pointwise kernel.
let pointwiseGrain = 32_768

/// y[i] = f(x[i]), in parallel over chunks.
@inline(__always)
func mapElements(_ x: Tensor, _ f: (Float) -> Float) -> Tensor {
    Tensor(shape: x.shape) { yp in
        x.withUnsafeBufferPointer { xp in
            Parallel.forChunks(x.count, grain: pointwiseGrain) { range in
                for i in range { yp[i] = f(xp[i]) }
            }
        }
    }
}

/// z[i] = f(a[i], b[i]) for tensors of one shape, in parallel over chunks.
@inline(__always)
func zipElements(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
    precondition(a.shape == b.shape, "zipElements: shapes \(a.shape) and \(b.shape) differ")
    return Tensor(shape: a.shape) { zp in
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                Parallel.forChunks(a.count, grain: pointwiseGrain) { range in
                    for i in range { zp[i] = f(ap[i], bp[i]) }
                }
            }
        }
    }
}
