internal import CJPEG
import Foundation

/// A decoded 8-bit JPEG: `channels` is 1 (grayscale) or 3 (RGB), samples interleaved, rows top down.
public struct JPEGImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let channels: Int
    public let samples: [UInt8]

    /// The image as RGB (grayscale replicated, like PIL's `convert("RGB")`).
    public var rgb: RGBImage {
        if channels == 3 { return RGBImage(width: width, height: height, pixels: samples) }
        return RGBImage(width: width, height: height, pixels: samples.flatMap { [$0, $0, $0] })
    }
}

/// JPEG files through libjpeg-turbo (the only Swift file using the CJPEG shim). Errors are
/// `ImageFileError`s naming the file, like the PNG reader's.
public enum JPEG {
    /// Decodes the baseline or progressive JPEG at `path` to 8-bit grayscale or RGB.
    public static func read(_ path: String) throws -> JPEGImage {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ImageFileError(.missingFile, file: path, "no such file")
        }
        return try decoded(path) { image, message in cjpeg_read_file(path, &image, message) }
    }

    /// Decodes JPEG data held in memory; errors name `name`.
    public static func decode(_ bytes: [UInt8], name: String = "<memory>") throws -> JPEGImage {
        try decoded(name) { image, message in cjpeg_decode(bytes, bytes.count, &image, message) }
    }

    /// Writes 8-bit RGB samples as a JPEG of `quality` (1...100).
    public static func write(
        rgb8: [UInt8], width: Int, height: Int, quality: Int = 90, to path: String
    ) throws {
        precondition(
            rgb8.count == width * height * 3 && width > 0 && height > 0,
            "JPEG.write: \(rgb8.count) samples for \(height)x\(width)x3")
        var message = [CChar](repeating: 0, count: 256)
        let status = cjpeg_write_file(
            path, rgb8, Int32(width), Int32(height), 3, Int32(quality), &message)
        guard status == Int32(CJPEG_OK) else {
            throw ImageFileError(.io, file: path, "cannot write JPEG: \(text(message))")
        }
    }

    private static func decoded(
        _ name: String, _ run: (inout cjpeg_image, UnsafeMutablePointer<CChar>) -> Int32
    ) throws -> JPEGImage {
        var image = cjpeg_image()
        var message = [CChar](repeating: 0, count: 256)
        let status = message.withUnsafeMutableBufferPointer { run(&image, $0.baseAddress!) }
        defer { cjpeg_free(&image) }
        switch Int(status) {
        case Int(CJPEG_OK): break
        case Int(CJPEG_IO): throw ImageFileError(.io, file: name, text(message))
        case Int(CJPEG_UNSUPPORTED): throw ImageFileError(.wrongFormat, file: name, text(message))
        default:
            throw ImageFileError(
                .corrupt, file: name,
                "JPEG is not readable (corrupt or not a JPEG): \(text(message))")
        }
        let count = Int(image.width) * Int(image.height) * Int(image.channels)
        return JPEGImage(
            width: Int(image.width), height: Int(image.height), channels: Int(image.channels),
            samples: Array(UnsafeBufferPointer(start: image.samples, count: count)))
    }

    private static func text(_ message: [CChar]) -> String {
        String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
