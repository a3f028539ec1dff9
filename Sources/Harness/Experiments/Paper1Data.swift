import Data
import Foundation
import Tensors

/// Prepares the three domains of a paper 1 run.
public enum Paper1Data {
    /// The data-defining part of a configuration: runs that share it share their images.
    static func cacheKey(_ c: SegmentationConfig) -> String {
        stableHash("\(c.source)|\(c.domains)|\(c.imageHeight)x\(c.imageWidth)|\(c.trainImages)|\(c.valImages)|\(c.sceneSeed)")
    }

    /// Each domain's images and its seeded 1/8 labeled split (the split draws from `seed`).
    public static func prepare(_ config: SegmentationConfig, seed: UInt64, cacheRoot: URL) throws -> [DomainData] {
        let denominator = Int((1 / config.labeledFraction).rounded())
        return try config.domains.map { name in
            let (train, val) = try samples(domain: name, config: config, cacheRoot: cacheRoot)
            let split = SemiSupervisedSplit.make(count: train.count, domain: name, seed: seed, denominator: denominator)
            return DomainData(name: name, train: train, val: val, split: split)
        }
    }

    static func samples(domain name: String, config: SegmentationConfig, cacheRoot: URL) throws -> ([DomainData.Sample], [DomainData.Sample]) {
        switch config.source {
        case .synthetic:
            guard let domain = SceneDomain(rawValue: name) else {
                throw ConfigError("domains: unknown synthetic domain '\(name)' (expected city, synth or bdd)")
            }
            func scenes(_ split: String, _ count: Int) -> [DomainData.Sample] {
                (0..<count).map { i in
                    let s = SceneGenerator.generate(
                        domain: domain, split: split, index: i, seed: config.sceneSeed,
                        height: config.imageHeight, width: config.imageWidth)
                    return DomainData.Sample(image: s.image, trainIds: s.trainIds)
                }
            }
            return (scenes("train", config.trainImages), scenes("val", config.valImages))
        case .path(let root):
            throw ConfigError("data source \(root): real data sets are read by the loaders of the Data module")
        }
    }
}
