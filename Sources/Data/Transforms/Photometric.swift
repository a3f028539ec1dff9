import Foundation
import ImageCodecs

/// The per-crop image operations of CAC's augmentation, each reproducing the library call the
/// reference code makes on 8-bit images (OpenCV for blur, PIL through torchvision for colour).
public enum Photometric {
    /// `np.fliplr`: mirrors the columns.
    public static func flipHorizontal<T>(_ m: Raster<T>) -> Raster<T> {
        var out = m.values
        for y in 0..<m.height {
            for x in 0..<m.width { out[y * m.width + x] = m.values[y * m.width + m.width - 1 - x] }
        }
        return Raster(width: m.width, height: m.height, values: out)
    }

    /// `np.fliplr` on an RGB image.
    public static func flipHorizontal(_ img: RGBImage) -> RGBImage {
        var out = img.pixels
        for y in 0..<img.height {
            for x in 0..<img.width {
                let d = 3 * (y * img.width + x), s = 3 * (y * img.width + img.width - 1 - x)
                out[d] = img.pixels[s]; out[d + 1] = img.pixels[s + 1];
                out[d + 2] = img.pixels[s + 2]
            }
        }
        return RGBImage(width: img.width, height: img.height, pixels: out)
    }

    /// `cv2.GaussianBlur(img, (5, 5), 0)` on uint8, bit-exact: with sigma 0 and ksize 5 OpenCV
    /// uses its fixed kernel (1, 4, 6, 4, 1) / 16 (the binomial approximation of sigma 1.1),
    /// separable, exact fixed-point sums rounded once, border BORDER_REFLECT_101.
    public static func gaussianBlur5(_ img: RGBImage) -> RGBImage {
        let w = img.width, h = img.height
        let k: [Int32] = [1, 4, 6, 4, 1]
        func reflect(_ i: Int, _ n: Int) -> Int {
            if n == 1 { return 0 }
            var i = i
            while i < 0 || i >= n { i = i < 0 ? -i : 2 * n - 2 - i }
            return i
        }
        var rows = [Int32](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                var acc = SIMD3<Int32>.zero
                for t in 0..<5 {
                    let s = 3 * (y * w + reflect(x + t - 2, w))
                    acc &+=
                        SIMD3(
                            Int32(img.pixels[s]), Int32(img.pixels[s + 1]), Int32(img.pixels[s + 2])
                        ) &* k[t]
                }
                let d = 3 * (y * w + x)
                rows[d] = acc.x; rows[d + 1] = acc.y; rows[d + 2] = acc.z
            }
        }
        var out = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                for c in 0..<3 {
                    var acc: Int32 = 0
                    for t in 0..<5 { acc += rows[3 * (reflect(y + t - 2, h) * w + x) + c] * k[t] }
                    out[3 * (y * w + x) + c] = UInt8((acc + 128) >> 8)
                }
            }
        }
        return RGBImage(width: w, height: h, pixels: out)
    }

    /// PIL's `convert("L")`: (19595 r + 38470 g + 7471 b + 0x8000) >> 16.
    @inline(__always) static func luma(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        let sum: Int = Int(r) * 19595 + Int(g) * 38470 + Int(b) * 7471
        return UInt8((sum + 0x8000) >> 16)
    }

    /// torchvision `rgb_to_grayscale(img, 3)` on a PIL image: L, replicated to three channels.
    public static func grayscale(_ img: RGBImage) -> RGBImage {
        var out = img.pixels
        for i in 0..<(img.width * img.height) {
            let l = luma(img.pixels[3 * i], img.pixels[3 * i + 1], img.pixels[3 * i + 2])
            out[3 * i] = l; out[3 * i + 1] = l; out[3 * i + 2] = l
        }
        return RGBImage(width: img.width, height: img.height, pixels: out)
    }

    /// PIL `Image.blend(degenerate, img, alpha)`: `degenerate + alpha * (img - degenerate)` in
    /// float, truncated and clipped to 0...255.
    static func blend(_ degenerate: (Int) -> UInt8, _ img: RGBImage, _ alpha: Float) -> RGBImage {
        if alpha == 1 { return img }
        var out = img.pixels
        for i in 0..<out.count {
            let a = Float(degenerate(i))
            let t = a + alpha * (Float(img.pixels[i]) - a)
            out[i] = t <= 0 ? 0 : t >= 255 ? 255 : UInt8(t)
        }
        return RGBImage(width: img.width, height: img.height, pixels: out)
    }

    /// torchvision `adjust_brightness` (PIL `ImageEnhance.Brightness`): blend with black.
    public static func adjustBrightness(_ img: RGBImage, _ factor: Float) -> RGBImage {
        blend({ _ in 0 }, img, factor)
    }

    /// torchvision `adjust_contrast` (PIL `ImageEnhance.Contrast`): blend with the rounded mean of L.
    public static func adjustContrast(_ img: RGBImage, _ factor: Float) -> RGBImage {
        var sum = 0
        for i in 0..<(img.width * img.height) {
            sum += Int(luma(img.pixels[3 * i], img.pixels[3 * i + 1], img.pixels[3 * i + 2]))
        }
        let mean = UInt8(Int(Double(sum) / Double(max(img.width * img.height, 1)) + 0.5))
        return blend({ _ in mean }, img, factor)
    }

    /// torchvision `adjust_saturation` (PIL `ImageEnhance.Color`): blend with the image's L.
    public static func adjustSaturation(_ img: RGBImage, _ factor: Float) -> RGBImage {
        let gray = grayscale(img)
        return blend({ gray.pixels[$0] }, img, factor)
    }

    /// torchvision `adjust_hue` on a PIL image: RGB -> PIL HSV, hue byte += uint8(int32(f * 255))
    /// (wrapping), HSV -> RGB, with PIL's own conversion arithmetic.
    public static func adjustHue(_ img: RGBImage, _ factor: Double) -> RGBImage {
        let shift = UInt8(truncatingIfNeeded: Int32(factor * 255))
        var out = img.pixels
        for i in 0..<(img.width * img.height) {
            let (h0, s, v) = rgbToHSV(
                img.pixels[3 * i], img.pixels[3 * i + 1], img.pixels[3 * i + 2])
            let h = h0 &+ shift
            (out[3 * i], out[3 * i + 1], out[3 * i + 2]) = hsvToRGB(h, s, v)
        }
        return RGBImage(width: img.width, height: img.height, pixels: out)
    }

    /// Pillow's `rgb2hsv_row`.
    static func rgbToHSV(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> (UInt8, UInt8, UInt8) {
        let maxc = max(r, g, b), minc = min(r, g, b)
        if maxc == minc { return (0, 0, maxc) }
        let cr = Float(maxc - minc)
        let s = cr / Float(maxc)
        let rc = Float(maxc - r) / cr, gc = Float(maxc - g) / cr, bc = Float(maxc - b) / cr
        var h: Float
        if r == maxc {
            h = bc - gc
        } else if g == maxc {
            h = Float(2.0 + Double(rc) - Double(bc))
        } else {
            h = Float(4.0 + Double(gc) - Double(rc))
        }
        h = Float(fmod(Double(h) / 6.0 + 1.0, 1.0))
        func clip8(_ x: Int) -> UInt8 { UInt8(min(max(x, 0), 255)) }
        return (clip8(Int(Double(h) * 255.0)), clip8(Int(Double(s) * 255.0)), maxc)
    }

    /// Pillow's `hsv2rgb`.
    static func hsvToRGB(_ h: UInt8, _ s: UInt8, _ v: UInt8) -> (UInt8, UInt8, UInt8) {
        if s == 0 { return (v, v, v) }
        let i = Int(floor(Double(Float(h)) * 6.0 / 255.0))
        let f = Float(Double(Float(h)) * 6.0 / 255.0 - Double(Float(i)))
        let fs = f * Float(s)
        func clip8(_ x: Double) -> UInt8 { UInt8(min(max(Int(x.rounded()), 0), 255)) }
        let p = clip8(Double(Float(v)) * (1.0 - Double(Float(s)) / 255.0))
        let q = clip8(Double(Float(v)) * (1.0 - Double(fs) / 255.0))
        let t = clip8(Double(Float(v)) * (1.0 - Double(Float(s) - fs) / 255.0))
        switch i % 6 {
        case 0: return (v, t, p)
        case 1: return (q, v, p)
        case 2: return (p, v, t)
        case 3: return (p, q, v)
        case 4: return (t, p, v)
        default: return (v, p, q)
        }
    }
}
