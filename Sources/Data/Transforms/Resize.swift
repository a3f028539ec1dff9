import Foundation
import ImageCodecs

/// Image and label resizing as CAC's loaders do it: PIL bicubic for images, OpenCV nearest for labels.
public enum Resize {
    /// PIL's `Image.resize((width, height), Image.BICUBIC)` on an 8-bit RGB image, bit for bit.
    ///
    /// Mirrors Pillow's `ImagingResample`: a separable cubic filter (a = -0.5) whose support is
    /// widened by the scale factor when shrinking (antialiasing), weights normalised and
    /// converted to 22-bit fixed point, horizontal pass first into an 8-bit intermediate, each
    /// pass rounded and clipped to 0...255. A pass is skipped when its size is unchanged.
    public static func bicubic(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        precondition(width > 0 && height > 0, "Resize.bicubic: target size \(height)x\(width)")
        var img = image
        if width != img.width {
            let k = pilCoefficients(inSize: img.width, outSize: width)
            img = resamplePass(img, outWidth: width, outHeight: img.height, k, horizontal: true)
        }
        if height != img.height {
            let k = pilCoefficients(inSize: img.height, outSize: height)
            img = resamplePass(img, outWidth: img.width, outHeight: height, k, horizontal: false)
        }
        return img
    }

    /// OpenCV's `cv2.resize(label, (width, height), interpolation=cv2.INTER_NEAREST)`:
    /// output (x, y) reads source (min(floor(x * w_in / w_out), w_in - 1), same for y).
    public static func nearest<T>(_ map: Raster<T>, width: Int, height: Int) -> Raster<T> {
        precondition(width > 0 && height > 0, "Resize.nearest: target size \(height)x\(width)")
        let fx = Double(map.width) / Double(width), fy = Double(map.height) / Double(height)
        let xs = (0..<width).map { min(Int((Double($0) * fx).rounded(.down)), map.width - 1) }
        var out = [T]()
        out.reserveCapacity(width * height)
        for y in 0..<height {
            let sy = min(Int((Double(y) * fy).rounded(.down)), map.height - 1)
            let row = sy * map.width
            for x in xs { out.append(map.values[row + x]) }
        }
        return Raster(width: width, height: height, values: out)
    }

    /// The size CAC rescales to: long side `longSide`, short side `int(longSide * short / long + 0.5)`
    /// (`h > w` decides which side is long, as in `PairCityDataset`).
    public static func scaledSize(width: Int, height: Int, longSide: Int) -> (
        width: Int, height: Int
    ) {
        if height > width {
            return (Int(Double(longSide) * Double(width) / Double(height) + 0.5), longSide)
        }
        return (longSide, Int(Double(longSide) * Double(height) / Double(width) + 0.5))
    }

    // MARK: - Pillow's resampling internals

    static let precisionBits = 32 - 8 - 2

    struct Coefficients {
        let bounds: [(start: Int, count: Int)]
        let weights: [[Int32]]
    }

    static func bicubicFilter(_ x: Double) -> Double {
        let a = -0.5
        let x = abs(x)
        if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
        if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
        return 0
    }

    /// Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc` for the box [0, inSize).
    static func pilCoefficients(inSize: Int, outSize: Int) -> Coefficients {
        let scale = Double(inSize) / Double(outSize)
        let filterScale = max(scale, 1)
        let support = 2.0 * filterScale
        var bounds: [(Int, Int)] = []
        var weights: [[Int32]] = []
        for xx in 0..<outSize {
            let center = (Double(xx) + 0.5) * scale
            let ss = 1 / filterScale
            let xmin = max(0, Int(center - support + 0.5))
            let xmax = min(inSize, Int(center + support + 0.5)) - xmin
            var k = (0..<max(xmax, 0)).map {
                bicubicFilter((Double($0 + xmin) - center + 0.5) * ss)
            }
            let ww = k.reduce(0, +)
            if ww != 0 { k = k.map { $0 / ww } }
            let one = Double(1 << precisionBits)
            weights.append(k.map { $0 < 0 ? Int32(-0.5 + $0 * one) : Int32(0.5 + $0 * one) })
            bounds.append((xmin, max(xmax, 0)))
        }
        return Coefficients(bounds: bounds, weights: weights)
    }

    private static func resamplePass(
        _ img: RGBImage, outWidth: Int, outHeight: Int, _ k: Coefficients, horizontal: Bool
    ) -> RGBImage {
        var out = [UInt8](repeating: 0, count: outWidth * outHeight * 3)
        let half = Int32(1 << (precisionBits - 1))
        img.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<outHeight {
                    for x in 0..<outWidth {
                        let o = horizontal ? x : y
                        let (start, count) = k.bounds[o]
                        let w = k.weights[o]
                        var acc = SIMD3<Int32>(repeating: half)
                        for t in 0..<count {
                            let i =
                                horizontal
                                ? 3 * (y * img.width + start + t)
                                : 3 * ((start + t) * img.width + x)
                            acc &+=
                                SIMD3(Int32(src[i]), Int32(src[i + 1]), Int32(src[i + 2])) &* w[t]
                        }
                        let d = 3 * (y * outWidth + x)
                        for c in 0..<3 {
                            dst[d + c] = UInt8(clamping: acc[c] >> Int32(precisionBits))
                        }
                    }
                }
            }
        }
        return RGBImage(width: outWidth, height: outHeight, pixels: out)
    }
}
