import Foundation
import ImageCodecs

/// Synscapes in its own layout (synscapes.on.liu.se): `img/rgb/{i}.png`, `img/class/{i}.png`
/// (single-channel Cityscapes label ids), `img/instance/{i}.png` (RGB, instance id =
/// R + 256 G + 65536 B, 0 = none) and `meta/{i}.json` (its `instance.class` maps instance ids
/// to label ids). Indices count from 1. Synscapes has no official split: a root holds one set
/// (the synthetic writer makes one root per split).
public struct SynscapesDataset: SegmentationDataset {
    public let root: String
    /// The image indices, ascending.
    public let indices: [Int]
    public var names: [String] { indices.map(String.init) }

    /// Indexes `root/img/rgb/*.png` (or only `indices`); every image needs its class map.
    public init(root: String, indices: [Int]? = nil) throws {
        self.root = root
        let rgb = Files.join(root, "img", "rgb")
        let found = try Files.list(rgb, expected: "{index}.png images").compactMap { f -> Int? in
            f.hasSuffix(".png") ? Int(f.dropLast(4)) : nil
        }.sorted()
        let chosen = indices ?? found
        guard !chosen.isEmpty else { throw DatasetError(rgb, "no {index}.png images found") }
        for i in chosen {
            guard Files.exists(Self.path(root, "img/rgb", i, "png")) else {
                throw DatasetError(Self.path(root, "img/rgb", i, "png"), "missing image \(i)")
            }
            guard Files.exists(Self.path(root, "img/class", i, "png")) else {
                throw DatasetError(
                    Self.path(root, "img/class", i, "png"),
                    "missing class map for image \(Self.path(root, "img/rgb", i, "png"))")
            }
        }
        self.indices = chosen
    }

    public func load(_ position: Int) throws -> LabeledImage {
        let i = indices[position]
        let image = try Files.readImage(Self.path(root, "img/rgb", i, "png"))
        let classPath = Self.path(root, "img/class", i, "png")
        let labelIds = try Files.readMap8(
            classPath, width: image.width, height: image.height, what: "class")
        let trainIds = try Files.trainIds(fromLabelIds: labelIds, path: classPath)
        var instances: InstanceMap? = nil
        let instancePath = Self.path(root, "img/instance", i, "png")
        let metaPath = Self.path(root, "meta", i, "json")
        if Files.exists(instancePath) && Files.exists(metaPath) {
            instances = try Self.cityscapesInstances(instancePath, metaPath, labelIds: labelIds)
        }
        return LabeledImage(
            name: String(i), image: image, trainIds: trainIds, instanceIds: instances)
    }

    static func path(_ root: String, _ dir: String, _ i: Int, _ ext: String) -> String {
        Files.join(root, dir, "\(i).\(ext)")
    }

    /// The Synscapes instance image re-encoded the Cityscapes way: for pixels of an instance
    /// of an instance class, `labelId * 1000 + k` with k the instance's rank (by id) within its
    /// class; elsewhere the pixel's label id.
    static func cityscapesInstances(_ instancePath: String, _ metaPath: String, labelIds: LabelMap)
        throws -> InstanceMap
    {
        let png = try PNG.read(instancePath, layout: .rgb8, what: "instance map")
        guard png.channels == 3 && png.bitDepth == 8 else {
            throw DatasetError(instancePath, "expected an 8-bit RGB instance PNG")
        }
        try Files.checkSize(instancePath, png.width, png.height, labelIds.width, labelIds.height)
        let meta = try SynscapesMeta.read(metaPath)
        let classes = meta.instance.class
        var rank: [Int: Int32] = [:]
        for labelId in Set(classes.values) {
            let ids = classes.filter { $0.value == labelId }.compactMap { Int($0.key) }.sorted()
            for (k, id) in ids.enumerated() { rank[id] = Int32(k) }
        }
        var out = [Int32](repeating: 0, count: labelIds.values.count)
        for p in 0..<out.count {
            let id =
                Int(png.samples8[3 * p]) + 256 * Int(png.samples8[3 * p + 1]) + 65536
                * Int(png.samples8[3 * p + 2])
            let label = labelIds.values[p]
            if id > 0, Cityscapes.hasInstances(label), let k = rank[id],
                classes[String(id)] == Int(label)
            {
                out[p] = Int32(label) * 1000 + k
            } else {
                out[p] = Int32(label)
            }
        }
        return InstanceMap(width: labelIds.width, height: labelIds.height, values: out)
    }

    /// Writes a scene as image `index` (>= 1) under `root`.
    public static func write(
        _ scene: SyntheticScene, root: String, index: Int, sceneInfo: [String: String] = [:]
    ) throws {
        for dir in ["img/rgb", "img/class", "img/instance", "meta"] {
            try Files.makeDirectory(Files.join(root, dir))
        }
        let (w, h) = (scene.image.width, scene.image.height)
        try PNG.write(
            rgb8: scene.image.pixels, width: w, height: h, to: path(root, "img/rgb", index, "png"))
        try PNG.write(
            gray8: scene.labelIds.values, width: w, height: h,
            to: path(root, "img/class", index, "png"))
        // Instance ids 1...n in ascending order of the Cityscapes instance value; 0 elsewhere.
        let order = Array(Set(scene.instanceIds.values.filter { $0 >= 1000 })).sorted()
        var ids: [Int32: Int] = [:]
        for (k, v) in order.enumerated() { ids[v] = k + 1 }
        var rgb = [UInt8](repeating: 0, count: w * h * 3)
        var boxes = [(Int, Int, Int, Int)](
            repeating: (Int.max, Int.max, -1, -1), count: order.count + 1)
        for p in 0..<(w * h) {
            guard let id = ids[scene.instanceIds.values[p]] else { continue }
            rgb[3 * p] = UInt8(id & 255); rgb[3 * p + 1] = UInt8((id >> 8) & 255);
            rgb[3 * p + 2] = UInt8(id >> 16)
            let (x, y) = (p % w, p / w)
            let b = boxes[id]
            boxes[id] = (min(b.0, x), min(b.1, y), max(b.2, x), max(b.3, y))
        }
        try PNG.write(rgb8: rgb, width: w, height: h, to: path(root, "img/instance", index, "png"))
        var classes: [String: Int] = [:], bbox: [String: SynscapesMeta.Box] = [:]
        for (k, v) in order.enumerated() {
            let b = boxes[k + 1]
            classes[String(k + 1)] = Int(v / 1000)
            bbox[String(k + 1)] = SynscapesMeta.Box(
                xmin: Double(b.0) / Double(w), ymin: Double(b.1) / Double(h),
                xmax: Double(b.2 + 1) / Double(w), ymax: Double(b.3 + 1) / Double(h))
        }
        let c = scene.camera
        let meta = SynscapesMeta(
            camera: .init(
                extrinsic: .init(pitch: 0, roll: 0, x: 0, y: 0, yaw: 0, z: Double(c.height)),
                intrinsic: .init(
                    fx: Double(c.focal), fy: Double(c.focal), resx: w, resy: h, u0: Double(c.cx),
                    v0: Double(c.cy))),
            instance: .init(bbox2d: bbox, class: classes),
            scene: sceneInfo.merging([
                "condition": scene.condition, "domain": scene.domain.rawValue,
            ]) { a, _ in a })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try encoder.encode(meta).write(to: URL(fileURLWithPath: path(root, "meta", index, "json")))
    }
}

/// The parts of a Synscapes `meta/{i}.json` this package reads and writes.
public struct SynscapesMeta: Codable, Sendable, Equatable {
    public struct Box: Codable, Sendable, Equatable { public let xmin, ymin, xmax, ymax: Double }
    public struct Extrinsic: Codable, Sendable, Equatable {
        public let pitch, roll, x, y, yaw, z: Double
    }
    public struct Intrinsic: Codable, Sendable, Equatable {
        public let fx, fy: Double
        public let resx, resy: Int
        public let u0, v0: Double
    }
    public struct Camera: Codable, Sendable, Equatable {
        public let extrinsic: Extrinsic; public let intrinsic: Intrinsic
    }
    public struct Instances: Codable, Sendable, Equatable {
        public let bbox2d: [String: Box]?
        public let `class`: [String: Int]
    }
    public let camera: Camera?
    public let instance: Instances
    public let scene: [String: String]?

    static func read(_ path: String) throws -> SynscapesMeta {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw DatasetError(path, "cannot read metadata: \(error.localizedDescription)")
        }
        do { return try JSONDecoder().decode(SynscapesMeta.self, from: data) } catch {
            throw DatasetError(
                path,
                "malformed metadata JSON (expected an \"instance\": {\"class\": {id: labelId}} object): \(error)"
            )
        }
    }
}
