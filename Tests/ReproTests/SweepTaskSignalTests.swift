import Foundation
import Results
import TestSupport
import Testing

/// `repro sweep task` as its own process, as Slurm runs it: SIGTERM mid-run writes a
/// checkpoint and exits 75; the same command again resumes and ends bitwise equal to an
/// uninterrupted task; once finished, it does nothing.
@Suite struct SweepTaskSignalTests {
    let scratch = TemporaryFolder()

    func task(_ results: String) -> [String] {
        [
            "sweep", "task", "--cell", "p1/multi-semi", "--seed", "0", "--threads", "1",
            "--results", scratch.url.appendingPathComponent(results).path,
            "--checkpoint-every", "1", "--set", "imageHeight=32", "--set", "imageWidth=64",
            "--set", "cropSize=32", "--set", "rescaleBase=64", "--set", "trainImages=8",
            "--set", "valImages=2", "--set", "epochs=20", "--set", "itersPerEpoch=4",
        ]
    }

    @Test func sigtermCheckpointsAndTheRerunResumesBitwiseEqual() throws {
        let repro = try #require(SlurmSweepTests.repro, "build the repro executable first")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: repro)
        p.arguments = task("killed")
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let runs = scratch.url.appendingPathComponent("killed/runs")
        let deadline = Date().addingTimeInterval(120)
        var rows = 0
        while rows < 6 && Date() < deadline && p.isRunning {
            Thread.sleep(forTimeInterval: 0.05)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? []
            guard let name = names.first else { continue }
            let losses = runs.appendingPathComponent("\(name)/losses.csv")
            rows =
                ((try? String(contentsOf: losses, encoding: .utf8)) ?? "")
                .split(separator: "\n").count
        }
        try #require(p.isRunning, "the task ended before it could be signalled")
        kill(p.processIdentifier, SIGTERM)
        let first = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 75, "\(first)")
        #expect(first.contains("stopped by signal 15 (SIGTERM)"), "\(first)")

        let (s2, second) = try run(repro, task("killed"))
        #expect(s2 == 0 && second.contains("resuming from the checkpoints"), "\(second)")
        let (s3, third) = try run(repro, task("killed"))
        #expect(s3 == 0 && third.contains("already finished"), "\(third)")
        let (s4, plain) = try run(repro, task("plain"))
        try #require(s4 == 0, "\(plain)")
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: runs.path).first)
        let diff = try RunDiff.compare(
            RunFolder(url: runs.appendingPathComponent(name)),
            RunFolder(url: scratch.url.appendingPathComponent("plain/runs/\(name)")))
        #expect(diff.identical, "\(diff)")
    }
}
