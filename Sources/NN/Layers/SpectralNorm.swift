import Tensors

// Spectral normalisation (Miyato et al., ICLR 2018) as PyTorch's `torch.nn.utils.spectral_norm`
// does it: dim 0, one power iteration per training forward, eps 1e-12.
//
// W_mat is the weight reshaped to (out, in * kh * kw); normalize(a) = a / max(‖a‖₂, eps).
//   train: v ← normalize(W_matᵀ u); u ← normalize(W_mat v)   (no gradient; u, v stored)
//   both:  σ = uᵀ W_mat v;  W_sn = W / σ
// u and v are constants for autograd, so the gradient reaches W through W / σ and through σ:
//   dW = G / σ - (Σ G ⊙ W) / σ² · u vᵀ.
// Eval runs no iteration and uses the stored u and v.

/// A spectrally normalised weight, PyTorch `spectral_norm(module, name="weight")`: the parameter
/// `weight_orig` and the buffers `weight_u`, `weight_v`, registered in that order.
public struct SpectralNorm: Sendable {
    /// The raw weight W (key `weight_orig`).
    public let weightOrig: Parameter
    /// The left singular vector estimate, (out) (key `weight_u`).
    public let u: Buffer
    /// The right singular vector estimate, (in * kh * kw) (key `weight_v`).
    public let v: Buffer
    public let eps: Float

    /// Registers `weight` as `weight_orig` and draws u then v as normalised N(0, 1) vectors, as
    /// `SpectralNorm.apply` does.
    public init(weight: Tensor, eps: Float = 1e-12, at scope: Scope, random: inout RandomSource) {
        precondition(weight.rank >= 2, "SpectralNorm: weight shape \(weight.shape) has no matrix form")
        let rows = weight.shape[0]
        let cols = weight.count / rows
        weightOrig = scope.parameter("weight_orig", weight)
        let u0 = normalized(random.normalTensor([rows]).data, eps: eps)
        let v0 = normalized(random.normalTensor([cols]).data, eps: eps)
        u = scope.buffer("weight_u", Tensor(shape: [rows], data: u0))
        v = scope.buffer("weight_v", Tensor(shape: [cols], data: v0))
        self.eps = eps
    }

    /// The normalised weight W / σ for one forward; in train mode one power iteration first
    /// updates u and v in place (PyTorch's forward pre-hook).
    public func weight(mode: Mode) -> Variable {
        if mode == .train {
            let (newU, newV) = spectralPowerIteration(weightOrig.value, u: u.value, v: v.value, eps: eps)
            u.value = newU
            v.value = newV
        }
        return spectralNormalized(Variable(weightOrig), u: u.value, v: v.value)
    }
}

/// A spectrally normalised 2-D convolution, PyTorch `spectral_norm(nn.Conv2d(...))`. Keys, in
/// PyTorch's order: `bias` (if any), `weight_orig`, `weight_u`, `weight_v`.
public struct SpectralConv2d: Sendable {
    public let bias: Parameter?
    public let norm: SpectralNorm
    public let stride: Int
    public let padding: Int
    public let dilation: Int

    /// PyTorch's default conv init (weight, then bias), then u and v. Models that re-initialise
    /// (SPADE's xavier init) assign `norm.weightOrig.value` afterwards, as their reference does.
    public init(
        _ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
        dilation: Int = 1, bias: Bool = true, at scope: Scope, random: inout RandomSource
    ) {
        let fanIn = inChannels * kernel * kernel
        let w = Init.defaultUniform([outChannels, inChannels, kernel, kernel], fanIn: fanIn, random: &random)
        let b = bias ? Init.defaultUniform([outChannels], fanIn: fanIn, random: &random) : nil
        self.bias = b.map { scope.parameter("bias", $0) }
        self.norm = SpectralNorm(weight: w, at: scope, random: &random)
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
    }

    /// conv2d with the normalised weight; train mode advances the power iteration.
    public func callAsFunction(_ x: Variable, mode: Mode) -> Variable {
        conv2d(
            x, norm.weight(mode: mode), bias.map { Variable($0) }, stride: stride, padding: padding,
            dilation: dilation)
    }
}

/// W / σ with σ = uᵀ W_mat v, recorded with u and v as constants (the gradient of PyTorch's
/// `weight / sigma` in `SpectralNorm.compute_weight`). W is (out, ...), u (out), v (rest).
public func spectralNormalized(_ weight: Variable, u: Tensor, v: Tensor) -> Variable {
    let w = weight.value
    precondition(
        w.rank >= 2 && u.count == w.shape[0] && v.count == w.count / max(w.shape[0], 1),
        "spectralNormalized: weight \(w.shape) needs u of \(w.shape.first ?? 0) and v of the rest; got \(u.shape), \(v.shape)")
    let wv = matrixVector(w, v.data)
    var sigma: Float = 0
    for i in 0..<u.count { sigma += u.data[i] * wv[i] }
    let sn = sigma
    let y = Tensor(shape: w.shape, data: w.data.map { $0 / sn })
    return Variable.record(y, inputs: [weight]) { g, _ in
        var gw: Double = 0
        for i in 0..<w.count { gw += Double(g.data[i]) * Double(w.data[i]) }
        let k = Float(gw) / (sn * sn)
        let cols = v.count
        var dw = g
        dw.withUnsafeMutableBufferPointer { d in
            for r in 0..<u.count {
                let ku = k * u.data[r]
                for j in 0..<cols { d[r * cols + j] = d[r * cols + j] / sn - ku * v.data[j] }
            }
        }
        return [dw]
    }
}

/// One power iteration: v = normalize(W_matᵀ u), then u = normalize(W_mat v).
public func spectralPowerIteration(
    _ weight: Tensor, u: Tensor, v: Tensor, eps: Float = 1e-12
) -> (u: Tensor, v: Tensor) {
    precondition(
        weight.rank >= 2 && u.count == weight.shape[0] && v.count == weight.count / weight.shape[0],
        "spectralPowerIteration: weight \(weight.shape), u \(u.shape), v \(v.shape)")
    let newV = normalized(transposedMatrixVector(weight, u.data), eps: eps)
    let newU = normalized(matrixVector(weight, newV), eps: eps)
    return (Tensor(shape: u.shape, data: newU), Tensor(shape: v.shape, data: newV))
}

// MARK: - Matrix-vector kernels (W viewed as rows x cols, row-major)

/// a / max(‖a‖₂, eps) (PyTorch `F.normalize(dim=0)`).
func normalized(_ a: [Float], eps: Float) -> [Float] {
    var squares: Float = 0
    for x in a { squares += x * x }
    let norm = max(squares.squareRoot(), eps)
    return a.map { $0 / norm }
}

/// W_mat x, in parallel over rows (each a sequential dot product).
func matrixVector(_ w: Tensor, _ x: [Float]) -> [Float] {
    let rows = w.shape[0], cols = w.count / rows
    return [Float](unsafeUninitializedCapacity: rows) { out, count in
        w.withUnsafeBufferPointer { wp in
            Parallel.forEach(rows, grain: max(1, 65_536 / max(cols, 1))) { r in
                let row = wp.baseAddress! + r * cols
                var s: Float = 0
                for j in 0..<cols { s += row[j] * x[j] }
                out[r] = s
            }
        }
        count = rows
    }
}

/// W_matᵀ x, in parallel over column ranges (each column sums its rows in order).
func transposedMatrixVector(_ w: Tensor, _ x: [Float]) -> [Float] {
    let rows = w.shape[0], cols = w.count / rows
    var out = [Float](repeating: 0, count: cols)
    out.withUnsafeMutableBufferPointer { op in
        let op = op
        w.withUnsafeBufferPointer { wp in
            Parallel.forChunks(cols, grain: max(1, 65_536 / max(rows, 1))) { range in
                for r in 0..<rows {
                    let row = wp.baseAddress! + r * cols
                    let a = x[r]
                    for j in range { op[j] += a * row[j] }
                }
            }
        }
    }
    return out
}
