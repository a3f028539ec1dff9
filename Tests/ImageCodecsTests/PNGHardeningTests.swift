import Foundation
import ImageCodecs
import TestSupport
import Testing

/// Damaged and mislabelled PNGs: rewritten headers (valid CRCs), trailing data, layouts a map
/// may not have, declared sizes the stream cannot hold, truncations and bit flips.
@Suite struct PNGHardeningTests {
    let scratch = TemporaryFolder()

    /// The PNG chunk CRC (CRC-32, polynomial 0xEDB88320) of `bytes`.
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// `png` with IHDR byte `offset` (0 = first byte of width) set to `value`, CRC fixed.
    static func rewritingHeader(_ png: [UInt8], _ changes: [(offset: Int, value: UInt8)]) -> [UInt8]
    {
        var out = png
        for change in changes { out[16 + change.offset] = change.value }
        let crc = crc32(out[12..<29])
        for i in 0..<4 { out[29 + i] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * UInt32(i))) }
        return out
    }

    func file(_ name: String, _ write: (String) throws -> Void) throws -> [UInt8] {
        let path = scratch.path + "/" + name
        try write(path)
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func save(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = scratch.path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func instanceMapWithARewrittenBitDepthIsAnError() throws {
        let png = try file("inst.png") {
            try PNG.write(gray16: (0..<64).map { UInt16($0 * 1000) }, width: 8, height: 8, to: $0)
        }
        let path = try save(Self.rewritingHeader(png, [(8, 8)]), "inst8.png")
        let error = #expect(throws: ImageFileError.self) {
            try PNG.read(path, layout: .gray16, what: "instance-id map")
        }
        #expect(error?.file == path)
        #expect(throws: ImageFileError.self) { try PNG.read(path) }  // libpng's warning is an error
    }

    @Test func trailingDataAfterIENDIsAnError() throws {
        let png = try file("g.png") {
            try PNG.write(gray8: [1, 2, 3, 4], width: 2, height: 2, to: $0)
        }
        let path = try save(png + [0, 0, 0, 0, 73, 69, 78, 68], "trailing.png")
        let error = #expect(throws: ImageFileError.self) { try PNG.read(path) }
        #expect(error?.kind == .corrupt && error?.file == path)
        #expect(error?.description.contains("IEND") == true)
        #expect(throws: ImageFileError.self) { try PNG.decode(png + [1]) }
    }

    @Test func mapsMustHaveTheirLayoutsColourTypeAndDepth() throws {
        let gray8 = try save(
            try file("a.png") { try PNG.write(gray8: [1, 2], width: 2, height: 1, to: $0) },
            "a8.png")
        let rgb = try save(
            try file("b.png") {
                try PNG.write(rgb8: [1, 2, 3, 4, 5, 6], width: 2, height: 1, to: $0)
            },
            "rgb.png")
        #expect(try PNG.read(gray8, layout: .gray8, what: "label map").samples8 == [1, 2])
        for (path, layout) in [(gray8, PNGLayout.gray16), (gray8, .rgb8), (rgb, .gray8)] {
            let error = #expect(throws: ImageFileError.self) {
                try PNG.read(path, layout: layout, what: "label map")
            }
            #expect(error?.kind == .wrongFormat && error?.file == path)
            #expect(
                error?.description.contains("label map must be stored as \(layout) PNG") == true)
        }
        // gray+alpha (colour type 4) decodes as gray but is not a label map
        let png = try file("c.png") { try PNG.write(gray8: [9, 9], width: 2, height: 1, to: $0) }
        let alpha = try save(Self.rewritingHeader(png, [(9, 4)]), "alpha.png")
        #expect(throws: ImageFileError.self) {
            try PNG.read(alpha, layout: .gray8, what: "label map")
        }
    }

    @Test func declaredSizesTheStreamCannotHoldAreRefused() throws {
        let png = try file("d.png") { try PNG.write(gray8: [7], width: 1, height: 1, to: $0) }
        // 1,000,000 x 1,000,000 pixels (libpng's own limit) in a 70-byte file
        let huge = Self.rewritingHeader(
            png, [(1, 0x0f), (2, 0x42), (3, 0x40), (5, 0x0f), (6, 0x42), (7, 0x40)])
        let error = #expect(throws: ImageFileError.self) { try PNG.decode(huge, name: "huge.png") }
        #expect(error?.file == "huge.png")
    }

    @Test func truncationsAndBitFlipsNeverCrash() throws {
        let png = try file("e.png") {
            try PNG.write(gray16: (0..<48).map { UInt16($0 * 977) }, width: 8, height: 6, to: $0)
        }
        var failures = 0
        for length in 0..<png.count {
            do { _ = try PNG.decode(Array(png.prefix(length))) } catch is ImageFileError {
                failures += 1
            }
        }
        #expect(failures == png.count, "every truncation is an error")
        for position in 0..<png.count {
            for bit in [0, 3, 7] {
                var damaged = png
                damaged[position] ^= 1 << bit
                do {
                    let image = try PNG.decode(damaged)
                    #expect(
                        image.samples16.count + image.samples8.count == image.width * image.height
                            * image.channels)
                } catch is ImageFileError {}
            }
        }
    }
}
