import NN
import Tensors

/// Batch norm without affine parameters (SPADE's `param_free_norm`, a
/// `SynchronizedBatchNorm2d(C, affine=False)`): in one unsharded forward it is PyTorch's
/// `BatchNorm2d(C, affine=False)`; in a sharded (data-parallel) training forward, `sync`
/// makes the statistics those of the whole global batch (`syncBatchNorm2d`). Keys
/// `running_mean`, `running_var`, `num_batches_tracked`.
public struct ParamFreeBatchNorm: Sendable {
    public let runningMean: Buffer
    public let runningVar: Buffer
    public let numBatchesTracked: Counter

    public init(_ channels: Int, at scope: Scope) {
        runningMean = scope.buffer("running_mean", Tensor(zeros: [channels]))
        runningVar = scope.buffer("running_var", Tensor(repeating: 1, shape: [channels]))
        numBatchesTracked = scope.counter("num_batches_tracked")
    }

    public func callAsFunction(_ x: Variable, mode: Mode, sync: (any BatchNormSync)? = nil)
        -> Variable
    {
        if mode == .train { numBatchesTracked.value += 1 }
        if mode == .train, let sync {
            return syncBatchNorm2d(
                x, runningMean: &runningMean.value, runningVar: &runningVar.value, sync: sync)
        }
        return batchNorm2d(
            x, weight: nil, bias: nil, runningMean: &runningMean.value,
            runningVar: &runningVar.value, training: mode == .train)
    }
}

/// The SPADE module (NVlabs/SPADE `normalization.SPADE`, config `spadesyncbatch3x3`):
/// out = BN(x) (1 + γ(S)) + β(S), with γ, β two 3x3 convs over ReLU(3x3 conv(S resized to x)).
/// With the instance-aware extensions, a Multi-Instance MLP adds per-instance modulation and
/// the position map is added to the hidden activation (spade.md §6.3-6.4).
///
/// Keys: `param_free_norm`, `mlp_shared.0`, `mlp_gamma`, `mlp_beta`, then `mimlp.*`.
public struct SPADENorm: Sendable {
    public let paramFreeNorm: ParamFreeBatchNorm
    public let mlpShared: Conv2d
    public let mlpGamma: Conv2d
    public let mlpBeta: Conv2d
    public let mimlp: MultiInstanceMLP?
    /// This module's place in the generator's list of SPADE modules (its noise entry).
    public let moduleIndex: Int
    let arch: SPADEArchitecture

    public init(
        _ channels: Int, arch: SPADEArchitecture, moduleIndex: Int, at scope: Scope,
        random: inout RandomSource
    ) {
        let hidden = arch.nhidden
        paramFreeNorm = ParamFreeBatchNorm(channels, at: scope / "param_free_norm")
        mlpShared = SPADEInit.conv(
            arch.generatorInputNC, hidden, kernel: 3, padding: 1, at: scope / "mlp_shared" / 0,
            random: &random)
        mlpGamma = SPADEInit.conv(
            hidden, channels, kernel: 3, padding: 1, at: scope / "mlp_gamma", random: &random)
        mlpBeta = SPADEInit.conv(
            hidden, channels, kernel: 3, padding: 1, at: scope / "mlp_beta", random: &random)
        mimlp =
            arch.mimlp
            ? MultiInstanceMLP(
                noiseDim: arch.mimlpNoise == .shared ? arch.noiseDim : channels, hidden: hidden,
                channels: channels, at: scope / "mimlp", random: &random)
            : nil
        self.moduleIndex = moduleIndex
        self.arch = arch
    }

    /// The noise width this module's MIMLP takes (nil without one).
    public var noiseDim: Int? { mimlp.map { $0.mlpShared.weight.shape[1] } }

    func callAsFunction(_ x: Variable, _ ctx: SPADEContext, mode: Mode) -> Variable {
        let (h, w) = (x.shape[2], x.shape[3])
        let normalized = paramFreeNorm(x, mode: mode, sync: ctx.sync)
        let seg = resizeNearest(ctx.seg, height: h, width: w)
        var actv = relu(mlpShared(seg))
        if arch.positionMap, arch.positionMode == .addHidden, let pe = ctx.position {
            actv = actv + Variable(resizeNearest(Variable(pe), height: h, width: w).value)
        }
        let gamma = mlpGamma(actv)
        let beta = mlpBeta(actv)
        // Without instances in the batch the MIMLP has nothing to modulate (and no rows).
        guard let mimlp, ctx.counts.reduce(0, +) > 0 else {
            return normalized * (1 + gamma) + beta
        }
        guard let index = ctx.index, let noise = ctx.noise else {
            preconditionFailure("SPADENorm: the MIMLP needs an instance index map and noise")
        }
        let indexL = resizeNearest(index, height: h, width: w)
        let (gi, bi) = mimlp(Variable(noise.z[moduleIndex]))
        let dense = (
            instanceGather(gi, index: indexL, counts: ctx.counts),
            instanceGather(bi, index: indexL, counts: ctx.counts)
        )
        switch arch.mimlpMode {
        case .additive:
            return normalized * (1 + gamma + dense.0) + beta + dense.1
        case .replace:
            let n = x.shape[0]
            let inside = Variable(
                Tensor(shape: [n, 1, h, w], data: indexL.data.map { $0 >= 0 ? 1 : 0 }))
            let spade = (1 - inside) * (normalized * (1 + gamma) + beta)
            let gain = arch.literalGain ? dense.0 : inside + dense.0
            return spade + normalized * gain + dense.1
        }
    }
}
