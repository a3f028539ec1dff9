import Data
import Foundation
import Results
import Tensors
import TestSupport
import Testing

@testable import Paper1

/// End-to-end runs of paper 1 cells on tiny synthetic data: determinism, resume, goldens.
@Suite(.serialized) struct SegmentationRunTests {
    /// A semi-supervised multi-domain cell small enough for a unit test (DC on from epoch 1).
    static func tinyCell(_ setting: Paper1Setting = .multi, _ method: Paper1Method = .semi) -> Cell
    {
        var c = SegmentationConfig.at(.smoke, setting, method)
        c.imageHeight = 32
        c.imageWidth = 64
        c.trainImages = 8
        c.valImages = 2
        c.cropSize = 32
        c.rescaleBase = 64
        c.epochs = 2
        c.itersPerEpoch = 2
        c.unsupStartEpoch = 1
        // An untrained model is rarely 75% sure; a low threshold makes the DC loss select pixels.
        c.threshold = 0.15
        return Cell(
            paper: "p1", name: "\(setting.rawValue)-\(method.rawValue)", profile: .smoke, config: c)
    }

    /// `cell` with its configuration changed by `change`.
    static func with(_ cell: Cell, _ change: (inout SegmentationConfig) -> Void) -> Cell {
        var c = cell.config(as: SegmentationConfig.self)
        change(&c)
        var out = cell
        out.config = c
        return out
    }

    static func options(_ folder: URL, threads: Int = 2) -> RunOptions {
        var o = RunOptions()
        o.folder = folder
        o.threads = threads
        o.progress = false
        return o
    }

    let scratch = TemporaryFolder()

    /// A path inside this test's temporary folder (removed when the test ends).
    func temporary(_ name: String) -> URL { scratch.url.appendingPathComponent(name) }

    func data(_ cell: Cell, seed: UInt64 = 0) throws -> [DomainData] {
        try Paper1Data.prepare(cell.seg, seed: seed, cacheRoot: temporary("data-\(seed)"))
    }

    /// Same seed and thread count: bitwise identical losses, checkpoints and metrics.
    @Test func sameSeedSameBits() throws {
        let cell = Self.tinyCell()
        let data = try data(cell)
        let a = try SegmentationRunner.run(cell, data: data, options: Self.options(temporary("a")))
        let b = try SegmentationRunner.run(cell, data: data, options: Self.options(temporary("b")))
        let diff = try RunDiff.compare(a.folder, b.folder)
        #expect(diff.identical, "\(diff)")
        #expect(a.metrics.metrics["miou/mean"]!.isFinite)
        let rows = try a.folder.readLosses().rows
        #expect(rows.count == cell.seg.totalIterations * 3)
        #expect(rows.contains { ($0.values[2] ?? 0) > 0 }, "the DC loss never switched on")
        let splits = try #require(try a.folder.readManifest().dataSplits)
        #expect(splits.map(\.domain) == ["city", "synth", "bdd"])
        #expect(splits.allSatisfy { $0.labeled.count == 1 && $0.unlabeled.count == 7 })
    }

    /// A different seed changes the numbers (the seed reaches init, split and augmentation).
    @Test func seedMatters() throws {
        let cell = Self.tinyCell(.multi, .supervised)
        let a = try SegmentationRunner.run(
            cell, data: try data(cell, seed: 0), options: Self.options(temporary("s0")))
        var o = Self.options(temporary("s1"))
        o.seed = 1
        let b = try SegmentationRunner.run(cell, data: try data(cell, seed: 1), options: o)
        #expect(!(try RunDiff.compare(a.folder, b.folder)).identical)
    }

    /// Stopped after 3 iterations and resumed: identical to the uninterrupted run, for the
    /// shared model and for the per-domain models of the single-domain setting.
    @Test(arguments: [Paper1Setting.multi, .single]) func resumeEqualsUninterrupted(
        _ setting: Paper1Setting
    ) throws {
        let cell = Self.tinyCell(setting, .semi)
        let data = try data(cell)
        let full = try SegmentationRunner.run(
            cell, data: data, options: Self.options(temporary("full")))
        let folder = temporary("stopped")
        var o = Self.options(folder)
        o.stopAfter = 3
        #expect(throws: RunError.self) { try SegmentationRunner.run(cell, data: data, options: o) }
        o.stopAfter = nil
        o.resume = true
        let resumed = try SegmentationRunner.run(cell, data: data, options: o)
        let diff = try RunDiff.compare(full.folder, resumed.folder)
        #expect(diff.identical, "\(diff)")
    }

    /// A NaN in the loss stops the run with an error naming the iteration; no step is taken.
    @Test func nonFiniteLossIsAnError() throws {
        let cell = Self.with(Self.tinyCell(.multi, .supervised)) { $0.lr = 1e30 }
        let data = try data(cell)
        #expect(throws: RunError.self) {
            try SegmentationRunner.run(cell, data: data, options: Self.options(temporary("nan")))
        }
    }
}

/// Data preparation: the synthetic scenes go through the real loaders; bad roots are errors.
@Suite struct Paper1DataTests {
    let scratch = TemporaryFolder()

    func temporary(_ name: String) -> URL { scratch.url.appendingPathComponent(name) }

    @Test func syntheticScenesAreWrittenOnceAndReadBack() throws {
        let cell = SegmentationRunTests.tinyCell()
        let cache = temporary("cache")
        let a = try Paper1Data.prepare(cell.seg, seed: 0, cacheRoot: cache)
        let b = try Paper1Data.prepare(cell.seg, seed: 0, cacheRoot: cache)
        #expect(a.map(\.name) == ["city", "synth", "bdd"])
        for (x, y) in zip(a, b) {
            #expect(x.train.count == cell.seg.trainImages && x.val.count == cell.seg.valImages)
            #expect(try x.train.load(3).image == y.train.load(3).image)
            #expect(x.train.names == y.train.names)
            #expect(x.labeled.count == cell.seg.trainImages / 8)
        }
        let folders = try FileManager.default.contentsOfDirectory(atPath: cache.path)
        #expect(folders.count == 1, "\(folders)")
    }

    @Test func missingDataRootIsAClearError() throws {
        var config = SegmentationRunTests.tinyCell().seg
        config.source = .path("/nonexistent/data")
        #expect {
            try Paper1Data.prepare(config, seed: 0, cacheRoot: temporary("x"))
        } throws: { error in
            "\(error)".contains("/nonexistent/data")
        }
    }
}

/// Bad input during a run is an error naming the file, never a crash or a wrong number.
@Suite struct BadDataTests {
    let scratch = TemporaryFolder()

    func temporary(_ name: String) -> URL { scratch.url.appendingPathComponent(name) }

    @Test func corruptImageStopsTheRunNamingTheFile() throws {
        let cell = SegmentationRunTests.tinyCell(.multi, .supervised)
        let cache = temporary("corrupt")
        _ = try Paper1Data.prepare(cell.seg, seed: 0, cacheRoot: cache)
        // Truncate every city training image: whichever the run reads first is corrupt.
        let root = try FileManager.default.contentsOfDirectory(atPath: cache.path)[0]
        let images = cache.appendingPathComponent(root).appendingPathComponent(
            "cityscapes/leftImg8bit/train")
        let enumerator = FileManager.default.enumerator(atPath: images.path)!
        var corrupted = 0
        for case let file as String in enumerator where file.hasSuffix(".png") {
            let url = images.appendingPathComponent(file)
            let bytes = try Data(contentsOf: url)
            try bytes.prefix(bytes.count / 2).write(to: url)
            corrupted += 1
        }
        #expect(corrupted == cell.seg.trainImages)
        let data = try Paper1Data.prepare(cell.seg, seed: 0, cacheRoot: cache)
        #expect {
            try SegmentationRunner.run(
                cell, data: data, options: SegmentationRunTests.options(temporary("c")))
        } throws: { error in
            "\(error)".contains("leftImg8bit")
        }
    }
}

/// The paper profile's code path (real data sets from a root, in their own layouts) on tiny files.
@Suite struct PaperProfileTests {
    let scratch = TemporaryFolder()

    func temporary(_ name: String) -> URL { scratch.url.appendingPathComponent(name) }

    @Test func paperProfileHasThePapersSettings() {
        let c = SegmentationConfig.at(.paper, .multi, .semi, dataRoot: "/data")
        #expect(c.blocks == [3, 4, 6, 3] && c.widthDivisor == 1 && c.outputStride == 16)
        #expect(
            c.epochs == 150 && c.cropSize == 720 && c.batchLabeled == 8 && c.batchUnlabeled == 8)
        #expect(
            c.lr == 0.01 && c.backboneLRMultiplier == 0.1 && c.momentum == 0.9
                && c.weightDecay == 1e-4)
        #expect(
            c.lambda == 0.1 && c.temperature == 0.1 && c.threshold == 0.75 && c.unsupStartEpoch == 5
        )
        #expect(c.source == .path("/data"))
    }

    @Test func runsOnDataSetsGivenByPath() throws {
        let root = temporary("root")
        var write = SyntheticData.Options(out: root.path)
        (write.train, write.val, write.height, write.width) = (8, 2, 32, 64)
        try SyntheticData.write(write)
        let cell = SegmentationRunTests.with(SegmentationRunTests.tinyCell(.single, .semi)) {
            $0.source = .path(root.path)
        }
        let data = try Paper1Data.prepare(cell.seg, seed: 0, cacheRoot: temporary("unused"))
        #expect(data.map { $0.train.count } == [8, 8, 8])
        let result = try SegmentationRunner.run(
            cell, data: data, options: SegmentationRunTests.options(temporary("p")))
        #expect(result.metrics.metrics["miou/mean"]!.isFinite)
    }
}

extension Cell {
    /// The paper 1 configuration of a test cell.
    var seg: SegmentationConfig { config(as: SegmentationConfig.self) }
}
