import Data
import Foundation
import ImageCodecs
import Results
import Tensors

/// Paper 2's data: Cityscapes (the user's, or the synthetic city scenes written once in the
/// Cityscapes layout) read through the Cityscapes loader, with SPADE's resize and flip rules.
public struct Paper2Data: Sendable {
    public let train: CityscapesDataset
    public let val: CityscapesDataset
    /// Image counts used (the synthetic counts, or every image of real data).
    public let trainCount: Int
    public let valCount: Int

    /// The data-defining part of a configuration: runs that share it share their files.
    static func cacheKey(_ c: Paper2RunConfig) -> String {
        stableHash(
            "spade-city|\(c.sceneSize.height)x\(c.sceneSize.width)|\(c.trainImages)|\(c.valImages)|"
                + "\(c.sceneSeed)")
    }

    /// Opens the data of `config`: the synthetic scenes are written once to
    /// `cacheRoot/<key>` (staging folder, then rename) and read back with the real loader.
    public static func prepare(_ config: Paper2RunConfig, cacheRoot: URL) throws -> Paper2Data {
        let root: String
        if config.dataRoot.isEmpty {
            root = try syntheticRoot(config, cacheRoot: cacheRoot)
        } else {
            guard FileManager.default.fileExists(atPath: config.dataRoot) else {
                throw ConfigError(
                    "data root \(config.dataRoot) does not exist; expected cityscapes/ inside it")
            }
            root = config.dataRoot
        }
        let cityscapes = SyntheticData.root(.city, out: root)
        let train = try CityscapesDataset(root: cityscapes, split: "train")
        let val = try CityscapesDataset(root: cityscapes, split: "val")
        let synthetic = config.dataRoot.isEmpty
        let trainCount = synthetic ? min(train.count, config.trainImages) : train.count
        guard trainCount >= config.batchSize else {
            throw ConfigError(
                "\(cityscapes): \(trainCount) train images, fewer than batchSize "
                    + "\(config.batchSize)")
        }
        return Paper2Data(
            train: train, val: val, trainCount: trainCount,
            valCount: synthetic ? min(val.count, config.valImages) : val.count)
    }

    static func syntheticRoot(_ config: Paper2RunConfig, cacheRoot: URL) throws -> String {
        var options = SyntheticData.Options(out: "")
        options.domains = [.city]
        options.train = config.trainImages
        options.val = config.valImages
        (options.height, options.width) = config.sceneSize
        options.seed = config.sceneSeed
        return try SyntheticData.writeOnce(options, cacheRoot: cacheRoot, key: cacheKey(config))
    }

    /// How one sample is seen: its flip and its crop position (u, v) in [0, 1)^2, used when
    /// the configuration crops (`loadSize` > 0).
    struct View: Sendable, Equatable {
        var flip = false
        var u = 0.0
        var v = 0.0

        /// Training views: a flip with probability 0.5 from `flips`, the crop place from
        /// `crops` (separate streams, so the flips are the same with and without cropping).
        static func draw(
            _ count: Int, flips: inout RandomSource, crops: inout RandomSource
        ) -> [View] {
            (0..<count).map { _ in
                View(flip: flips.bernoulli(0.5), u: unit(&crops), v: unit(&crops))
            }
        }

        /// The fixed view of val scene `name`: no flip, a crop place drawn from the scene's
        /// name and the scene seed (the same for every cell, seed and run).
        static func validation(_ name: String, sceneSeed: UInt64) -> View {
            var r = RandomSource(seed: sceneSeed).split("val-crop").split(name)
            return View(u: unit(&r), v: unit(&r))
        }

        /// A uniform draw in [0, 1) on a 2^-24 grid (exact in Double).
        static func unit(_ r: inout RandomSource) -> Double {
            Double(r.int(below: 1 << 24)) / Double(1 << 24)
        }
    }

    /// One sample resized (SPADE's `fixed`) or scaled and cropped (`scale_width_and_crop`) to
    /// the configuration's size and flipped as `view` says; errors name the file.
    static func sample(
        _ set: CityscapesDataset, _ index: Int, config: Paper2RunConfig, view: View
    ) throws -> (sample: SPADESample, image: RGBImage, labels: LabelMap, instances: InstanceMap) {
        let s = try set.spadeSample(index)
        let r = try SPADEPreprocess.apply(
            image: s.image, labels: s.labelIds, instances: s.instanceIds,
            width: config.imageWidth, height: config.imageHeight,
            crop: config.crop(u: view.u, v: view.v), flip: view.flip, sources: s.sources)
        return (s, r.image, r.labels, r.instances)
    }

    /// The training batch of train images `indices` seen as `views`.
    static func batch(
        _ indices: [Int], views: [View], set: CityscapesDataset, config: Paper2RunConfig
    ) throws -> SPADEBatch {
        let items = try zip(indices, views).map {
            try sample(set, $0, config: config, view: $1)
        }
        let input = try config.spade.makeInput(
            labels: items.map(\.labels), instances: items.map(\.instances),
            labelSources: items.map(\.sample.labelPath),
            instanceSources: items.map(\.sample.instancePath))
        return SPADEBatch(input: input, real: SPADEPreprocess.imageTensor(items.map(\.image)))
    }
}

/// Train image order: every image once per epoch, in a permutation drawn from
/// `random.split(epoch)` (a pure function of the epoch, so resume needs only the cursor).
struct SPADEEpochOrder {
    let count: Int
    let random: RandomSource

    /// The image indices of iteration `i` (0-based within `epoch`) at batch size `batch`.
    func batch(epoch: Int, iteration i: Int, size: Int) -> [Int] {
        var r = random.split(epoch)
        let order = r.permutation(count)
        return Array(order[(i * size)..<((i + 1) * size)])
    }
}
