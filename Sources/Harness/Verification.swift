import Foundation
import Reports
import Results

/// The smoke verification that `repro verify` and the end-to-end golden test both call: run
/// every selected cell, compare with each paper's goldens, optionally run each paper's
/// self-check cell twice, and render the report.
public enum Verification {
    /// What to verify.
    public struct Request: Sendable {
        /// Profile of the cells (goldens exist per profile and seed).
        public var profile: Profile = .smoke
        /// Run options (the seed is `options.seed`).
        public var options = RunOptions()
        /// Cell pattern (paper id, full-name glob or name glob); nil: every registered cell.
        public var pattern: String?
        /// `--set` overrides.
        public var overrides: [Override] = []
        /// Run each paper's self-check cell a second time and require identical bits.
        public var selfCheck = false
        /// Where the golden files are; nil: `<resultsRoot>/golden`.
        public var goldenDirectory: URL?

        /// Verify everything at the smoke profile, seed 0.
        public init() {}
    }

    /// The self-check of one paper: its cell run twice.
    public struct SelfCheck: Sendable {
        /// Full name of the cell run twice.
        public var cell: String
        /// Where the two runs differ (identical when they do not).
        public var diff: RunDiff

        /// One line for the report.
        public var line: String {
            diff.identical
                ? "Self-check: \(cell) run twice is bitwise identical (losses, checkpoints, metrics)."
                : "Self-check FAILED: \(cell) diverged. First loss difference: "
                    + "\(diff.firstLossDifference ?? "none"); checkpoints: "
                    + "\(diff.checkpointDifferences.joined(separator: "; ")); metrics: "
                    + diff.metricDifferences.joined(separator: "; ")
        }
    }

    /// The verification of one paper.
    public struct PaperOutcome: Sendable {
        /// The paper's experiment.
        public var experiment: any Experiment
        /// Its cell runs, in order.
        public var results: [CellResult]
        /// Its golden file.
        public var goldens: GoldenStore
        /// Golden comparisons (empty when regenerating).
        public var comparisons: [GoldenComparison]
        /// The self-check, when requested.
        public var selfCheck: SelfCheck?
    }

    /// The whole verification.
    public struct Outcome: Sendable {
        /// The request it answers.
        public var request: Request
        /// One entry per paper with selected cells, in registry order.
        public var papers: [PaperOutcome]

        /// Every cell run.
        public var results: [CellResult] { papers.flatMap(\.results) }

        /// True when every golden passes and every self-check is identical.
        public var passed: Bool {
            papers.allSatisfy { p in
                p.comparisons.allSatisfy(\.passed) && (p.selfCheck?.diff.identical ?? true)
            }
        }

        /// The Markdown report: goldens of every paper, each paper's tables, self-checks.
        public var markdown: String {
            let seed = request.options.seed
            let tables = papers.flatMap { p in
                p.experiment.tables(
                    p.experiment.series(p.results.map(\.metrics)), profile: request.profile)
            }
            return Report.markdown(
                title: "Verification (\(request.profile.rawValue), seed \(seed)): "
                    + papers.map { $0.experiment.id }.joined(separator: ", "),
                golden: papers.flatMap(\.comparisons), claims: [], tables: tables,
                notes: papers.compactMap { $0.selfCheck?.line })
        }
    }

    /// Runs the verification; with `regenerate` set, rewrites each paper's goldens instead
    /// of comparing (and records `regenerate` as the reason).
    public static func run(
        _ request: Request, regenerate reason: String? = nil, log: (String) -> Void = { print($0) }
    ) throws -> Outcome {
        let cells = try Papers.cells(
            request.profile, overrides: request.overrides, matching: request.pattern)
        try request.options.checkFolders()
        var papers: [PaperOutcome] = []
        let seed = request.options.seed
        for e in Papers.all {
            let mine = cells.filter { $0.paper == e.id }
            if mine.isEmpty { continue }
            let results = try e.run(mine, seed: seed, options: request.options, log: log)
            let store = GoldenStore(
                suite: e.goldenSuite(request.profile, seed: seed),
                directory: request.goldenDirectory
                    ?? request.options.resultsRoot.appendingPathComponent("golden"))
            let measurements = results.map(\.metrics.measurement)
            let manifest = try results[0].folder.readManifest()
            var outcome = PaperOutcome(
                experiment: e, results: results, goldens: store, comparisons: [], selfCheck: nil)
            if let reason {
                try store.regenerate(
                    from: measurements, reason: reason, commit: manifest.gitCommit,
                    fingerprint: manifest.fingerprint, defaultTolerance: e.goldenTolerance,
                    replaceAll: request.pattern == nil,
                    tolerance: { _, metric in e.goldenTolerance(metric: metric) })
                log("Goldens rewritten: \(store.url.path)")
            } else {
                outcome.comparisons = try store.compare(
                    measurements, fingerprint: manifest.fingerprint,
                    requireAllCells: request.pattern == nil)
            }
            if request.selfCheck, reason == nil {
                let first =
                    results.first { $0.cell.name == e.selfCheckCell } ?? results[results.count - 1]
                let again = try e.run(
                    [first.cell], seed: seed, options: request.options, log: { _ in })
                outcome.selfCheck = SelfCheck(
                    cell: first.cell.fullName,
                    diff: try RunDiff.compare(first.folder, again[0].folder))
            }
            papers.append(outcome)
        }
        return Outcome(request: request, papers: papers)
    }

    /// The series of every finished run (a metrics.json present) of `profile` under `root`
    /// (its `runs` folder, or `root` itself), one run per (cell, seed): the latest wins.
    /// Runs are grouped by paper; each paper turns its runs into series.
    public static func series(fromRunsIn root: URL, profile: Profile) throws -> [CellSeries] {
        let runsRoot =
            FileManager.default.fileExists(atPath: root.appendingPathComponent("runs").path)
            ? root.appendingPathComponent("runs") : root
        var files: [MetricsFile] = []
        for folder in try RunFolder.list(root: runsRoot)
        where FileManager.default.fileExists(atPath: folder.metricsURL.path) {
            let m = try folder.readMetrics()
            guard m.profile == profile.rawValue else { continue }
            files.removeAll { $0.cell == m.cell && $0.seed == m.seed }
            files.append(m)
        }
        guard !files.isEmpty else {
            throw ConfigError("no finished \(profile.rawValue) runs under \(runsRoot.path)")
        }
        let sorted = files.sorted { ($0.seed, $0.cell) < ($1.seed, $1.cell) }
        return Papers.all.flatMap { e in
            let mine = sorted.filter { $0.cell.hasPrefix(e.id + "/") }
            return mine.isEmpty ? [] : e.series(mine)
        }
    }

    /// A static HTML page: the Markdown report, then `sections` (e.g. the naturalness study's
    /// Table 2), then one chart per loss column of each run.
    public static func htmlPage(
        title: String, markdown: String, sections: [String] = [], runs: [CellResult]
    ) throws -> String {
        let figures = try runs.flatMap { run in
            let name = "\(run.cell.fullName), seed \(run.seed)"
            return SVGPlot.charts(try run.folder.readLosses(), title: name).map { plot in
                HTMLReport.Figure(
                    caption: "\(plot.title) — \(run.folder.url.lastPathComponent)", svg: plot.svg)
            }
        }
        return HTMLReport.page(
            title: title, markdown: markdown, sections: sections, figures: figures)
    }
}
