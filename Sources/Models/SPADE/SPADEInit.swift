import NN
import Tensors

/// SPADE's weight init (`BaseNetwork.init_weights`, init_type xavier, init_variance 0.02):
/// every conv and linear weight xavier-normal with gain 0.02, every bias zero.
enum SPADEInit {
    static let gain: Float = 0.02

    /// xavier_normal_(gain): N(0, gain^2 * 2 / (fan_in + fan_out)), fan = channels * receptive field.
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
        let c = Conv2d(
            inChannels, outChannels, kernel: kernel, stride: stride, padding: padding, bias: bias,
            defaultInit: true, at: scope, random: &random)
        c.weight.value = xavierNormal(c.weight.shape, random: &random)
        if let b = c.bias { b.value = Tensor(zeros: b.shape) }
        return c
    }

    /// A spectrally normalised conv (`spectral_norm(nn.Conv2d)`) with SPADE's init landing in
    /// `weight_orig`.
    static func spectralConv(
        _ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int,
        bias: Bool = true, at scope: Scope, random: inout RandomSource
    ) -> SpectralConv2d {
        let c = SpectralConv2d(
            inChannels, outChannels, kernel: kernel, stride: stride, padding: padding, bias: bias,
            at: scope, random: &random)
        c.norm.weightOrig.value = xavierNormal(c.norm.weightOrig.shape, random: &random)
        if let b = c.bias { b.value = Tensor(zeros: b.shape) }
        return c
    }

    /// A linear layer (`nn.Linear`) with SPADE's init.
    static func linear(
        _ inFeatures: Int, _ outFeatures: Int, at scope: Scope, random: inout RandomSource
    ) -> Linear {
        let l = Linear(inFeatures, outFeatures, at: scope, random: &random)
        l.weight.value = xavierNormal(l.weight.shape, random: &random)
        if let b = l.bias { b.value = Tensor(zeros: b.shape) }
        return l
    }
}
