import Foundation
import ImageCodecs
import TestSupport
import Testing
@testable import Data

@Suite struct DatasetsTests {
    let scratch = TemporaryFolder()

    /// A fresh folder inside this test's temporary folder (removed when the test ends).
    func tempDir(_ tag: String) -> String {
        let dir = scratch.path + "/" + tag
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func options(_ out: String) -> SyntheticData.Options {
        var o = SyntheticData.Options(out: out)
        (o.train, o.val, o.height, o.width, o.seed) = (3, 2, 24, 48, 9)
        return o
    }

    /// The loaders read back exactly what the writers wrote, in all three layouts.
    @Test(arguments: SceneDomain.allCases) func loadersReadWhatWritersWrote(_ d: SceneDomain) throws
    {
        let out = tempDir("roundtrip")
        defer { try? FileManager.default.removeItem(atPath: out) }
        var o = Self.options(out)
        o.domains = [d]
        o.sheet = true
        try SyntheticData.write(o)
        #expect(FileManager.default.fileExists(atPath: SyntheticData.sheetPath(d, out: out)))
        for (split, count) in [("train", 3), ("val", 2)] {
            let ds = try SyntheticData.dataset(d, out: out, split: split)
            #expect(ds.count == count)
            var expected: [String: SyntheticScene] = [:]
            for i in 0..<count {
                let name = SyntheticData.sampleName(d, split: split, index: i, seed: o.seed)
                expected[name] = SceneGenerator.generate(
                    domain: d, split: split, index: i, seed: o.seed, height: o.height,
                    width: o.width)
            }
            for k in 0..<ds.count {
                let sample = try ds.load(k)
                let scene = try #require(expected[sample.name])
                #expect(sample.image == scene.image)
                #expect(sample.trainIds == scene.trainIds)
                switch d {
                case .city: #expect(sample.instanceIds == scene.instanceIds)
                case .synth:
                    // Same segments and label parts; k renumbered densely per class.
                    let got = try #require(sample.instanceIds)
                    #expect(
                        got.values.map { $0 < 1000 ? $0 : $0 / 1000 }
                            == scene.instanceIds.values.map { $0 < 1000 ? $0 : $0 / 1000 })
                    var pairs: [Int32: Int32] = [:]
                    for (a, b) in zip(got.values, scene.instanceIds.values) {
                        #expect(pairs[a, default: b] == b)
                        pairs[a] = b
                    }
                    #expect(Set(pairs.values).count == pairs.count)
                case .bdd: #expect(sample.instanceIds == nil)
                }
            }
        }
    }

    @Test func bddNamesLookLikeBDD() {
        let n = SyntheticData.sampleName(.bdd, split: "train", index: 3, seed: 1)
        #expect(n.count == 17 && n.split(separator: "-").count == 2)
        #expect(
            SyntheticData.sampleName(.city, split: "train", index: 19, seed: 0)
                == "bochum_000001_000019")
    }

    /// Missing folders, images without labels, size mismatches, unknown ids and corrupt files
    /// give errors that name the path.
    @Test func malformedDataSetsGiveClearErrors() throws {
        let out = tempDir("errors")
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(throws: DatasetError.self) { try CityscapesDataset(root: out, split: "train") }
        do {
            _ = try BDD100KDataset(root: out, split: "val")
            Issue.record("expected an error")
        } catch let e as DatasetError {
            #expect(e.path.hasSuffix("images/10k/val") && e.problem.contains("missing folder"))
        }
        var o = Self.options(out)
        o.train = 1
        o.val = 0
        try SyntheticData.write(o)
        let cityRoot = SyntheticData.root(.city, out: out)
        let name = SyntheticData.sampleName(.city, split: "train", index: 0, seed: o.seed)
        let city = String(name.prefix { $0 != "_" })
        let label = CityscapesDataset.labelPath(
            root: cityRoot, split: "train", city: city, name: name)
        // Unknown label id.
        var ids = [UInt8](repeating: 7, count: 24 * 48)
        ids[50] = 40
        try PNG.write(gray8: ids, width: 48, height: 24, to: label)
        let ds = try CityscapesDataset(root: cityRoot, split: "train")
        do {
            _ = try ds.load(0)
            Issue.record("expected an error")
        } catch let e as DatasetError {
            #expect(e.path == label && e.problem.contains("unknown label id 40"))
        }
        // Size mismatch.
        try PNG.write(
            gray8: [UInt8](repeating: 7, count: 10 * 10), width: 10, height: 10, to: label)
        do {
            _ = try ds.load(0)
            Issue.record("expected an error")
        } catch let e as DatasetError {
            #expect(e.path == label && e.problem.contains("does not match"))
        }
        // Corrupt image file.
        let image = CityscapesDataset.imagePath(
            root: cityRoot, split: "train", city: city, name: name)
        try Data([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]).write(
            to: URL(fileURLWithPath: image))
        #expect(throws: ImageFileError.self) { try ds.load(0) }
        // Image without label.
        try FileManager.default.removeItem(atPath: label)
        do {
            _ = try CityscapesDataset(root: cityRoot, split: "train")
            Issue.record("expected an error")
        } catch let e as DatasetError {
            #expect(e.path == label && e.problem.contains("missing label"))
        }
        // BDD: unknown train id in a mask.
        let bddRoot = SyntheticData.root(.bdd, out: out)
        let bddName = SyntheticData.sampleName(.bdd, split: "train", index: 0, seed: o.seed)
        try PNG.write(
            gray8: [UInt8](repeating: 19, count: 24 * 48), width: 48, height: 24,
            to: BDD100KDataset.maskPath(root: bddRoot, split: "train", name: bddName))
        do {
            _ = try BDD100KDataset(root: bddRoot, split: "train").load(0)
            Issue.record("expected an error")
        } catch let e as DatasetError {
            #expect(e.problem.contains("unknown train id 19"))
        }
        // Synscapes: image without class map.
        let synRoot = SyntheticData.root(.synth, out: out) + "/train"
        try FileManager.default.removeItem(atPath: synRoot + "/img/class/1.png")
        #expect(throws: DatasetError.self) { try SynscapesDataset(root: synRoot) }
    }

    /// BDD100K's real images are JPEGs: the loader reads `.jpg` through libjpeg-turbo.
    @Test func bddLoaderReadsJPEG() throws {
        let out = tempDir("jpeg")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let scene = SceneGenerator.generate(
            domain: .bdd, split: "val", index: 0, seed: 2, height: 32, width: 64)
        try BDD100KDataset.write(scene, root: out, split: "val", name: "0a0a0b1a-7c39d841")
        let png = BDD100KDataset.imagePath(root: out, split: "val", name: "0a0a0b1a-7c39d841")
        try FileManager.default.removeItem(atPath: png)
        try JPEG.write(
            rgb8: scene.image.pixels, width: 64, height: 32, quality: 95,
            to: BDD100KDataset.imagePath(
                root: out, split: "val", name: "0a0a0b1a-7c39d841", ext: "jpg"))
        let ds = try BDD100KDataset(root: out, split: "val")
        let s = try ds.load(0)
        #expect(s.trainIds == scene.trainIds)
        let err = zip(s.image.pixels, scene.image.pixels).map { abs(Int($0) - Int($1)) }
        #expect(Double(err.reduce(0, +)) / Double(err.count) < 6)
    }
}
