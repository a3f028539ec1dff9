import Data
import Foundation
import Models
import NN
import Results
import Storage
import Tensors
import TestSupport
import Testing

@testable import Paper1

/// Issue 14: torchvision backbones, the synthetic pretraining stage and CAC's diagnostics.
@Suite(.serialized) struct PretrainingTests {
    let scratch = TemporaryFolder()
    func temporary(_ name: String) -> URL { scratch.url.appendingPathComponent(name) }

    /// ResNet-50 at 1/16 width, as make_torchvision_resnet.py builds it.
    static let resnet50w16 = ResNetConfig(blocks: [3, 4, 6, 3], outputStride: 16, widthDivisor: 16)

    // Tests/Fixtures/scripts/make_torchvision_resnet.py: seeded weights in torchvision's layout
    // (with fc) converted by scripts/convert_torchvision_resnet50.py; PyTorch's forward of
    // CAC's dilated backbone in eval mode on `input`.
    @Test func convertedTorchvisionBackboneMatchesPyTorch() throws {
        let shape = DeepLabConfig(backbone: Self.resnet50w16, classes: [19], projector: false)
        let model = DeepLabV3Plus(shape, random: RandomSource(seed: 3))
        let fresh = DeepLabV3Plus(shape, random: RandomSource(seed: 3))
        try BackboneWeights.load(
            Fixture.path("resnet50_torchvision_w16.h5"), config: Self.resnet50w16,
            into: model.store)
        let io = try Fixture.open("resnet50_torchvision_w16_io.h5")
        let x = Variable(try io.tensor("input"))
        let (output, low) = withoutGradient { model.backbone(x, mode: .eval) }
        expectNear(output.value, try io.tensor("output"), "layer4 output")
        expectNear(low.value, try io.tensor("low_level"), "layer1 output")
        // Backbone only: every other key keeps the model's own init, as CAC's loading.
        for entry in model.store.entries where !entry.key.hasPrefix("encoder.backbone.") {
            guard case .parameter(let p) = entry,
                case .parameter(let q) = fresh.store.entry(entry.key)!
            else { continue }
            #expect(p.value.data == q.value.data, "\(entry.key) changed")
        }
        guard case .parameter(let w) = model.store.entry("encoder.backbone.conv1.weight")!,
            case .parameter(let v) = fresh.store.entry("encoder.backbone.conv1.weight")!
        else { Issue.record("no conv1"); return }
        #expect(w.value.data != v.value.data)
    }

    /// A backbone of another width is refused naming the file and the first differing key.
    @Test func backboneOfAnotherWidthIsRefused() throws {
        let narrow = ResNetConfig(blocks: [3, 4, 6, 3], outputStride: 16, widthDivisor: 8)
        let model = DeepLabV3Plus(
            DeepLabConfig(backbone: narrow, classes: [19], projector: false),
            random: RandomSource(seed: 0))
        let path = Fixture.path("resnet50_torchvision_w16.h5")
        #expect {
            try BackboneWeights.load(path, config: narrow, into: model.store)
        } throws: { error in
            let text = "\(error)"
            return text.contains("resnet50_torchvision_w16.h5") && text.contains("conv1.weight")
        }
        let fewer = ResNetConfig(blocks: [1, 1, 1, 1], outputStride: 16, widthDivisor: 16)
        #expect {
            try BackboneWeights.load(path, config: fewer, into: ParameterStore())
        } throws: { "\($0)".contains("unexpected") && "\($0)".contains("layer1.1.conv1.weight") }
    }

    /// `pretrain` is validated, a missing file names the conversion script, the paper profile
    /// asks for the converted ImageNet file under the data root.
    @Test func pretrainSettingIsCheckedAndThePaperProfileUsesTheConvertedFile() throws {
        var c = SegmentationConfig.at(.smoke, .single, .supervised)
        c.pretrain = "imagenet"
        #expect(throws: ConfigError.self) { try c.validate() }
        c.pretrain = temporary("missing.h5").path
        try c.validate()
        #expect {
            try Pretraining.resolve(c, profile: .smoke, options: RunOptions())
        } throws: { "\($0)".contains("convert_torchvision_resnet50.py") }
        let paper = SegmentationConfig.at(.paper, .multi, .semi, dataRoot: "/d")
        #expect(paper.pretrain == "/d/resnet50-imagenet.h5")
        #expect(SegmentationConfig.at(.medium, .multi, .semi).pretrain == "synthetic")
        #expect(SegmentationConfig.at(.small, .multi, .semi).pretrain == "none")
    }

    /// The pretext scenes: categories 0...6 or 255, no evaluation stream, deterministic.
    @Test func pretextScenesAreCategoryLabeledAndDeterministic() {
        let a = PretextScenes.generate(index: 3, seed: 2026, height: 32, width: 64)
        let b = PretextScenes.generate(index: 3, seed: 2026, height: 32, width: 64)
        #expect(a.image == b.image && a.categories == b.categories)
        #expect(a.categories.values.allSatisfy { $0 < 7 || $0 == 255 })
        #expect(Set(a.categories.values).count >= 3)
        let city = SceneGenerator.generate(
            domain: .city, split: "train", index: 3, seed: 2026, height: 32, width: 64)
        #expect(city.image != a.image)
        #expect(PretextScenes.categoryOfLabelId[Int(Cityscapes.id("car"))] == 6)
        #expect(PretextScenes.categoryOfLabelId[Int(Cityscapes.id("road"))] == 0)
        #expect(PretextScenes.categoryOfLabelId[Int(Cityscapes.id("parking"))] == 255)
    }

    /// `pretrain=synthetic`: the stage trains once into the cache, the run loads its backbone
    /// and records file, hash and pretext configuration; a second run reuses the cache. A semi
    /// run logs CAC's diagnostics per step and per epoch, and the report shows the gap.
    @Test func syntheticPretrainingIsCachedRecordedAndDiagnosticsAreLogged() throws {
        let cell = SegmentationRunTests.with(SegmentationRunTests.tinyCell(.single, .semi)) {
            $0.domains = ["city"]
            $0.pretrain = "synthetic"
            $0.pretrainIterations = 3
            $0.pretrainImages = 8
        }
        let config = cell.config(as: SegmentationConfig.self)
        var o = SegmentationRunTests.options(temporary("run"))
        o.resultsRoot = temporary("results")
        let data = try Paper1Data.prepare(config, seed: 0, cacheRoot: temporary("data"))
        var logged: [String] = []
        _ = try Pretraining.resolve(config, profile: .smoke, options: o) { logged.append($0) }
        #expect(logged.count == 1)
        let result = try SegmentationRunner.run(cell, data: data, options: o)

        let cache = Pretraining.cacheFolder(config, threads: 2, resultsRoot: o.resultsRoot)
        let backbone = cache.appendingPathComponent("backbone.h5").path
        let record = try #require(try result.folder.readManifest().pretrainedBackbone)
        #expect(record.source == "synthetic" && record.file == backbone)
        #expect(record.sha256 == (try SHA256.hex(ofFile: backbone)))
        #expect(record.configuration?.contains("\"pretext\"") == true)
        let pretext = try RunFolder(url: cache).readMetrics()
        #expect(pretext.metrics["miou/pretext"]?.isFinite == true)
        _ = try Pretraining.resolve(config, profile: .smoke, options: o) { logged.append($0) }
        #expect(logged.count == 1, "the cached backbone is reused")

        let losses = try result.folder.readLosses()
        for column in CACDiagnostics.columns { #expect(losses.columns.contains(column)) }
        let index = losses.columns.firstIndex(of: "confident")!
        for row in losses.rows {
            let value = row.values[index]
            #expect((value == nil) == (row.step < config.itersPerEpoch * config.unsupStartEpoch))
            if let value { #expect(value >= 0 && value <= 1) }
        }
        let series = result.metrics.series
        let epochs = config.epochs - config.unsupStartEpoch
        for column in CACDiagnostics.columns {
            #expect(series["cac/\(column)/city"]?.count == epochs)
        }
        let share = try #require(series["cac/dc_share/city"]?.last)
        #expect(share > 0 && share < 1)

        var supervised = result.metrics
        supervised.cell = "p1/single-supervised"
        supervised.series = [:]
        supervised.metrics["miou/city"]! -= 2
        let all = Paper1Experiment().series([result.metrics, supervised])
        #expect(all.contains { $0.key.metric == "cac_confident" && $0.key.domain == "city" })
        let table = Paper1Report.cacTable(all)
        #expect(table.contains("| single | city | 2.00 (n=1) |"))
    }
}

/// `actual` against `expected` within 1e-4 of the largest expected magnitude.
private func expectNear(_ actual: Tensor, _ expected: Tensor, _ name: String) {
    #expect(actual.shape == expected.shape, "\(name): \(actual.shape) vs \(expected.shape)")
    let scale = expected.data.reduce(Float(0)) { max($0, abs($1)) }
    let worst = zip(actual.data, expected.data).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
    #expect(worst <= 1e-4 * max(scale, 1), "\(name): max |diff| \(worst), scale \(scale)")
}
