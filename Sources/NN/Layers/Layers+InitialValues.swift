import Tensors

// Layers registered with initial values computed by the caller (a model with its own init
// scheme, e.g. SPADE's xavier-normal gain 0.02), so no default init is drawn and thrown away.

extension Conv2d {
    /// Registers `weight` (K, C, kh, kw) and `bias` (K) at `scope` as given.
    public init(
        weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0, dilation: Int = 1,
        at scope: Scope
    ) {
        precondition(weight.rank == 4, "Conv2d: weight shape \(weight.shape)")
        precondition(
            bias.map { $0.shape == [weight.shape[0]] } ?? true,
            "Conv2d: bias \(bias?.shape ?? []) for weight \(weight.shape)")
        self.weight = scope.parameter("weight", weight)
        self.bias = bias.map { scope.parameter("bias", $0) }
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
    }
}

extension SpectralConv2d {
    /// Registers `bias`, then `weight` as `weight_orig` with fresh u and v (drawn from
    /// `random` as `SpectralNorm` does), in PyTorch's key order.
    public init(
        weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0, dilation: Int = 1,
        at scope: Scope, random: inout RandomSource
    ) {
        precondition(weight.rank == 4, "SpectralConv2d: weight shape \(weight.shape)")
        precondition(
            bias.map { $0.shape == [weight.shape[0]] } ?? true,
            "SpectralConv2d: bias \(bias?.shape ?? []) for weight \(weight.shape)")
        self.bias = bias.map { scope.parameter("bias", $0) }
        self.norm = SpectralNorm(weight: weight, at: scope, random: &random)
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
    }
}

extension Linear {
    /// Registers `weight` (out, in) and `bias` (out) at `scope` as given.
    public init(weight: Tensor, bias: Tensor?, at scope: Scope) {
        precondition(weight.rank == 2, "Linear: weight shape \(weight.shape)")
        precondition(
            bias.map { $0.shape == [weight.shape[0]] } ?? true,
            "Linear: bias \(bias?.shape ?? []) for weight \(weight.shape)")
        self.weight = scope.parameter("weight", weight)
        self.bias = bias.map { scope.parameter("bias", $0) }
    }
}
