internal import CPNG
import FileIO
import Foundation

/// A decoded PNG: `height` rows of `width` pixels of `channels` samples (1 gray, 3 RGB),
/// interleaved (HWC). 8-bit images fill `samples8`, 16-bit ones `samples16`; the other is empty.
public struct PNGImage: Equatable, Sendable {
    public var width: Int
    public var height: Int
    /// 1 (gray) or 3 (RGB).
    public var channels: Int
    /// 8 or 16.
    public var bitDepth: Int
    public var samples8: [UInt8]
    public var samples16: [UInt16]

    /// An 8-bit image.
    public init(width: Int, height: Int, channels: Int, samples8: [UInt8]) {
        precondition(
            samples8.count == width * height * channels && (channels == 1 || channels == 3),
            "PNGImage: \(samples8.count) samples for \(width)x\(height)x\(channels)")
        self.width = width
        self.height = height
        self.channels = channels
        self.bitDepth = 8
        self.samples8 = samples8
        self.samples16 = []
    }

    /// A 16-bit image.
    public init(width: Int, height: Int, channels: Int, samples16: [UInt16]) {
        precondition(
            samples16.count == width * height * channels && (channels == 1 || channels == 3),
            "PNGImage: \(samples16.count) samples for \(width)x\(height)x\(channels)")
        self.width = width
        self.height = height
        self.channels = channels
        self.bitDepth = 16
        self.samples8 = []
        self.samples16 = samples16
    }
}

/// How a label or instance map must be stored: the IHDR colour type and bit depth exactly.
public enum PNGLayout: Sendable, CustomStringConvertible {
    /// Colour type 0 (gray), 8 bits (label-id and train-id maps).
    case gray8
    /// Colour type 0 (gray), 16 bits (Cityscapes instance-id maps).
    case gray16
    /// Colour type 2 (RGB), 8 bits per sample (Synscapes instance maps).
    case rgb8

    var stored: (colorType: Int32, bitDepth: Int32) {
        switch self {
        case .gray8: (0, 8)
        case .gray16: (0, 16)
        case .rgb8: (2, 8)
        }
    }

    public var description: String {
        switch self {
        case .gray8: "8-bit grayscale"
        case .gray16: "16-bit grayscale"
        case .rgb8: "8-bit RGB"
        }
    }
}

/// PNG files through libpng (the only Swift file using the CPNG shim). Reading expands palette
/// images to RGB and gray below 8 bits to 8 bits, drops alpha (RGBA reads as RGB, gray+alpha
/// as gray) and keeps 16-bit samples bit-exact; nothing is gamma- or colour-converted, so
/// label and instance maps survive exactly (unlike Pillow's `convert` or libpng's simplified
/// API). A libpng warning or data after IEND is an error: such a file is damaged. Maps are read
/// with `read(_:layout:what:)`, which refuses any other stored colour type or bit depth.
/// Writing is atomic: a temporary file next to the destination, then a rename.
public enum PNG {
    /// Decodes the PNG file at `path` (PIL `Image.open(path)` without conversion).
    public static func read(_ path: String) throws -> PNGImage {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ImageFileError(.missingFile, file: path, "no such file")
        }
        return try decoded(path, nil, "") { image, message in
            cpng_read_file(path, &image, message)
        }
    }

    /// Decodes the map at `path` (a `what`, e.g. "instance-id map"), which must be stored
    /// exactly as `layout` (no palette, alpha, other depth); otherwise an error naming the file.
    public static func read(_ path: String, layout: PNGLayout, what: String) throws -> PNGImage {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ImageFileError(.missingFile, file: path, "no such file")
        }
        return try decoded(path, layout, what) { image, message in
            cpng_read_file(path, &image, message)
        }
    }

    /// Decodes PNG data held in memory; errors name `name`.
    public static func decode(_ bytes: [UInt8], name: String = "<memory>") throws -> PNGImage {
        try decoded(name, nil, "") { image, message in
            cpng_decode(bytes, bytes.count, &image, message)
        }
    }

    /// Decodes PNG data held in memory that must be stored as `layout`; errors name `name`.
    public static func decode(_ bytes: [UInt8], name: String, layout: PNGLayout, what: String)
        throws -> PNGImage
    {
        try decoded(name, layout, what) { image, message in
            cpng_decode(bytes, bytes.count, &image, message)
        }
    }

    /// Writes an 8-bit grayscale image of `height` rows of `width` samples.
    public static func write(gray8: [UInt8], width: Int, height: Int, to path: String) throws {
        try write(PNGImage(width: width, height: height, channels: 1, samples8: gray8), to: path)
    }

    /// Writes a 16-bit grayscale image (label and instance maps), bit-exact.
    public static func write(gray16: [UInt16], width: Int, height: Int, to path: String) throws {
        try write(PNGImage(width: width, height: height, channels: 1, samples16: gray16), to: path)
    }

    /// Writes an 8-bit RGB image of interleaved (HWC) samples.
    public static func write(rgb8: [UInt8], width: Int, height: Int, to path: String) throws {
        try write(PNGImage(width: width, height: height, channels: 3, samples8: rgb8), to: path)
    }

    /// Writes `image` to `path` atomically.
    public static func write(_ image: PNGImage, to path: String) throws {
        precondition(
            image.width > 0 && image.height > 0,
            "PNG.write: empty image \(image.width)x\(image.height)")
        let temporary = AtomicFile.temporaryPath(for: path)
        var message = [CChar](repeating: 0, count: 256)
        let status =
            image.bitDepth == 16
            ? image.samples16.withUnsafeBytes {
                cpng_write_file(
                    temporary, $0.baseAddress, Int32(image.width), Int32(image.height),
                    Int32(image.channels), 16, &message)
            }
            : image.samples8.withUnsafeBytes {
                cpng_write_file(
                    temporary, $0.baseAddress, Int32(image.width), Int32(image.height),
                    Int32(image.channels), 8, &message)
            }
        guard status == Int32(CPNG_OK) else {
            unlink(temporary)
            throw ImageFileError(.io, file: path, "cannot write PNG: \(text(message))")
        }
        try AtomicFile.commit(temporary, to: path)
    }

    /// Runs a CPNG decoder and turns its result into an image or an ImageFileError naming `name`.
    private static func decoded(
        _ name: String, _ layout: PNGLayout?, _ what: String,
        _ run: (inout cpng_image, UnsafeMutablePointer<CChar>) -> Int32
    ) throws -> PNGImage {
        var image = cpng_image()
        var message = [CChar](repeating: 0, count: 256)
        let status = message.withUnsafeMutableBufferPointer { run(&image, $0.baseAddress!) }
        defer { cpng_free(&image) }
        switch Int(status) {
        case Int(CPNG_OK): break
        case Int(CPNG_IO): throw ImageFileError(.io, file: name, text(message))
        case Int(CPNG_NOT_PNG): throw ImageFileError(.wrongFormat, file: name, text(message))
        case Int(CPNG_UNSUPPORTED): throw ImageFileError(.wrongFormat, file: name, text(message))
        default:
            throw ImageFileError(
                .corrupt, file: name, "PNG is truncated or corrupt: \(text(message))")
        }
        if let layout, layout.stored != (image.stored_color_type, image.stored_bit_depth) {
            throw ImageFileError(
                .wrongFormat, file: name,
                "\(what) must be stored as \(layout) PNG; this one is stored as colour type "
                    + "\(image.stored_color_type) (\(colorTypeName(image.stored_color_type))) "
                    + "at \(image.stored_bit_depth) bits")
        }
        let (w, h, c) = (Int(image.width), Int(image.height), Int(image.channels))
        let count = w * h * c
        let raw = UnsafeRawBufferPointer(start: image.samples, count: image.size)
        if image.bit_depth == 16 {
            let samples = [UInt16](unsafeUninitializedCapacity: count) { buffer, n in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
                n = count
            }
            return PNGImage(width: w, height: h, channels: c, samples16: samples)
        }
        return PNGImage(width: w, height: h, channels: c, samples8: Array(raw))
    }

    private static func text(_ message: [CChar]) -> String { cBufferString(message) }

    private static func colorTypeName(_ type: Int32) -> String {
        switch type {
        case 0: "gray"
        case 2: "RGB"
        case 3: "palette"
        case 4: "gray+alpha"
        case 6: "RGBA"
        default: "unknown"
        }
    }
}
