import Foundation

/// Markdown rendering of a verification: golden comparison, paper table beside reproduced
/// numbers, claims, and a one-line summary. Output depends only on the inputs (no dates, no
/// dictionary order), so reports of identical runs are identical.
public enum Report {
    /// A whole report: title, summary line, then the sections that have content.
    public static func markdown(
        title: String, profile: String, golden: [GoldenComparison], claims: [ClaimResult],
        reproduced: [CellSeries], metric: String = "miou", percentScale: Double = 1,
        synthesis: [CellSeries] = []
    ) -> String {
        var parts = ["# \(title)", summary(golden: golden, claims: claims)]
        if !golden.isEmpty { parts += ["## Regression goldens", goldenTable(golden)] }
        if !reproduced.isEmpty {
            parts += [
                "## Paper 1 Table 1 (mIoU %)",
                paper1Table(reproduced: reproduced, profile: profile, metric: metric, percentScale: percentScale),
            ]
        }
        if !synthesis.isEmpty {
            parts += ["## Paper 2 Table 1", paper2Table(reproduced: synthesis, profile: profile)]
        }
        if !claims.isEmpty { parts += ["## Claims", claimsTable(claims)] }
        return parts.joined(separator: "\n\n") + "\n"
    }

    /// One line, e.g. "**Summary:** goldens 30/32 pass (1 fail, 1 missing golden); claims 10 hold,
    /// 2 do not hold, 5 inconclusive."
    public static func summary(golden: [GoldenComparison], claims: [ClaimResult]) -> String {
        var parts: [String] = []
        if !golden.isEmpty {
            let passed = golden.filter(\.passed).count
            let others: [GoldenOutcome] = [.fail, .missingGolden, .missingMeasurement, .configChanged]
            let counts = others.compactMap { o -> String? in
                let n = golden.filter { $0.outcome == o }.count
                return n == 0 ? nil : "\(n) \(o.rawValue)"
            }
            let detail = counts.isEmpty ? "" : " (\(counts.joined(separator: ", ")))"
            parts.append("goldens \(passed)/\(golden.count) pass\(detail)")
        }
        if !claims.isEmpty {
            let verdicts: [ClaimVerdict] = [.holds, .doesNotHold, .inconclusive]
            parts.append("claims " + verdicts.map { v in
                "\(claims.filter { $0.verdict == v }.count) \(v == .holds ? "hold" : v.rawValue)"
            }.joined(separator: ", "))
        }
        return "**Summary:** " + (parts.isEmpty ? "nothing compared" : parts.joined(separator: "; ")) + "."
    }

    /// Table: cell | metric | measured | golden | diff | tolerance | mode | verdict.
    public static func goldenTable(_ rows: [GoldenComparison]) -> String {
        table(
            header: ["cell", "metric", "measured", "golden", "diff", "tolerance", "mode", "verdict"],
            rows: rows.map { r in
                let diff = zip2(r.measured, r.golden).map { number(abs($0 - $1)) } ?? ""
                return [
                    r.cell, r.metric, r.measured.map { number($0) } ?? "-",
                    r.golden.map { number($0) } ?? "-", diff,
                    r.tolerance.map { "atol \(number($0.atol)), rtol \(number($0.rtol))" } ?? "-",
                    r.mode?.rawValue ?? "-", r.passed ? "pass" : "**\(r.outcome.rawValue)**",
                ]
            })
    }

    /// Paper 1 Table 1 with the reproduced mean ± std (n seeds) under each paper number.
    ///
    /// `reproduced` holds series keyed by cell "<setting>-<method>", domain and `metric`;
    /// values are multiplied by `percentScale` (100 when the runs report fractions).
    public static func paper1Table(
        reproduced: [CellSeries], profile: String, metric: String = "miou", percentScale: Double = 1
    ) -> String {
        var byKey: [SeriesKey: CellSeries] = [:]
        for s in reproduced { byKey[s.key] = s }
        let domains = Paper1Domain.allCases
        var rows: [[String]] = []
        for setting in Paper1Setting.allCases {
            for method in Paper1Method.allCases {
                let cell = cellName(setting, method)
                let values = domains.map { d -> String in
                    let paper = fixed(PaperTable.paper1(setting, method, d))
                    guard let s = byKey[SeriesKey(cell: cell, domain: d.rawValue, metric: metric)] else {
                        return "\(paper) / -"
                    }
                    let sum = s.summary
                    let mean = fixed(sum.mean * percentScale)
                    let spread = sum.n >= 2 ? " ± \(fixed(sum.std * percentScale))" : ""
                    return "\(paper) / \(mean)\(spread) (n=\(sum.n))"
                }
                rows.append([setting.rawValue, method.rawValue] + values)
            }
        }
        let note = """
            Each cell: paper / reproduced at profile `\(profile)` (mean ± std over seeds). \
            At CI scale (profiles `smoke` and `small`: synthetic data, small networks, short \
            schedules) the reproduction does not aim at the paper's absolute numbers; compare \
            orderings and gaps through the claims table. Only the `paper` profile targets them.
            """
        return note + "\n\n" + table(
            header: ["setting", "method", "Cityscapes (city)", "Synscapes (synth)", "BDD100K (bdd)", "mean"],
            rows: rows)
    }

    /// Paper 2 Table 1 with the reproduced mean ± std (n seeds) beside each paper number.
    ///
    /// `reproduced` holds series keyed by cell "L", "L+I", "L+I+P", `domain` and metric
    /// `SynthesisMetric.rawValue`, in the paper's units (MICV x1e5, mIoU as a fraction).
    public static func paper2Table(reproduced: [CellSeries], profile: String, domain: String = "city") -> String {
        var byKey: [SeriesKey: CellSeries] = [:]
        for s in reproduced { byKey[s.key] = s }
        let rows = [SynthesisMethod.lip, .li, .l].map { method -> [String] in
            [method.rawValue] + SynthesisMetric.allCases.map { metric -> String in
                let paper = PaperTable.paper2Table1.first { $0.method == method && $0.metric == metric }!.value
                let key = SeriesKey(cell: method.rawValue, domain: domain, metric: metric.rawValue)
                guard let sum = byKey[key]?.summary else { return "\(number(paper, digits: 4)) / -" }
                let spread = sum.n >= 2 ? " ± \(number(sum.std, digits: 2))" : ""
                return "\(number(paper, digits: 4)) / \(number(sum.mean, digits: 4))\(spread) (n=\(sum.n))"
            }
        }
        let note = """
            Each cell: paper / reproduced at profile `\(profile)` (mean ± std over seeds). FID and \
            the segmenter behind mIoU use the harness's pluggable feature extractors, not the \
            paper's Inception and PSPNet weights, so only orderings are comparable below `paper`.
            """
        return note + "\n\n" + table(
            header: ["method", "MICV car (x1e5)", "MICV person (x1e5)", "FID (lower is better)", "mIoU"],
            rows: rows)
    }

    /// Table: claim | statement | paper diff | mean diff | 95% CI | std | n seeds | verdict.
    public static func claimsTable(_ results: [ClaimResult]) -> String {
        table(
            header: ["claim", "statement", "paper diff", "mean diff", "95% CI", "std", "n seeds", "verdict"],
            rows: results.map { r in
                let d = r.difference
                let ci = d.n >= 2 ? "[\(number(d.ciLow)), \(number(d.ciHigh))]" : "-"
                return [
                    r.claim.id, r.claim.statement, r.claim.paperDifference.map { number($0, digits: 4) } ?? "-",
                    d.n > 0 ? number(d.mean) : "-", ci, d.n >= 2 ? number(d.std) : "-", "\(d.n)",
                    "**\(r.verdict.rawValue)** (\(r.note))",
                ]
            })
    }

    /// A Markdown table; "|" inside cells is escaped.
    public static func table(header: [String], rows: [[String]]) -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        let rule = "|" + header.map { _ in "---|" }.joined()
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }

    /// `x` with `digits` significant digits ("%.*g"); "nan", "inf", "-inf" for non-finite values.
    public static func number(_ x: Double, digits: Int = 6) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return String(format: "%.\(digits)g", x)
    }

    /// `x` with 2 decimals, as the papers print their tables.
    static func fixed(_ x: Double) -> String {
        x.isFinite ? String(format: "%.2f", x) : number(x)
    }

    private static func zip2(_ a: Double?, _ b: Double?) -> (Double, Double)? {
        guard let a, let b else { return nil }
        return (a, b)
    }
}
