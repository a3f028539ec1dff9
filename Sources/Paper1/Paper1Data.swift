import Data
import Foundation
import Results
import Tensors

/// Prepares the three domains of a paper 1 run.
public enum Paper1Data {
    /// The data-defining part of a configuration: runs that share it share their images.
    static func cacheKey(_ c: SegmentationConfig) -> String {
        stableHash(
            "\(c.source)|\(c.domains)|\(c.imageHeight)x\(c.imageWidth)|\(c.trainImages)|\(c.valImages)|\(c.sceneSeed)"
        )
    }

    /// Each domain's images and its seeded 1/8 labeled split (the split draws from `seed`).
    public static func prepare(_ config: SegmentationConfig, seed: UInt64, cacheRoot: URL) throws
        -> [DomainData]
    {
        let denominator = Int((1 / config.labeledFraction).rounded())
        return try config.domains.map { name in
            let (train, val) = try samples(domain: name, config: config, cacheRoot: cacheRoot)
            let split = SemiSupervisedSplit.make(
                count: train.count, domain: name, seed: seed, denominator: denominator)
            return DomainData(name: name, train: train, val: val, split: split)
        }
    }

    /// A domain's train and val images, read by the real data set loaders: from the user's data
    /// root, or from the synthetic scenes written once to `cacheRoot/<key>` in the same layouts.
    static func samples(domain name: String, config: SegmentationConfig, cacheRoot: URL) throws -> (
        DomainData.Source, DomainData.Source
    ) {
        guard let domain = SceneDomain(rawValue: name) else {
            throw ConfigError("domains: unknown domain '\(name)' (expected city, synth or bdd)")
        }
        let root: String
        switch config.source {
        case .synthetic:
            root = try syntheticRoot(config, cacheRoot: cacheRoot)
        case .path(let path):
            guard FileManager.default.fileExists(atPath: path) else {
                throw ConfigError(
                    "data root \(path) does not exist; expected cityscapes/, synscapes/{train,val}/ and bdd100k/ inside it"
                )
            }
            root = path
        }
        func load(_ split: String, limit: Int?) throws -> DomainData.Source {
            let dataset = try SyntheticData.dataset(domain, out: root, split: split)
            let count = min(dataset.count, limit ?? dataset.count)
            guard count > 0 else {
                throw ConfigError("\(SyntheticData.root(domain, out: root)): no \(split) images")
            }
            return DomainData.Source(names: Array(dataset.names.prefix(count))) { i in
                let item = try dataset.load(i)
                return DomainData.Sample(
                    name: item.name, image: item.image, trainIds: item.trainIds)
            }
        }
        let synthetic = config.source == .synthetic
        return (
            try load("train", limit: synthetic ? config.trainImages : nil),
            try load("val", limit: synthetic ? config.valImages : nil)
        )
    }

    /// Writes the synthetic scenes of `config` once (to a temporary folder, then renamed) and
    /// returns the folder; later runs with the same data settings reuse it.
    static func syntheticRoot(_ config: SegmentationConfig, cacheRoot: URL) throws -> String {
        var options = SyntheticData.Options(out: "")
        options.domains = try config.domains.map {
            guard let d = SceneDomain(rawValue: $0) else {
                throw ConfigError("domains: unknown domain '\($0)'")
            }
            return d
        }
        options.train = config.trainImages
        options.val = config.valImages
        options.height = config.imageHeight
        options.width = config.imageWidth
        options.seed = config.sceneSeed
        return try SyntheticData.writeOnce(options, cacheRoot: cacheRoot, key: cacheKey(config))
    }
}
