import Foundation
import ImageCodecs
import TestSupport
import Testing

/// Test patterns shared with the Pillow scripts below: sample (x, y, c) of a w x h image.
func pattern8(_ w: Int, _ h: Int, _ c: Int) -> [UInt8] {
    (0..<(w * h * c)).map { i in UInt8((i / c % w * 7 + i / c / w * 13 + i % c * 29) % 256) }
}

func pattern16(_ w: Int, _ h: Int) -> [UInt16] {
    (0..<(w * h)).map { i in UInt16((i % w * 2311 + i / w * 4099) % 65536) }
}

@Suite struct PNGTests {
    let scratch = TemporaryFolder()

    @Test func roundTripsAreExact() throws {
        let dir = scratch.path
        let gray = pattern8(5, 3, 1)
        try PNG.write(gray8: gray, width: 5, height: 3, to: dir + "/g8.png")
        #expect(
            try PNG.read(dir + "/g8.png")
                == PNGImage(width: 5, height: 3, channels: 1, samples8: gray))

        var labels = pattern16(7, 4)
        labels[0] = 0
        labels[1] = 65535
        labels[2] = 256
        labels[3] = 1
        try PNG.write(gray16: labels, width: 7, height: 4, to: dir + "/g16.png")
        let read16 = try PNG.read(dir + "/g16.png")
        #expect(read16.bitDepth == 16 && read16.samples8.isEmpty)
        #expect(read16.samples16 == labels, "16-bit samples are bit-exact")

        let rgb = pattern8(3, 6, 3)
        try PNG.write(rgb8: rgb, width: 3, height: 6, to: dir + "/rgb.png")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/rgb.png")))
        #expect(try PNG.decode(bytes) == PNGImage(width: 3, height: 6, channels: 3, samples8: rgb))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == [
                "g16.png", "g8.png", "rgb.png",
            ])
    }

    @Test func damagedFilesThrowErrorsNamingTheFile() throws {
        let dir = scratch.path
        try PNG.write(rgb8: pattern8(16, 16, 3), width: 16, height: 16, to: dir + "/ok.png")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/ok.png"))

        func error(_ path: String) -> ImageFileError? {
            do { _ = try PNG.read(path) } catch let e as ImageFileError { return e } catch {
                return nil
            }
            return nil
        }
        #expect(error(dir + "/absent.png")?.kind == .missingFile)

        try Data("GIF89a, not a png".utf8).write(to: URL(fileURLWithPath: dir + "/text.png"))
        #expect(error(dir + "/text.png")?.kind == .wrongFormat)
        #expect(error(dir + "/text.png")?.description.hasPrefix(dir + "/text.png: ") == true)

        for cut in [9, 40, bytes.count / 2, bytes.count - 13] {
            try bytes.prefix(cut).write(to: URL(fileURLWithPath: dir + "/cut.png"))
            let e = error(dir + "/cut.png")
            #expect(e?.kind == .corrupt, "cut at \(cut): \(String(describing: e))")
            #expect(e?.file == dir + "/cut.png")
        }
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0xff  // inside IDAT: CRC or zlib error
        try flipped.write(to: URL(fileURLWithPath: dir + "/flip.png"))
        #expect(error(dir + "/flip.png")?.kind == .corrupt)
        #expect(throws: ImageFileError.self) { try PNG.decode(Array(bytes.prefix(100))) }
    }

    /// Pillow reads Swift's gray8 / gray16 / RGB files; Swift reads Pillow's 16-bit gray, RGBA,
    /// palette, gray+alpha and 1-bit files as documented (alpha dropped, palette expanded).
    @Test func pillowInterop() throws {
        let dir = scratch.path
        try PNG.write(gray8: pattern8(5, 3, 1), width: 5, height: 3, to: dir + "/g8.png")
        try PNG.write(gray16: pattern16(7, 4), width: 7, height: 4, to: dir + "/g16.png")
        try PNG.write(rgb8: pattern8(3, 6, 3), width: 3, height: 6, to: dir + "/rgb.png")
        guard
            let python = python(importing: ["PIL", "numpy"], packages: "python3-pil python3-numpy")
        else { return }
        let script = """
            import sys, numpy as np
            from PIL import Image
            d = sys.argv[1]
            def p8(w, h, c):
                y, x, k = np.meshgrid(np.arange(h), np.arange(w), np.arange(c), indexing="ij")
                return ((x * 7 + y * 13 + k * 29) % 256).astype(np.uint8)
            def p16(w, h):
                y, x = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
                return ((x * 2311 + y * 4099) % 65536).astype(np.uint16)
            g8 = Image.open(d + "/g8.png"); assert g8.mode == "L", g8.mode
            assert (np.array(g8) == p8(5, 3, 1)[:, :, 0]).all()
            g16 = Image.open(d + "/g16.png"); assert g16.mode in ("I;16", "I"), g16.mode
            assert (np.array(g16).astype(np.int64) == p16(7, 4)).all()
            rgb = Image.open(d + "/rgb.png"); assert rgb.mode == "RGB", rgb.mode
            assert (np.array(rgb) == p8(3, 6, 3)).all()
            Image.fromarray(p16(6, 5)).save(d + "/pil16.png")
            rgba = p8(4, 3, 4); Image.fromarray(rgba, "RGBA").save(d + "/pilrgba.png")
            Image.fromarray(p8(4, 3, 2), "LA").save(d + "/pilla.png")
            pal = Image.new("P", (4, 2)); pal.putpalette([i % 256 for i in range(0, 768 * 3, 3)])
            pal.putdata([0, 1, 2, 3, 100, 101, 102, 255]); pal.save(d + "/pilpal.png")
            Image.fromarray(np.array([[0, 1, 1], [1, 0, 0]], dtype=bool)).save(d + "/pil1.png")
            print("ok")
            """
        let result = try run(python, ["-c", script, dir])
        #expect(result.status == 0 && result.output == "ok\n", "\(result.output)")

        #expect(
            try PNG.read(dir + "/pil16.png")
                == PNGImage(width: 6, height: 5, channels: 1, samples16: pattern16(6, 5)))
        let rgba = pattern8(4, 3, 4)
        let rgb = (0..<rgba.count).filter { $0 % 4 != 3 }.map { rgba[$0] }
        #expect(
            try PNG.read(dir + "/pilrgba.png")
                == PNGImage(width: 4, height: 3, channels: 3, samples8: rgb))
        let la = pattern8(4, 3, 2)
        let gray = (0..<la.count).filter { $0 % 2 == 0 }.map { la[$0] }
        #expect(
            try PNG.read(dir + "/pilla.png")
                == PNGImage(width: 4, height: 3, channels: 1, samples8: gray))
        let palette = try PNG.read(dir + "/pilpal.png")
        let indices: [Int] = [0, 1, 2, 3, 100, 101, 102, 255]
        #expect(
            palette
                == PNGImage(
                    width: 4, height: 2, channels: 3,
                    samples8: indices.flatMap { i in
                        (0..<3).map { UInt8((i * 9 + $0 * 3) % 256) }
                    }))
        #expect(
            try PNG.read(dir + "/pil1.png")
                == PNGImage(width: 3, height: 2, channels: 1, samples8: [0, 255, 255, 255, 0, 0]))
    }
}
