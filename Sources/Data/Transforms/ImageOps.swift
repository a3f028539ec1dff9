import ImageCodecs
import Tensors

/// Padding, cropping and tensor conversion shared by the augmentation pipelines.
public enum ImageOps {
    /// ImageNet mean and std (torchvision `Normalize`).
    public static let mean: (Float, Float, Float) = (0.485, 0.456, 0.406)
    public static let std: (Float, Float, Float) = (0.229, 0.224, 0.225)
    /// CAC's image padding `mean * 255` written into a uint8 image by `cv2.copyMakeBorder`
    /// (saturate_cast rounds): (124, 116, 104).
    public static let padColor: (UInt8, UInt8, UInt8) = (124, 116, 104)

    /// Pads bottom and right to at least `width` x `height` (`cv2.copyMakeBorder`, constant).
    public static func pad(
        _ img: RGBImage, toWidth width: Int, height: Int, color: (UInt8, UInt8, UInt8) = padColor
    ) -> RGBImage {
        let w = max(width, img.width), h = max(height, img.height)
        if w == img.width && h == img.height { return img }
        var out = RGBImage(width: w, height: h, fill: color)
        for y in 0..<img.height {
            let src = 3 * y * img.width, dst = 3 * y * w
            out.pixels.replaceSubrange(
                dst..<(dst + 3 * img.width), with: img.pixels[src..<(src + 3 * img.width)])
        }
        return out
    }

    /// Pads a map bottom and right with `value`.
    public static func pad<T>(_ map: Raster<T>, toWidth width: Int, height: Int, value: T)
        -> Raster<T>
    {
        let w = max(width, map.width), h = max(height, map.height)
        if w == map.width && h == map.height { return map }
        var out = Raster(width: w, height: h, repeating: value)
        for y in 0..<map.height {
            out.values.replaceSubrange(
                (y * w)..<(y * w + map.width),
                with: map.values[(y * map.width)..<((y + 1) * map.width)])
        }
        return out
    }

    /// The `width` x `height` window at (x, y) (must lie inside).
    public static func crop(_ img: RGBImage, x: Int, y: Int, width: Int, height: Int) -> RGBImage {
        precondition(
            x >= 0 && y >= 0 && x + width <= img.width && y + height <= img.height,
            "ImageOps.crop: window \(width)x\(height) at (\(x), \(y)) outside \(img.width)x\(img.height)"
        )
        var p = [UInt8]()
        p.reserveCapacity(width * height * 3)
        for r in y..<(y + height) {
            p += img.pixels[(3 * (r * img.width + x))..<(3 * (r * img.width + x + width))]
        }
        return RGBImage(width: width, height: height, pixels: p)
    }

    /// The `width` x `height` window at (x, y) of a map.
    public static func crop<T>(_ map: Raster<T>, x: Int, y: Int, width: Int, height: Int) -> Raster<
        T
    > {
        precondition(
            x >= 0 && y >= 0 && x + width <= map.width && y + height <= map.height,
            "ImageOps.crop: window \(width)x\(height) at (\(x), \(y)) outside \(map.width)x\(map.height)"
        )
        var v = [T]()
        v.reserveCapacity(width * height)
        for r in y..<(y + height) {
            v += map.values[(r * map.width + x)..<(r * map.width + x + width)]
        }
        return Raster(width: width, height: height, values: v)
    }

    /// `Normalize(mean, std)(ToTensor()(img))` written into image `n` of an NCHW tensor buffer.
    public static func writeNormalized(_ img: RGBImage, into t: inout Tensor, at n: Int) {
        let (_, c, h, w) = t.nchw()
        precondition(
            c == 3 && h == img.height && w == img.width,
            "writeNormalized: image \(img.height)x\(img.width) into \(t.shape)")
        let m = [mean.0, mean.1, mean.2], s = [std.0, std.1, std.2]
        t.withUnsafeMutableBufferPointer { out in
            for ch in 0..<3 {
                let base = (n * 3 + ch) * h * w
                for i in 0..<(h * w) {
                    out[base + i] = (Float(img.pixels[3 * i + ch]) / 255 - m[ch]) / s[ch]
                }
            }
        }
    }

    /// Images as one normalised NCHW tensor [N, 3, H, W] (all the same size).
    public static func normalizedBatch(_ images: [RGBImage]) -> Tensor {
        precondition(!images.isEmpty, "normalizedBatch: no images")
        let h = images[0].height, w = images[0].width
        var t = Tensor(zeros: [images.count, 3, h, w])
        for (n, img) in images.enumerated() { writeNormalized(img, into: &t, at: n) }
        return t
    }

    /// Train-id maps as `Labels` [N, H, W] (255 ignore).
    public static func labelBatch(_ maps: [LabelMap]) -> Labels {
        precondition(!maps.isEmpty, "labelBatch: no maps")
        let h = maps[0].height, w = maps[0].width
        precondition(
            maps.allSatisfy { $0.width == w && $0.height == h }, "labelBatch: maps differ in size")
        return Labels(
            shape: [maps.count, h, w], data: maps.flatMap { $0.values.map { Int32($0) } })
    }

    /// Tensors [n_i, ...] concatenated along the batch dimension (equal trailing shapes).
    public static func stack(_ ts: [Tensor]) -> Tensor {
        precondition(
            !ts.isEmpty && ts.allSatisfy { $0.shape.dropFirst() == ts[0].shape.dropFirst() },
            "ImageOps.stack: shapes \(ts.map(\.shape))")
        var shape = ts[0].shape
        shape[0] = ts.reduce(0) { $0 + $1.shape[0] }
        return Tensor(shape: shape, data: ts.flatMap(\.data))
    }

    /// Labels [n_i, H, W] concatenated along the batch dimension (equal H, W).
    public static func stack(_ ls: [Labels]) -> Labels {
        precondition(
            !ls.isEmpty && ls.allSatisfy { $0.shape.dropFirst() == ls[0].shape.dropFirst() },
            "ImageOps.stack: label shapes \(ls.map(\.shape))")
        var shape = ls[0].shape
        shape[0] = ls.reduce(0) { $0 + $1.shape[0] }
        return Labels(shape: shape, data: ls.flatMap(\.data))
    }
}
