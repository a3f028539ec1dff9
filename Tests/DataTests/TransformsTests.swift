import ImageCodecs
import Testing
@testable import Data

/// Goldens from Pillow 13.0 (see the Python snippets); images from the formula in `testImage`.
@Suite struct TransformsTests {
    /// `((i*i*7 + i*13 + 5) % 256)` over the flattened HWC bytes.
    static func testImage(_ w: Int, _ h: Int) -> RGBImage {
        let bytes: [UInt8] = (0..<(w * h * 3)).map { (i: Int) -> UInt8 in
            let v: Int = i * i * 7 + i * 13 + 5
            return UInt8(v % 256)
        }
        return RGBImage(width: w, height: h, pixels: bytes)
    }

    /// (sum, sum of value * (index + 1)) over all bytes.
    static func checksum(_ bytes: [UInt8]) -> (Int, Int) {
        var s = 0, t = 0
        for (i, b) in bytes.enumerated() { s += Int(b); t += Int(b) * (i + 1) }
        return (s, t)
    }

    // a = Image.fromarray(img(23, 17)); a.resize((w, h), Image.BICUBIC) -> checksum
    @Test func bicubicMatchesPillow() {
        let a = Self.testImage(23, 17)
        #expect(Self.checksum(Resize.bicubic(a, width: 9, height: 7).pixels) == (24247, 2_303_142))
        #expect(
            Self.checksum(Resize.bicubic(a, width: 40, height: 31).pixels) == (476_208, 882_915_771)
        )
        #expect(
            Self.checksum(Resize.bicubic(a, width: 23, height: 40).pixels) == (353_150, 485_809_451)
        )
        #expect(Resize.bicubic(a, width: 23, height: 17) == a)
    }

    // ImageEnhance.Brightness/Contrast/Color(a).enhance(f); hue via torchvision's adjust_hue recipe;
    // a.convert("L").
    @Test func colorOpsMatchPillow() {
        let a = Self.testImage(23, 17)
        #expect(
            Self.checksum(Photometric.adjustBrightness(a, 1.234).pixels) == (178_170, 104_326_498))
        #expect(
            Self.checksum(Photometric.adjustContrast(a, 0.8731).pixels) == (149_575, 87_574_872))
        #expect(Self.checksum(Photometric.adjustSaturation(a, 1.4).pixels) == (149_500, 87_544_390))
        #expect(Self.checksum(Photometric.adjustHue(a, -0.0371).pixels) == (150_467, 88_036_469))
        let gray = Photometric.grayscale(a).pixels.enumerated().filter { $0.offset % 3 == 0 }.map(
            \.element)
        #expect(Self.checksum(gray) == (49949, 9_749_553))
    }

    /// OpenCV's 5x5 kernel for sigma 0 is (1 4 6 4 1)/16 per axis: an impulse of 255 gives
    /// round(255 * k_i * k_j / 256) around it, and a constant image stays constant.
    @Test func blurImpulseResponse() {
        var img = RGBImage(width: 9, height: 9)
        img.pixels[3 * (4 * 9 + 4)] = 255
        let out = Photometric.gaussianBlur5(img)
        let k = [1, 4, 6, 4, 1]
        for dy in -2...2 {
            for dx in -2...2 {
                #expect(Int(out[4 + dx, 4 + dy].0) == (255 * k[dy + 2] * k[dx + 2] + 128) >> 8)
            }
        }
        #expect(out[0, 0].0 == 0 && out[4, 4].1 == 0)
        let flat = RGBImage(width: 7, height: 5, fill: (10, 200, 77))
        #expect(Photometric.gaussianBlur5(flat) == flat)
    }

    /// cv2 INTER_NEAREST picks floor(x * in / out).
    @Test func nearestLikeOpenCV() {
        let m = LabelMap(width: 4, height: 2, values: [0, 1, 2, 3, 4, 5, 6, 7])
        #expect(
            Resize.nearest(m, width: 6, height: 3).values == [
                0, 0, 1, 2, 2, 3, 0, 0, 1, 2, 2, 3, 4, 4, 5, 6, 6, 7,
            ])
        #expect(Resize.nearest(m, width: 2, height: 1).values == [0, 2])
    }

    @Test func scaledSizeRoundsLikeCAC() {
        #expect(Resize.scaledSize(width: 2048, height: 1024, longSide: 1638) == (1638, 819))
        #expect(Resize.scaledSize(width: 500, height: 375, longSide: 321) == (321, 241))
        #expect(Resize.scaledSize(width: 375, height: 500, longSide: 321) == (241, 321))
    }

    @Test func flipAndPad() {
        let m = LabelMap(width: 3, height: 1, values: [1, 2, 3])
        #expect(Photometric.flipHorizontal(m).values == [3, 2, 1])
        let p = ImageOps.pad(m, toWidth: 4, height: 2, value: 255)
        #expect(p.values == [1, 2, 3, 255, 255, 255, 255, 255])
        let img = ImageOps.pad(
            RGBImage(width: 1, height: 1, fill: (1, 2, 3)), toWidth: 2, height: 1)
        #expect(img.pixels == [1, 2, 3, 124, 116, 104])
    }

    /// Normalize(ToTensor(x)): (x / 255 - mean) / std per channel, NCHW.
    @Test func normalisationLayout() {
        let img = RGBImage(width: 2, height: 1, pixels: [0, 255, 128, 255, 0, 64])
        let t = ImageOps.normalizedBatch([img])
        #expect(t.shape == [1, 3, 1, 2])
        #expect(abs(t.data[0] - (0 - 0.485) / 0.229) < 1e-6)
        #expect(abs(t.data[1] - (1 - 0.485) / 0.229) < 1e-6)
        #expect(abs(t.data[2] - (1 - 0.456) / 0.224) < 1e-6)
        #expect(abs(t.data[5] - (64.0 / 255 - 0.406) / 0.225) < 1e-6)
    }
}
