import Data
import Foundation
import Results
import Storage
import Tensors
import TestSupport
import Testing

@testable import Paper2

/// End-to-end runs of paper 2 cells on tiny synthetic city scenes: determinism, resume,
/// non-finite losses, refused checkpoints.
@Suite(.serialized) struct SPADERunTests {
    let scratch = TemporaryFolder()

    func temporary(_ name: String) -> URL { scratch.url.appendingPathComponent(name) }

    /// A cell small enough for a unit test: 32x64, ngf 4, 2 epochs of 2 iterations.
    static func tinyCell(
        _ variant: SPADEVariant, change: (inout Paper2RunConfig) -> Void = { _ in }
    ) -> Cell {
        var c = Paper2RunConfig.at(.smoke, variant)
        c.trainImages = 4
        c.valImages = 2
        c.sheetRows = 2
        change(&c)
        c.synchronize()
        return Cell(paper: "p2", name: variant.rawValue, profile: .smoke, config: c)
    }

    static func options(_ folder: URL) -> RunOptions {
        var o = RunOptions()
        o.folder = folder
        o.threads = 2
        o.progress = false
        return o
    }

    func judges() throws -> Paper2Evaluators { try TestJudges.smoke() }

    func data(_ cell: Cell) throws -> Paper2Data {
        try Paper2Data.prepare(
            cell.config(as: Paper2RunConfig.self), cacheRoot: temporary("data"))
    }

    @Test func rerunIsBitwiseIdentical() throws {
        let cell = Self.tinyCell(.LIP)
        let data = try data(cell)
        let a = try SPADERunner.run(
            cell, data: data, evaluators: try judges(), options: Self.options(temporary("a")))
        let b = try SPADERunner.run(
            cell, data: data, evaluators: try judges(), options: Self.options(temporary("b")))
        let diff = try RunDiff.compare(a.folder, b.folder)
        #expect(diff.identical, "\(diff)")
        #expect(
            a.folder.checkpointPaths().map { URL(fileURLWithPath: $0).lastPathComponent }
                == ["checkpoint-netD.h5", "checkpoint-netG.h5"])
        let losses = try a.folder.readLosses()
        #expect(losses.header == "step,series,epoch,G_GAN,G_GAN_Feat,D_Fake,D_real,lr_G,lr_D")
        #expect(losses.rows.count == 4)
        let m = a.metrics.metrics
        // The real val images' instances differ in colour: MICV clearly above zero.
        #expect((m["real_micv_car_plain/city"] ?? 0) > 0.01)
        #expect(m["loss_G_GAN/last_epoch"]?.isFinite == true)
        let png = a.folder.url.appendingPathComponent("sheet.png").path
        #expect(FileManager.default.fileExists(atPath: png))
    }

    @Test(arguments: [SPADEVariant.L, .LIP]) func resumeEqualsUninterrupted(_ v: SPADEVariant)
        throws
    {
        let cell = Self.tinyCell(v)
        let data = try data(cell)
        let full = try SPADERunner.run(
            cell, data: data, evaluators: try judges(), options: Self.options(temporary("full")))
        var o = Self.options(temporary("stopped"))
        o.stopAfter = 3  // inside the second epoch
        #expect(throws: RunError.self) {
            try SPADERunner.run(cell, data: data, evaluators: try judges(), options: o)
        }
        o.stopAfter = nil
        o.resume = true
        let resumed = try SPADERunner.run(cell, data: data, evaluators: try judges(), options: o)
        let diff = try RunDiff.compare(full.folder, resumed.folder)
        #expect(diff.identical, "\(diff)")
    }

    /// A diverging run stops with `nonFiniteLoss`; the checkpoint it leaves loads.
    @Test func nonFiniteLossStopsWithLoadableCheckpoint() throws {
        let cell = Self.tinyCell(.LI) { $0.spade.lr = 1e30 }
        let data = try data(cell)
        var o = Self.options(temporary("nan"))
        o.checkpointEvery = 1
        do {
            _ = try SPADERunner.run(cell, data: data, evaluators: try judges(), options: o)
            Issue.record("expected a non-finite loss")
        } catch let error as RunError {
            guard case .nonFiniteLoss(_, _, let iteration, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(iteration <= 1, "the run should diverge at once, not at \(iteration)")
        }
        let config = cell.config(as: Paper2RunConfig.self)
        let trainer = try SPADETrainer(config.spade, random: RandomSource(seed: 9))
        let checkpoint = SPADECheckpoint(folder: temporary("nan"))
        let t = try checkpoint.load(
            into: trainer, cell: cell, master: RandomSource(seed: 0), totalIterations: 4)
        #expect(t <= 1)
    }

    /// An L checkpoint resumed as L+I+P is refused, naming the file and both variants.
    @Test func otherVariantCheckpointIsRefused() throws {
        let l = Self.tinyCell(.L)
        let data = try data(l)
        var o = Self.options(temporary("l"))
        o.stopAfter = 1
        #expect(throws: RunError.self) {
            try SPADERunner.run(l, data: data, evaluators: try judges(), options: o)
        }
        o.stopAfter = nil
        o.resume = true
        do {
            _ = try SPADERunner.run(
                Self.tinyCell(.LIP), data: data, evaluators: try judges(), options: o)
            Issue.record("expected the L checkpoint to be refused")
        } catch let error as StorageError {
            let text = error.description
            #expect(text.contains("checkpoint-net") && text.contains("variant L,"), "\(text)")
            #expect(text.contains("L+I+P"), "\(text)")
        }
    }

    /// A pair of files from two different steps (killed between the two writes) is refused.
    @Test func checkpointPairFromTwoStepsIsRefused() throws {
        let cell = Self.tinyCell(.L)
        let data = try data(cell)
        for (name, stop) in [("one", 1), ("two", 2)] {
            var o = Self.options(temporary(name))
            o.stopAfter = stop
            #expect(throws: RunError.self) {
                try SPADERunner.run(cell, data: data, evaluators: try judges(), options: o)
            }
        }
        let g = SPADECheckpoint.generatorFile
        try FileManager.default.removeItem(at: temporary("one").appendingPathComponent(g))
        try FileManager.default.copyItem(
            at: temporary("two").appendingPathComponent(g),
            to: temporary("one").appendingPathComponent(g))
        var o = Self.options(temporary("one"))
        o.resume = true
        do {
            _ = try SPADERunner.run(cell, data: data, evaluators: try judges(), options: o)
            Issue.record("expected the mixed pair to be refused")
        } catch let error as StorageError {
            #expect(error.description.contains("is at iteration 2 but"), "\(error)")
        }
    }

    /// `--set` keys are the top-level fields; the SPADE record follows them.
    @Test func overridesReachTheSPADERecord() throws {
        let c = Paper2RunConfig.at(.smoke, .LIP)
        let patched = try c.applying([
            try Override(parsing: "niter=3"), try Override(parsing: "batchSize=4"),
            try Override(parsing: "width=0.125"),
        ])
        #expect(patched.spade.niter == 3 && patched.spade.batchSize == 4)
        #expect(patched.spade.architecture.ngf == 8 && patched.spade.architecture.ndf == 8)
        #expect(c.overrideKeys.contains("imageWidth") && c.overrideKeys.contains("sceneSeed"))
        #expect(throws: ConfigError.self) {
            try c.applying([try Override(parsing: "imageWidth=48")])
        }
        for profile in Profile.allCases {
            for v in SPADEVariant.allCases { try Paper2RunConfig.at(profile, v).validate() }
        }
    }
}
