import ImageCodecs
import Tensors

/// SPADE's preprocessing (NVlabs/SPADE data/base_dataset.py, spade.md §1.2): `fixed` resizes
/// every input to exactly width x height (images PIL bicubic, label and instance maps PIL
/// nearest, no crop); `scale_width_and_crop` scales the width to `load_size` keeping the
/// aspect, then crops a width x height window. Then one horizontal flip shared by the image and
/// both maps.
public enum SPADEPreprocess {
    /// `scale_width_and_crop`: the width scaled to `loadSize` (height `Int(loadSize * h / w)`,
    /// as SPADE's `__scale_width` truncates), then the window at x = floor(u * (W' - width + 1)),
    /// y = floor(v * (H' - height + 1)): SPADE's `randint(0, W' - width)` for u, v uniform in
    /// [0, 1), drawn by the caller (random in training, fixed per scene for validation).
    public struct Crop: Sendable, Equatable {
        public var loadSize: Int
        public var u: Double
        public var v: Double
        public init(loadSize: Int, u: Double, v: Double) {
            precondition(u >= 0 && u < 1 && v >= 0 && v < 1, "Crop: u, v must lie in [0, 1)")
            (self.loadSize, self.u, self.v) = (loadSize, u, v)
        }
    }

    /// PIL `Image.resize(size, NEAREST)`: output (x, y) reads source
    /// (min(floor((x + 0.5) * w_in / w_out), w_in - 1), likewise y): pixel centres, so an exact
    /// factor 4 picks column 4j + 2.
    public static func nearestPIL<T>(_ map: Raster<T>, width: Int, height: Int) -> Raster<T> {
        precondition(width > 0 && height > 0, "nearestPIL: target size \(height)x\(width)")
        let fx = Double(map.width) / Double(width), fy = Double(map.height) / Double(height)
        let xs = (0..<width).map {
            min(Int(((Double($0) + 0.5) * fx).rounded(.down)), map.width - 1)
        }
        var out = [T]()
        out.reserveCapacity(width * height)
        for y in 0..<height {
            let sy = min(Int(((Double(y) + 0.5) * fy).rounded(.down)), map.height - 1)
            for x in xs { out.append(map.values[sy * map.width + x]) }
        }
        return Raster(width: width, height: height, values: out)
    }

    /// One training sample resized to width x height (`crop` nil) or scaled and cropped to it,
    /// then flipped when `flip` is true (the caller draws `flip` with probability 0.5; at test
    /// time it is false). Throws when the maps' sizes differ from each other or from the image,
    /// or the scaled image is smaller than the window, naming the files.
    public static func apply(
        image: RGBImage, labels: LabelMap, instances: InstanceMap, width: Int, height: Int,
        crop: Crop? = nil, flip: Bool, sources: (image: String, labels: String, instances: String)
    ) throws -> (image: RGBImage, labels: LabelMap, instances: InstanceMap) {
        guard labels.width == instances.width, labels.height == instances.height else {
            throw ConditioningError(
                sources.instances,
                "instance map is \(instances.width)x\(instances.height) (WxH) but its label map "
                    + "\(sources.labels) is \(labels.width)x\(labels.height)")
        }
        guard labels.width == image.width, labels.height == image.height else {
            throw ConditioningError(
                sources.labels,
                "label map is \(labels.width)x\(labels.height) (WxH) but its image "
                    + "\(sources.image) is \(image.width)x\(image.height)")
        }
        guard let crop else {
            return flipped(
                Resize.bicubic(image, width: width, height: height),
                nearestPIL(labels, width: width, height: height),
                nearestPIL(instances, width: width, height: height), flip: flip)
        }
        let sw = crop.loadSize
        let sh = Int(Double(sw) * Double(image.height) / Double(image.width))
        guard sw >= width, sh >= height else {
            throw ConditioningError(
                sources.image,
                "image is \(image.width)x\(image.height) (WxH); scaled to width \(sw) it is "
                    + "\(sw)x\(sh), smaller than the \(width)x\(height) crop")
        }
        // SPADE's __scale_width returns the image untouched when the width already matches.
        let same = sw == image.width
        let img = same ? image : Resize.bicubic(image, width: sw, height: sh)
        let lab = same ? labels : nearestPIL(labels, width: sw, height: sh)
        let ins = same ? instances : nearestPIL(instances, width: sw, height: sh)
        let x = Int((crop.u * Double(sw - width + 1)).rounded(.down))
        let y = Int((crop.v * Double(sh - height + 1)).rounded(.down))
        return flipped(
            ImageOps.crop(img, x: x, y: y, width: width, height: height),
            ImageOps.crop(lab, x: x, y: y, width: width, height: height),
            ImageOps.crop(ins, x: x, y: y, width: width, height: height), flip: flip)
    }

    static func flipped(
        _ image: RGBImage, _ labels: LabelMap, _ instances: InstanceMap, flip: Bool
    ) -> (image: RGBImage, labels: LabelMap, instances: InstanceMap) {
        var (img, lab, ins) = (image, labels, instances)
        if flip {
            img = Photometric.flipHorizontal(img)
            lab = Photometric.flipHorizontal(lab)
            ins = Photometric.flipHorizontal(ins)
        }
        return (img, lab, ins)
    }

    /// The image as SPADE feeds it: ToTensor then Normalize(0.5, 0.5), values in [-1, 1];
    /// (N, 3, H, W).
    public static func imageTensor(_ images: [RGBImage]) -> Tensor {
        precondition(!images.isEmpty, "SPADEPreprocess.imageTensor: no images")
        let (h, w) = (images[0].height, images[0].width)
        var t = Tensor(zeros: [images.count, 3, h, w])
        for (n, img) in images.enumerated() {
            precondition(img.height == h && img.width == w, "imageTensor: image \(n) size differs")
            for c in 0..<3 {
                for i in 0..<(h * w) {
                    let v = Float(img.pixels[3 * i + c]) / 255
                    t.data[(n * 3 + c) * h * w + i] = (v - 0.5) / 0.5
                }
            }
        }
        return t
    }
}
