import Data
import ImageCodecs
import Models
import Tensors
import TestSupport
import Testing

@testable import SynthesisMetrics

/// The proxy FID extractor (a DeepLabv3+'s pooled layer4) against PyTorch: make_models.py's
/// small model (1/16 width, blocks [1, 1, 1, 2], heads of 3 and 4 classes), case
/// `eval_pooled_backbone` = `F.adaptive_avg_pool2d(model.encoder.backbone(x)[0], 1).flatten(1)`.
@Suite struct SegmenterExtractorTests {
    static let config = DeepLabConfig(
        backbone: ResNetConfig(blocks: [1, 1, 1, 2], outputStride: 16, widthDivisor: 16),
        classes: [3, 4])

    static func extractor(width: Int = 112, height: Int = 128) throws -> SegmenterExtractor {
        try SegmenterExtractor(
            weightsFile: Fixture.path("deeplab_small.h5"), config: config, name: "fixture",
            inputWidth: width, inputHeight: height)
    }

    @Test func pooledFeaturesMatchPyTorch() throws {
        let c = try Fixture.case("deeplab_small.h5", "cases/eval_pooled_backbone")
        let extractor = try Self.extractor()
        let out = extractor.pooledFeatures(try c.inputs["x"])
        #expect(out.shape == [2, 128, 1, 1] && c.output.shape == [2, 128])
        let scale = c.output.data.map { abs($0) }.max()!
        let worst = zip(out.data, c.output.data).map { abs($0 - $1) }.max()!
        #expect(worst <= 1e-5 * scale, "max |diff| \(worst), max |feature| \(scale)")
        let id = extractor.identity
        #expect(id.isProxy && id.dimension == 128 && id.featureLayer.contains("layer4"))
        #expect(id.weightsSHA256.count == 64 && "\(id)".contains("input 112x128"))
    }

    /// Images are normalised as the segmenter's training normalised them, and resized
    /// (bilinear) when they are not of the input size.
    @Test func imagesAreNormalisedThenResized() throws {
        let extractor = try Self.extractor(width: 32, height: 16)
        let images = (0..<2).map { n in
            RGBImage(
                width: 32, height: 16,
                pixels: (0..<(32 * 16 * 3)).map { UInt8((($0 * 7) + n * 31) % 256) })
        }
        let f = try extractor.features(of: images)
        let direct = extractor.pooledFeatures(ImageOps.normalizedBatch(images))
        #expect(f.count == 2 && f.dimension == 128)
        #expect(f.values == direct.data.map { Double($0) })
        let larger = try Self.extractor(width: 64, height: 32).features(of: images)
        #expect(larger.values != f.values)
        #expect(try extractor.features(of: []).count == 0)
    }
}
