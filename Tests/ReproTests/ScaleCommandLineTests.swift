import Foundation
import Testing
import TestSupport

@testable import repro

/// Bad input to the scale-out commands gives one clear line and a non-zero exit.
@Suite struct ScaleCommandLineTests {
    @Test func shardsThatCannotSplitTheBatchAreRefused() throws {
        try withTemporaryDirectory { dir in
            CommandLineTests.expectError(
                ["run", "p1/multi-semi", "--results", dir.path, "--shards", "3"],
                mentions: ["--shards 3", "batchLabeled (2)"])
            CommandLineTests.expectError(
                ["run", "p1/multi-semi", "--results", dir.path, "--shards", "0"],
                mentions: ["--shards must be >= 1"])
            CommandLineTests.expectError(
                ["run", "p1/multi-semi", "--results", dir.path, "--shards", "2"],
                mentions: ["--shards 2", "fewer than 2 images", "batch norm"])
            // Paper 2's smoke batch of 2 images gives at most 2 shards of 1 image each.
            CommandLineTests.expectError(
                ["run", "p2/L", "--results", dir.path, "--shards", "4"],
                mentions: ["p2/L", "--shards 4", "batchSize (2)", "at least 1 image"])
            CommandLineTests.expectError(
                ["run", "p2/L+I", "--results", dir.path, "--shards", "3"],
                mentions: ["p2/L+I", "--shards 3", "batchSize (2)"])
        }
    }

    @Test func sweepOptionsAreChecked() throws {
        try withTemporaryDirectory { dir in
            CommandLineTests.expectError(
                ["sweep", "slurm", "--results", dir.path, "--mem", "lots"],
                mentions: ["--mem lots"])
            CommandLineTests.expectError(
                ["sweep", "slurm", "--results", dir.path, "--time", "soon"],
                mentions: ["--time soon"])
            CommandLineTests.expectError(
                ["sweep", "slurm", "p9", "--results", dir.path], mentions: ["no cell matches 'p9'"])
            CommandLineTests.expectError(
                ["sweep", "task", "--cell", "p1/*", "--results", dir.path],
                mentions: ["--cell p1/*", "full name"])
            CommandLineTests.expectError(
                ["collect", dir.appendingPathComponent("none").path], mentions: ["no such folder"])
            CommandLineTests.expectError(
                ["collect", dir.path], mentions: ["no finished smoke runs"])
        }
    }

    @Test func sweepSlurmWritesTheScriptAndItsLogFolder() throws {
        try withTemporaryDirectory { dir in
            let script = dir.appendingPathComponent("s.sbatch").path
            var command = try Repro.parseAsRoot([
                "sweep", "slurm", "p1/multi-*", "--seeds", "2", "--results", dir.path, "--out",
                script,
            ])
            try command.run()
            let text = try String(contentsOfFile: script, encoding: .utf8)
            #expect(text.contains("#SBATCH --array=0-3"))
            #expect(
                FileManager.default.fileExists(
                    atPath: dir.appendingPathComponent("slurm").path))
        }
    }
}
