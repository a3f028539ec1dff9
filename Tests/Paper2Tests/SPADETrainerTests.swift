import Data
import Foundation
import Models
import NN
import Paper2
import Tensors
import Testing
import TestSupport

@Suite struct SPADETrainerTests {
    /// The discriminator's convs are the only 4x4 kernels of the two networks (G uses 3x3 and
    /// 1x1), so a gradient buffer shaped (K, C, 4, 4) is a discriminator weight gradient.
    static func is4x4Kernel(_ shape: [Int]) -> Bool {
        shape.count == 4 && shape.suffix(2) == [4, 4]
    }

    static func isGeneratorKernel(_ shape: [Int]) -> Bool {
        shape.count == 4 && (shape.suffix(2) == [3, 3] || shape.suffix(2) == [1, 1])
    }

    // spade.md §5.4: the generator step backpropagates through D into the fake image but
    // computes no D weight gradient; the D step computes D's (for each of the 2 x 5 convs, the
    // conv weight gradient, and for the 6 spectral ones also the gradient of weight_orig) and
    // nothing of G, whose fake is a constant made without a tape.
    @Test func generatorStepComputesNoDiscriminatorWeightGradients() throws {
        let c = try SmallCase()
        let trainer = try SPADETrainer(smallConfig(), random: RandomSource(seed: 3))
        let batch = SPADEBatch(input: c.input, real: c.real)
        var random = RandomSource(seed: 4)
        let gLog = GradientLog()
        let g = GradientLog.$current.withValue(gLog) {
            trainer.generatorStep(batch, random: &random)
        }
        #expect(g.gradients.count == trainer.generator.parameters.count)
        #expect(!gLog.shapes.isEmpty)
        #expect(gLog.shapes.filter(Self.is4x4Kernel).isEmpty, "G step made a D weight gradient")
        // It does reach the fake image through D: a gradient shaped like D's input (2N, 10, H, W).
        #expect(gLog.shapes.contains([4, 10, 32, 64]))

        let dLog = GradientLog()
        let d = GradientLog.$current.withValue(dLog) {
            trainer.discriminatorStep(batch, random: &random)
        }
        #expect(d.gradients.count == trainer.discriminator.parameters.count)
        #expect(dLog.shapes.filter(Self.is4x4Kernel).count == 2 * 5 + 2 * 3)
        // No gradient flows into the (constant) fake or any G kernel (3x3 and 1x1 only in G).
        #expect(!dLog.shapes.contains([4, 10, 32, 64]))
        #expect(dLog.shapes.filter(Self.isGeneratorKernel).isEmpty)
        #expect(!gLog.shapes.filter(Self.isGeneratorKernel).isEmpty)
    }

    // Two trainers from one seed run the same iteration (noise drawn from the same stream) to
    // the same bits.
    @Test func iterationIsRepeatable() throws {
        let c = try SmallCase()
        var results: [(SPADELosses, [Float])] = []
        for _ in 0..<2 {
            let trainer = try SPADETrainer(smallConfig(), random: RandomSource(seed: 7))
            var random = RandomSource(seed: 8)
            let losses = trainer.trainIteration(
                SPADEBatch(input: c.input, real: c.real), random: &random)
            #expect(losses.isFinite)
            results.append((losses, trainer.generator.parameters.flatMap(\.value.data)))
        }
        #expect(results[0].0 == results[1].0)
        #expect(results[0].1 == results[1].1)
    }

    // spade.md §5.5: TTUR lr G = 1e-4, D = 4e-4; linear decay with niter = niter_decay = 100:
    // epoch 101 full, 102 at 99%, 150 at 51%, 200 at 1%.
    @Test func learningRateSchedule() throws {
        var config = smallConfig()
        config.niter = 100
        config.niterDecay = 100
        let trainer = try SPADETrainer(config, random: RandomSource(seed: 1))
        #expect(trainer.optimizerG.beta1 == 0 && trainer.optimizerG.beta2 == 0.9)
        for (epoch, factor) in [(1, 1.0), (101, 1.0), (102, 0.99), (150, 0.51), (200, 0.01)] {
            trainer.setEpoch(epoch)
            #expect(abs(trainer.optimizerG.groups[0].lr - 1e-4 * factor) < 1e-12)
            #expect(abs(trainer.optimizerD.groups[0].lr - 4e-4 * factor) < 1e-12)
        }
    }

    // Eval-mode generation changes no state and repeats with the same noise seed.
    @Test func generateIsRepeatableAndStateless() throws {
        let c = try SmallCase()
        let trainer = try SPADETrainer(smallConfig(), random: RandomSource(seed: 5))
        let before = trainer.generator.store.entries.map(\.key)
        var r1 = RandomSource(seed: 11)
        var r2 = RandomSource(seed: 11)
        let a = trainer.generate(c.input, random: &r1)
        let b = trainer.generate(c.input, random: &r2)
        #expect(a == b && a.shape == [2, 3, 32, 64])
        #expect(trainer.generator.head0.norm0.paramFreeNorm.numBatchesTracked.value == 0)
        #expect(trainer.generator.store.entries.map(\.key) == before)
        var r3 = RandomSource(seed: 12)
        #expect(trainer.generate(c.input, random: &r3) != a, "other noise, other image (L+I+P)")
    }
}

@Suite struct SPADEConfigTests {
    /// spade.md §6.3's table and §13's defaults.
    @Test func variants() throws {
        let l = SPADEConfig(.L)
        #expect(!l.architecture.useEdges && !l.architecture.mimlp && !l.architecture.positionMap)
        #expect(l.architecture.semanticNC == 35 && l.architecture.discriminatorInputNC == 38)
        let li = SPADEConfig(.LI)
        #expect(li.architecture.semanticNC == 36 && li.architecture.mimlp)
        let lip = SPADEConfig(.LIP)
        #expect(lip.architecture.positionMap && lip.architecture.positionMode == .addHidden)
        #expect(lip.architecture.discriminatorInputNC == 39)
        #expect(lip.architecture.generatorInputNC == 36)
        #expect(lip.architecture.mimlpMode == .additive && lip.architecture.mimlpNoise == .shared)
        #expect(lip.architecture.noiseDim == 128 && lip.positionCombine == .sum)
        #expect(lip.positionFrequency == .literal && !lip.vggLoss && lip.lambdaFeat == 10)
        #expect(lip.learningRates == (1e-4, 4e-4) && lip.beta1 == 0 && lip.beta2 == 0.9)
        #expect(lip.deviations.contains { $0.contains("VGG") })
        #expect(SPADEConfig(.L, lUsesEdges: true).architecture.semanticNC == 36)
        for v in SPADEVariant.allCases { try SPADEConfig(v).validate() }
    }

    @Test func codableRoundTripAndValidation() throws {
        var c = SPADEConfig(.LIP)
        c.architecture.mimlpNoise = .perModule
        c.architecture.positionMode = .concat
        let json = try JSONEncoder().encode(c)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains("\"per_module\"") && text.contains("\"L+I+P\""))
        #expect(try JSONDecoder().decode(SPADEConfig.self, from: json) == c)
        var bad = SPADEConfig(.L)
        bad.architecture.mimlp = true
        #expect(throws: SPADEArchitectureError.self) { try bad.validate() }
        bad = SPADEConfig(.LI)
        bad.vggLoss = true
        #expect(throws: SPADEArchitectureError.self) { try bad.validate() }
        // Batch norm pools N x H x W: batch 1 is fine unless the first map is 1x1.
        var one = SPADEConfig(.LIP)
        one.batchSize = 1
        try one.validate()
        one.architecture.cropSize = 32
        one.architecture.aspectRatio = 1
        #expect(one.architecture.latentSize == (1, 1))
        #expect(throws: SPADEArchitectureError.self) { try one.validate() }
        one.batchSize = 2
        try one.validate()
    }

    /// The alternative flags build and run: replace mode, per-module noise, concat position.
    @Test func alternativeFlagsRun() throws {
        let c = try SmallCase()
        for variant in 0..<3 {
            var config = smallConfig()
            switch variant {
            case 0: config.architecture.mimlpMode = .replace
            case 1: config.architecture.mimlpNoise = .perModule
            default: config.architecture.positionMode = .concat
            }
            let trainer = try SPADETrainer(config, random: RandomSource(seed: 9))
            var random = RandomSource(seed: 10)
            let losses = trainer.trainIteration(
                SPADEBatch(input: c.input, real: c.real), random: &random)
            #expect(losses.isFinite, "variant \(variant)")
        }
    }
}

@Suite struct SPADEImagesTests {
    // util.tensor2im: ((x + 1) / 2 * 255) clipped to [0, 255] and truncated.
    @Test func truncatesLikeTensor2im() {
        let t = Tensor(shape: [1, 3, 1, 2], data: [-1, 1, 0, 0.999, -2, 0.5])
        let img = SPADEImages.rgb(t)[0]
        #expect(img.pixels == [0, 127, 0, 255, 254, 191])
    }
}
