import Data
import Foundation
import Models
import Results
import Storage
import Tensors

/// Paper 1's pretraining stage (issue 14): what ImageNet is to CAC, made by the harness.
///
/// Design. CAC fine-tunes an ImageNet ResNet-50: a backbone that already sees edges, textures
/// and objects, trained on other images with other labels. Here the backbone is trained on
/// `PretextScenes`, a fourth procedural domain disjoint from the evaluation data in its scenes
/// (its own random stream), its look (dusk) and its labels (the 7 Cityscapes categories, not
/// the 19 classes), by a dense pretext task: DeepLabv3+ segmentation of those categories with
/// its own 7-class head. Only the backbone is kept (`backbone.h5`, torchvision keys); ASPP,
/// decoder and head are discarded, as CAC discards ImageNet's classifier. A dense task gives a
/// small network from scratch a far stronger start in a few thousand iterations than a
/// classification task would, and coarse labels of another look keep the 19-class problem of
/// every domain, and its 1/8 labels, for the fine-tuning. One backbone serves every seed and
/// cell of a configuration (training seed fixed, as there is one ImageNet checkpoint), so
/// paired seeds still differ only in the fine-tuning.
///
/// Cache: paper 1's runner trains the pretext network into `<results>/cache/pretrain-<hash>`
/// (manifest, losses, checkpoint, the pretext val mIoU and `backbone.h5`), the hash covering
/// the pretext configuration and the thread count (OpenBLAS's bits depend on it); written under
/// a staging name and renamed, so a half-trained backbone is never used. The pretext scenes
/// are generated in memory at the run's scene size.
public enum Pretraining {
    /// Format of the cache (bumped when the training code changes what a cache holds).
    static let cacheVersion = 1
    /// Seed of the pretext training (fixed: one backbone per configuration).
    static let seed: UInt64 = 0
    /// Pretext validation scenes (the cached run's own mIoU, a sanity figure).
    static let valImages = 16
    /// A backbone file to load, and what the manifest records of it.
    public struct Backbone: Sendable {
        public let file: String
        public let record: RunManifest.PretrainedBackboneRecord
    }

    /// The pretext run of `config`: single-domain supervised segmentation of the pretext
    /// categories, every scene labeled, the run's network shape, crop and scene size, the
    /// backbone at the full learning rate (it is the part being learned).
    public static func pretextConfig(_ config: SegmentationConfig) -> SegmentationConfig {
        var p = SegmentationConfig(setting: .single, method: .supervised)
        p.domains = ["pretext"]
        p.imageHeight = config.imageHeight
        p.imageWidth = config.imageWidth
        p.trainImages = config.pretrainImages
        p.valImages = valImages
        p.sceneSeed = config.sceneSeed
        p.labeledFraction = 1
        p.cropSize = config.cropSize
        p.rescaleBase = config.rescaleBase
        p.rescaleRange = config.rescaleRange
        p.widthDivisor = config.widthDivisor
        p.blocks = config.blocks
        p.outputStride = config.outputStride
        p.epochs = 1
        p.itersPerEpoch = config.pretrainIterations
        p.batchLabeled = config.batchLabeled
        p.lr = 0.02
        p.backboneLRMultiplier = 1
        return p
    }

    /// The cache folder of the synthetic backbone of `config` trained with `threads` threads.
    public static func cacheFolder(_ config: SegmentationConfig, threads: Int, resultsRoot: URL)
        -> URL
    {
        let key = stableHash(
            "pretrain v\(cacheVersion)|\(canonicalJSON(pretextConfig(config)))|seed \(seed)"
                + "|threads \(threads)")
        return resultsRoot.appendingPathComponent("cache")
            .appendingPathComponent("pretrain-\(key.prefix(16))")
    }

    /// The backbone `config.pretrain` names: nil for "none", the user's file, or the cached
    /// synthetic backbone (trained first when the cache lacks it).
    ///
    /// - Throws: `ConfigError` for a file that does not exist; errors of the pretext training.
    public static func resolve(
        _ config: SegmentationConfig, profile: Profile, options: RunOptions,
        log: (String) -> Void = { _ in }
    ) throws -> Backbone? {
        switch config.pretrain {
        case "none":
            return nil
        case "synthetic":
            let folder = cacheFolder(
                config, threads: options.threads, resultsRoot: options.resultsRoot)
            let file = folder.appendingPathComponent("backbone.h5").path
            let pretext = pretextConfig(config)
            try CacheFolder.build(folder) { staging in
                log(
                    "p1 pretraining: \(pretext.totalIterations) iterations on "
                        + "\(pretext.trainImages) pretext scenes -> \(folder.path)")
                try train(pretext, profile: profile, into: staging, options)
            }
            let text = canonicalJSON(pretext)
            return Backbone(
                file: file,
                record: .init(
                    source: "synthetic", file: file, sha256: try SHA256.hex(ofFile: file),
                    configuration: text, configurationHash: stableHash(text)))
        default:
            let path = config.pretrain
            guard FileManager.default.fileExists(atPath: path) else {
                throw ConfigError(
                    "pretrain: \(path) does not exist (convert torchvision's ResNet-50 with "
                        + "scripts/convert_torchvision_resnet50.py, or use none or synthetic)")
            }
            return Backbone(
                file: path,
                record: .init(source: path, file: path, sha256: try SHA256.hex(ofFile: path)))
        }
    }

    /// Trains the pretext network with paper 1's runner into `staging` (a `CacheFolder`'s) and
    /// writes its backbone there as `backbone.h5`.
    static func train(
        _ pretext: SegmentationConfig, profile: Profile, into staging: URL, _ options: RunOptions
    ) throws {
        var o = options
        o.seed = seed
        o.folder = staging
        (o.resume, o.checkpointEvery, o.stopAfter) = (false, 0, nil)
        (o.shards, o.communicator) = (1, SingleProcess())
        let cell = Cell(paper: "p1", name: "pretrain", profile: profile, config: pretext)
        _ = try SegmentationRunner.run(cell, data: [data(pretext)], options: o)

        let shape = DeepLabConfig(
            backbone: ResNetConfig(
                blocks: pretext.blocks, outputStride: pretext.outputStride,
                widthDivisor: pretext.widthDivisor),
            classes: [PretextScenes.classes], projector: false)
        let model = DeepLabV3Plus(shape, random: RandomSource(seed: seed))
        let checkpoint = staging.appendingPathComponent("checkpoint-pretext.h5").path
        try Checkpoint.load(checkpoint, into: model.store)
        try BackboneWeights.write(
            from: model.store, config: shape.backbone,
            to: staging.appendingPathComponent("backbone.h5").path,
            attributes: [
                "source": "repro synthetic pretraining (PretextScenes, 7 categories)",
                "config_hash": .string(stableHash(canonicalJSON(pretext))),
            ])
    }

    /// The pretext scenes of `pretext`, rendered into memory: train indices 0..<trainImages,
    /// val indices after them (one stream, so no scene is in both), every train scene labeled.
    static func data(_ pretext: SegmentationConfig) -> DomainData {
        let (h, w) = (pretext.imageHeight, pretext.imageWidth)
        func scenes(_ range: Range<Int>) -> DomainData.Source {
            // Rendered in parallel into disjoint slots; the bytes do not depend on the workers.
            var samples = [DomainData.Sample?](repeating: nil, count: range.count)
            samples.withUnsafeMutableBufferPointer { buffer in
                let box = UncheckedSendable(buffer)
                Parallel.forEach(range.count) { k in
                    let i = range.lowerBound + k
                    let scene = PretextScenes.generate(
                        index: i, seed: pretext.sceneSeed, height: h, width: w)
                    box.value[k] = DomainData.Sample(
                        name: "pretext_\(i)", image: scene.image, trainIds: scene.categories)
                }
            }
            return DomainData.Source(samples.map { $0! })
        }
        let n = pretext.trainImages
        return DomainData(
            name: "pretext", classes: PretextScenes.classes, train: scenes(0..<n),
            val: scenes(n..<n + pretext.valImages),
            split: SemiSupervisedSplit.make(count: n, domain: "pretext", seed: seed, denominator: 1)
        )
    }
}
