import NN
import Tensors

/// SPADE's residual block (NVlabs/SPADE `architecture.SPADEResnetBlock`, norm_G
/// `spectralspadesyncbatch3x3`): dx = conv_1(lrelu(norm_1(conv_0(lrelu(norm_0(x)))))), out =
/// shortcut + dx, the shortcut learned (conv_s(norm_s(x)), 1x1 without bias and without
/// activation) when fin != fout. LeakyReLU slope 0.2; the convs are spectrally normalised.
///
/// Keys, in PyTorch order: `conv_0`, `conv_1`, `conv_s`, `norm_0`, `norm_1`, `norm_s`.
public struct SPADEResBlock: Sendable {
    public let conv0: SpectralConv2d
    public let conv1: SpectralConv2d
    public let convS: SpectralConv2d?
    public let norm0: SPADENorm
    public let norm1: SPADENorm
    public let normS: SPADENorm?

    /// `firstModule`: the index of norm_0 among the generator's SPADE modules; norm_1 and
    /// norm_s follow it.
    public init(
        _ fin: Int, _ fout: Int, arch: SPADEArchitecture, firstModule: Int, at scope: Scope,
        random: inout RandomSource
    ) {
        let learned = fin != fout
        let fmiddle = min(fin, fout)
        conv0 = SPADEInit.spectralConv(
            fin, fmiddle, kernel: 3, padding: 1, at: scope / "conv_0", random: &random)
        conv1 = SPADEInit.spectralConv(
            fmiddle, fout, kernel: 3, padding: 1, at: scope / "conv_1", random: &random)
        convS =
            learned
            ? SPADEInit.spectralConv(
                fin, fout, kernel: 1, padding: 0, bias: false, at: scope / "conv_s",
                random: &random)
            : nil
        norm0 = SPADENorm(
            fin, arch: arch, moduleIndex: firstModule, at: scope / "norm_0", random: &random)
        norm1 = SPADENorm(
            fmiddle, arch: arch, moduleIndex: firstModule + 1, at: scope / "norm_1",
            random: &random)
        normS =
            learned
            ? SPADENorm(
                fin, arch: arch, moduleIndex: firstModule + 2, at: scope / "norm_s",
                random: &random)
            : nil
    }

    /// The SPADE modules of this block, in registration order.
    public var norms: [SPADENorm] { [norm0, norm1] + (normS.map { [$0] } ?? []) }

    func callAsFunction(_ x: Variable, _ ctx: SPADEContext, mode: Mode) -> Variable {
        var xs = x
        if let convS, let normS { xs = convS(normS(x, ctx, mode: mode), mode: mode) }
        var dx = conv0(leakyReLU(norm0(x, ctx, mode: mode), slope: 0.2), mode: mode)
        dx = conv1(leakyReLU(norm1(dx, ctx, mode: mode), slope: 0.2), mode: mode)
        return xs + dx
    }
}
