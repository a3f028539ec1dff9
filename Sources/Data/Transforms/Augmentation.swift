import ImageCodecs
import Tensors

/// torchvision `ColorJitter(brightness, contrast, saturation, hue)` on an 8-bit image.
public struct ColorJitter: Sendable {
    public let brightness: Float, contrast: Float, saturation: Float, hue: Float

    public init(
        brightness: Float = 0.4, contrast: Float = 0.4, saturation: Float = 0.4, hue: Float = 0.1
    ) {
        self.brightness = brightness; self.contrast = contrast; self.saturation = saturation;
        self.hue = hue
    }

    /// Draws, in order: the order of the four operations (`permutation(4)`), then the factors
    /// b, c, s ~ U[1 - x, 1 + x) and h ~ U[-hue, hue); applies them in the drawn order.
    public func callAsFunction(_ img: RGBImage, rng: inout RandomSource) -> RGBImage {
        let order = rng.permutation(4)
        let b = rng.uniform(1 - brightness, 1 + brightness)
        let c = rng.uniform(1 - contrast, 1 + contrast)
        let s = rng.uniform(1 - saturation, 1 + saturation)
        let h = rng.uniform(-hue, hue)
        var out = img
        for op in order {
            switch op {
            case 0: out = Photometric.adjustBrightness(out, b)
            case 1: out = Photometric.adjustContrast(out, c)
            case 2: out = Photometric.adjustSaturation(out, s)
            default: out = Photometric.adjustHue(out, Double(h))
            }
        }
        return out
    }
}

/// One unlabeled image's two crops, ready for the DC loss (cac.md §2 step 8).
public struct CropPair: Sendable {
    /// Crop 1 and crop 2, normalised, each [1, 3, S, S].
    public let crop1: Tensor, crop2: Tensor
    /// Their train-id labels [1, S, S] (only for logging; 255 where padded).
    public let label1: Labels, label2: Labels
    public let geometry: CropPairGeometry
    public let flip1: Bool, flip2: Bool
}

/// CAC's unlabeled pair augmentation (`PairCityDataset.__getitem__`, cac.md §2).
public struct PairAugmentation: Sendable {
    /// `base_size`: the long side is rescaled to randint(floor(0.8 base), floor(2.0 base)).
    public let base: Int
    /// S, a multiple of 8.
    public let cropSize: Int
    public let stride: Int
    public let jitter = ColorJitter()

    public init(base: Int, cropSize: Int, stride: Int = 8) {
        precondition(
            cropSize % stride == 0,
            "PairAugmentation: crop size \(cropSize) is not a multiple of \(stride)")
        self.base = base; self.cropSize = cropSize; self.stride = stride
    }

    /// Draw order: long side; crop geometry (x1, y1, tries); flip 1; flip 2; then crop 1's
    /// photometric draws (blur, jitter applied?, jitter params if applied, grayscale) and crop 2's.
    public func callAsFunction(image: RGBImage, trainIds: LabelMap, rng: inout RandomSource)
        -> CropPair
    {
        precondition(
            image.width == trainIds.width && image.height == trainIds.height,
            "PairAugmentation: image \(image.height)x\(image.width) vs label \(trainIds.height)x\(trainIds.width)"
        )
        let long = rng.int(in: Int(Double(base) * 0.8)...Int(Double(base) * 2.0))
        let (w, h) = Resize.scaledSize(width: image.width, height: image.height, longSide: long)
        let img = ImageOps.pad(
            Resize.bicubic(image, width: w, height: h), toWidth: cropSize, height: cropSize)
        let lab = ImageOps.pad(
            Resize.nearest(trainIds, width: w, height: h), toWidth: cropSize, height: cropSize,
            value: 255)
        let g = CropPairGeometry.sample(
            imageWidth: w, imageHeight: h, cropSize: cropSize, stride: stride, rng: &rng)
        var i1 = ImageOps.crop(img, x: g.x1, y: g.y1, width: cropSize, height: cropSize)
        var i2 = ImageOps.crop(img, x: g.x2, y: g.y2, width: cropSize, height: cropSize)
        var l1 = ImageOps.crop(lab, x: g.x1, y: g.y1, width: cropSize, height: cropSize)
        var l2 = ImageOps.crop(lab, x: g.x2, y: g.y2, width: cropSize, height: cropSize)
        let flip1 = rng.bernoulli(0.5), flip2 = rng.bernoulli(0.5)
        if flip1 { i1 = Photometric.flipHorizontal(i1); l1 = Photometric.flipHorizontal(l1) }
        if flip2 { i2 = Photometric.flipHorizontal(i2); l2 = Photometric.flipHorizontal(l2) }
        i1 = photometric(i1, rng: &rng)
        i2 = photometric(i2, rng: &rng)
        return CropPair(
            crop1: ImageOps.normalizedBatch([i1]), crop2: ImageOps.normalizedBatch([i2]),
            label1: ImageOps.labelBatch([l1]), label2: ImageOps.labelBatch([l2]),
            geometry: g, flip1: flip1, flip2: flip2)
    }

    /// Gaussian blur p 0.5 -> ColorJitter p 0.8 -> grayscale p 0.2 (CAC's `train_transform`).
    public func photometric(_ img: RGBImage, rng: inout RandomSource) -> RGBImage {
        var out = img
        if rng.bernoulli(0.5) { out = Photometric.gaussianBlur5(out) }
        if rng.bernoulli(0.8) { out = jitter(out, rng: &rng) }
        if rng.bernoulli(0.2) { out = Photometric.grayscale(out) }
        return out
    }
}

/// CAC's labeled-image augmentation (`BaseDataSet._augmentation` with scale, crop, flip).
public struct SupervisedAugmentation: Sendable {
    public let base: Int
    public let cropSize: Int
    /// Long side range as fractions of `base` (CAC: 0.5 ... 2.0).
    public let scaleRange: ClosedRange<Double>
    /// Apply ColorJitter(0.4, 0.4, 0.4, 0.1) always (CAC's City config) or never.
    public let colorJitter: Bool

    public init(
        base: Int, cropSize: Int, scaleRange: ClosedRange<Double> = 0.5...2.0,
        colorJitter: Bool = false
    ) {
        self.base = base; self.cropSize = cropSize; self.scaleRange = scaleRange;
        self.colorJitter = colorJitter
    }

    /// Draw order: long side; crop row; crop column; flip; jitter params (if enabled).
    /// Returns the normalised image [1, 3, S, S] and its train ids [1, S, S].
    public func callAsFunction(image: RGBImage, trainIds: LabelMap, rng: inout RandomSource) -> (
        Tensor, Labels
    ) {
        precondition(
            image.width == trainIds.width && image.height == trainIds.height,
            "SupervisedAugmentation: image \(image.height)x\(image.width) vs label \(trainIds.height)x\(trainIds.width)"
        )
        let long = rng.int(
            in: Int(
                Double(base) * scaleRange.lowerBound)...Int(Double(base) * scaleRange.upperBound))
        let (w, h) = Resize.scaledSize(width: image.width, height: image.height, longSide: long)
        let img = ImageOps.pad(
            Resize.bicubic(image, width: w, height: h), toWidth: cropSize, height: cropSize)
        let lab = ImageOps.pad(
            Resize.nearest(trainIds, width: w, height: h), toWidth: cropSize, height: cropSize,
            value: 255)
        let y = rng.int(in: 0...(img.height - cropSize)),
            x = rng.int(in: 0...(img.width - cropSize))
        var i = ImageOps.crop(img, x: x, y: y, width: cropSize, height: cropSize)
        var l = ImageOps.crop(lab, x: x, y: y, width: cropSize, height: cropSize)
        if rng.bernoulli(0.5) {
            i = Photometric.flipHorizontal(i); l = Photometric.flipHorizontal(l)
        }
        if colorJitter { i = ColorJitter()(i, rng: &rng) }
        return (ImageOps.normalizedBatch([i]), ImageOps.labelBatch([l]))
    }
}

/// A batch of unlabeled crop pairs in the layout the DC loss consumes.
public struct CropPairBatch: Sendable {
    /// [B, 3, S, S] each.
    public let crops1: Tensor, crops2: Tensor
    /// [B, S, S] each.
    public let labels1: Labels, labels2: Labels
    public let overlap1: [OverlapBox], overlap2: [OverlapBox]
    public let flip1: [Bool], flip2: [Bool]

    /// Stacks pairs along the batch dimension.
    public init(_ pairs: [CropPair]) {
        precondition(!pairs.isEmpty, "CropPairBatch: no pairs")
        crops1 = ImageOps.stack(pairs.map(\.crop1)); crops2 = ImageOps.stack(pairs.map(\.crop2))
        labels1 = ImageOps.stack(pairs.map(\.label1)); labels2 = ImageOps.stack(pairs.map(\.label2))
        overlap1 = pairs.map(\.geometry.overlap1); overlap2 = pairs.map(\.geometry.overlap2)
        flip1 = pairs.map(\.flip1); flip2 = pairs.map(\.flip2)
    }
}
