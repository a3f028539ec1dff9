import Foundation
import Reports
import Results

/// The finished run folders of a sweep, gathered into the reports a single machine's commands
/// give: goldens (`verify`), claims (`claims`) and each paper's tables.
public struct SweepCollection: Sendable {
    /// Finished runs (metrics.json present) of the profile, one per (cell, seed), sorted.
    public var runs: [(folder: RunFolder, metrics: MetricsFile)]
    /// Folders holding a manifest but no metrics.json (still running, failed or stopped).
    public var unfinished: [String]
    /// Golden comparisons of every run whose (paper, profile, seed) has a golden file.
    public var goldens: [GoldenComparison]
    /// Each paper's claims over the runs' series.
    public var claims: [ClaimResult]
    /// Each paper's tables.
    public var tables: [(heading: String, markdown: String)]
    /// The profile collected.
    public var profile: Profile

    /// True when every compared golden passes and no run is unfinished.
    public var passed: Bool { goldens.allSatisfy(\.passed) && unfinished.isEmpty }

    /// Reads the run folders under `root` (its `runs` folder, or `root` itself) of `profile`;
    /// goldens come from `goldenDirectory`.
    public static func collect(root: URL, profile: Profile, goldenDirectory: URL) throws
        -> SweepCollection
    {
        let runsRoot =
            FileManager.default.fileExists(atPath: root.appendingPathComponent("runs").path)
            ? root.appendingPathComponent("runs") : root
        var runs: [(folder: RunFolder, metrics: MetricsFile)] = []
        var unfinished: [String] = []
        for folder in try RunFolder.list(root: runsRoot) {
            guard FileManager.default.fileExists(atPath: folder.metricsURL.path) else {
                unfinished.append(folder.name)
                continue
            }
            let m = try folder.readMetrics()
            guard m.profile == profile.rawValue else { continue }
            runs.removeAll { $0.metrics.cell == m.cell && $0.metrics.seed == m.seed }
            runs.append((folder, m))
        }
        guard !runs.isEmpty else {
            throw ConfigError("no finished \(profile.rawValue) runs under \(runsRoot.path)")
        }
        runs.sort { ($0.metrics.seed, $0.metrics.cell) < ($1.metrics.seed, $1.metrics.cell) }
        let seedsWithGoldens = Set(runs.map(\.metrics.seed)).count > 1
        var goldens: [GoldenComparison] = []
        var series: [CellSeries] = []
        var papers: [any Experiment] = []
        for e in Papers.all {
            let mine = runs.filter { $0.metrics.cell.hasPrefix(e.id + "/") }
            if mine.isEmpty { continue }
            papers.append(e)
            series += e.series(mine.map(\.metrics))
            for run in mine {
                let store = GoldenStore(
                    suite: e.goldenSuite(profile, seed: run.metrics.seed),
                    directory: goldenDirectory)
                guard FileManager.default.fileExists(atPath: store.url.path) else { continue }
                let manifest = try run.folder.readManifest()
                var rows = try store.compare(
                    [run.metrics.measurement], fingerprint: manifest.fingerprint,
                    requireAllCells: false)
                if seedsWithGoldens {
                    for i in rows.indices { rows[i].cell += " (seed \(run.metrics.seed))" }
                }
                goldens += rows
            }
        }
        return SweepCollection(
            runs: runs, unfinished: unfinished, goldens: goldens,
            claims: Claims.evaluate(papers.flatMap { $0.claims() }, on: series),
            tables: papers.flatMap { $0.tables(series, profile: profile) }, profile: profile)
    }

    /// The Markdown report: summary, goldens, tables, claims, then the runs read.
    public var markdown: String {
        let seeds = Array(Set(runs.map(\.metrics.seed))).sorted()
        var notes = [
            "Collected \(runs.count) finished runs (seeds "
                + seeds.map(String.init).joined(separator: ", ") + ")."
        ]
        if goldens.isEmpty { notes.append("No golden file matches these runs' seeds.") }
        if !unfinished.isEmpty {
            notes.append(
                "Unfinished run folders (no metrics.json): " + unfinished.joined(separator: ", "))
        }
        return Report.markdown(
            title: "Sweep results (\(profile.rawValue) profile)", golden: goldens,
            claims: claims, tables: tables, notes: notes)
    }
}
