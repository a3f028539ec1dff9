import Data
import Foundation
import ImageCodecs
import Storage

/// A set of RGB images for FID: a folder of PNG/JPEG files (sorted by name, as pytorch-fid
/// globs them) or images in memory. Images are read one at a time, on demand.
public struct ImageSet: Sendable {
    /// The folder, or the caller's name for an in-memory set (named in errors).
    public let name: String
    /// The file of each image (full paths), or "name[i]" in memory.
    public let items: [String]
    private let loaded: [RGBImage]?

    /// The image files of `folder` (`.png`, `.jpg`, `.jpeg`, any case), sorted by name.
    public init(folder: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory),
            isDirectory.boolValue
        else { throw MetricsError(folder, "no such folder of images") }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
            .filter { f in [".png", ".jpg", ".jpeg"].contains { f.lowercased().hasSuffix($0) } }
        name = folder
        items = files.map { "\(folder)/\($0)" }
        loaded = nil
    }

    /// Images in memory, named `name` in errors.
    public init(name: String, images: [RGBImage]) {
        self.name = name
        items = images.indices.map { "\(name)[\($0)]" }
        loaded = images
    }

    public var count: Int { items.count }

    /// Image `index`, read from its file for a folder (8-bit PNG: gray, gray+alpha, RGB or
    /// RGBA, converted to RGB as PIL's `convert("RGB")`; or JPEG).
    public func image(_ index: Int) throws -> RGBImage {
        if let loaded { return loaded[index] }
        let path = items[index]
        let lower = path.lowercased()
        if lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg") { return try JPEG.read(path).rgb }
        let png = try PNG.read(path)
        guard png.bitDepth == 8 else {
            throw MetricsError(path, "expected an 8-bit image, found \(png.bitDepth)-bit samples")
        }
        let c = png.channels
        let s = png.samples8
        guard (1...4).contains(c) else {
            throw MetricsError(path, "unsupported PNG with \(c) channels")
        }
        if c == 3 { return RGBImage(width: png.width, height: png.height, pixels: s) }
        // Gray (+ alpha) is replicated, alpha dropped.
        let rgbOffsets: [Int] = c <= 2 ? [0, 0, 0] : [0, 1, 2]
        var pixels = [UInt8]()
        pixels.reserveCapacity(png.width * png.height * 3)
        for base in stride(from: 0, to: s.count, by: c) {
            for o in rgbOffsets { pixels.append(s[base + o]) }
        }
        return RGBImage(width: png.width, height: png.height, pixels: pixels)
    }

    /// The size of image `index` (read from its file for a folder).
    public func size(_ index: Int) throws -> ImageSize {
        let img = try image(index)
        return ImageSize(width: img.width, height: img.height)
    }

    /// Throws unless `image` (item `index`) has the size of the set's first image, `first`.
    func checkSize(_ image: RGBImage, _ index: Int, first: ImageSize) throws {
        guard image.width == first.width && image.height == first.height else {
            throw MetricsError(
                items[index],
                "is \(image.width)x\(image.height) but \(items[0]) is "
                    + "\(first.width)x\(first.height): the images of a set must share one size")
        }
    }
}

/// Width x height of an image.
public struct ImageSize: Sendable, Equatable {
    public let width: Int
    public let height: Int
}
