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
            "spade-city|\(c.imageHeight)x\(c.imageWidth)|\(c.trainImages)|\(c.valImages)|"
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
        options.height = config.imageHeight
        options.width = config.imageWidth
        options.seed = config.sceneSeed
        return try SyntheticData.writeOnce(options, cacheRoot: cacheRoot, key: cacheKey(config))
    }

    /// One sample resized to the configuration's size and flipped when `flip` (SPADE's
    /// `preprocess_mode fixed`); errors name the file.
    static func sample(
        _ set: CityscapesDataset, _ index: Int, config: Paper2RunConfig, flip: Bool
    ) throws -> (sample: SPADESample, image: RGBImage, labels: LabelMap, instances: InstanceMap) {
        let s = try set.spadeSample(index)
        let r = try SPADEPreprocess.apply(
            image: s.image, labels: s.labelIds, instances: s.instanceIds,
            width: config.imageWidth, height: config.imageHeight, flip: flip, sources: s.sources)
        return (s, r.image, r.labels, r.instances)
    }

    /// The training batch of train images `indices` with their flips.
    static func batch(
        _ indices: [Int], flips: [Bool], set: CityscapesDataset, config: Paper2RunConfig
    ) throws -> SPADEBatch {
        let items = try zip(indices, flips).map {
            try sample(set, $0, config: config, flip: $1)
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
