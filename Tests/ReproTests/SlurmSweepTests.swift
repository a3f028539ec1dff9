import Foundation
import Results
import TestSupport
import Testing

/// `repro sweep slurm` against a real single-node Slurm (scripts/slurm-start.sh; `.ci/run`
/// starts it). Without Slurm these tests FAIL, naming the fix; set REPRO_SLURM=0 to skip them
/// on a machine that has no Slurm.
@Suite(
    .serialized,
    .enabled(
        if: ProcessInfo.processInfo.environment["REPRO_SLURM"] != "0",
        "REPRO_SLURM=0: no Slurm on this machine"))
struct SlurmSweepTests {
    let scratch = TemporaryFolder()

    /// The `repro` executable built next to this test bundle.
    static var repro: String? {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("repro").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func sh(_ command: String) throws -> (status: Int32, output: String) {
        try run("/bin/sh", ["-c", command])
    }

    /// Fails (does not skip) when the node does not answer.
    static func requireSlurm() throws {
        let (status, output) = try sh("sinfo -h -o %t 2>&1")
        try #require(
            status == 0 && (output.contains("idle") || output.contains("mix")),
            """
            Slurm is not running (sinfo: \(output)): run `bash scripts/slurm-start.sh` as root, \
            or set REPRO_SLURM=0 to skip the Slurm tests
            """)
    }

    /// Writes a sweep's script with `repro sweep slurm` and submits it; returns the job id.
    func submit(_ results: URL, _ extra: [String]) throws -> String {
        let repro = try #require(Self.repro, "build the repro executable first")
        let (status, output) = try run(
            repro,
            [
                "sweep", "slurm", "--results", results.path, "--threads", "1", "--mem", "1G",
                "--job-name", "repro-test", "--submit",
            ] + extra)
        try #require(status == 0, "repro sweep slurm failed: \(output)")
        let line = try #require(output.split(separator: "\n").last { $0.hasPrefix("submitted") })
        return String(line.split(separator: " ").last!)
    }

    /// Waits until no task of `job` is queued or running.
    static func waitForJob(_ job: String, seconds: Double) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let (_, output) = try sh("squeue -h -j \(job) -o %i 2>/dev/null")
            if output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return }
            Thread.sleep(forTimeInterval: 1)
        }
        _ = try sh("scancel \(job)")
        Issue.record("job \(job) did not finish within \(Int(seconds)) s")
    }

    /// An array of two paper 1 smoke cells in which task 1 is requeued mid-run
    /// (`scontrol requeue`): it checkpoints on SIGTERM, resumes on restart and ends bitwise
    /// equal to an uninterrupted run of the same cell and seed; `repro collect` then reports
    /// goldens, Table 1 and the claims from the shared folder.
    @Test func arrayWithARequeuedTaskEndsBitwiseEqual() throws {
        try Self.requireSlurm()
        let shared = scratch.url.appendingPathComponent("shared")
        let alone = scratch.url.appendingPathComponent("alone")
        let sweep = try submit(shared, ["p1/multi-*", "--checkpoint-every", "1"])
        let reference = try submit(alone, ["p1/multi-semi"])
        // Task 1 is p1/multi-semi: requeue it once it has written a few checkpoints.
        let runs = shared.appendingPathComponent("runs")
        var folder = runs
        let deadline = Date().addingTimeInterval(120)
        var rows = 0
        while Date() < deadline && rows < 4 {
            Thread.sleep(forTimeInterval: 0.2)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? []
            guard let name = names.first(where: { $0.hasPrefix("p1-multi-semi@smoke-") }) else {
                continue
            }
            folder = runs.appendingPathComponent(name)
            let losses = folder.appendingPathComponent("losses.csv")
            rows =
                ((try? String(contentsOf: losses, encoding: .utf8)) ?? "")
                .split(separator: "\n").count
        }
        try #require(rows >= 4, "task 1 wrote no checkpoint in time (\(folder.path))")
        try #require(
            !FileManager.default.fileExists(
                atPath: folder.appendingPathComponent(
                    "metrics.json"
                ).path), "task 1 finished before it could be requeued")
        let (rq, rqOut) = try Self.sh("scontrol requeue \(sweep)_1 2>&1")
        try #require(rq == 0, "scontrol requeue: \(rqOut)")
        // A requeued job waits ~2 minutes (its begin time); start it again at once.
        var restarted = false
        for _ in 0..<100 where !restarted {
            Thread.sleep(forTimeInterval: 0.2)
            let (_, state) = try Self.sh("scontrol show job \(sweep)_1 2>&1")
            #expect(!state.contains("Restarts=0"), "\(state)")
            if state.contains("JobState=PENDING") {
                restarted =
                    try Self.sh("scontrol update JobId=\(sweep)_1 StartTime=now").status == 0
            }
        }
        #expect(restarted, "the requeued task never became pending")
        try Self.waitForJob(sweep, seconds: 300)
        try Self.waitForJob(reference, seconds: 180)

        let log = try String(
            contentsOf: shared.appendingPathComponent("slurm/\(sweep)_1.out"), encoding: .utf8)
        #expect(log.contains("stopped by signal 15 (SIGTERM)"), "\(log)")
        #expect(log.contains("resuming from the checkpoints"), "\(log)")
        #expect(log.contains("restart 1"), "\(log)")
        let diff = try RunDiff.compare(
            RunFolder(url: folder),
            RunFolder(url: alone.appendingPathComponent("runs/\(folder.lastPathComponent)")))
        #expect(diff.identical, "requeued vs uninterrupted: \(diff)")

        let repro = try #require(Self.repro)
        let report = scratch.url.appendingPathComponent("report.md")
        let (status, output) = try run(
            repro, ["collect", shared.path, "--profile", "smoke", "--report", report.path])
        #expect(status == 0, "\(output)")
        #expect(output.contains("Collected 2 finished runs"), "\(output)")
        #expect(output.contains("Paper 1 Table 1"), "\(output)")
        #expect(output.contains("semi>supervised/multi"), "\(output)")
        #expect(output.contains("## Regression goldens"), "\(output)")
    }
}
