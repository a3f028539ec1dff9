import Data
import Models
import Results

/// One paper 2 cell as the harness runs it: the full SPADE record (model, instance-aware
/// choices of spade.md §13, losses, optimiser, schedule, deviations) plus the data and run
/// settings. The top-level fields are what `--set key=value` changes; decoding copies them
/// into `spade` (schedule, batch, width, image size), so the recorded JSON never disagrees
/// with what ran.
public struct Paper2RunConfig: ExperimentConfig, Equatable {
    /// Empty: the synthetic city scenes; else a folder holding `cityscapes/` (paper profile).
    public var dataRoot = ""
    /// Training and generated image size (SPADE's crop_size = width, aspect = width / height).
    public var imageHeight = 256
    public var imageWidth = 512
    /// SPADE's `load_size` with `preprocess_mode scale_width_and_crop`: scenes are scaled to
    /// this width (keeping their aspect; synthetic scenes are made at loadSize x loadSize / 2)
    /// and an imageHeight x imageWidth window is cropped, at a random place in training and at
    /// a fixed place per val scene. 0: `fixed` (resized to imageHeight x imageWidth, no crop),
    /// and the key is left out of the recorded JSON so configurations from before it keep
    /// their hashes.
    public var loadSize = 0
    /// Synthetic scenes written per split (ignored for real data: all images are used).
    public var trainImages = 2975
    public var valImages = 500
    /// Seed of the synthetic scenes (the data, not the run).
    public var sceneSeed: UInt64 = 0
    /// ngf = ndf = 64 * width (1 = the paper's networks).
    public var width = 1.0
    /// Epochs at the constant rate, then epochs of linear decay (spade.md §5.5).
    public var niter = 100
    public var niterDecay = 100
    public var batchSize = 32
    /// Checkpoint every this many iterations (0: at the end of the run only); `--checkpoint-every`
    /// of the command line takes precedence.
    public var checkpointEvery = 0
    /// Rows of the picture sheet (the first val scenes).
    public var sheetRows = 4
    /// pytorch-fid's Inception-v3 weights as HDF5 (Tests/Fixtures/scripts/inception_convert.py
    /// makes it from `pt_inception-2015-12-05-6726825d.pth`): paper-comparable FID. Empty: the
    /// proxy extractor (the segmenter's pooled features), its scores labelled FID-proxy.
    public var inceptionWeights = ""
    /// The proxy segmenter behind mIoU (and the proxy FID features): its size and training.
    public var segmenter = ProxySegmenterSettings()
    /// Everything SPADE (filled from the fields above when decoded or made by `init`).
    public internal(set) var spade: SPADEConfig

    /// The paper setting of `variant` (spade.md §0 and §5.5: 256x512, `more` upsampling,
    /// batch 32, 100 + 100 epochs).
    public init(_ variant: SPADEVariant) {
        var s = SPADEConfig(variant)
        s.architecture.upsampling = .more
        spade = s
        synchronize()
    }

    /// Copies the top-level settings into `spade`.
    mutating func synchronize() {
        spade.niter = niter
        spade.niterDecay = niterDecay
        spade.batchSize = batchSize
        spade.fidExtractor =
            inceptionWeights.isEmpty
            ? "proxy-deeplab-city (layer4 pooled features of the proxy segmenter)"
            : "pytorch-fid-inception-v3 (\(inceptionWeights))"
        spade.miouExtractor =
            "proxy-deeplab-city (DeepLabv3+ 1/\(segmenter.widthDivisor) width, blocks "
            + "\(segmenter.blocks), \(segmenter.epochs * segmenter.itersPerEpoch) iterations)"
        var a = spade.architecture.scaled(width: width)
        a.cropSize = imageWidth
        a.aspectRatio = imageHeight > 0 ? Double(imageWidth) / Double(imageHeight) : 0
        spade.architecture = a
    }

    /// The size of the synthetic scenes: loadSize x loadSize / 2 when cropping, else the
    /// generation size.
    public var sceneSize: (height: Int, width: Int) {
        loadSize > 0 ? (loadSize / 2, loadSize) : (imageHeight, imageWidth)
    }

    /// The crop of a sample at (u, v) in [0, 1)^2, nil in `fixed` mode.
    func crop(u: Double, v: Double) -> SPADEPreprocess.Crop? {
        loadSize > 0 ? SPADEPreprocess.Crop(loadSize: loadSize, u: u, v: v) : nil
    }

    /// Total epochs (niter + niterDecay).
    public var epochs: Int { niter + niterDecay }

    /// Iterations per epoch: SPADE's loader drops the last incomplete batch.
    public func iterationsPerEpoch(trainCount: Int) -> Int { trainCount / batchSize }

    public func validate() throws {
        func fail(_ s: String) -> ConfigError { ConfigError(s) }
        guard imageHeight >= 8, imageWidth >= 8 else {
            throw fail("imageHeight/imageWidth \(imageHeight)x\(imageWidth): at least 8x8")
        }
        guard !dataRoot.isEmpty || (trainImages >= batchSize && valImages >= 1) else {
            throw fail(
                "trainImages \(trainImages) must be >= batchSize \(batchSize); valImages >= 1")
        }
        guard width > 0, niter >= 0, niterDecay >= 0, niter + niterDecay >= 1 else {
            throw fail("width must be positive and niter + niterDecay at least 1")
        }
        if loadSize != 0 {
            guard loadSize >= imageWidth, dataRoot.isEmpty ? loadSize / 2 >= imageHeight : true
            else {
                throw fail(
                    "loadSize \(loadSize): scenes scaled to this width (synthetic: "
                        + "\(loadSize)x\(loadSize / 2)) must hold the imageHeight x imageWidth "
                        + "crop \(imageHeight)x\(imageWidth); 0 turns cropping off")
            }
        }
        guard checkpointEvery >= 0, sheetRows >= 1 else {
            throw fail("checkpointEvery must be >= 0 and sheetRows >= 1")
        }
        do {
            try spade.validate()
        } catch let error as SPADEArchitectureError {
            throw fail("spade: \(error.description)")
        }
        let size = spade.architecture.imageSize
        guard size.height == imageHeight, size.width == imageWidth else {
            throw fail(
                "imageHeight x imageWidth \(imageHeight)x\(imageWidth) is not what the generator "
                    + "makes with \(spade.architecture.upsampling.rawValue) upsampling "
                    + "(\(size.height)x\(size.width)); use a multiple of 2^upsampling")
        }
    }
}

extension Paper2RunConfig: OmitsDefaultKeys {
    public static let omittedDefaultKeys = ["loadSize"]

    private enum CodingKeys: String, CodingKey {
        case dataRoot, imageHeight, imageWidth, trainImages, valImages, sceneSeed, width, niter
        case niterDecay, batchSize, checkpointEvery, sheetRows, inceptionWeights, segmenter, spade
        case loadSize
    }

    public func encode(to encoder: any Swift.Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(dataRoot, forKey: .dataRoot)
        try c.encode(imageHeight, forKey: .imageHeight)
        try c.encode(imageWidth, forKey: .imageWidth)
        if loadSize != 0 { try c.encode(loadSize, forKey: .loadSize) }
        try c.encode(trainImages, forKey: .trainImages)
        try c.encode(valImages, forKey: .valImages)
        try c.encode(sceneSeed, forKey: .sceneSeed)
        try c.encode(width, forKey: .width)
        try c.encode(niter, forKey: .niter)
        try c.encode(niterDecay, forKey: .niterDecay)
        try c.encode(batchSize, forKey: .batchSize)
        try c.encode(checkpointEvery, forKey: .checkpointEvery)
        try c.encode(sheetRows, forKey: .sheetRows)
        try c.encode(inceptionWeights, forKey: .inceptionWeights)
        try c.encode(segmenter, forKey: .segmenter)
        try c.encode(spade, forKey: .spade)
    }

    public init(from decoder: any Swift.Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        spade = try c.decode(SPADEConfig.self, forKey: .spade)
        dataRoot = try c.decode(String.self, forKey: .dataRoot)
        imageHeight = try c.decode(Int.self, forKey: .imageHeight)
        imageWidth = try c.decode(Int.self, forKey: .imageWidth)
        loadSize = try c.decodeIfPresent(Int.self, forKey: .loadSize) ?? 0
        trainImages = try c.decode(Int.self, forKey: .trainImages)
        valImages = try c.decode(Int.self, forKey: .valImages)
        sceneSeed = try c.decode(UInt64.self, forKey: .sceneSeed)
        width = try c.decode(Double.self, forKey: .width)
        niter = try c.decode(Int.self, forKey: .niter)
        niterDecay = try c.decode(Int.self, forKey: .niterDecay)
        batchSize = try c.decode(Int.self, forKey: .batchSize)
        checkpointEvery = try c.decode(Int.self, forKey: .checkpointEvery)
        sheetRows = try c.decode(Int.self, forKey: .sheetRows)
        inceptionWeights = try c.decode(String.self, forKey: .inceptionWeights)
        segmenter = try c.decode(ProxySegmenterSettings.self, forKey: .segmenter)
        synchronize()
    }
}
