// The arithmetic of spectral normalisation (Miyato et al., ICLR 2018) as PyTorch's
// `torch.nn.utils.spectral_norm` does it (dim 0, eps 1e-12); the layer holding `weight_orig`,
// `weight_u` and `weight_v` is NN's `SpectralNorm`.
//
// W_mat is the weight viewed as (out, in * kh * kw); normalize(a) = a / max(‖a‖₂, eps).
//   power iteration (train mode only, no gradient):
//     v ← normalize(W_matᵀ u); u ← normalize(W_mat v)
//   σ = uᵀ W_mat v;  W_sn = W / σ
// u and v are constants for autograd, so the gradient reaches W through W / σ and through σ:
//   dW = G / σ - (Σ G ⊙ W) / σ² · u vᵀ.
// Row kernels run in parallel over rows, column kernels over column ranges, each summing in a
// fixed order.

/// W / σ with σ = uᵀ W_mat v, recorded with u and v as constants (PyTorch's `weight / sigma` in
/// `SpectralNorm.compute_weight`). W is (out, ...), u (out), v (the product of the rest).
public func spectralNormalized(_ weight: Variable, u: Tensor, v: Tensor) -> Variable {
    let w = weight.value
    let (rows, cols) = spectralMatrixShape(w, u: u, v: v, op: "spectralNormalized")
    let wv = matrixVector(w, v.data)
    var sigma: Float = 0
    for r in 0..<rows { sigma += u.data[r] * wv[r] }
    let s = sigma
    let y = forEachWeightRow(w, rows: rows, cols: cols) { src, dst in
        for j in 0..<cols { dst[j] = src[j] / s }
    }
    return Variable.record(y, inputs: [weight]) { g, _ in
        let gw = g.withUnsafeBufferPointer { gp in
            w.withUnsafeBufferPointer {
                Float(Summation.dot(gp.baseAddress!, $0.baseAddress!, w.count))
            }
        }
        let k = gw / (s * s)
        let dw = v.data.withUnsafeBufferPointer { vp in
            forEachWeightRow(g, rows: rows, cols: cols) { src, dst, r in
                let ku = k * u.data[r]
                for j in 0..<cols { dst[j] = src[j] / s - ku * vp[j] }
            }
        }
        return [dw]
    }
}

/// One power iteration: v = normalize(W_matᵀ u), then u = normalize(W_mat v).
public func spectralPowerIteration(
    _ weight: Tensor, u: Tensor, v: Tensor, eps: Float = 1e-12
) -> (u: Tensor, v: Tensor) {
    _ = spectralMatrixShape(weight, u: u, v: v, op: "spectralPowerIteration")
    let newV = normalizedVector(transposedMatrixVector(weight, u.data), eps: eps)
    let newU = normalizedVector(matrixVector(weight, newV), eps: eps)
    return (Tensor(shape: u.shape, data: newU), Tensor(shape: v.shape, data: newV))
}

/// a / max(‖a‖₂, eps), PyTorch `F.normalize(a, dim=0, eps=eps)`.
public func normalizedVector(_ a: [Float], eps: Float) -> [Float] {
    let squares = a.withUnsafeBufferPointer {
        Float(Summation.dot($0.baseAddress!, $0.baseAddress!, a.count))
    }
    let norm = max(squares.squareRoot(), eps)
    return a.map { $0 / norm }
}

// MARK: - Kernels (W viewed as rows x cols, row-major)

/// (rows, cols) of W_mat after checking u and v against it.
func spectralMatrixShape(_ w: Tensor, u: Tensor, v: Tensor, op: StaticString) -> (Int, Int) {
    precondition(
        w.rank >= 2 && w.shape[0] > 0 && u.count == w.shape[0] && v.count == w.count / w.shape[0],
        """
        \(op): weight \(w.shape) needs u of \(w.shape.first ?? 0) and v of the rest; \
        got \(u.shape), \(v.shape)
        """)
    return (w.shape[0], w.count / w.shape[0])
}

/// A tensor shaped like `w` whose row r is written by `body(row r of w, row r of the result)`,
/// in parallel over rows.
func forEachWeightRow(
    _ w: Tensor, rows: Int, cols: Int,
    _ body: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void
) -> Tensor {
    forEachWeightRow(w, rows: rows, cols: cols) { src, dst, _ in body(src, dst) }
}

/// As above, with the row index passed to `body`.
func forEachWeightRow(
    _ w: Tensor, rows: Int, cols: Int,
    _ body: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
) -> Tensor {
    Tensor(shape: w.shape) { out in
        w.withUnsafeBufferPointer { wp in
            Parallel.forEach(rows, grain: planeGrain(cols)) { r in
                body(wp.baseAddress! + r * cols, out.baseAddress! + r * cols, r)
            }
        }
    }
}

/// W_mat x, in parallel over rows (each a 16-lane dot product).
func matrixVector(_ w: Tensor, _ x: [Float]) -> [Float] {
    let rows = w.shape[0]
    let cols = w.count / rows
    return [Float](unsafeUninitializedCapacity: rows) { out, count in
        w.withUnsafeBufferPointer { wp in
            x.withUnsafeBufferPointer { xp in
                Parallel.forEach(rows, grain: planeGrain(cols)) { r in
                    out[r] = Float(Summation.dot(wp.baseAddress! + r * cols, xp.baseAddress!, cols))
                }
            }
        }
        count = rows
    }
}

/// W_matᵀ x, in parallel over column ranges (each column sums its rows in order).
func transposedMatrixVector(_ w: Tensor, _ x: [Float]) -> [Float] {
    let rows = w.shape[0]
    let cols = w.count / rows
    var out = [Float](repeating: 0, count: cols)
    out.withUnsafeMutableBufferPointer { op in
        let op = op
        w.withUnsafeBufferPointer { wp in
            Parallel.forChunks(cols, grain: planeGrain(rows)) { range in
                let dst = op.baseAddress! + range.lowerBound
                for r in 0..<rows {
                    let row = wp.baseAddress! + r * cols + range.lowerBound
                    let a = x[r]
                    for j in 0..<range.count { dst[j] += a * row[j] }
                }
            }
        }
    }
    return out
}
