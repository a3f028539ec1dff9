import ArgumentParser
import Foundation
import History
import Results

/// `repro compare A B`: numerics and timings of two commits, records or run folders.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two commits, history records or run folders, with verdicts.",
        discussion: """
            A and B are record files, run folders (both A and B) or git revisions whose records \
            are in the history folder (--build records a missing one in a temporary git \
            worktree). Metrics: bitwise equal / within tolerance / changed; timings: bootstrap \
            interval of the ratio of medians against --threshold. Exits 1 on a regression \
            (a changed metric, a newly failing golden, a slower benchmark).
            """)

    @Argument(help: "Before: a record file, a run folder or a commit.") var a: String
    @Argument(help: "After: a record file, a run folder or a commit.") var b: String
    @Option(help: "History folder.") var history = "results/history"
    @Option(help: "Timing threshold in percent.") var threshold = 5.0
    @Option(help: "Instruction-count threshold in percent.") var instructionThreshold = 1.0
    @Option(help: "Absolute tolerance for metrics (default: each paper's golden tolerance).")
    var atol: Double?
    @Option(help: "Relative tolerance for metrics (with --atol).") var rtol = 0.0
    @Flag(help: "Record a commit without a record by building it in a temporary git worktree.")
    var build = false
    @Option(help: "Shell command that records a checkout into $REPRO_HISTORY (with --build).")
    var recordCommand = Resolver.buildAndRecord
    @Option(help: "Also write the Markdown report to this file.") var markdown: String?
    @Option(help: "Also write an HTML page to this file.") var html: String?

    func validate() throws {
        guard threshold > 0, threshold < 1000, instructionThreshold > 0 else {
            throw ValidationError(
                "--threshold and --instruction-threshold must be positive percentages")
        }
        if let atol, !(atol >= 0 && atol.isFinite) { throw ValidationError("--atol must be >= 0") }
        guard rtol >= 0, rtol <= 1 else { throw ValidationError("--rtol must be in [0, 1]") }
    }

    func run() throws {
        let resolver = Resolver(
            store: HistoryStore(folder: URL(fileURLWithPath: history)),
            repository: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            fingerprint: RunManifest.machineFingerprint(threads: 2),
            recordCommand: build ? recordCommand : nil)
        let tolerance = atol.map { Tolerance(atol: $0, rtol: rtol) }
        let comparison: Comparison
        do {
            switch (try resolver.resolve(a), try resolver.resolve(b)) {
            case (.record(let ra, let la), .record(let rb, let lb)):
                comparison = Comparison(
                    ra, rb, labelA: la, labelB: lb, timeThreshold: threshold / 100,
                    instructionThreshold: instructionThreshold / 100, tolerance: tolerance)
            case (.runFolder(let fa), .runFolder(let fb)):
                comparison = try Comparison(
                    runFolder: fa, fb, tolerance: tolerance ?? Tolerance(atol: 0, rtol: 0))
            default:
                throw ValidationError("A and B must both be run folders, or both records/commits")
            }
        } catch let error as HistoryError {
            throw ValidationError(error.description)
        }
        let text = comparison.markdown
        print(text)
        if let markdown { try writeOutput(Data(text.utf8), to: markdown) }
        if let html { try writeOutput(Data(comparison.html.utf8), to: html) }
        if comparison.regressed { throw ExitCode(1) }
    }
}
