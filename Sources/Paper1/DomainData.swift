import Data
import ImageCodecs
import NN
import Results
import Tensors

/// One domain's images for a paper 1 run: training images with their 1/8 labeled, 7/8
/// unlabeled split, and validation images. Labels are train ids (19 classes, 255 ignore).
public struct DomainData: Sendable {
    /// One image and its train-id map, with its name in the data set.
    public struct Sample: Sendable {
        public let name: String
        public let image: RGBImage
        public let trainIds: LabelMap
        public init(name: String, image: RGBImage, trainIds: LabelMap) {
            precondition(
                image.width == trainIds.width && image.height == trainIds.height,
                "DomainData.Sample: image \(image.height)x\(image.width) vs labels \(trainIds.height)x\(trainIds.width)"
            )
            self.name = name
            self.image = image
            self.trainIds = trainIds
        }
    }

    /// Images read on demand (a full-size data set does not fit in memory).
    public struct Source: Sendable {
        /// Sample names, in the loader's order (indices refer to this order).
        public let names: [String]
        private let read: @Sendable (Int) throws -> Sample

        public init(names: [String], read: @escaping @Sendable (Int) throws -> Sample) {
            self.names = names
            self.read = read
        }

        /// Samples held in memory.
        public init(_ samples: [Sample]) {
            self.init(names: samples.map(\.name)) { samples[$0] }
        }

        public var count: Int { names.count }

        /// Reads sample `i`; a file that cannot be read is an error naming it.
        public func load(_ i: Int) throws -> Sample { try read(i) }
    }

    public let name: String
    public let classes: Int
    public let train: Source
    public let val: Source
    /// The seeded split of `train` (indices), recorded in the run manifest.
    public let split: SemiSupervisedSplit

    public init(
        name: String, classes: Int = 19, train: Source, val: Source, split: SemiSupervisedSplit
    ) {
        precondition(
            train.count > 0 && val.count > 0, "DomainData \(name): empty train or val split")
        self.name = name
        self.classes = classes
        self.train = train
        self.val = val
        self.split = split
    }

    public var labeled: [Int] { split.labeled }
    public var unlabeled: [Int] { split.unlabeled }

    /// Labeled images `indices`, each augmented as CAC's labeled branch (rescale, crop, flip).
    func labeledBatch(_ indices: [Int], config: SegmentationConfig, random: inout RandomSource)
        throws -> (Variable, Labels)
    {
        let augment = SupervisedAugmentation(
            base: config.rescaleBase, cropSize: config.cropSize,
            scaleRange: config.rescaleRange[0]...config.rescaleRange[1])
        var images: [Tensor] = [], labels: [Labels] = []
        for i in indices {
            let sample = try train.load(i)
            let (x, y) = augment(image: sample.image, trainIds: sample.trainIds, rng: &random)
            images.append(x)
            labels.append(y)
        }
        return (Variable(ImageOps.stack(images)), ImageOps.stack(labels))
    }

    /// Unlabeled images `indices`, each cut into CAC's two overlapping crops (cac.md §2).
    func pairBatch(_ indices: [Int], config: SegmentationConfig, random: inout RandomSource) throws
        -> PairBatch
    {
        let augment = PairAugmentation(base: config.rescaleBase, cropSize: config.cropSize)
        let pairs = try indices.map { i in
            let sample = try train.load(i)
            return augment(image: sample.image, trainIds: sample.trainIds, rng: &random)
        }
        let batch = CropPairBatch(pairs)
        let overlaps = (0..<pairs.count).map { n in
            let (a, b) = (batch.overlap1[n], batch.overlap2[n])
            return CropOverlap(
                ul1: (a.top, a.left), br1: (a.bottom, a.right), ul2: (b.top, b.left),
                br2: (b.bottom, b.right), flip1: batch.flip1[n], flip2: batch.flip2[n])
        }
        return PairBatch(
            crop1: Variable(batch.crops1), crop2: Variable(batch.crops2), overlaps: overlaps)
    }

    /// Validation images `indices`, whole and normalised, with their train ids.
    func validationBatch(_ indices: [Int]) throws -> (Variable, Labels) {
        let samples = try indices.map { try val.load($0) }
        return (
            Variable(ImageOps.normalizedBatch(samples.map(\.image))),
            ImageOps.labelBatch(samples.map(\.trainIds))
        )
    }
}

/// Two crops per unlabeled image and where they overlap.
struct PairBatch {
    let crop1: Variable, crop2: Variable
    let overlaps: [CropOverlap]
}
