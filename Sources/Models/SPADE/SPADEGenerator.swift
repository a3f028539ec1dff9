import NN
import Tensors

/// The SPADE generator (NVlabs/SPADE `generator.SPADEGenerator`, no VAE): S nearest-resized
/// to (sh, sw) -> fc (3x3 conv) -> head_0 -> up -> G_middle_0 -> (up, for more/most) ->
/// G_middle_1 -> [up -> up_k] for k = 0...3 (and up_4 for most) -> LeakyReLU 0.2 -> conv_img
/// (3x3) -> tanh. Channels 16 ngf, 16, 16, 8, 4, 2, 1 (, 1/2) times ngf.
///
/// Keys: `fc`, `head_0`, `G_middle_0`, `G_middle_1`, `up_0`...`up_3` (`up_4`), `conv_img`.
/// 93,048,003 parameters at ngf 64 with 36 input channels.
public struct SPADEGenerator: Sendable {
    public let arch: SPADEArchitecture
    public let store: ParameterStore
    public let fc: Conv2d
    public let head0: SPADEResBlock
    public let middle0: SPADEResBlock
    public let middle1: SPADEResBlock
    /// up_0 ... up_3 (... up_4 for `most`).
    public let ups: [SPADEResBlock]
    public let convImg: Conv2d

    /// Builds the generator in its own store; `random` draws every initial weight.
    public init(_ arch: SPADEArchitecture, random: inout RandomSource) throws {
        try arch.validate()
        self.arch = arch
        let store = ParameterStore()
        let root = Scope(store)
        let nf = arch.ngf
        fc = SPADEInit.conv(
            arch.generatorInputNC, 16 * nf, kernel: 3, padding: 1, at: root / "fc",
            random: &random)
        var module = 0
        func block(_ fin: Int, _ fout: Int, _ name: String, _ random: inout RandomSource)
            -> SPADEResBlock
        {
            let b = SPADEResBlock(
                fin, fout, arch: arch, firstModule: module, at: root / name, random: &random)
            module += b.norms.count
            return b
        }
        head0 = block(16 * nf, 16 * nf, "head_0", &random)
        middle0 = block(16 * nf, 16 * nf, "G_middle_0", &random)
        middle1 = block(16 * nf, 16 * nf, "G_middle_1", &random)
        var ups = [
            block(16 * nf, 8 * nf, "up_0", &random), block(8 * nf, 4 * nf, "up_1", &random),
            block(4 * nf, 2 * nf, "up_2", &random), block(2 * nf, nf, "up_3", &random),
        ]
        if arch.upsampling == .most { ups.append(block(nf, nf / 2, "up_4", &random)) }
        self.ups = ups
        convImg = SPADEInit.conv(
            arch.upsampling == .most ? nf / 2 : nf, 3, kernel: 3, padding: 1,
            at: root / "conv_img", random: &random)
        self.store = store
    }

    /// Every SPADE module, in registration order (the order of `InstanceNoise.z`).
    public var norms: [SPADENorm] { ([head0, middle0, middle1] + ups).flatMap(\.norms) }

    /// The trainable parameters, in state_dict order.
    public var parameters: [Parameter] { store.parameters }

    /// Draws the per-instance noise of one forward: z_i ~ N(0, I) per instance, one tensor
    /// shared by all modules, or one per module (d_z = the module's channels).
    public func drawNoise(for input: SPADEInput, random: inout RandomSource) -> InstanceNoise? {
        guard arch.mimlp else { return nil }
        let total = input.instanceCounts.reduce(0, +)
        switch arch.mimlpNoise {
        case .shared:
            let z = random.normalTensor([total, arch.noiseDim])
            return InstanceNoise(z: Array(repeating: z, count: norms.count))
        case .perModule:
            return InstanceNoise(z: norms.map { random.normalTensor([total, $0.noiseDim!]) })
        }
    }

    /// The image (N, 3, H, W) in [-1, 1] for `input`. `noise` is drawn from `random` when nil
    /// (L+I, L+I+P). Train mode uses batch statistics and advances the spectral norms; with
    /// `sync` (one shard of a data-parallel batch) the statistics are the global batch's.
    public func callAsFunction(
        _ input: SPADEInput, noise: InstanceNoise? = nil, mode: Mode, random: inout RandomSource,
        sync: (any BatchNormSync)? = nil
    ) -> Variable {
        var ctx = context(for: input, noise: noise ?? drawNoise(for: input, random: &random))
        ctx.sync = sync
        var x = ctx.seg
        for k in 0..<partCount { x = part(k, x, ctx, mode: mode) }
        return x
    }

    /// What every part of a forward sees of `input` (checked against the architecture):
    /// S (with the position map in concat mode), the instance index, counts and `noise`.
    public func context(for input: SPADEInput, noise: InstanceNoise?) -> SPADEContext {
        let s = input.semantics
        precondition(
            s.rank == 4 && s.shape[1] == arch.semanticNC,
            "SPADEGenerator: semantics \(s.shape), expected (N, \(arch.semanticNC), H, W)")
        let (h, w) = arch.imageSize
        precondition(
            s.shape[2] == h && s.shape[3] == w,
            "SPADEGenerator: semantics \(s.shape[2])x\(s.shape[3]), architecture makes \(h)x\(w)")
        if arch.positionMap {
            precondition(
                input.position?.shape == [s.shape[0], arch.nhidden, h, w],
                "SPADEGenerator: position map \(input.position?.shape ?? []) for \(s.shape)")
        }
        if arch.mimlp {
            precondition(
                input.instanceIndex?.shape == [s.shape[0], h, w]
                    && input.instanceCounts.count == s.shape[0],
                "SPADEGenerator: the MIMLP needs an instance index (N, H, W) and counts per image")
        }
        var seg = Variable(s)
        if arch.positionMap, arch.positionMode == .concat, let pe = input.position {
            seg = Variable(withoutGradient { concatChannels([seg, Variable(pe)]).value })
        }
        return SPADEContext(
            seg: seg, position: input.position, index: input.instanceIndex,
            counts: input.instanceCounts, noise: noise)
    }

    /// `nn.Upsample(scale_factor=2)`, nearest.
    func up(_ x: Variable) -> Variable {
        resizeNearest(x, height: 2 * x.shape[2], width: 2 * x.shape[3])
    }
}
