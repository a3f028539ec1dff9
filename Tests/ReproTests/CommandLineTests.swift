import ArgumentParser
import Foundation
import Testing
import TestSupport

@testable import repro

/// The parsed commands, driven as a user would: each bad input gives one clear line naming
/// the problem and a non-zero exit, never a trap or a stack trace.
@Suite struct CommandLineTests {
    /// Parses and runs `arguments` as `repro` would; returns the exit code and the message.
    static func outcome(_ arguments: [String]) -> (code: Int32, message: String) {
        do {
            var command = try Repro.parseAsRoot(arguments)
            try command.run()
            return (0, "")
        } catch {
            return (Repro.exitCode(for: error).rawValue, Repro.message(for: error))
        }
    }

    static func expectError(_ arguments: [String], mentions words: [String]) {
        let (code, message) = outcome(arguments)
        #expect(code != 0, "\(arguments) should fail")
        let firstLine = message.split(separator: "\n").first.map(String.init) ?? ""
        for w in words {
            #expect(firstLine.contains(w), "\(arguments): '\(firstLine)' should mention '\(w)'")
        }
        #expect(!message.contains("Fatal error") && !message.contains("Stack dump"))
    }

    @Test func unknownCellOrPaper() {
        Self.expectError(
            ["list", "p9/nothing"], mentions: ["no cell matches 'p9/nothing'", "p1/multi-semi"])
        Self.expectError(["run", "p7"], mentions: ["no cell matches 'p7'"])
        Self.expectError(
            ["run", "p2", "--profile", "medium"], mentions: ["p2 has no cells at profile medium"])
        Self.expectError(
            ["run", "p1/multi-semi", "--profile", "medium", "--set", "pretrain=imagenet"],
            mentions: ["pretrain: 'imagenet' must be none, synthetic or the path"])
    }

    @Test func badOverrideKeyAndValue() {
        Self.expectError(
            ["list", "--set", "nosuchkey=3"], mentions: ["unknown configuration key 'nosuchkey'"])
        Self.expectError(["list", "--set", "epochs"], mentions: ["--set", "key=value"])
        Self.expectError(["list", "--set", "epochs=many"], mentions: ["epochs"])
        Self.expectError(["list", "--set", "blocks=[1,1,1,4,5]"], mentions: ["blocks"])
    }

    @Test func badBenchStepModelAndSizes() {
        Self.expectError(["bench", "step", "--model", "gan"], mentions: ["--model gan"])
        Self.expectError(
            ["bench", "step", "--model", "spade", "--variant", "L+P"], mentions: ["--variant L+P"])
        Self.expectError(
            ["bench", "step", "--model", "spade", "--height", "100"], mentions: ["multiples of 32"])
        Self.expectError(["bench", "step", "--batch", "1"], mentions: ["--batch must be >= 2"])
        Self.expectError(
            ["bench", "step", "--rounds", "3", "--max-rounds", "2"],
            mentions: ["--max-rounds 2 is below --rounds 3"])
        Self.expectError(["bench", "step", "--tolerance", "0"], mentions: ["--tolerance 0.0"])
    }

    @Test func threadCountOutOfRange() {
        Self.expectError(["list", "--threads", "0"], mentions: ["--threads", "got 0"])
    }

    @Test func resultsPathThatIsAFile() throws {
        try withTemporaryDirectory { dir in
            let file = dir.appendingPathComponent("a-file").path
            FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
            Self.expectError(["verify", "--results", file], mentions: ["--results", "is a file"])
            Self.expectError(
                ["run", "p1/multi-semi", "--folder", file], mentions: ["--folder", "is a file"])
        }
    }

    @Test func paperProfileNeedsADataRoot() {
        Self.expectError(["list", "--profile", "paper"], mentions: ["--data-root"])
        Self.expectError(
            ["list", "--profile", "paper", "--data-root", "/nonexistent/data"],
            mentions: ["/nonexistent/data", "no such folder"])
    }

    @Test func corruptGoldenFile() throws {
        try withTemporaryDirectory { dir in
            let golden = dir.appendingPathComponent("golden")
            try FileManager.default.createDirectory(at: golden, withIntermediateDirectories: true)
            let file = golden.appendingPathComponent("paper1-smoke-seed0.json")
            try Data("{ not json".utf8).write(to: file)
            let (code, message) = Self.outcome([
                "verify", "p1/single-supervised", "--results", dir.path, "--set", "epochs=1",
                "--set", "itersPerEpoch=1",
            ])
            #expect(code != 0)
            #expect(message.contains("paper1-smoke-seed0.json"), "\(message)")
        }
    }

    @Test func cellsCarryTheirPaperAndGlobsSelectThem() throws {
        let all = try ListCommand.parse([]).options.cells().map(\.fullName)
        #expect(all.contains("p1/multi-semi"))
        #expect(all.allSatisfy { $0.hasPrefix("p1/") || $0.hasPrefix("p2/") })
        let options = try ListCommand.parse([]).options
        #expect(
            try options.cells(matching: "p1/multi-*").map(\.fullName) == [
                "p1/multi-supervised", "p1/multi-semi",
            ])
        #expect(
            try options.cells(matching: "*-semi").map(\.fullName) == [
                "p1/single-semi", "p1/multi-semi",
            ])
        #expect(try options.cells(matching: "p1").count == 4)
    }

    @Test func subcommandNamesStay() throws {
        for name in ["verify", "list", "run", "claims", "diff", "bench", "survey", "record"] {
            #expect(Repro.configuration.subcommands.contains { $0._commandName == name }, "\(name)")
        }
        _ = try Repro.parseAsRoot(["bench", "conv", "--help"].dropLast() + ["--threads", "1"])
    }

    @Test func verifyAndRegenerateNeedAReason() {
        Self.expectError(["verify", "--regenerate"], mentions: ["--reason"])
    }
}
