import Models
import NN
import Tensors

/// One training batch: the generator's conditioning and the real images (N, 3, H, W) in [-1, 1].
public struct SPADEBatch: Sendable {
    public var input: SPADEInput
    public var real: Tensor

    public init(input: SPADEInput, real: Tensor) {
        self.input = input
        self.real = real
    }
}

/// The loss terms of one iteration (SPADE's names: GAN, GAN_Feat, D_Fake, D_real).
public struct SPADELosses: Sendable, Equatable, Codable {
    public var generatorGAN: Float
    public var generatorFeat: Float
    public var discriminatorFake: Float
    public var discriminatorReal: Float

    /// L_G = GAN + GAN_Feat (no VGG term).
    public var generator: Float { generatorGAN + generatorFeat }
    /// L_D = D_Fake + D_real.
    public var discriminator: Float { discriminatorFake + discriminatorReal }
    /// Whether every term is finite.
    public var isFinite: Bool {
        [generatorGAN, generatorFeat, discriminatorFake, discriminatorReal].allSatisfy(\.isFinite)
    }
}

/// SPADE's trainer (NVlabs/SPADE `Pix2PixTrainer` + `Pix2PixModel`, spade.md §5): the two
/// networks, Adam for each (betas (0, 0.9), TTUR lr G = lr / 2, D = lr * 2) and the linear
/// decay schedule.
public final class SPADETrainer {
    public let config: SPADEConfig
    public let generator: SPADEGenerator
    public let discriminator: MultiscaleDiscriminator
    public let optimizerG: Adam
    public let optimizerD: Adam
    public let schedule: LinearDecaySchedule

    /// Builds both networks (G first, then D, from `random`'s "G" and "D" streams) and their
    /// optimizers.
    public init(_ config: SPADEConfig, random: RandomSource) throws {
        try config.validate()
        self.config = config
        var g = random.split("G")
        var d = random.split("D")
        generator = try SPADEGenerator(config.architecture, random: &g)
        discriminator = try MultiscaleDiscriminator(config.architecture, random: &d)
        let (lrG, lrD) = config.learningRates
        optimizerG = Adam(
            generator.parameters, lr: lrG, beta1: config.beta1, beta2: config.beta2)
        optimizerD = Adam(
            discriminator.parameters, lr: lrD, beta1: config.beta1, beta2: config.beta2)
        schedule = LinearDecaySchedule(niter: config.niter, niterDecay: config.niterDecay)
    }

    /// Sets both learning rates for 1-based epoch `epoch` (call before its first iteration).
    public func setEpoch(_ epoch: Int) {
        schedule.apply(to: optimizerG, epoch: epoch)
        schedule.apply(to: optimizerD, epoch: epoch)
    }

    /// D's input for images `image`: concat(S, image) (+ the position map if D sees it).
    public func discriminatorInput(_ input: SPADEInput, _ image: Variable) -> Variable {
        var parts = [Variable(input.semantics), image]
        if config.architecture.positionMap, config.architecture.discriminatorSeesPosition,
            let pe = input.position
        {
            parts.insert(Variable(pe), at: 1)
        }
        return concatChannels(parts)
    }

    /// D on [fake; real] in one pass (fake first), split back into (fake, real) outputs (per
    /// scale, every layer's output).
    public func discriminate(_ input: SPADEInput, fake: Variable, real: Tensor)
        -> (fake: [[Variable]], real: [[Variable]])
    {
        let n = input.batch
        let both = concatBatch([
            discriminatorInput(input, fake), discriminatorInput(input, Variable(real)),
        ])
        let out = discriminator(both, mode: .train)
        return (
            out.map { $0.map { sliceBatch($0, 0..<n) } },
            out.map { $0.map { sliceBatch($0, n..<(2 * n)) } }
        )
    }

    /// The generator step: forward G, D on [fake; real], L_G = GAN + FM, Adam on G only.
    /// Returns the loss terms and G's gradients (aligned with `generator.parameters`).
    /// Gradients are taken with respect to G's parameters alone, so no D weight gradient is
    /// computed (D still runs in train mode: its spectral norms advance, as in SPADE).
    @discardableResult
    public func generatorStep(
        _ batch: SPADEBatch, noise: InstanceNoise? = nil, random: inout RandomSource
    ) -> (gan: Float, feat: Float, gradients: [Tensor]) {
        let g = generatorGradients(batch, noise: noise, random: &random)
        optimizerG.step(g.gradients)
        return g
    }

    /// The generator step without the Adam update. One shard of a data-parallel batch scales
    /// L_G by `scale` (1 / shards) and passes its `sync` to G's batch norms.
    func generatorGradients(
        _ batch: SPADEBatch, noise: InstanceNoise? = nil, random: inout RandomSource,
        scale: Float? = nil, sync: (any BatchNormSync)? = nil
    ) -> (gan: Float, feat: Float, gradients: [Tensor]) {
        var terms: (Float, Float) = (0, 0)
        let noise = noise ?? generator.drawNoise(for: batch.input, random: &random)
        let (_, grads) = valueAndGradient(of: generator.parameters) {
            let fake = generator(
                batch.input, noise: noise, mode: .train, random: &random, sync: sync)
            let pred = discriminate(batch.input, fake: fake, real: batch.real)
            let gan = hingeGeneratorLoss(pred.fake)
            let feat = featureMatchingLoss(
                fake: pred.fake, real: pred.real, lambda: config.lambdaFeat)
            terms = (gan.value.scalar, feat.value.scalar)
            return scale.map { (gan + feat) * $0 } ?? gan + feat
        }
        return (terms.0, terms.1, grads)
    }

    /// The discriminator step: a fresh fake from the (updated) generator without gradients,
    /// D on [fake; real], L_D = D_Fake + D_real, Adam on D only. Returns the loss terms and
    /// D's gradients (aligned with `discriminator.parameters`).
    @discardableResult
    public func discriminatorStep(
        _ batch: SPADEBatch, noise: InstanceNoise? = nil, random: inout RandomSource
    ) -> (fake: Float, real: Float, gradients: [Tensor]) {
        let d = discriminatorGradients(batch, noise: noise, random: &random)
        optimizerD.step(d.gradients)
        return d
    }

    /// The discriminator step without the Adam update; `scale` and `sync` as in
    /// `generatorGradients` (the fake's forward through G synchronizes its batch norms).
    func discriminatorGradients(
        _ batch: SPADEBatch, noise: InstanceNoise? = nil, random: inout RandomSource,
        scale: Float? = nil, sync: (any BatchNormSync)? = nil
    ) -> (fake: Float, real: Float, gradients: [Tensor]) {
        let noise = noise ?? generator.drawNoise(for: batch.input, random: &random)
        let fake = withoutGradient {
            generator(batch.input, noise: noise, mode: .train, random: &random, sync: sync).value
        }
        var terms: (Float, Float) = (0, 0)
        let (_, grads) = valueAndGradient(of: discriminator.parameters) {
            let pred = discriminate(batch.input, fake: Variable(fake), real: batch.real)
            let dFake = hingeDiscriminatorLoss(pred.fake, real: false)
            let dReal = hingeDiscriminatorLoss(pred.real, real: true)
            terms = (dFake.value.scalar, dReal.value.scalar)
            return scale.map { (dFake + dReal) * $0 } ?? dFake + dReal
        }
        return (terms.0, terms.1, grads)
    }

    /// One iteration in SPADE's order: generator step, then discriminator step. `noise` (for
    /// the G step and the D step) is drawn from `random` when nil.
    public func trainIteration(
        _ batch: SPADEBatch, noise: (generator: InstanceNoise, discriminator: InstanceNoise)? = nil,
        random: inout RandomSource
    ) -> SPADELosses {
        let g = generatorStep(batch, noise: noise?.generator, random: &random)
        let d = discriminatorStep(batch, noise: noise?.discriminator, random: &random)
        return SPADELosses(
            generatorGAN: g.gan, generatorFeat: g.feat, discriminatorFake: d.fake,
            discriminatorReal: d.real)
    }

    /// Generates images for `input` in eval mode (running BN statistics, no spectral-norm
    /// update) with noise from `random` (a fixed seed per image gives repeatable pictures).
    public func generate(_ input: SPADEInput, random: inout RandomSource) -> Tensor {
        withoutGradient { generator(input, mode: .eval, random: &random).value }
    }
}
