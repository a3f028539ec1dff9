import NN
import Tensors

/// The PatchGAN discriminator of one scale (NVlabs/SPADE `discriminator.NLayerDiscriminator`,
/// norm_D `spectralinstance`, kw 4, padw 2): model0 = conv (stride 2, bias) + LeakyReLU 0.2;
/// model1...model{n-1} = spectral conv (no bias; stride 1 for the last) + instance norm +
/// LeakyReLU; model{n} = conv (-> 1 channel, bias). Channels min(2 prev, 512).
///
/// Keys: `model0.0`, `model{k}.0.0` (spectral), `model{n}.0`.
public struct NLayerDiscriminator: Sendable {
    public let first: Conv2d
    public let middle: [SpectralConv2d]
    public let last: Conv2d

    public init(
        inputNC: Int, ndf: Int, layers: Int, at scope: Scope, random: inout RandomSource
    ) {
        first = SPADEInit.conv(
            inputNC, ndf, kernel: 4, stride: 2, padding: 2, at: scope / "model0" / 0,
            random: &random)
        var nf = ndf
        var middle: [SpectralConv2d] = []
        for n in 1..<max(layers, 1) {
            let prev = nf
            nf = min(nf * 2, 512)
            middle.append(
                SPADEInit.spectralConv(
                    prev, nf, kernel: 4, stride: n == layers - 1 ? 1 : 2, padding: 2, bias: false,
                    at: scope / "model\(n)" / 0 / 0, random: &random))
        }
        self.middle = middle
        last = SPADEInit.conv(
            nf, 1, kernel: 4, padding: 2, at: scope / "model\(layers)" / 0, random: &random)
    }

    /// Every sub-block's output, model0 first, the patch logits last.
    public func callAsFunction(_ x: Variable, mode: Mode) -> [Variable] {
        var outs = [leakyReLU(first(x), slope: 0.2)]
        for conv in middle {
            outs.append(leakyReLU(instanceNorm2d(conv(outs.last!, mode: mode)), slope: 0.2))
        }
        outs.append(last(outs.last!))
        return outs
    }
}

/// SPADE's multi-scale discriminator (`discriminator.MultiscaleDiscriminator`): num_D
/// NLayerDiscriminators, scale k+1 seeing avg_pool2d(3, stride 2, padding 1,
/// count_include_pad=False) of scale k's input. Keys `discriminator_0`, `discriminator_1`, ...
/// 5,601,410 parameters at ndf 64 with 39 input channels.
public struct MultiscaleDiscriminator: Sendable {
    public let arch: SPADEArchitecture
    public let store: ParameterStore
    public let scales: [NLayerDiscriminator]

    public init(_ arch: SPADEArchitecture, random: inout RandomSource) throws {
        try arch.validate()
        self.arch = arch
        let store = ParameterStore()
        let root = Scope(store)
        scales = (0..<arch.numD).map { i in
            NLayerDiscriminator(
                inputNC: arch.discriminatorInputNC, ndf: arch.ndf, layers: arch.nLayersD,
                at: root / "discriminator_\(i)", random: &random)
        }
        self.store = store
    }

    /// The trainable parameters, in state_dict order.
    public var parameters: [Parameter] { store.parameters }

    /// For each scale, every sub-block's output (the last is the patch logits).
    public func callAsFunction(_ x: Variable, mode: Mode) -> [[Variable]] {
        precondition(
            x.shape.count == 4 && x.shape[1] == arch.discriminatorInputNC,
            "MultiscaleDiscriminator: input \(x.shape), expected "
                + "\(arch.discriminatorInputNC) channels")
        var input = x
        var result: [[Variable]] = []
        for (i, d) in scales.enumerated() {
            result.append(d(input, mode: mode))
            if i + 1 < scales.count {
                input = avgPool2d(input, kernel: 3, stride: 2, padding: 1, countIncludePad: false)
            }
        }
        return result
    }
}
