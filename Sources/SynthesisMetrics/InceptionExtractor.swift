import Data
import Foundation
import ImageCodecs
import Models
import NN
import Storage
import Tensors

/// pytorch-fid's Inception-v3 pool3 features (`FIDInceptionV3`), loaded from an HDF5 weight
/// file that Tests/Fixtures/scripts/inception_convert.py makes from pytorch-fid's published
/// `pt_inception-2015-12-05-6726825d.pth`. Its scores are paper-comparable FID.
///
/// Preprocessing is pytorch-fid's: uint8 RGB / 255 (ToTensor), bilinear resize to 299 x 299
/// (align_corners false, no antialias, aspect ratio not kept), 2x - 1.
public struct InceptionExtractor: FeatureExtractor {
    public let identity: ExtractorIdentity
    public let network: FIDInceptionV3

    /// Keys the published file has that the feature network does not use (the 1008-way
    /// classifier).
    static let unusedKeys: Set<String> = ["fc.weight", "fc.bias"]  // membership only

    /// Loads `weightsFile`; `widthDivisor` > 1 loads a reduced-width test network (its scores
    /// are labelled proxies).
    ///
    /// - Throws: `MetricsError` naming the file when it is missing, not HDF5, or not a
    ///   pytorch-fid Inception-v3 (missing, unexpected or misshapen keys).
    public init(weightsFile: String, widthDivisor: Int = 1) throws {
        guard FileManager.default.fileExists(atPath: weightsFile) else {
            throw MetricsError(weightsFile, "no such Inception-v3 weights file")
        }
        guard FIDInceptionV3.widthDivisors.contains(widthDivisor) else {
            throw MetricsError(
                weightsFile,
                "width divisor \(widthDivisor) is not one of "
                    + "\(FIDInceptionV3.widthDivisors) (1 is pytorch-fid's network)")
        }
        let store = ParameterStore()
        let network = FIDInceptionV3(widthDivisor: widthDivisor, at: Scope(store))
        let notInception = "not a pytorch-fid Inception-v3 weight file"
        let load: CheckpointLoad
        do {
            load = try Checkpoint.load(weightsFile, into: store, strict: false)
        } catch let error as StorageError {
            let hint =
                error.kind == .wrongFormat
                ? " (convert pytorch-fid's .pth with Tests/Fixtures/scripts/inception_convert.py)"
                : ""
            let key = error.key.map { "'\($0)': " } ?? ""
            throw MetricsError(weightsFile, "\(notInception): \(key)\(error.problem)\(hint)")
        }
        // Old state_dicts have no num_batches_tracked; eval mode never reads it.
        let missing = load.missingKeys.filter { !$0.hasSuffix(".num_batches_tracked") }
        let unexpected = load.unexpectedKeys.filter { !Self.unusedKeys.contains($0) }
        guard missing.isEmpty && unexpected.isEmpty else {
            throw MetricsError(
                weightsFile,
                "\(notInception): \(missing.count) of the network's keys are "
                    + "missing (first: \(missing.prefix(3))), \(unexpected.count) keys are not "
                    + "Inception-v3's (first: \(unexpected.prefix(3)))")
        }
        self.network = network
        let layer = "pool3 (Mixed_7c, global average pool)"
        identity = ExtractorIdentity(
            name: widthDivisor == 1
                ? "pytorch-fid-inception-v3" : "inception-v3-width/\(widthDivisor)",
            weightsSHA256: try SHA256.hex(ofFile: weightsFile), weightsFile: weightsFile,
            inputWidth: FIDInceptionV3.inputSize, inputHeight: FIDInceptionV3.inputSize,
            featureLayer: layer, dimension: network.featureDimension, isProxy: widthDivisor != 1)
    }

    /// Features of `images` (any sizes, each resized on its own as pytorch-fid resizes a batch).
    public func features(of images: [RGBImage]) throws -> FeatureMatrix {
        if images.isEmpty {
            return FeatureMatrix(count: 0, dimension: identity.dimension, values: [])
        }
        let size = FIDInceptionV3.inputSize
        let resized = images.map { image in
            withoutGradient {
                resizeBilinear(
                    Variable(Self.unitTensor(image)), height: size, width: size,
                    alignCorners: false
                ).value
            }
        }
        var batch = ImageOps.stack(resized)
        batch.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = 2 * p[i] - 1 }
        }
        let out = network.features(batch)
        return FeatureMatrix(count: images.count, dimension: out.shape[1], float32: out.data)
    }

    /// An image as a (1, 3, H, W) tensor in [0, 1]: value / 255 (torchvision ToTensor).
    static func unitTensor(_ image: RGBImage) -> Tensor {
        let (h, w) = (image.height, image.width)
        return Tensor(shape: [1, 3, h, w]) { out in
            for c in 0..<3 {
                for i in 0..<(h * w) { out[c * h * w + i] = Float(image.pixels[3 * i + c]) / 255 }
            }
        }
    }
}
