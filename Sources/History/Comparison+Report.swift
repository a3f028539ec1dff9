import Foundation
import Reports
import Results

extension Comparison {
    /// The comparison as Markdown: a verdict line, then numerics, runs, goldens, timings and
    /// instruction counts.
    public var markdown: String {
        var out = [
            "# Compare: A = \(labelA), B = \(labelB)", "",
            regressed
                ? "**Regression**: \(summary)"
                : "**No regression**: \(summary)",
            "",
        ]
        out += notes.flatMap { ["**Note**: \($0)", ""] }
        if !numerics.isEmpty {
            out += [
                "## Numerics", "",
                Report.table(
                    header: ["metric", "A", "B", "status"],
                    rows: numerics.map { r in
                        [
                            r.name, r.a.map { Report.number($0, digits: 9) } ?? "-",
                            r.b.map { Report.number($0, digits: 9) } ?? "-", r.status.rawValue,
                        ]
                    }),
                "",
            ]
        }
        if !runs.isEmpty {
            out += [
                "## Run bits", "",
                Report.table(
                    header: ["cell", "result"],
                    rows: runs.map { [$0.cell, $0.note] }),
                "",
            ]
        }
        if !goldenChanges.isEmpty {
            out += ["## Golden verdicts that changed", ""]
            out += goldenChanges.map { "- \($0)" } + [""]
        }
        for (title, rows) in [("Wall time", timings), ("CPU time", cpuTimings)] where !rows.isEmpty
        {
            out += [
                "## \(title) (threshold \(Report.fixed(timeThreshold * 100, 1))%, "
                    + "95% bootstrap interval of the ratio of medians)", "",
                Report.table(
                    header: [
                        "benchmark", "A median (ms)", "B median (ms)", "B/A", "95% interval",
                        "verdict",
                    ],
                    rows: rows.map { r in
                        [
                            r.name, Report.fixed(r.a * 1e3, 3), Report.fixed(r.b * 1e3, 3),
                            Report.fixed(r.ratio, 3),
                            r.interval.map {
                                "\(Report.fixed($0.low, 3)) – \(Report.fixed($0.high, 3))"
                            } ?? "",
                            r.change.rawValue,
                        ]
                    }),
                "",
            ]
        }
        if !instructions.isEmpty {
            out += [
                "## Instructions (callgrind Ir, threshold "
                    + "\(Report.fixed(instructionThreshold * 100, 2))%)", "",
                Report.table(
                    header: ["benchmark", "A", "B", "B/A", "verdict"],
                    rows: instructions.map { r in
                        [
                            r.name, Report.number(r.a, digits: 12), Report.number(r.b, digits: 12),
                            Report.fixed(r.ratio, 4), r.change.rawValue,
                        ]
                    }),
                "",
            ]
        }
        return out.joined(separator: "\n")
    }

    /// One line: counts of each kind of change.
    public var summary: String {
        func count(_ rows: [TimingRow], _ c: Change) -> Int { rows.filter { $0.change == c }.count }
        let changed = numerics.filter { $0.status == .changed || $0.status == .onlyInA }.count
        let close = numerics.filter { $0.status == .withinTolerance }.count
        var parts = [
            "\(changed) metric(s) changed, \(close) within tolerance, "
                + "\(numerics.filter { $0.status == .bitwiseEqual }.count) bitwise equal"
        ]
        if !runs.isEmpty {
            parts.append(
                "\(runs.filter { !$0.identical }.count) of \(runs.count) run(s) differ in bits")
        }
        if newGoldenFailures > 0 { parts.append("\(newGoldenFailures) golden(s) newly fail") }
        for (title, rows) in [("wall time", timings), ("CPU time", cpuTimings)] where !rows.isEmpty
        {
            parts.append(
                "\(title): \(count(rows, .slower)) slower, \(count(rows, .faster)) faster, "
                    + "\(count(rows, .noChange)) no change")
        }
        if !instructions.isEmpty {
            parts.append(
                "instructions: \(count(instructions, .slower)) more, "
                    + "\(count(instructions, .faster)) fewer, "
                    + "\(count(instructions, .noChange)) no change")
        }
        return parts.joined(separator: "; ") + "."
    }

    /// The comparison as a static HTML page.
    public var html: String {
        HTMLReport.page(title: "Compare \(labelA) and \(labelB)", markdown: markdown)
    }
}
