import Foundation
import ImageCodecs

/// A data set that is missing or malformed: names the path and what was expected there.
public struct DatasetError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let problem: String

    public init(_ path: String, _ problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}

/// One image with its labels, as a loader returns it.
public struct LabeledImage: Sendable, Equatable {
    /// The sample's name in its data set (file stem, e.g. "aachen_000000_000019").
    public let name: String
    public let image: RGBImage
    /// Train ids 0...18, 255 = ignore (mapped through `Cityscapes` for label-id data sets).
    public let trainIds: LabelMap
    /// Cityscapes-encoded instance ids, when the data set has them.
    public let instanceIds: InstanceMap?
}

/// A segmentation data set on disk in one of the supported layouts.
public protocol SegmentationDataset: Sendable {
    /// Sample names in loading order (sorted, so the order is the same on every machine).
    var names: [String] { get }
    /// Loads sample `index` (0..<count).
    func load(_ index: Int) throws -> LabeledImage
}

extension SegmentationDataset {
    public var count: Int { names.count }
}

/// File helpers shared by the layouts.
enum Files {
    static func join(_ parts: String...) -> String { parts.joined(separator: "/") }

    static func isDirectory(_ path: String) -> Bool {
        var dir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &dir) && dir.boolValue
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// Sorted entries of a directory that must exist (`expected` says what should be in it).
    static func list(_ path: String, expected: String) throws -> [String] {
        guard isDirectory(path) else {
            throw DatasetError(path, "missing folder; expected \(expected)")
        }
        return try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    static func makeDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Reads an 8-bit RGB image from a PNG or JPEG file (gray is replicated, alpha dropped).
    static func readImage(_ path: String) throws -> RGBImage {
        if path.hasSuffix(".jpg") || path.hasSuffix(".jpeg") { return try JPEG.read(path).rgb }
        let png = try PNG.read(path)
        guard png.bitDepth == 8 else {
            throw DatasetError(path, "expected an 8-bit image, found \(png.bitDepth)-bit")
        }
        if png.channels == 3 {
            return RGBImage(width: png.width, height: png.height, pixels: png.samples8)
        }
        return RGBImage(
            width: png.width, height: png.height, pixels: png.samples8.flatMap { [$0, $0, $0] })
    }

    /// Reads a single-channel 8-bit map of `width` x `height`.
    static func readMap8(_ path: String, width: Int, height: Int, what: String) throws -> LabelMap {
        let png = try PNG.read(path, layout: .gray8, what: "\(what) map")
        guard png.channels == 1 && png.bitDepth == 8 else {
            throw DatasetError(
                path,
                "expected a single-channel 8-bit \(what) PNG, found \(png.channels) channel(s) at \(png.bitDepth) bits"
            )
        }
        try checkSize(path, png.width, png.height, width, height)
        return LabelMap(width: png.width, height: png.height, values: png.samples8)
    }

    static func checkSize(_ path: String, _ w: Int, _ h: Int, _ ew: Int, _ eh: Int) throws {
        guard w == ew && h == eh else {
            throw DatasetError(path, "size \(w)x\(h) does not match its image (\(ew)x\(eh))")
        }
    }

    /// Label ids -> train ids; an id outside the 34 Cityscapes ids is an error naming the pixel.
    static func trainIds(fromLabelIds map: LabelMap, path: String) throws -> LabelMap {
        if let i = map.values.firstIndex(where: { !Cityscapes.isValidLabelId($0) }) {
            throw DatasetError(
                path,
                "unknown label id \(map.values[i]) at (x \(i % map.width), y \(i / map.width)); expected Cityscapes ids 0...33"
            )
        }
        return map.map { Cityscapes.trainIdOfLabelId[Int($0)] }
    }
}
