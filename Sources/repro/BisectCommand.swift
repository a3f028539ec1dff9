import ArgumentParser
import Foundation
import History
import Results

/// `repro bisect`: the first commit where a metric or a timing changed, with `git bisect run`.
struct BisectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bisect",
        abstract: "Find the first commit where a metric changed or a benchmark became slower.",
        discussion: """
            Runs `git bisect run` in a temporary worktree (your checkout is not touched). Each \
            step reuses the commit's record from the history folder when there is one, and \
            otherwise runs --record-command at that commit (default: build it and \
            `repro record`). A step is bad when the metric differs from the good commit's (bit \
            for bit, or beyond --atol/--rtol) or the timing is judged slower.
            """)

    @Option(help: "A commit where the metric or timing is as it should be.") var good: String
    @Option(help: "A later commit where it changed.") var bad: String
    @Option(help: "Metric as cell:metric, e.g. p1/multi-semi:miou/mean.") var metric: String?
    @Option(help: "Benchmark name, e.g. 'conv 32,32,3,1,1,32,32 forward'.") var timing: String?
    @Option(help: "Benchmark name whose callgrind instruction count grows.") var instructions:
        String?
    @Option(help: "History folder.") var history = "results/history"
    @Option(help: "Shell command that records the checkout it runs in into $REPRO_HISTORY.")
    var recordCommand = Resolver.buildAndRecord
    @Option(help: "Timing threshold in percent.") var threshold = 5.0
    @Option(help: "Instruction-count threshold in percent.") var instructionThreshold = 1.0
    @Option(help: "Metric: absolute tolerance (default: any bit change counts).") var atol: Double?
    @Option(help: "Metric: relative tolerance (with --atol).") var rtol = 0.0
    @Option(help: .hidden) var stepGoodRecord: String?

    var target: BisectTarget? {
        let given = [
            metric.map(BisectTarget.metric), timing.map(BisectTarget.timing),
            instructions.map(BisectTarget.instructions),
        ].compactMap { $0 }
        return given.count == 1 ? given[0] : nil
    }

    func validate() throws {
        guard target != nil else {
            throw ValidationError("give exactly one of --metric, --timing or --instructions")
        }
        guard threshold > 0, instructionThreshold > 0 else {
            throw ValidationError("--threshold and --instruction-threshold must be positive")
        }
        if let atol, !(atol >= 0 && atol.isFinite) { throw ValidationError("--atol must be >= 0") }
    }

    var store: HistoryStore {
        HistoryStore(folder: URL(fileURLWithPath: history).standardizedFileURL)
    }

    func judge(_ good: HistoryRecord, _ record: HistoryRecord) throws -> (
        changed: Bool, note: String
    ) {
        try target!.changed(
            from: good, to: record, tolerance: atol.map { Tolerance(atol: $0, rtol: rtol) },
            timeThreshold: threshold / 100, instructionThreshold: instructionThreshold / 100)
    }

    func run() throws {
        if let stepGoodRecord { return try step(goodRecord: stepGoodRecord) }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let resolver = Resolver(
            store: store, repository: cwd, fingerprint: RunManifest.machineFingerprint(threads: 2),
            recordCommand: recordCommand)
        do {
            let goodCommit = try resolver.commit(good), badCommit = try resolver.commit(bad)
            let goodRecord = try resolver.record(of: goodCommit)
            let badRecord = try resolver.record(of: badCommit)
            let (changed, note) = try judge(goodRecord.record, badRecord.record)
            guard changed else {
                print("No change between \(good) and \(bad) (\(note)): nothing to bisect.")
                throw ExitCode(2)
            }
            let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
            var step = [
                exe, "bisect", "--good", goodCommit, "--bad", badCommit,
                "--history", store.folder.path, "--record-command", recordCommand,
                "--threshold", "\(threshold)", "--instruction-threshold", "\(instructionThreshold)",
                "--step-good-record", goodRecord.url.standardizedFileURL.path, "--rtol", "\(rtol)",
            ]
            if let metric { step += ["--metric", metric] }
            if let timing { step += ["--timing", timing] }
            if let instructions { step += ["--instructions", instructions] }
            if let atol { step += ["--atol", "\(atol)"] }
            let outcome = try Bisect.run(
                repository: cwd, good: goodCommit, bad: badCommit, stepCommand: step)
            let subject =
                (try? Shell.check(["git", "log", "-1", "--format=%s", outcome.firstBad], in: cwd))
                ?? ""
            let first = try resolver.record(of: outcome.firstBad)
            let (_, firstNote) = try judge(goodRecord.record, first.record)
            print("First changed commit: \(outcome.firstBad) \(subject)")
            print("  \(firstNote)")
        } catch let error as HistoryError {
            throw ValidationError(error.description)
        }
    }

    /// One `git bisect run` step at the current directory's HEAD: exit 0 same, 1 changed,
    /// 125 when the commit cannot be recorded.
    func step(goodRecord: String) throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let good = try HistoryRecord.read(URL(fileURLWithPath: goodRecord))
        let head = try Shell.check(["git", "rev-parse", "HEAD"], in: cwd)
        let fingerprint = RunManifest.machineFingerprint(threads: 2)
        var record = try store.records(of: head, preferring: fingerprint).first
        if record == nil {
            let o = try Shell.run(
                ["sh", "-c", recordCommand], in: cwd,
                environment: ["REPRO_HISTORY": store.folder.path])
            record = try? store.records(of: head, preferring: fingerprint).first
            if o.status != 0 || record == nil {
                FileHandle.standardError.write(
                    Data("\(head.prefix(12)): cannot record, skipped\n".utf8))
                throw ExitCode(125)
            }
        }
        let changed: Bool, note: String
        do { (changed, note) = try judge(good, record!.record) } catch {
            FileHandle.standardError.write(Data("\(head.prefix(12)): \(error), skipped\n".utf8))
            throw ExitCode(125)
        }
        FileHandle.standardError.write(
            Data("\(head.prefix(12)): \(changed ? "changed" : "same") (\(note))\n".utf8))
        if changed { throw ExitCode(1) }
    }
}
