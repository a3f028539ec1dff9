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
        let model = DeepLabV3Plus(
            DeepLabConfig(classes: [19, 19, 19]), random: RandomSource(seed: 1))
        #expect(manifestLines(model.store) == (try manifest("cac_deeplab_resnet50_3x19.txt")))
        // torchvision resnet50 without fc: 23,508,032 parameters (checked by make_models.py).
        let backbone = model.store.parameters.filter { $0.key.hasPrefix("encoder.backbone.") }
        #expect(backbone.reduce(0) { $0 + $1.value.count } == 23_508_032)
        #expect(model.store.parameterCount == 40_460_121)
        expectInit(model.store)
    }

    /// cac.md section 5 and torchvision's ResNet init: backbone convs N(0, 2 / fan_out), ASPP,
    /// decoder and classifier convs N(0, 2 / fan_in), classifier bias and projector
    /// U(-1/sqrt(fan_in), 1/sqrt(fan_in)), batch norms weight 1, bias 0.
    func expectInit(_ store: ParameterStore) {
        func value(_ key: String) -> [Float] {
            store.parameters.first { $0.key == key }!.value.data
        }
        func std(_ xs: [Float]) -> Float {
            let m = xs.reduce(0, +) / Float(xs.count)
            return (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Float(xs.count)).squareRoot()
        }
        let backbone = std(value("encoder.backbone.layer3.0.conv2.weight"))  // 256*256*9
        #expect(abs(backbone / (2 / Float(256 * 9)).squareRoot() - 1) < 0.01)
        let aspp = std(value("encoder.aspp.aspp2.atrous_conv.weight"))  // fan_in 2048*9
        #expect(abs(aspp / (2 / Float(2048 * 9)).squareRoot() - 1) < 0.01)
        let last = std(value("encoder.decoder.last_conv.0.weight"))  // fan_in 304*9
        #expect(abs(last / (2 / Float(304 * 9)).squareRoot() - 1) < 0.01)
        for key in ["classifiers.2.1.bias", "project.0.weight", "project.2.bias"] {
            #expect(value(key).allSatisfy { abs($0) <= 0.0625 }, "\(key) outside U(-1/16, 1/16)")
        }
        #expect(std(value("project.0.weight")) > 0.0625 / Float(3).squareRoot() * 0.95)
        #expect(value("encoder.aspp.bn1.weight").allSatisfy { $0 == 1 })
        #expect(value("encoder.backbone.layer4.2.bn3.bias").allSatisfy { $0 == 0 })
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
