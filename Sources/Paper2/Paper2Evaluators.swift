import Data
import Foundation
import ImageCodecs
import Models
import Paper1
import Results
import SynthesisMetrics
import Tensors

/// The networks that judge paper 2's generated images: the proxy segmenter behind mIoU and
/// the FID feature extractor (pytorch-fid's Inception-v3 when `inceptionWeights` is given,
/// else the segmenter's pooled backbone features, `SegmenterExtractor`).
///
/// The segmenter is trained once per configuration: paper 1's runner writes a full run folder
/// (manifest, losses, checkpoint, its own val mIoU) to `<results>/cache/segmenter-<hash>`,
/// where the hash covers the segmenter's paper 1 configuration, its seed and the thread count
/// (OpenBLAS's bits depend on it, so a cache never changes the bits of a run). The folder is
/// written under a staging name and renamed, so a half-trained network is never reused.
public struct Paper2Evaluators {
    /// The proxy segmenter (eval mode, head 0 = the 19 Cityscapes train ids).
    public let segmenter: DeepLabV3Plus
    /// Name, weights file and hash, input size and output of the segmenter.
    public let segmenterIdentity: ExtractorIdentity
    /// The FID extractor, its identity printed beside every FID.
    public let fid: any FeatureExtractor
    /// The segmenter's mIoU (fraction) on its own val split, from paper 1's evaluation.
    public let segmenterValMIoU: Double
    /// The cached run folder of the segmenter.
    public let folder: URL

    /// Format of the cache, bumped when the training code or its numerics change what a cache
    /// holds (2: dilated convolutions skip padding-only kernel rows, new bits).
    static let cacheVersion = 2

    /// The cache folder of the segmenter of `config` trained with `threads` threads.
    public static func cacheFolder(_ config: Paper2RunConfig, threads: Int, resultsRoot: URL)
        -> URL
    {
        let s = config.segmenter
        let key = stableHash(
            "segmenter v\(cacheVersion)|\(s.segmentationConfig(config).canonicalText)|seed "
                + "\(s.seed)|threads \(threads)")
        return resultsRoot.appendingPathComponent("cache")
            .appendingPathComponent("segmenter-\(key.prefix(16))")
    }

    /// Trains (or finds in the cache) the segmenter of `config` and loads the evaluators.
    ///
    /// - Throws: `ConfigError` for a segmenter configuration paper 1 cannot run, errors of its
    ///   data or training, and `MetricsError` for an Inception weights file that is missing or
    ///   not a pytorch-fid Inception-v3.
    public static func prepare(
        _ config: Paper2RunConfig, profile: Profile, options: RunOptions,
        log: (String) -> Void = { _ in }
    ) throws -> Paper2Evaluators {
        let seg = config.segmenter.segmentationConfig(config)
        do {
            try seg.validate()
        } catch let error as ConfigError {
            throw ConfigError("segmenter: \(error.description)")
        }
        let folder = cacheFolder(config, threads: options.threads, resultsRoot: options.resultsRoot)
        let checkpoint = folder.appendingPathComponent("checkpoint-city.h5").path
        try CacheFolder.build(folder) { staging in
            log("p2 proxy segmenter: training \(seg.totalIterations) iterations -> \(folder.path)")
            try train(seg, seed: config.segmenter.seed, profile: profile, into: staging, options)
        }
        // The network paper 1's track builds for one supervised domain of 19 classes.
        let shape = DeepLabConfig(
            backbone: ResNetConfig(
                blocks: seg.blocks, outputStride: seg.outputStride, widthDivisor: seg.widthDivisor),
            classes: [19], projector: false)
        let proxy = try SegmenterExtractor(
            weightsFile: checkpoint, config: shape, name: "proxy-deeplab-city",
            inputWidth: config.imageWidth, inputHeight: config.imageHeight)
        let fid: any FeatureExtractor =
            config.inceptionWeights.isEmpty
            ? proxy : try InceptionExtractor(weightsFile: config.inceptionWeights)
        var identity = proxy.identity
        identity.featureLayer = "argmax of the 19-class head (train ids), bilinear to the input"
        identity.dimension = 19
        let own = try RunFolder(url: folder).readMetrics().metrics["miou/city"] ?? .nan
        return Paper2Evaluators(
            segmenter: proxy.model, segmenterIdentity: identity, fid: fid,
            segmenterValMIoU: own / 100, folder: folder)
    }

    /// Trains the segmenter with paper 1's runner into `staging` (a `CacheFolder`'s).
    static func train(
        _ seg: SegmentationConfig, seed: UInt64, profile: Profile, into staging: URL,
        _ options: RunOptions
    ) throws {
        let data = try Paper1Data.prepare(
            seg, seed: seed, cacheRoot: options.resultsRoot.appendingPathComponent("data"))
        var o = options
        o.seed = seed
        o.folder = staging
        (o.resume, o.checkpointEvery, o.stopAfter) = (false, 0, nil)
        (o.shards, o.communicator) = (1, SingleProcess())
        let cell = Cell(paper: "p2", name: "proxy-segmenter", profile: profile, config: seg)
        _ = try SegmentationRunner.run(cell, data: data, options: o)
    }

    /// The confusion matrix of the segmenter on `images` against their label-id maps
    /// (cityscapesScripts' rule through train ids: label ids of `ignoreInEval` classes map to
    /// 255 and are skipped), in batches of two as paper 1's evaluation.
    ///
    /// - Throws: `MetricsError` naming the image (`names`) whose size differs from its map.
    public func confusion(images: [RGBImage], labelIds: [LabelMap], names: [String]) throws
        -> ConfusionMatrix
    {
        precondition(
            images.count == labelIds.count && images.count == names.count,
            "Paper2Evaluators.confusion: \(images.count) images, \(labelIds.count) maps")
        for (i, image) in images.enumerated() {
            let map = labelIds[i]
            guard image.width == map.width && image.height == map.height else {
                throw MetricsError(
                    names[i],
                    "image is \(image.width)x\(image.height) but its label map is "
                        + "\(map.width)x\(map.height): segment and compare at one size (§8.4)")
            }
        }
        var matrix = ConfusionMatrix(classes: 19)
        var unused = RandomSource(seed: 0)  // eval mode draws nothing
        for start in stride(from: 0, to: images.count, by: 2) {
            let batch = Array(start..<min(start + 2, images.count))
            let first = images[batch[0]]
            let sameSize = batch.allSatisfy {
                images[$0].width == first.width && images[$0].height == first.height
            }
            for part in sameSize ? [batch] : batch.map({ [$0] }) {
                try add(part, images, labelIds, into: &matrix, &unused)
            }
        }
        return matrix
    }

    private func add(
        _ batch: [Int], _ images: [RGBImage], _ labelIds: [LabelMap],
        into matrix: inout ConfusionMatrix, _ random: inout RandomSource
    ) throws {
        let x = Variable(ImageOps.normalizedBatch(batch.map { images[$0] }))
        let logits = withoutGradient { segmenter(x, domain: 0, mode: .eval, random: &random) }
        let truth = ImageOps.labelBatch(
            batch.map { i in
                let map = labelIds[i]
                return LabelMap(
                    width: map.width, height: map.height,
                    values: Cityscapes.trainIds(fromLabelIds: map.values))
            })
        try matrix.add(prediction: argmaxLabels(logits.value), truth: truth)
    }
}
