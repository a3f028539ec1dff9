import Data
import Foundation
import ImageCodecs
import Models
import NN
import Results
import Storage
import SynthesisMetrics
import TestSupport
import Testing

@testable import Paper2

/// The judges of paper 2's generated images: the proxy segmenter (cached by configuration),
/// its mIoU rule and ceiling, the proxy FID extractor's identity, bad input.
@Suite(.serialized) struct Paper2EvaluatorsTests {
    /// One training per configuration and thread count; later calls load the same weights.
    @Test func segmenterIsTrainedOnceAndCachedByConfiguration() throws {
        let a = try TestJudges.smoke()
        let checkpoint = a.folder.appendingPathComponent("checkpoint-city.h5").path
        let written =
            try FileManager.default.attributesOfItem(atPath: checkpoint)[
                .modificationDate] as? Date
        let b = try TestJudges.smoke()
        let again =
            try FileManager.default.attributesOfItem(atPath: checkpoint)[
                .modificationDate] as? Date
        #expect(a.folder.path == b.folder.path && written == again)
        #expect(try SHA256.hex(ofFile: checkpoint) == a.segmenterIdentity.weightsSHA256)
        #expect(a.fid.identity.weightsSHA256 == a.segmenterIdentity.weightsSHA256)
        let id = a.fid.identity
        #expect(id.isProxy && id.name == "proxy-deeplab-city" && id.featureLayer.contains("layer4"))
        #expect(id.dimension == 2048 / 16 && id.inputWidth == 64 && id.inputHeight == 32)
        // The cached folder is paper 1's run of a single-domain supervised cell, all labeled.
        let manifest = try RunFolder(url: a.folder).readManifest()
        #expect(
            manifest.configuration.contains("\"labeledFraction\":1"), "\(manifest.configuration)")
        #expect(a.segmenterValMIoU.isFinite)
        // Another seed or thread count is another network; the SPADE variant is not.
        func folder(_ c: Paper2RunConfig, threads: Int = 2) -> String {
            Paper2Evaluators.cacheFolder(c, threads: threads, resultsRoot: TestJudges.root).path
        }
        var other = Paper2RunConfig.at(.smoke, .L)
        other.segmenter.seed = 1
        #expect(folder(other) != a.folder.path)
        #expect(folder(.at(.smoke, .L), threads: 1) != a.folder.path)
        #expect(folder(.at(.smoke, .LIP)) == a.folder.path)
    }

    /// The ceiling through paper 2's pipeline (val scenes at the generation size, label ids
    /// mapped to train ids) equals paper 1's own evaluation of the segmenter on those scenes.
    @Test func realImageCeilingEqualsPaper1sEvaluation() throws {
        let judges = try TestJudges.smoke()
        let config = Paper2RunConfig.at(.smoke, .L)
        let data = try Paper2Data.prepare(
            config, cacheRoot: TestJudges.root.appendingPathComponent("data"))
        let scenes = try Paper2Evaluation.scenes(data, config: config)
        let m = try judges.confusion(
            images: scenes.map(\.real), labelIds: scenes.map(\.labels), names: scenes.map(\.name))
        #expect(m.iou.count == 19)
        #expect(abs(m.meanIoU - judges.segmenterValMIoU) < 1e-12, "\(m.meanIoU)")
    }

    @Test func generatedImageOfAnotherSizeThanItsLabelMapIsAnError() throws {
        let judges = try TestJudges.smoke()
        let image = RGBImage(width: 64, height: 32)
        let labels = LabelMap(width: 32, height: 32, repeating: 7)
        do {
            _ = try judges.confusion(images: [image], labelIds: [labels], names: ["gen/a.png"])
            Issue.record("expected a size error")
        } catch let error as MetricsError {
            #expect(error.subject == "gen/a.png")
            #expect(error.problem.contains("64x32") && error.problem.contains("32x32"))
        }
    }

    /// `inceptionWeights` naming a file that is not pytorch-fid's Inception-v3 (here the
    /// segmenter's checkpoint) is refused with the file's name.
    @Test func inceptionWeightsThatAreNotInceptionAreRefused() throws {
        let judges = try TestJudges.smoke()
        var c = Paper2RunConfig.at(.smoke, .L)
        c.inceptionWeights = judges.folder.appendingPathComponent("checkpoint-city.h5").path
        do {
            _ = try Paper2Evaluators.prepare(c, profile: .smoke, options: TestJudges.options())
            Issue.record("expected the file to be refused")
        } catch let error as MetricsError {
            #expect(error.subject == c.inceptionWeights)
            #expect(error.problem.contains("not a pytorch-fid Inception-v3"), "\(error)")
        }
        c.inceptionWeights = "/no/such/inception.h5"
        #expect(throws: MetricsError("/no/such/inception.h5", "no such Inception-v3 weights file"))
        {
            try Paper2Evaluators.prepare(c, profile: .smoke, options: TestJudges.options())
        }
    }

    /// User-supplied pytorch-fid Inception-v3 weights (here the full-width network with its
    /// initial weights, written as the converted file would be) replace the proxy: the score is
    /// labelled FID, not FID-proxy, with the file's hash; mIoU keeps the proxy segmenter.
    @Test func inceptionWeightsReplaceTheProxyExtractor() throws {
        let scratch = TemporaryFolder()
        let store = ParameterStore()
        _ = FIDInceptionV3(widthDivisor: 1, at: Scope(store))
        let path = scratch.url.appendingPathComponent("pt_inception.h5").path
        try Checkpoint().save(store, to: path)
        var c = Paper2RunConfig.at(.smoke, .L)
        c.inceptionWeights = path
        c.synchronize()
        let judges = try Paper2Evaluators.prepare(
            c, profile: .smoke, options: TestJudges.options())
        let id = judges.fid.identity
        #expect(!id.isProxy && id.name == "pytorch-fid-inception-v3" && id.dimension == 2048)
        #expect(id.weightsSHA256 == (try SHA256.hex(ofFile: path)) && id.inputWidth == 299)
        #expect(judges.segmenterIdentity.isProxy)
        let images = (0..<2).map { n in
            RGBImage(width: 64, height: 32, fill: (UInt8(40 * n), 90, UInt8(200 - 50 * n)))
        }
        let score = try FID.score(
            real: ImageSet(name: "real", images: images),
            generated: ImageSet(name: "generated", images: images.reversed()),
            extractor: judges.fid)
        #expect(score.label == "FID" && score.value.isFinite)
        #expect(c.spade.fidExtractor.hasPrefix("pytorch-fid-inception-v3"))
    }

    /// A segmenter checkpoint of another shape is refused, naming the file.
    @Test func segmenterExtractorRefusesAnotherShape() throws {
        let judges = try TestJudges.smoke()
        let path = judges.folder.appendingPathComponent("checkpoint-city.h5").path
        var config = judges.segmenter.config
        config.backbone.widthDivisor = 8
        do {
            _ = try SegmenterExtractor(
                weightsFile: path, config: config, name: "x", inputWidth: 64, inputHeight: 32)
            Issue.record("expected a shape error")
        } catch let error as MetricsError {
            #expect(error.subject == path && error.problem.contains("width 1/8"), "\(error)")
        }
    }

    /// Reported MICV = population std in [0, 1] x 100; the plain value, x255, the literal
    /// x1e5 and §9.1's readings are logged beside it. Two cars, black and white: per-channel
    /// population std 0.5, sample std sqrt(0.5), variance 0.25, Euclidean sqrt(3 x 0.25).
    @Test func micvIsReportedTimes100WithTheVariantsBeside() throws {
        let image = RGBImage(width: 2, height: 1, pixels: [0, 0, 0, 255, 255, 255])
        let cars = InstanceMap(width: 2, height: 1, values: [26_000, 26_001])
        let result = try MICV.compute(images: [image], instances: [cars], classes: [26])[0]
        let m = Dictionary(
            uniqueKeysWithValues: MICVVariants.metrics(result, scale: Paper2Evaluation.micvScale))
        #expect(Paper2Evaluation.micvScale == 100)
        let expected: [String: Double] = [
            "": 50, "_plain": 0.5, "_x255": 127.5, "_x1e5": 50_000, "_sample_std": 0.5.squareRoot(),
            "_euclidean_std": 0.75.squareRoot(), "_variance": 0.25, "_pooled_std": 0.5,
        ]
        #expect(m.keys.sorted() == expected.keys.sorted())
        for (k, v) in expected { #expect(abs(m[k]! - v) < 1e-12, "\(k): \(m[k]!) vs \(v)") }
    }
}
