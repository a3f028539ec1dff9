import NN
import Tensors

/// The Multi-Instance MLP of one SPADE module (paper 2 eq. 1, spade.md §6.3): per instance i,
/// h_i = ReLU(A z_i + a), γ_i = W_σ h_i + b_σ, β_i = W_μ h_i + b_μ, each in R^C.
/// Keys (mirroring SPADE's own mlp names): `mlp_shared.0` (Linear d_z -> hidden), `mlp_gamma`,
/// `mlp_beta` (Linear hidden -> C).
public struct MultiInstanceMLP: Sendable {
    public let mlpShared: Linear
    public let mlpGamma: Linear
    public let mlpBeta: Linear

    public init(
        noiseDim: Int, hidden: Int, channels: Int, at scope: Scope, random: inout RandomSource
    ) {
        mlpShared = SPADEInit.linear(
            noiseDim, hidden, at: scope / "mlp_shared" / 0, random: &random)
        mlpGamma = SPADEInit.linear(hidden, channels, at: scope / "mlp_gamma", random: &random)
        mlpBeta = SPADEInit.linear(hidden, channels, at: scope / "mlp_beta", random: &random)
    }

    /// z (instances, d_z) -> (γ, β), each (instances, C).
    public func callAsFunction(_ z: Variable) -> (gamma: Variable, beta: Variable) {
        let h = relu(mlpShared(z))
        return (mlpGamma(h), mlpBeta(h))
    }
}
