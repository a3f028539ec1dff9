import Tensors

// Spectral normalisation layers as PyTorch's `torch.nn.utils.spectral_norm` sets them up: dim 0,
// one power iteration per training forward, eps 1e-12, u and v stored as buffers. Eval runs no
// iteration and uses the stored u and v. The arithmetic (power iteration, W / σ and its
// gradient) is in Tensors/Ops/SpectralNormalize.swift.

/// A spectrally normalised weight, PyTorch `spectral_norm(module, name="weight")`: the parameter
/// `weight_orig` and the buffers `weight_u`, `weight_v`, registered in that order.
public struct SpectralNorm: Sendable {
    /// The raw weight W (key `weight_orig`).
    public let weightOrig: Parameter
    /// The left singular vector estimate, (out) (key `weight_u`).
    public let u: Buffer
    /// The right singular vector estimate, (in * kh * kw) (key `weight_v`).
    public let v: Buffer
    /// The floor of the norms in normalize(a) = a / max(‖a‖₂, eps).
    public let eps: Float

    /// Registers `weight` as `weight_orig` and draws u then v as normalised N(0, 1) vectors, as
    /// `SpectralNorm.apply` does.
    public init(weight: Tensor, eps: Float = 1e-12, at scope: Scope, random: inout RandomSource) {
        precondition(
            weight.rank >= 2, "SpectralNorm: weight shape \(weight.shape) has no matrix form")
        let rows = weight.shape[0]
        let cols = weight.count / rows
        weightOrig = scope.parameter("weight_orig", weight)
        let u0 = normalizedVector(random.normalTensor([rows]).data, eps: eps)
        let v0 = normalizedVector(random.normalTensor([cols]).data, eps: eps)
        u = scope.buffer("weight_u", Tensor(shape: [rows], data: u0))
        v = scope.buffer("weight_v", Tensor(shape: [cols], data: v0))
        self.eps = eps
    }

    /// The normalised weight W / σ for one forward; in train mode one power iteration first
    /// updates u and v in place (PyTorch's forward pre-hook).
    public func weight(mode: Mode) -> Variable {
        if mode == .train {
            let (newU, newV) = spectralPowerIteration(
                weightOrig.value, u: u.value, v: v.value, eps: eps)
            u.value = newU
            v.value = newV
        }
        return spectralNormalized(Variable(weightOrig), u: u.value, v: v.value)
    }
}

/// A spectrally normalised 2-D convolution, PyTorch `spectral_norm(nn.Conv2d(...))`. Keys, in
/// PyTorch's order: `bias` (if any), `weight_orig`, `weight_u`, `weight_v`.
public struct SpectralConv2d: Sendable {
    /// The bias (K), not normalised (key `bias`), or nil.
    public let bias: Parameter?
    /// The normalised weight (K, C, kh, kw) and its u, v.
    public let norm: SpectralNorm
    /// Convolution geometry, as in `conv2d`.
    public let stride: Int, padding: Int, dilation: Int

    /// PyTorch's default conv init (weight, then bias), then u and v. Models that re-initialise
    /// (SPADE's xavier init) assign `norm.weightOrig.value` afterwards, as their reference does.
    public init(
        _ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
        dilation: Int = 1, bias: Bool = true, at scope: Scope, random: inout RandomSource
    ) {
        let fanIn = inChannels * kernel * kernel
        let w = Init.defaultUniform(
            [outChannels, inChannels, kernel, kernel], fanIn: fanIn, random: &random)
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
