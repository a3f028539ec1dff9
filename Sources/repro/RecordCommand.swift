import ArgumentParser
import Foundation
import History
import Results

/// `repro record`: one history record of this checkout on this machine.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record this commit's smoke numerics and benchmark timings into the history.",
        discussion: """
            Writes <history>/<commit>-<machine fingerprint>.json: every registered paper's smoke \
            metrics, golden verdicts and run fingerprints, all timing samples of the benchmark \
            set (nine small conv passes) and the dirty flag. An existing record is never \
            overwritten: a repeated record gets a numbered file (-2, -3, ...), and the file \
            written is printed. --instructions adds callgrind instruction counts.
            """)

    @Option(help: "History folder.") var history = "results/history"
    @Option(help: "Results folder of the verification's runs.") var results = "results"
    @Option(help: "Folder of the golden files.") var golden = "results/golden"
    @Option(help: "Master seed of the verification.") var seed: UInt64 = 0
    @Option(help: "Threads of the verification.") var threads = 2
    @Option(help: "Threads of the timed benchmarks (1 is far steadier on a shared machine).")
    var benchThreads = 1
    @Option(help: "Cells to verify (paper id or glob); default every registered cell.")
    var cells: String?
    @Flag(help: "Skip the verification: timings only.") var noVerify = false
    @Option(help: "Timed samples per benchmark.") var samples = 15
    @Option(help: "Seconds of repeated calls per sample.") var minSampleTime = 0.01
    @Option(help: "Only benchmarks whose name contains this text.") var bench: String?
    @Flag(help: "Also count each benchmark's instructions under valgrind's callgrind.")
    var instructions = false
    @Option(help: "Also write the history page (every record in the folder) to this HTML file.")
    var page: String?
    @Flag(help: "Write the history page (--page) from the existing records without recording.")
    var pageOnly = false
    @Flag(help: .hidden) var callgrindWorker = false

    func validate() throws {
        guard (1...256).contains(threads), (1...256).contains(benchThreads) else {
            throw ValidationError("--threads and --bench-threads must be in 1...256")
        }
        guard samples >= 2 else {
            throw ValidationError("--samples must be >= 2 (the verdicts need a spread)")
        }
        guard minSampleTime >= 0, minSampleTime <= 10 else {
            throw ValidationError("--min-sample-time must be in 0...10 seconds")
        }
        guard !BenchmarkSet.items(matching: bench).isEmpty else {
            throw ValidationError(
                "--bench \(bench ?? ""): no benchmark matches; they are "
                    + BenchmarkSet.items.map(\.name).joined(separator: "; "))
        }
        if pageOnly && page == nil { throw ValidationError("--page-only needs --page FILE") }
        try checkFolderOption("--history", history)
        try checkFolderOption("--results", results)
    }

    func run() throws {
        let items = BenchmarkSet.items(matching: bench)
        if callgrindWorker {
            BenchmarkSet.runMeasuredRegions(items)
            return
        }
        let store = HistoryStore(folder: URL(fileURLWithPath: history))
        if pageOnly { return try writePage(store) }
        if instructions && !Callgrind.available {
            throw ValidationError("--instructions needs valgrind (apt-get install valgrind)")
        }
        var options = RecordOptions()
        options.verify = !noVerify
        options.pattern = cells
        options.seed = seed
        options.threads = threads
        options.benchThreads = benchThreads
        options.resultsRoot = URL(fileURLWithPath: results)
        options.goldenDirectory = URL(fileURLWithPath: golden)
        options.samples = samples
        options.minSampleSeconds = minSampleTime
        options.benchFilter = bench
        if instructions {
            let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
            options.callgrindWorker =
                [exe, "record", "--callgrind-worker"] + (bench.map { ["--bench", $0] } ?? [])
        }
        let log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        let record = try Recorder.record(options, log: log)
        let url = try store.save(record)
        let first = "\(record.shortCommit)-\(record.fingerprint).json"
        if url.lastPathComponent != first {
            print(
                "A record of this commit and machine exists (\(first)); wrote a new numbered file.")
        }
        print(
            "Recorded \(record.shortCommit)\(record.dirty ? " (dirty)" : "") in "
                + "\(String(format: "%.1f", record.elapsedSeconds)) s: \(url.path)")
        let failed = record.goldens.filter { $0.outcome != "pass" }.count
        print(
            "\(record.cells.count) cells, \(record.goldens.count) golden verdicts "
                + "(\(failed) not passing), "
                + "\(record.timings.count) timings, \(record.instructions.count) instruction counts"
        )
        if page != nil { try writePage(store) }
    }

    func writePage(_ store: HistoryStore) throws {
        let records = try store.records().map(\.record)
        guard !records.isEmpty else { throw ValidationError("no records in \(history)") }
        try writeOutput(Data(HistoryPage.html(records).utf8), to: page!)
        print("History page of \(records.count) records: \(page!)")
    }
}
