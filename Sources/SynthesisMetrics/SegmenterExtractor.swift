import Data
import Foundation
import ImageCodecs
import Models
import NN
import Storage
import Tensors

/// The default FID extractor when no Inception-v3 weights are given (spade.md §7.4 and §11):
/// the globally average-pooled backbone output (ResNet `layer4`) of a DeepLabv3+ that the
/// harness trained itself on the real training images of the evaluated data set.
///
/// Why this network: spade.md §11 recommends a proxy extractor whose scores are used only to
/// compare L, L+I and L+I+P with each other, and §7.4 names two candidates: a seeded random
/// conv net or the harness's own segmentation network. A random network's features respond
/// mostly to colour and texture statistics; a network trained on street scenes responds to
/// the objects the paper's claims are about (cars, persons, their boundaries), as Inception's
/// ImageNet features do. The backbone's pooled `layer4` output is the place that mirrors
/// Inception's `pool3` (the last convolutional block, global average pool). The network is
/// trained on the training split only, so the validation scenes the FID is measured on are
/// never seen in training. Its scores are labelled "FID-proxy" and are not comparable with
/// published FID.
///
/// Preprocessing is the segmenter's own: uint8 / 255, ImageNet mean and std
/// (`ImageOps.writeNormalized`), then a bilinear resize (align_corners false) when an image is
/// not of the network's input size.
public struct SegmenterExtractor: FeatureExtractor {
    public let identity: ExtractorIdentity
    public let model: DeepLabV3Plus

    /// Wraps a loaded `model`; `identity` describes it (name, weights file and its hash, input
    /// size, layer "layer4 + global average pool").
    public init(model: DeepLabV3Plus, identity: ExtractorIdentity) {
        precondition(
            identity.dimension == model.config.backbone.outChannels,
            "SegmenterExtractor: identity dimension \(identity.dimension) vs "
                + "\(model.config.backbone.outChannels) backbone channels")
        self.model = model
        self.identity = identity
    }

    /// Loads the DeepLabv3+ of shape `config` from `weightsFile` (a harness checkpoint with
    /// PyTorch keys, `encoder.backbone.*` ...) for `inputWidth` x `inputHeight` images.
    ///
    /// - Throws: `MetricsError` naming the file when it is missing, not a checkpoint, or not a
    ///   DeepLabv3+ of that shape (missing, unexpected or misshapen keys).
    public init(
        weightsFile: String, config: DeepLabConfig, name: String, inputWidth: Int,
        inputHeight: Int
    ) throws {
        guard FileManager.default.fileExists(atPath: weightsFile) else {
            throw MetricsError(weightsFile, "no such segmenter weights file")
        }
        let model = DeepLabV3Plus(config, random: RandomSource(seed: 0))
        do {
            _ = try Checkpoint.load(weightsFile, into: model.store, strict: true)
        } catch let error as StorageError {
            let key = error.key.map { "'\($0)': " } ?? ""
            throw MetricsError(
                weightsFile,
                "not a DeepLabv3+ checkpoint of width 1/\(config.backbone.widthDivisor) and "
                    + "blocks \(config.backbone.blocks): \(key)\(error.problem)")
        }
        let identity = ExtractorIdentity(
            name: name, weightsSHA256: try SHA256.hex(ofFile: weightsFile),
            weightsFile: weightsFile, inputWidth: inputWidth, inputHeight: inputHeight,
            featureLayer: Self.featureLayer, dimension: config.backbone.outChannels, isProxy: true)
        self.init(model: model, identity: identity)
    }

    /// The layer the features are read from.
    public static let featureLayer = "layer4 (ResNet backbone output, global average pool)"

    /// (N, C) pooled backbone features of `images` in eval mode.
    public func features(of images: [RGBImage]) throws -> FeatureMatrix {
        if images.isEmpty {
            return FeatureMatrix(count: 0, dimension: identity.dimension, values: [])
        }
        let (w, h) = (identity.inputWidth, identity.inputHeight)
        let inputs = images.map { image -> Tensor in
            let x = ImageOps.normalizedBatch([image])
            if image.width == w && image.height == h { return x }
            return withoutGradient {
                resizeBilinear(Variable(x), height: h, width: w, alignCorners: false).value
            }
        }
        let pooled = pooledFeatures(ImageOps.stack(inputs))
        return FeatureMatrix(
            count: images.count, dimension: identity.dimension, float32: pooled.data)
    }

    /// The feature layer on a normalised batch: x (N, 3, H, W) -> (N, C, 1, 1), PyTorch
    /// `F.adaptive_avg_pool2d(backbone(x)[0], 1)` in eval mode.
    public func pooledFeatures(_ x: Tensor) -> Tensor {
        withoutGradient { globalAvgPool2d(model.backbone(Variable(x), mode: .eval).output).value }
    }
}
