import Foundation
import ImageCodecs
import Tensors

/// Writes the synthetic street scenes to disk in the three real layouts and opens them again
/// with the real loaders: city -> Cityscapes, synth -> Synscapes, bdd -> BDD100K.
public enum SyntheticData {
    /// What to generate.
    public struct Options: Sendable {
        public var out: String
        public var domains: [SceneDomain] = SceneDomain.allCases
        public var train: Int = 64
        public var val: Int = 16
        public var height: Int = 128
        public var width: Int = 256
        public var seed: UInt64 = 0
        /// Also write `sheets/{domain}.png`.
        public var sheet: Bool = false
        /// Scenes per sheet.
        public var sheetScenes: Int = 6

        public init(out: String) { self.out = out }
    }

    /// Progress after each block of scenes: (domain, split, done, total).
    public typealias Progress = (SceneDomain, String, Int, Int) -> Void

    /// The data set root of `domain` under `out`.
    public static func root(_ domain: SceneDomain, out: String) -> String {
        switch domain {
        case .city: Files.join(out, "cityscapes")
        case .synth: Files.join(out, "synscapes")
        case .bdd: Files.join(out, "bdd100k")
        }
    }

    /// Opens the written `split` ("train" or "val") of `domain` with its real loader.
    public static func dataset(_ domain: SceneDomain, out: String, split: String) throws
        -> any SegmentationDataset
    {
        switch domain {
        case .city: try CityscapesDataset(root: root(domain, out: out), split: split)
        case .synth: try SynscapesDataset(root: Files.join(root(domain, out: out), split))
        case .bdd: try BDD100KDataset(root: root(domain, out: out), split: split)
        }
    }

    /// The sample name of scene `index` of `split` in `domain`'s layout.
    public static func sampleName(_ domain: SceneDomain, split: String, index: Int, seed: UInt64)
        -> String
    {
        switch domain {
        case .city:
            let cities =
                split == "train" ? CityscapesDataset.trainCities : CityscapesDataset.valCities
            return CityscapesDataset.sampleName(
                city: cities[index % cities.count], sequence: index / cities.count, frame: 19)
        case .synth:
            return String(index + 1)
        case .bdd:
            // BDD100K-style "xxxxxxxx-xxxxxxxx" names, a pure function of (seed, split, index).
            var rng = RandomSource(seed: seed).split("bdd-name").split(split).split(index)
            let a = rng.nextUInt32(), b = rng.nextUInt32()
            return hex8(a) + "-" + hex8(b)
        }
    }

    /// Generates and writes scene `index` of `split` in `domain`.
    public static func writeScene(
        _ domain: SceneDomain, split: String, index: Int, options o: Options
    ) throws {
        let scene = SceneGenerator.generate(
            domain: domain, split: split, index: index, seed: o.seed, height: o.height,
            width: o.width)
        let name = sampleName(domain, split: split, index: index, seed: o.seed)
        let root = root(domain, out: o.out)
        switch domain {
        case .city:
            try CityscapesDataset.write(
                scene, root: root, split: split, city: String(name.prefix { $0 != "_" }), name: name
            )
        case .synth:
            try SynscapesDataset.write(
                scene, root: Files.join(root, split), index: index + 1,
                sceneInfo: ["seed": String(o.seed), "split": split, "index": String(index)])
        case .bdd:
            try BDD100KDataset.write(scene, root: root, split: split, name: name)
        }
    }

    /// Writes every domain's train and val scenes (and sheets), reporting progress.
    /// Scenes are generated in parallel (`Parallel.threads` workers); the bytes do not depend on it.
    public static func write(_ o: Options, progress: Progress = { _, _, _, _ in }) throws {
        precondition(o.height >= 8 && o.width >= 8, "SyntheticData: size \(o.height)x\(o.width)")
        for domain in o.domains {
            for (split, count) in [("train", o.train), ("val", o.val)] where count > 0 {
                try prepareDirectories(domain, split: split, out: o.out)
                var done = 0
                while done < count {
                    let n = min(64, count - done)
                    var errors = [Error?](repeating: nil, count: n)
                    errors.withUnsafeMutableBufferPointer { errs in
                        let box = UncheckedSendable(errs)
                        Parallel.forEach(n) { k in
                            do {
                                try writeScene(domain, split: split, index: done + k, options: o)
                            } catch { box.value[k] = error }
                        }
                    }
                    if let e = errors.compactMap({ $0 }).first { throw e }
                    done += n
                    progress(domain, split, done, count)
                }
            }
            if o.sheet {
                try Files.makeDirectory(Files.join(o.out, "sheets"))
                let scenes = (0..<o.sheetScenes).map {
                    SceneGenerator.generate(
                        domain: domain, split: "train", index: $0, seed: o.seed, height: o.height,
                        width: o.width)
                }
                let sheet = PictureSheet.make(scenes)
                try PNG.write(
                    rgb8: sheet.pixels, width: sheet.width, height: sheet.height,
                    to: sheetPath(domain, out: o.out))
            }
        }
    }

    /// Creates the folders of `split` up front, so that parallel writers never race on them.
    static func prepareDirectories(_ domain: SceneDomain, split: String, out: String) throws {
        let r = root(domain, out: out)
        switch domain {
        case .city:
            for city in split == "train"
                ? CityscapesDataset.trainCities : CityscapesDataset.valCities
            {
                try Files.makeDirectory(Files.join(r, "leftImg8bit", split, city))
                try Files.makeDirectory(Files.join(r, "gtFine", split, city))
            }
        case .synth:
            for dir in ["img/rgb", "img/class", "img/instance", "meta"] {
                try Files.makeDirectory(Files.join(r, split, dir))
            }
        case .bdd:
            try Files.makeDirectory(Files.join(r, "images", "10k", split))
            try Files.makeDirectory(Files.join(r, "labels", "sem_seg", "masks", split))
        }
    }

    /// Where the picture sheet of `domain` goes.
    public static func sheetPath(_ domain: SceneDomain, out: String) -> String {
        Files.join(out, "sheets", "\(domain.rawValue).png")
    }

    /// Writes the scenes of `options` once under `cacheRoot/key` (into a staging folder, then
    /// renamed, so a half-written set is never reused) and returns that folder; later calls
    /// with the same key reuse it. `options.out` is replaced.
    public static func writeOnce(_ options: Options, cacheRoot: URL, key: String) throws -> String {
        let folder = cacheRoot.appendingPathComponent(key)
        if FileManager.default.fileExists(atPath: folder.path) { return folder.path }
        let pid = ProcessInfo.processInfo.processIdentifier
        let staging = cacheRoot.appendingPathComponent(".staging-\(key)-\(pid)")
        try? FileManager.default.removeItem(at: staging)
        var o = options
        o.out = staging.path
        try write(o)
        do {
            try FileManager.default.moveItem(at: staging, to: folder)
        } catch  where FileManager.default.fileExists(atPath: folder.path) {
            try? FileManager.default.removeItem(at: staging)  // another process finished first
        }
        return folder.path
    }

    static func hex8(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 8 - s.count) + s
    }
}

/// A grid picture of scenes: one row per scene, columns image | label colours | instances.
public enum PictureSheet {
    public static func make(_ scenes: [SyntheticScene], gap: Int = 2) -> RGBImage {
        precondition(!scenes.isEmpty, "PictureSheet: no scenes")
        let w = scenes[0].image.width, h = scenes[0].image.height
        let sheetW = 3 * w + 4 * gap, sheetH = scenes.count * h + (scenes.count + 1) * gap
        var out = RGBImage(width: sheetW, height: sheetH, fill: (255, 255, 255))
        for (r, s) in scenes.enumerated() {
            let tiles = [s.image, Colorize.labelIds(s.labelIds), Colorize.instances(s.instanceIds)]
            for (c, tile) in tiles.enumerated() {
                let x0 = gap + c * (w + gap), y0 = gap + r * (h + gap)
                for y in 0..<h {
                    let dst = 3 * ((y0 + y) * sheetW + x0), src = 3 * y * w
                    out.pixels.replaceSubrange(
                        dst..<(dst + 3 * w), with: tile.pixels[src..<(src + 3 * w)])
                }
            }
        }
        return out
    }
}
