import NN
import Tensors

/// SPADE's weight init (`BaseNetwork.init_weights`, init_type xavier, init_variance 0.02):
/// every conv and linear weight xavier-normal with gain 0.02, every bias zero.
enum SPADEInit {
    static let gain: Float = 0.02

    /// xavier_normal_(gain): N(0, gain^2 * 2 / (fan_in + fan_out)), fan = channels x kernel area.
    static func xavierNormal(_ shape: [Int], random: inout RandomSource) -> Tensor {
        let receptive = shape.dropFirst(2).reduce(1, *)
        let fanIn = shape[1] * receptive, fanOut = shape[0] * receptive
        return random.normalTensor(shape, std: gain * (2 / Float(fanIn + fanOut)).squareRoot())
    }

    /// A plain conv (PyTorch `nn.Conv2d`) with SPADE's init.
    static func conv(
        _ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int,
        bias: Bool = true, at scope: Scope, random: inout RandomSource
    ) -> Conv2d {
        let w = xavierNormal([outChannels, inChannels, kernel, kernel], random: &random)
        return Conv2d(
            weight: w, bias: bias ? Tensor(zeros: [outChannels]) : nil, stride: stride,
            padding: padding, at: scope)
    }

    /// A spectrally normalised conv (`spectral_norm(nn.Conv2d)`) with SPADE's init landing in
    /// `weight_orig` (u and v drawn after it).
    static func spectralConv(
        _ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int,
        bias: Bool = true, at scope: Scope, random: inout RandomSource
    ) -> SpectralConv2d {
        let w = xavierNormal([outChannels, inChannels, kernel, kernel], random: &random)
        return SpectralConv2d(
            weight: w, bias: bias ? Tensor(zeros: [outChannels]) : nil, stride: stride,
            padding: padding, at: scope, random: &random)
    }

    /// A linear layer (`nn.Linear`) with SPADE's init.
    static func linear(
        _ inFeatures: Int, _ outFeatures: Int, at scope: Scope, random: inout RandomSource
    ) -> Linear {
        let w = xavierNormal([outFeatures, inFeatures], random: &random)
        return Linear(weight: w, bias: Tensor(zeros: [outFeatures]), at: scope)
    }
}
