import Foundation
import Harness
import Paper1
import Results
import TestSupport
import Testing

/// A sweep's tasks, the resumable task runner behind `repro sweep task`, and the collection of
/// finished run folders.
@Suite(.serialized) struct SweepTests {
    let scratch = TemporaryFolder()

    func sweep(seeds: [UInt64] = [3, 4]) -> Sweep {
        var s = Sweep(
            profile: .smoke, cells: [tinyCell(.multi, .supervised), tinyCell(.multi, .semi)],
            seeds: seeds, results: scratch.url)
        s.threads = 1
        return s
    }

    @Test func tasksAreSeedMajorAndIndexed() {
        let tasks = sweep().tasks
        #expect(tasks.map(\.index) == [0, 1, 2, 3])
        #expect(
            tasks.map(\.cell) == ["p1/multi-supervised", "p1/multi-semi"] + [
                "p1/multi-supervised", "p1/multi-semi",
            ])
        #expect(tasks.map(\.seed) == [3, 3, 4, 4])
    }

    @Test func aSignalledTaskCheckpointsAndTheRestartEndsBitwiseEqual() throws {
        let cell = tinyCell(.multi, .semi)
        var options = RunOptions()
        options.progress = false
        options.threads = 1
        options.resultsRoot = scratch.url.appendingPathComponent("interrupted")
        options.stopRequested = { SIGTERM }  // as if Slurm sent SIGTERM in the first iteration
        #expect {
            _ = try Sweep.runTask(cell, seed: 1, options: options, log: { _ in })
        } throws: { error in
            guard case RunError.stopped(_, let iteration, let signal)? = error as? RunError
            else { return false }
            return iteration == 1 && signal == SIGTERM
        }
        options.stopRequested = { nil }
        let folder = Sweep.folder(of: cell, seed: 1, results: options.resultsRoot)
        #expect(!RunFolder(url: folder).checkpointPaths().isEmpty)
        let resumed = try Sweep.runTask(cell, seed: 1, options: options, log: { _ in })
        guard case .finished(_, let wasResumed) = resumed else {
            Issue.record("the restarted task did not run")
            return
        }
        #expect(wasResumed)
        guard
            case .alreadyFinished = try Sweep.runTask(
                cell, seed: 1, options: options, log: { _ in })
        else {
            Issue.record("a finished task ran again")
            return
        }
        var plain = options
        plain.resultsRoot = scratch.url.appendingPathComponent("plain")
        _ = try Sweep.runTask(cell, seed: 1, options: plain, log: { _ in })
        let diff = try RunDiff.compare(
            RunFolder(url: folder),
            RunFolder(url: Sweep.folder(of: cell, seed: 1, results: plain.resultsRoot)))
        #expect(diff.identical, "\(diff)")
    }

    @Test func collectionReportsTablesClaimsAndUnfinishedRuns() throws {
        var options = RunOptions()
        options.progress = false
        options.threads = 1
        options.resultsRoot = scratch.url
        let s = sweep(seeds: [0])
        for cell in s.cells {
            _ = try Sweep.runTask(cell, seed: 0, options: options, log: { _ in })
        }
        let stray = scratch.url.appendingPathComponent("runs/p1-stray@smoke-0-s9")
        try FileManager.default.createDirectory(at: stray, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: stray.appendingPathComponent("manifest.json"))
        let collection = try SweepCollection.collect(
            root: scratch.url, profile: .smoke,
            goldenDirectory: scratch.url.appendingPathComponent("golden"))
        #expect(collection.runs.count == 2)
        #expect(collection.unfinished == ["p1-stray@smoke-0-s9"])
        #expect(!collection.passed)
        #expect(collection.claims.contains { $0.claim.id == "semi>supervised/multi/bdd" })
        let text = collection.markdown
        #expect(text.contains("Paper 1 Table 1"))
        #expect(text.contains("Unfinished run folders (no metrics.json): p1-stray@smoke-0-s9"))
        #expect(throws: ConfigError.self) {
            _ = try SweepCollection.collect(
                root: scratch.url, profile: .small, goldenDirectory: scratch.url)
        }
    }
}

/// A run folder another process is writing is refused, not written into.
@Suite struct RunFolderLockTests {
    let scratch = TemporaryFolder()

    @Test func aFolderAnotherRunWritesIsRefusedUntilReleased() throws {
        let cell = tinyCell(.multi, .supervised)
        var options = RunOptions()
        options.progress = false
        options.threads = 1
        options.resultsRoot = scratch.url
        let folder = RunFolder(url: Sweep.folder(of: cell, seed: 2, results: scratch.url))
        let held = try RunFolderLock(folder)
        #expect {
            _ = try Sweep.runTask(cell, seed: 2, options: options, log: { _ in })
        } throws: { error in
            let e = error as? HarnessFileError
            return e?.path == folder.url.path
                && e?.problem.contains("another run is writing this folder (pid ") == true
        }
        #expect(!FileManager.default.fileExists(atPath: folder.manifestURL.path))
        #expect(throws: HarnessFileError.self) { _ = try RunFolderLock(folder) }
        held.release()
        guard case .finished = try Sweep.runTask(cell, seed: 2, options: options, log: { _ in })
        else {
            Issue.record("the released folder was not written")
            return
        }
    }
}
