import NN
import Testing
import Tensors

@testable import Models

@Suite struct SPADEKeyTests {
    // Manifests written by Tests/Fixtures/scripts/make_spade.py from the PyTorch mirror of
    // NVlabs/SPADE's modules (spade_torch.py): `f"{k} [{shape}]"` per state_dict entry.

    /// The Cityscapes generator: ngf 64, 35 labels + edge, normal upsampling (spade.md §2),
    /// built once with the Multi-Instance MLP in all 18 SPADE modules (d_z = 128, + 3,120,768
    /// parameters); without the `mimlp` entries it is plain SPADE's state (the L generator
    /// registers the same layers, its MIMLPs being nil).
    @Test func generatorKeysAndCountsMatchPyTorch() throws {
        var a = SPADEArchitecture()
        a.mimlp = true
        var random = RandomSource(seed: 1)
        let g = try SPADEGenerator(a, random: &random)
        let lines = manifestLines(g.store)
        #expect(lines == (try manifest("spade_generator_cityscapes_mimlp.txt")))
        #expect(g.store.parameterCount == 96_168_771)
        #expect(g.norms.count == 18)
        let plain = lines.filter { !$0.contains(".mimlp.") }
        #expect(plain == (try manifest("spade_generator_cityscapes.txt")))
        let plainCount = g.parameters.filter { !$0.key.contains(".mimlp.") }
            .reduce(0) { $0 + $1.value.count }
        #expect(plainCount == 93_048_003)
        // SPADE's init: xavier-normal gain 0.02, zero bias (spade.md §2.5).
        let w = g.middle0.norm1.mlpGamma.weight.value.data  // (1024, 128, 3, 3)
        let expectedStd = 0.02 * (2 / Float(128 * 9 + 1024 * 9)).squareRoot()
        let std = (w.reduce(0) { $0 + $1 * $1 } / Float(w.count)).squareRoot()
        #expect(abs(std / expectedStd - 1) < 0.01)
        #expect(g.fc.bias!.value.data.allSatisfy { $0 == 0 })
    }

    /// The multi-scale discriminator: 2 scales x 4 layers, 39 input channels (spade.md §3).
    @Test func discriminatorKeysAndCountMatchPyTorch() throws {
        var random = RandomSource(seed: 2)
        let d = try MultiscaleDiscriminator(SPADEArchitecture(), random: &random)
        #expect(manifestLines(d.store) == (try manifest("spade_discriminator_cityscapes.txt")))
        #expect(d.store.parameterCount == 5_601_410)
    }

    /// The reduced models of the fixture (make_spade.py `SMALL`).
    @Test func smallModelsKeysMatchPyTorch() throws {
        var a = SPADEArchitecture()
        a.labelNC = 6
        a.ngf = 1
        a.ndf = 2
        a.nhidden = 8
        a.noiseDim = 8
        a.cropSize = 64
        a.mimlp = true
        a.positionMap = true
        var random = RandomSource(seed: 3)
        let g = try SPADEGenerator(a, random: &random)
        let d = try MultiscaleDiscriminator(a, random: &random)
        #expect(manifestLines(g.store) == (try manifest("spade_small_generator.txt")))
        #expect(manifestLines(d.store) == (try manifest("spade_small_discriminator.txt")))
        // The position map (add_hidden) adds no parameters.
        a.positionMap = false
        let withoutPosition = try SPADEGenerator(a, random: &random)
        #expect(withoutPosition.store.parameterCount == g.store.parameterCount)
    }

    /// Sizes of spade.md §2.1-2.2 and the width multiplier.
    @Test func sizesAndWidthMultiplier() throws {
        var a = SPADEArchitecture()
        #expect(a.latentSize == (8, 16) && a.imageSize == (256, 512))
        a.upsampling = .more
        #expect(a.latentSize == (4, 8) && a.imageSize == (256, 512))
        let small = SPADEArchitecture().scaled(width: 0.25)
        #expect(small.ngf == 16 && small.ndf == 16 && small.nhidden == 128)
        var random = RandomSource(seed: 4)
        let g = try SPADEGenerator(small, random: &random)
        // Every channel count scales: head 16 ngf = 256, last block ngf = 16.
        #expect(g.head0.conv0.norm.weightOrig.shape == [256, 256, 3, 3])
        #expect(g.ups[3].conv1.norm.weightOrig.shape == [16, 16, 3, 3])
        var bad = SPADEArchitecture()
        bad.cropSize = 16
        #expect(throws: SPADEArchitectureError.self) { try bad.validate() }
        bad = SPADEArchitecture()
        bad.positionMap = true
        #expect(throws: SPADEArchitectureError.self) { try bad.validate() }
    }

    /// The generator's output shape and range, and the discriminator's patch sizes at a small
    /// width (spade.md §3: 2 scales, out = floor(n / s) + 1 per layer).
    @Test func forwardShapes() throws {
        var a = SPADEArchitecture().scaled(width: 1.0 / 32)
        a.labelNC = 4
        a.cropSize = 64
        a.nhidden = 8
        var random = RandomSource(seed: 5)
        let g = try SPADEGenerator(a, random: &random)
        let d = try MultiscaleDiscriminator(a, random: &random)
        var s = Tensor(zeros: [2, 5, 32, 64])
        for i in 0..<(32 * 64) { s.data[(i % 4) * 32 * 64 + i] = 1 }
        let y = withoutGradient { g(SPADEInput(semantics: s), mode: .train, random: &random) }
        #expect(y.shape == [2, 3, 32, 64])
        #expect(y.value.data.allSatisfy { abs($0) <= 1 })
        let outs = withoutGradient {
            d(concatChannels([Variable(s), y]), mode: .eval)
        }
        let sizes = outs[0].map { Array($0.shape.suffix(2)) }
        #expect(sizes == [[17, 33], [9, 17], [5, 9], [6, 10], [7, 11]])
        #expect(outs[1].last!.shape == [2, 1, 5, 7])
    }
}
