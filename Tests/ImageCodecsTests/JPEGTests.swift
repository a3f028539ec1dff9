import Foundation
@testable import ImageCodecs
import TestSupport
import Testing

@Suite struct JPEGTests {
    let scratch = TemporaryFolder()

    @Test func roundTripAndGrayscale() throws {
        let path = scratch.path + "/rt.jpg"
        var px = [UInt8]()
        for y in 0..<16 { for x in 0..<24 { px += [UInt8(x * 10), UInt8(y * 15), 128] } }
        try JPEG.write(rgb8: px, width: 24, height: 16, quality: 100, to: path)
        let img = try JPEG.read(path)
        #expect(img.width == 24 && img.height == 16 && img.channels == 3)
        // Lossy (4:2:0 chroma): close on average.
        let err = zip(img.samples, px).map { abs(Int($0) - Int($1)) }
        #expect(Double(err.reduce(0, +)) / Double(err.count) < 3)
        let gray = JPEGImage(width: 2, height: 1, channels: 1, samples: [10, 200])
        #expect(gray.rgb.pixels == [10, 10, 10, 200, 200, 200])
    }

    @Test func corruptAndMissingFilesThrow() throws {
        #expect(throws: ImageFileError.self) { try JPEG.read("/nonexistent/x.jpg") }
        do {
            _ = try JPEG.decode([0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 1, 2, 3], name: "bad.jpg")
            Issue.record("expected an error")
        } catch let e as ImageFileError {
            #expect(e.kind == .corrupt && e.file == "bad.jpg")
        }
        do {
            _ = try JPEG.decode(Array("not a jpeg".utf8), name: "text.jpg")
            Issue.record("expected an error")
        } catch let e as ImageFileError {
            #expect(e.kind == .corrupt)
        }
    }
}
