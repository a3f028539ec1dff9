import Paper1
import Results

/// The segmenter behind paper 2's mIoU and the default FID extractor (spade.md §11): paper 1's
/// DeepLabv3+, trained supervised by paper 1's runner on every training scene of the city
/// domain at the generation size, one head of 19 classes. The paper used a pretrained PSPNet
/// (and pytorch-fid's Inception); neither can be had here, so these scores are proxies.
public struct ProxySegmenterSettings: Codable, Sendable, Equatable {
    /// Every layer's channels divided by this (1: ResNet-50 widths).
    public var widthDivisor = 1
    /// Bottleneck blocks per ResNet stage ([3, 4, 6, 3]: ResNet-50).
    public var blocks = [3, 4, 6, 3]
    /// Training length: epochs x itersPerEpoch SGD iterations, poly schedule (paper 1's).
    public var epochs = 150
    public var itersPerEpoch = 372
    /// Images per iteration and the square crop side (paper 1's labeled branch: random
    /// rescale of the long side in [0.5, 2] x the generation width, crop, flip).
    public var batch = 8
    public var cropSize = 256
    public var lr = 0.01
    /// Seed of the segmenter's training: fixed, so every run and seed of paper 2 is judged by
    /// the same network (as the paper's one PSPNet).
    public var seed: UInt64 = 0

    public init() {}

    /// The settings of `profile`: tiny and fast at smoke, a 1/8-width network trained 500
    /// iterations at small, ResNet-50 at the paper profile.
    public static func at(_ profile: Profile) -> ProxySegmenterSettings {
        var s = ProxySegmenterSettings()
        switch profile {
        case .smoke:
            // A few seconds on 2 cores: the path is exercised, the scores mean little.
            (s.widthDivisor, s.blocks, s.epochs, s.itersPerEpoch) = (16, [1, 1, 1, 1], 2, 8)
            (s.batch, s.cropSize, s.lr) = (2, 32, 0.02)
        case .small, .medium:
            // (medium: paper 2 has no medium cells; mapped to small for the switch.)
            // As paper 1's small profile: 1/8 width, 500 iterations, lr doubled (no ImageNet
            // initialisation), crops of 128 on the 128x256 scenes paper 2 crops from.
            (s.widthDivisor, s.blocks, s.epochs, s.itersPerEpoch) = (8, [1, 1, 1, 1], 10, 50)
            (s.batch, s.cropSize, s.lr) = (4, 128, 0.02)
        case .paper:
            break
        }
        return s
    }

    /// Paper 1's configuration of this segmenter for paper 2's data `config`: single-domain
    /// supervised on "city", every training image labeled, the synthetic scenes of `config`
    /// (at the generation size, or at the scene size it crops from) or the Cityscapes folder of
    /// `config.dataRoot`.
    public func segmentationConfig(_ config: Paper2RunConfig) -> SegmentationConfig {
        var c = SegmentationConfig(setting: .single, method: .supervised)
        c.domains = ["city"]
        c.source = config.dataRoot.isEmpty ? .synthetic : .path(config.dataRoot)
        (c.imageHeight, c.imageWidth) = config.sceneSize
        c.trainImages = config.trainImages
        c.valImages = config.valImages
        c.sceneSeed = config.sceneSeed
        c.labeledFraction = 1
        c.cropSize = cropSize
        c.rescaleBase = config.sceneSize.width
        c.widthDivisor = widthDivisor
        c.blocks = blocks
        c.epochs = epochs
        c.itersPerEpoch = itersPerEpoch
        c.batchLabeled = batch
        c.lr = lr
        return c
    }
}
