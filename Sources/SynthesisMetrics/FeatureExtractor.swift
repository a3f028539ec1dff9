import Data
import ImageCodecs

/// What made a set of FID features: printed beside every score made from them.
public struct ExtractorIdentity: Sendable, Equatable, Codable, CustomStringConvertible {
    /// A stable name, e.g. "pytorch-fid-inception-v3" or "proxy-deeplab-city".
    public var name: String
    /// SHA-256 (hex) of the weights file the network was loaded from.
    public var weightsSHA256: String
    /// The weights file as given (for the log; the hash is what identifies it).
    public var weightsFile: String
    /// The size every image is resized to before the network, width x height.
    public var inputWidth: Int
    public var inputHeight: Int
    /// The layer whose output is the feature vector, e.g. "pool3 (Mixed_7c + global avg pool)".
    public var featureLayer: String
    /// Length of a feature vector.
    public var dimension: Int
    /// True for extractors whose scores are not comparable with published FID (the harness's
    /// own networks): their scores are labelled "FID-proxy".
    public var isProxy: Bool

    public init(
        name: String, weightsSHA256: String, weightsFile: String, inputWidth: Int,
        inputHeight: Int, featureLayer: String, dimension: Int, isProxy: Bool
    ) {
        self.name = name
        self.weightsSHA256 = weightsSHA256
        self.weightsFile = weightsFile
        self.inputWidth = inputWidth
        self.inputHeight = inputHeight
        self.featureLayer = featureLayer
        self.dimension = dimension
        self.isProxy = isProxy
    }

    public var description: String {
        "\(isProxy ? "proxy " : "")\(name), weights sha256 \(weightsSHA256.prefix(16)) "
            + "(\(weightsFile)), input \(inputWidth)x\(inputHeight), \(featureLayer), "
            + "\(dimension)-d"
    }
}

/// A network that turns images into FID feature vectors.
///
/// Implementations: `InceptionExtractor` (pytorch-fid's Inception-v3, for paper-comparable
/// FID when the user has its weights) and the harness's proxy extractors (a network it trained
/// on the real training images; `identity.isProxy` true).
public protocol FeatureExtractor {
    /// Name, weights hash, input size and feature layer, printed beside every score.
    var identity: ExtractorIdentity { get }
    /// One feature vector per image, in order (`identity.dimension` values each). Images
    /// may have any size; the extractor resizes them to its input size itself.
    func features(of images: [RGBImage]) throws -> FeatureMatrix
}

/// An FID value with the extractor that made it and the image counts.
public struct FIDScore: Sendable, Equatable, CustomStringConvertible {
    public let distance: FrechetDistance
    public let extractor: ExtractorIdentity
    public let realCount: Int
    public let generatedCount: Int

    public var value: Double { distance.value }
    /// "FID", or "FID-proxy" for a proxy extractor.
    public var label: String { extractor.isProxy ? "FID-proxy" : "FID" }

    public var description: String {
        let offset = distance.offset == 0 ? "" : ", covariances offset by \(distance.offset)"
        let note = extractor.isProxy ? " (proxy: not comparable with published FID)" : ""
        return "\(label) = \(fmt(value)) [\(extractor)] over \(realCount) real and "
            + "\(generatedCount) generated images\(offset)\(note)"
    }
}

extension FID {
    /// FID between two image sets with `extractor`: features in batches of `batchSize`,
    /// statistics, distance.
    ///
    /// - Throws: `MetricsError` when a set has fewer than two images, when the images of a set
    ///   differ in size, or when the two sets' image sizes differ (resize the real images to
    ///   the generation size first, spade.md §7.1); extractor errors pass through.
    public static func score(
        real: ImageSet, generated: ImageSet, extractor: some FeatureExtractor, batchSize: Int = 50
    ) throws -> FIDScore {
        try requireTwo(real)
        try requireTwo(generated)
        // Checked on the first images, before any feature is extracted; `statistics(of:)`
        // checks every other image against its set's first.
        let realSize = try real.size(0)
        let generatedSize = try generated.size(0)
        guard realSize == generatedSize else {
            throw MetricsError(
                "\(real.name) and \(generated.name)",
                "image sets of different sizes: "
                    + "\(realSize.width)x\(realSize.height) real against "
                    + "\(generatedSize.width)x\(generatedSize.height) generated; resize the real "
                    + "images to the generation size first (spade.md §7.1)")
        }
        let a = try statistics(of: real, extractor: extractor, batchSize: batchSize)
        let b = try statistics(of: generated, extractor: extractor, batchSize: batchSize)
        return FIDScore(
            distance: try distance(a, b), extractor: extractor.identity, realCount: a.count,
            generatedCount: b.count)
    }

    static func requireTwo(_ set: ImageSet) throws {
        guard set.count >= 2 else {
            throw MetricsError(set.name, "FID needs at least two images, found \(set.count)")
        }
    }

    /// The statistics of `set`'s features, extracted `batchSize` images at a time.
    ///
    /// - Throws: `MetricsError` for fewer than two images or an image whose size differs from
    ///   the set's first image (named with both sizes).
    public static func statistics(
        of set: ImageSet, extractor: some FeatureExtractor, batchSize: Int = 50
    ) throws -> FIDStatistics {
        try requireTwo(set)
        let first = try set.size(0)
        precondition(batchSize >= 1, "FID.statistics: batch size \(batchSize)")
        let d = extractor.identity.dimension
        var values: [Double] = []
        values.reserveCapacity(set.count * d)
        for start in stride(from: 0, to: set.count, by: batchSize) {
            let batch = try (start..<min(start + batchSize, set.count)).map { i in
                let image = try set.image(i)
                try set.checkSize(image, i, first: first)
                return image
            }
            let f = try extractor.features(of: batch)
            guard f.count == batch.count && f.dimension == d else {
                throw MetricsError(
                    extractor.identity.name,
                    "returned \(f.count)x\(f.dimension) features for "
                        + "\(batch.count) images of dimension \(d)")
            }
            values += f.values
        }
        let features = FeatureMatrix(count: set.count, dimension: d, values: values)
        return try statistics(features: features, source: set.name)
    }
}
