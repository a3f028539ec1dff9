import Foundation
import Reports
import Results

/// The static history page: a table of the recorded commits, then one plot per metric, per
/// timing (median seconds) and per instruction count over the commits, one line per machine
/// fingerprint. Self-contained HTML (inline SVG), readable offline.
public enum HistoryPage {
    /// One commit on the page's x axis.
    struct Commit {
        let commit: String
        let subject: String
        let date: String
        let dirty: Bool
        var records: [HistoryRecord]
    }

    /// The page for `records`, commits ordered by commit date (then first record time).
    public static func html(_ records: [HistoryRecord], title: String = "History") -> String {
        let commits = group(records)
        let fingerprints = Array(Set(records.map(\.fingerprint))).sorted()
        var figures: [HTMLReport.Figure] = []
        let timingNames = names(records.flatMap { $0.timings.map(\.name) })
        for name in timingNames {
            figures.append(
                figure(name, unit: "median ms", commits, fingerprints, logY: false) { r in
                    r.timings.first { $0.name == name }.map { $0.median * 1e3 }
                })
        }
        for name in names(records.flatMap { $0.instructions.map(\.name) }) {
            figures.append(
                figure("\(name) (instructions)", unit: "Ir", commits, fingerprints) { r in
                    r.instructions.first { $0.name == name }?.instructions
                })
        }
        let metricNames = Array(Set(records.flatMap { $0.metricValues.map(\.name) })).sorted()
        for name in metricNames {
            figures.append(
                figure(name, unit: "value", commits, fingerprints) { r in
                    r.metricValues.first { $0.name == name }?.value
                })
        }
        let rows = commits.enumerated().map { i, c in
            [
                "\(i)", "`\(c.commit.prefix(12))`\(c.dirty ? " (dirty)" : "")", c.subject, c.date,
                "\(c.records.count)",
            ]
        }
        let machines = fingerprints.map { fp in
            let r = records.first { $0.fingerprint == fp }!
            return "- `\(fp)`: \(r.cpuModel), OpenBLAS \(r.blasCore), verification on "
                + "\(r.threads) threads, benchmarks on \(r.benchThreads ?? r.threads)"
        }
        let markdown = [
            "# \(title)", "",
            "\(records.count) records of \(commits.count) commits on \(fingerprints.count) "
                + "machine fingerprint(s). x axis: the commit's index in the table below; one "
                + "line per machine. Several records of one commit: the median of their values. "
                + "Plots: median wall time per benchmark, callgrind instruction counts, then "
                + "every smoke metric.",
            "", "## Machines", "", machines.joined(separator: "\n"), "", "## Commits", "",
            Report.table(header: ["#", "commit", "subject", "date", "records"], rows: rows), "",
        ].joined(separator: "\n")
        // Two plots side by side: the shared report style draws each 640 px wide.
        return HTMLReport.page(title: title, markdown: markdown, figures: figures)
            .replacingOccurrences(
                of: "</style>", with: "figure svg { width: 540px; }\n</style>")
    }

    /// Distinct names in first-seen order (record order is file order, so this is stable).
    static func names(_ all: [String]) -> [String] {
        var seen: Set<String> = []  // membership only
        return all.filter { seen.insert($0).inserted }
    }

    /// Records grouped by commit, ordered by commit date, then first record time.
    static func group(_ records: [HistoryRecord]) -> [Commit] {
        var commits: [Commit] = []
        for r in records {
            if let i = commits.firstIndex(where: { $0.commit == r.commit }) {
                commits[i].records.append(r)
            } else {
                commits.append(
                    Commit(
                        commit: r.commit, subject: r.subject, date: r.commitDate, dirty: r.dirty,
                        records: [r]))
            }
        }
        return commits.sorted {
            ($0.date, $0.records.map(\.recordedAt).min()!, $0.commit)
                < ($1.date, $1.records.map(\.recordedAt).min()!, $1.commit)
        }
    }

    /// One plot: per fingerprint, the median over that commit's records of `value`.
    static func figure(
        _ name: String, unit: String, _ commits: [Commit], _ fingerprints: [String],
        logY: Bool = false, value: (HistoryRecord) -> Double?
    ) -> HTMLReport.Figure {
        let lines = fingerprints.map { fp in
            SVGPlot.Line(
                name: String(fp.prefix(8)),
                points: commits.enumerated().compactMap { i, c in
                    let values = c.records.filter { $0.fingerprint == fp }.compactMap(value)
                    return values.isEmpty ? nil : (x: Double(i), y: median(values))
                })
        }.filter { !$0.points.isEmpty }
        let plot = SVGPlot(title: name, xLabel: "commit", yLabel: unit, lines: lines, logY: logY)
        return HTMLReport.Figure(caption: name, svg: plot.svg)
    }
}
