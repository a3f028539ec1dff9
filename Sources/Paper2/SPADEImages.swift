import Data
import ImageCodecs
import Tensors

/// Generated images as files see them (NVlabs/SPADE `util.tensor2im`, spade.md §7.1).
public enum SPADEImages {
    /// (N, 3, H, W) in [-1, 1] -> N RGB images, uint8 = truncate(clip((x + 1) / 2 * 255, 0, 255))
    /// (truncation, not rounding, as SPADE saves its PNGs).
    public static func rgb(_ images: Tensor) -> [RGBImage] {
        let (n, c, h, w) = images.nchw()
        precondition(c == 3, "SPADEImages.rgb: expected 3 channels, got \(images.shape)")
        return (0..<n).map { b in
            var pixels = [UInt8](repeating: 0, count: h * w * 3)
            for ch in 0..<3 {
                let base = (b * 3 + ch) * h * w
                for i in 0..<(h * w) {
                    let v = (images.data[base + i] + 1) / 2 * 255
                    let clipped = v.isNaN ? 0 : min(max(v, 0), 255)
                    pixels[3 * i + ch] = UInt8(clipped.rounded(.towardZero))
                }
            }
            return RGBImage(width: w, height: h, pixels: pixels)
        }
    }
}
