import Tensors

/// A half-open box in a crop's own pixel coordinates: rows [top, bottom), columns [left, right).
/// CAC's `overlap_ul = [top, left]`, `overlap_br = [bottom, right]`.
public struct OverlapBox: Sendable, Equatable, Codable {
    public let top: Int, left: Int, bottom: Int, right: Int

    public init(top: Int, left: Int, bottom: Int, right: Int) {
        self.top = top; self.left = left; self.bottom = bottom; self.right = right
    }

    public var height: Int { bottom - top }
    public var width: Int { right - left }
}

/// Where CAC cuts its two overlapping crops from one rescaled (and padded) image (cac.md §2).
public struct CropPairGeometry: Sendable, Equatable {
    /// Crop side S (a multiple of `stride`).
    public let cropSize: Int
    public let stride: Int
    /// Size of the rescaled image before padding (h_img, w_img of §2.5).
    public let imageWidth: Int, imageHeight: Int
    /// Top-left corners of crop 1 and crop 2 in the padded image.
    public let x1: Int, y1: Int, x2: Int, y2: Int
    /// False when no try was accepted and crop 2 fell back to crop 1.
    public let accepted: Bool
    public let overlap1: OverlapBox
    public let overlap2: OverlapBox

    /// Size after padding to at least S on both sides.
    public var paddedWidth: Int { max(imageWidth, cropSize) }
    public var paddedHeight: Int { max(imageHeight, cropSize) }

    /// IoU of the two crop squares, I / (2 S^2 - I).
    public var iou: Double { CropPairGeometry.iou(dx: x2 - x1, dy: y2 - y1, cropSize: cropSize) }

    /// IoU of two S x S squares offset by (dx, dy); 0 when they do not overlap.
    public static func iou(dx: Int, dy: Int, cropSize s: Int) -> Double {
        guard abs(dx) < s && abs(dy) < s else { return 0 }
        let inter = Double((s - abs(dx)) * (s - abs(dy)))
        return inter / (2 * Double(s * s) - inter)
    }

    /// §2.4's snap of a raw second corner onto crop 1's stride grid:
    /// `x1 + stride * floor((raw - x1) / stride)`, plus `stride` if that is negative.
    public static func snap(_ raw: Int, to first: Int, stride: Int) -> Int {
        let d = raw - first
        let q = d >= 0 ? d / stride : -((-d + stride - 1) / stride)
        let v = first + stride * q
        return v < 0 ? v + stride : v
    }

    /// §2.5's overlap boxes for crops at (x1, y1) and (x2, y2) of an image that was
    /// `imageWidth` x `imageHeight` before padding.
    public static func overlapBoxes(
        x1: Int, y1: Int, x2: Int, y2: Int, cropSize s: Int, imageWidth: Int, imageHeight: Int,
        stride: Int
    ) -> (OverlapBox, OverlapBox) {
        let hCap = imageHeight / stride * stride, wCap = imageWidth / stride * stride
        let box1 = OverlapBox(
            top: max(0, y2 - y1), left: max(0, x2 - x1),
            bottom: min(s, s + y2 - y1, hCap), right: min(s, s + x2 - x1, wCap))
        let box2 = OverlapBox(
            top: max(0, y1 - y2), left: max(0, x1 - x2),
            bottom: min(s, s + y1 - y2, hCap), right: min(s, s + x1 - x2, wCap))
        return (box1, box2)
    }

    /// Samples a crop pair as `PairCityDataset.__getitem__` does. Draws, in order: x1, y1, then
    /// for each of up to `maxTries` tries x2, y2 (each `int(in: 0...(W - S))`, `int(in: 0...(H - S))`).
    public static func sample(
        imageWidth: Int, imageHeight: Int, cropSize s: Int, stride: Int = 8, maxTries: Int = 50,
        iouRange: ClosedRange<Double> = 0.1...1.0, rng: inout RandomSource
    ) -> CropPairGeometry {
        precondition(
            s > 0 && s % stride == 0,
            "CropPairGeometry: crop size \(s) must be a positive multiple of \(stride)")
        let w = max(imageWidth, s), h = max(imageHeight, s)
        let x1 = rng.int(in: 0...(w - s)), y1 = rng.int(in: 0...(h - s))
        var x2 = x1, y2 = y1
        var accepted = false
        for _ in 0..<maxTries {
            let cx = snap(rng.int(in: 0...(w - s)), to: x1, stride: stride)
            let cy = snap(rng.int(in: 0...(h - s)), to: y1, stride: stride)
            if abs(cx - x1) < s && abs(cy - y1) < s
                && iouRange.contains(iou(dx: cx - x1, dy: cy - y1, cropSize: s))
            {
                x2 = cx; y2 = cy
                accepted = true
                break
            }
        }
        let (b1, b2) = overlapBoxes(
            x1: x1, y1: y1, x2: x2, y2: y2, cropSize: s, imageWidth: imageWidth,
            imageHeight: imageHeight, stride: stride)
        return CropPairGeometry(
            cropSize: s, stride: stride, imageWidth: imageWidth, imageHeight: imageHeight,
            x1: x1, y1: y1, x2: x2, y2: y2, accepted: accepted, overlap1: b1, overlap2: b2)
    }
}
