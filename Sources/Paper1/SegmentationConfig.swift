import Results
/// Where a segmentation run's images come from.
public enum DataSource: Codable, Hashable, Sendable {
    /// The procedural street scenes (spec synthetic-data.md), generated from the run's seed.
    case synthetic
    /// Real data sets under a root folder: `<root>/cityscapes`, `<root>/synscapes`, `<root>/bdd100k`.
    case path(String)
}

/// Everything that decides a segmentation run. Nothing the training loop uses is hard-coded
/// elsewhere; field names follow CAC's configs where they exist.
public struct SegmentationConfig: ExperimentConfig, Hashable {
    public var setting: Paper1Setting
    public var method: Paper1Method
    /// Domains in head order: "city", "synth", "bdd".
    public var domains: [String] = ["city", "synth", "bdd"]

    // MARK: Data
    public var source: DataSource = .synthetic
    /// Size of generated scenes (synthetic source).
    public var imageHeight = 64, imageWidth = 128
    /// Training / validation images per domain (synthetic source; real sets use what exists).
    public var trainImages = 16, valImages = 8
    /// Seed of the generated scenes (fixed: the data set is an artifact shared by all runs).
    public var sceneSeed: UInt64 = 2026
    /// Share of each domain's training images that keep their labels (paper: 1/8).
    public var labeledFraction = 0.125
    /// Square crop side S (a multiple of 8) for labeled and unlabeled batches.
    public var cropSize = 64
    /// CAC's `base_size`: labeled images get a random long side in `rescaleRange` x base
    /// (CAC: [0.5, 2.0]); unlabeled pairs in [0.8, 2.0] x base (cac.md §2, fixed).
    public var rescaleBase = 128
    public var rescaleRange: [Double] = [0.5, 2.0]

    // MARK: Model
    /// Every layer's channels are divided by this (1 = ResNet-50 DeepLabv3+; must divide 64).
    public var widthDivisor = 1
    /// Bottleneck blocks per ResNet stage ([3, 4, 6, 3] = ResNet-50).
    public var blocks = [3, 4, 6, 3]
    public var outputStride = 16

    // MARK: Optimisation (cac.md §4)
    public var epochs = 150
    public var itersPerEpoch = 100
    public var batchLabeled = 2
    public var batchUnlabeled = 2
    public var lr = 0.01
    /// The backbone's learning rate is lr times this (CAC: 1/10).
    public var backboneLRMultiplier = 0.1
    public var momentum = 0.9
    public var weightDecay = 1e-4
    public var polyPower = 0.9

    // MARK: CAC (cac.md §1.1)
    public var lambda = 0.1
    public var temperature = 0.1
    public var threshold = 0.75
    /// First epoch index with the DC loss on (CAC: 5).
    public var unsupStartEpoch = 5

    // MARK: Pretraining (issue 14, Pretraining.swift)
    /// Where the backbone starts: "none" (torchvision's init), "synthetic" (the harness's own
    /// pretraining on pretext scenes, cached by configuration) or the path of an .h5 of
    /// torchvision ResNet keys (scripts/convert_torchvision_resnet50.py), as CAC's ImageNet
    /// weights. Only the backbone is loaded; ASPP, decoder, heads and projector start fresh.
    public var pretrain = "none"
    /// The synthetic pretraining: SGD iterations and pretext scenes (at the run's scene size).
    public var pretrainIterations = 2000
    public var pretrainImages = 512

    public init(setting: Paper1Setting, method: Paper1Method) {
        self.setting = setting
        self.method = method
    }

    /// Total SGD iterations T of the poly schedule.
    public var totalIterations: Int { epochs * itersPerEpoch }
}

extension SegmentationConfig {
    /// Rejects settings that cannot run, naming the field and what was expected. Every value a
    /// `--set` override can reach is checked here, so none reaches a precondition later; upper
    /// bounds keep sizes and iteration counts far from overflow.
    public func validate() throws {
        func check(_ ok: Bool, _ message: String) throws { if !ok { throw ConfigError(message) } }
        func finite(_ values: Double...) -> Bool { values.allSatisfy(\.isFinite) }
        try check(!domains.isEmpty, "domains: at least one domain is needed")
        try check(Set(domains).count == domains.count, "domains: \(domains) has duplicates")
        for d in domains {
            try check(
                ["city", "synth", "bdd"].contains(d),
                "domains: unknown domain '\(d)' (expected city, synth or bdd)")
        }
        try check(
            (8...8192).contains(imageHeight) && (8...8192).contains(imageWidth),
            "imageHeight and imageWidth: \(imageHeight)x\(imageWidth) must be in 8...8192")
        try check(
            (8...1_000_000).contains(trainImages) && (1...1_000_000).contains(valImages),
            "trainImages must be in 8...1000000 (1/8 labeled) and valImages in 1...1000000")
        try check(
            (16...4096).contains(cropSize) && cropSize % 16 == 0,
            "cropSize: \(cropSize) must be a multiple of 16 in 16...4096")
        try check(
            (8...8192).contains(rescaleBase),
            "rescaleBase: \(rescaleBase) must be in 8...8192")
        try check(
            (1...1_000_000).contains(epochs) && (1...1_000_000).contains(itersPerEpoch),
            "epochs and itersPerEpoch must be in 1...1000000")
        try check(
            (2...1024).contains(batchLabeled) && (2...1024).contains(batchUnlabeled),
            "batchLabeled and batchUnlabeled must be in 2...1024 (batch norm of ASPP's image "
                + "pooling needs 2)")
        // 1 (every training image labeled) only for supervised training: the proxy segmenter
        // of paper 2 trains on the whole training split; semi needs unlabeled images.
        try check(
            labeledFraction >= 0.001
                && (labeledFraction < 1 || (labeledFraction == 1 && method == .supervised)),
            "labeledFraction: \(labeledFraction) must be in [0.001, 1) (1 for supervised)")
        try check(
            rescaleRange.count == 2 && finite(rescaleRange[0], rescaleRange[1])
                && rescaleRange[0] > 0 && rescaleRange[0] <= rescaleRange[1]
                && rescaleRange[1] <= 16,
            "rescaleRange: \(rescaleRange) must be [low, high] with 0 < low <= high <= 16")
        try check(
            blocks.count == 4 && blocks.allSatisfy { (1...64).contains($0) } && blocks[3] <= 3,
            "blocks: \(blocks) must be four counts in 1...64, the last (layer4, multi-grid [1, "
                + "2, 4]) at most 3")
        try check(
            widthDivisor >= 1 && 48 % widthDivisor == 0 && 64 % widthDivisor == 0,
            "widthDivisor: \(widthDivisor) must divide 64 and 48 (1, 2, 4, 8 or 16)")
        try check(
            outputStride == 8 || outputStride == 16,
            "outputStride: \(outputStride) must be 8 or 16")
        try check(
            finite(lr, lambda, temperature) && lr > 0 && lambda >= 0 && temperature > 0,
            "lr and temperature must be positive and lambda non-negative (all finite)")
        try check(
            finite(backboneLRMultiplier, weightDecay, polyPower) && backboneLRMultiplier >= 0
                && weightDecay >= 0 && polyPower >= 0,
            "backboneLRMultiplier, weightDecay and polyPower must be finite and non-negative")
        try check(momentum >= 0 && momentum < 1, "momentum: \(momentum) must be in [0, 1)")
        try check(threshold >= 0 && threshold <= 1, "threshold: \(threshold) must be in [0, 1]")
        try check(unsupStartEpoch >= 0, "unsupStartEpoch: \(unsupStartEpoch) must be non-negative")
        try check(
            pretrain == "none" || pretrain == "synthetic" || pretrain.hasSuffix(".h5"),
            "pretrain: '\(pretrain)' must be none, synthetic or the path of an .h5 backbone "
                + "(scripts/convert_torchvision_resnet50.py writes one)")
        try check(
            (1...1_000_000).contains(pretrainIterations)
                && (8...1_000_000).contains(pretrainImages),
            "pretrainIterations must be in 1...1000000 and pretrainImages in 8...1000000")
    }
}
