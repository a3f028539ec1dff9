import Foundation
import Harness
import Results
import Tensors

/// What `repro record` measures.
public struct RecordOptions: Sendable {
    /// Run the smoke verification (metrics, goldens, run fingerprints).
    public var verify = true
    /// Cells to verify (nil: every registered cell).
    public var pattern: String?
    /// Master seed of the verification.
    public var seed: UInt64 = 0
    /// Threads of the verification.
    public var threads = 2
    /// Threads of the timings: one by default, since on a busy machine two-thread timings
    /// moved by 2x between records of the same commit (see `repro record --help`).
    public var benchThreads = 1
    /// Results root of the verification's runs and goldens.
    public var resultsRoot = URL(fileURLWithPath: "results")
    /// Folder of the golden files (nil: `<resultsRoot>/golden`).
    public var goldenDirectory: URL?
    /// Timed samples per benchmark.
    public var samples = 15
    /// Each sample repeats the call for at least this long.
    public var minSampleSeconds = 0.01
    /// Only benchmarks whose name contains this.
    public var benchFilter: String?
    /// The command that runs the callgrind worker; nil: no instruction counts.
    public var callgrindWorker: [String]?
    /// The git checkout whose commit is recorded.
    public var directory = FileManager.default.currentDirectoryPath

    public init() {}
}

/// Makes one history record of the current checkout.
public enum Recorder {
    /// Runs the verification, the timings and (optionally) the instruction counts.
    public static func record(_ options: RecordOptions, log: (String) -> Void) throws
        -> HistoryRecord
    {
        let clock = ContinuousClock()
        let start = clock.now
        let git = SystemProbe.git(at: options.directory)
        let about =
            (try? Shell.check(
                ["git", "-C", options.directory, "log", "-1", "--format=%cI%n%s"]))?
            .split(separator: "\n", maxSplits: 1).map(String.init) ?? []
        var record = HistoryRecord(
            commit: git.commit, dirty: git.dirty, subject: about.count > 1 ? about[1] : "",
            commitDate: about.first ?? "",
            fingerprint: RunManifest.machineFingerprint(threads: options.threads),
            cpuModel: SystemProbe.cpu.model, blasCore: BLAS.coreName, threads: options.threads,
            recordedAt: iso8601(Date()), profile: Profile.smoke.rawValue, seed: options.seed,
            cells: [], goldens: [], timings: [], instructions: [], elapsedSeconds: 0)
        if options.verify {
            var request = Verification.Request()
            request.options.seed = options.seed
            request.options.threads = options.threads
            request.options.resultsRoot = options.resultsRoot
            request.options.progress = false
            request.pattern = options.pattern
            request.goldenDirectory = options.goldenDirectory
            let outcome = try Verification.run(request, log: log)
            for paper in outcome.papers {
                for r in paper.results {
                    record.cells.append(
                        HistoryRecord.CellRecord(
                            cell: r.cell.fullName, configHash: r.metrics.configHash,
                            metrics: r.metrics.metrics, tolerance: paper.experiment.goldenTolerance,
                            runFingerprint: try RunFingerprint.of(r.folder),
                            runFolder: r.folder.url.path))
                }
                record.goldens += paper.comparisons.map {
                    HistoryRecord.GoldenVerdict(
                        cell: $0.cell, metric: $0.metric, outcome: $0.outcome.rawValue,
                        mode: $0.mode?.rawValue)
                }
            }
        }
        let items = BenchmarkSet.items(matching: options.benchFilter)
        log("Timing \(items.count) benchmarks, \(options.samples) samples each")
        record.timings = BenchmarkSet.time(
            items, samples: options.samples, minSampleSeconds: options.minSampleSeconds,
            threads: options.benchThreads)
        record.benchThreads = options.benchThreads
        if let worker = options.callgrindWorker {
            log("Counting instructions under callgrind")
            record.instructions = try Callgrind.count(items.map(\.name), command: worker)
        }
        let d = start.duration(to: clock.now)
        record.elapsedSeconds =
            Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        return record
    }
}
