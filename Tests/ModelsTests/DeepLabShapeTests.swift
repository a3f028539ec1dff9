import Testing
import Tensors

@testable import Models

@Suite struct DeepLabShapeTests {
    // Shapes from the PyTorch mirror (deeplab_torch.py), classes (5,), blocks (1, 1, 1, 3),
    // width divisor 16, input 2x3x65x97, eval:
    //   OS16: backbone [2, 128, 5, 7], low level [2, 16, 17, 25], E(x) [2, 16, 17, 25]
    //   OS8:  backbone [2, 128, 9, 13], same low level and E(x); logits [2, 5, 65, 97]
    @Test(arguments: [(16, [2, 128, 5, 7]), (8, [2, 128, 9, 13])])
    func oddInputShapes(outputStride: Int, backboneShape: [Int]) {
        let config = DeepLabConfig(
            backbone: ResNetConfig(
                blocks: [1, 1, 1, 3], outputStride: outputStride, widthDivisor: 16),
            classes: [5], projector: false)
        let model = DeepLabV3Plus(config, random: RandomSource(seed: 4))
        var random = RandomSource(seed: 5)
        let x = Variable(random.normalTensor([2, 3, 65, 97]))
        withoutGradient {
            let (output, lowLevel) = model.backbone(x, mode: .eval)
            #expect(output.shape == backboneShape)
            #expect(lowLevel.shape == [2, 16, 17, 25])
            #expect(model.features(x, mode: .eval, random: &random).shape == [2, 16, 17, 25])
            #expect(model(x, domain: 0, mode: .eval, random: &random).shape == [2, 5, 65, 97])
        }
    }

    /// Train-mode dropout masks come from the given source only: the same seed gives the same
    /// features bit for bit, another seed other features; eval mode ignores the source.
    @Test func dropoutDrawsFromTheGivenSource() {
        let model = DeepLabV3Plus(smallConfig, random: RandomSource(seed: 6))
        var inputs = RandomSource(seed: 7)
        let x = Variable(inputs.normalTensor([2, 3, 32, 32]))
        func features(_ seed: UInt64, _ mode: Mode) -> Tensor {
            var random = RandomSource(seed: seed)
            return withoutGradient { model.features(x, mode: mode, random: &random).value }
        }
        #expect(features(1, .train) == features(1, .train))
        #expect(features(1, .train) != features(2, .train))
        #expect(features(1, .eval) == features(2, .eval))
    }
}
