import Foundation
import NN
import Testing
import Tensors

@testable import Models

/// The `key [shape]` lines of a model's state, in order (the manifests' format).
func manifestLines(_ store: ParameterStore) -> [String] {
    store.entries.map { "\($0.key) [\($0.shape.map(String.init).joined(separator: ","))]" }
}

/// The lines of Tests/Fixtures/keys/<name>.
func manifest(_ name: String) throws -> [String] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/keys/\(name)").standardized
    return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
}

/// The reduced model of Tests/Fixtures/scripts/make_models.py (`SMALL`).
let smallConfig = DeepLabConfig(
    backbone: ResNetConfig(blocks: [1, 1, 1, 2], outputStride: 16, widthDivisor: 16),
    classes: [3, 4])

@Suite struct KeyManifestTests {
    // Manifests written by Tests/Fixtures/scripts/make_models.py from the PyTorch mirror of
    // CAC's model (deeplab_torch.py): `for k, v in model.state_dict().items(): f"{k} [{shape}]"`.

    @Test func fullSizeThreeHeadsMatchesPyTorch() throws {
        let model = DeepLabV3Plus(DeepLabConfig(classes: [19, 19, 19]), random: RandomSource(seed: 1))
        #expect(manifestLines(model.store) == (try manifest("cac_deeplab_resnet50_3x19.txt")))
        // torchvision resnet50 without fc: 23,508,032 parameters (checked by make_models.py).
        let backbone = model.store.parameters.filter { $0.key.hasPrefix("encoder.backbone.") }
        #expect(backbone.reduce(0) { $0 + $1.value.count } == 23_508_032)
        #expect(model.store.parameterCount == 40_460_121)
    }

    @Test func singleHeadUsesCACClassifierKeys() throws {
        // One domain keeps CAC's own `classifier.1.*` keys (a checkpoint of CAC loads as is).
        let model = DeepLabV3Plus(DeepLabConfig(classes: [19]), random: RandomSource(seed: 2))
        #expect(manifestLines(model.store) == (try manifest("cac_deeplab_resnet50_1x19.txt")))
    }

    @Test func smallModelMatchesPyTorch() throws {
        let model = DeepLabV3Plus(smallConfig, random: RandomSource(seed: 3))
        #expect(manifestLines(model.store) == (try manifest("deeplab_small.txt")))
    }
}
