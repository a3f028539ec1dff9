import Foundation
import Results

/// Markdown rendering of a verification: golden comparison, paper table beside reproduced
/// numbers, claims, and a one-line summary. Output depends only on the inputs (no dates, no
/// dictionary order), so reports of identical runs are identical.
public enum Report {
    /// A whole report: title, summary line, then the sections that have content: goldens, the
    /// papers' tables (heading and Markdown, in the order given) and claims.
    public static func markdown(
        title: String, golden: [GoldenComparison], claims: [ClaimResult],
        tables: [(heading: String, markdown: String)] = [], notes: [String] = []
    ) -> String {
        var parts = ["# \(title)", summary(golden: golden, claims: claims)]
        if !golden.isEmpty { parts += ["## Regression goldens", goldenTable(golden)] }
        for t in tables { parts += ["## \(t.heading)", t.markdown] }
        if !claims.isEmpty { parts += ["## Claims", claimsTable(claims)] }
        parts += notes
        return parts.joined(separator: "\n\n") + "\n"
    }

    /// One line, e.g. "**Summary:** goldens 30/32 pass (1 fail, 1 missing golden); claims 10 hold,
    /// 2 do not hold, 5 inconclusive."
    public static func summary(golden: [GoldenComparison], claims: [ClaimResult]) -> String {
        var parts: [String] = []
        if !golden.isEmpty {
            let passed = golden.filter(\.passed).count
            let others: [GoldenOutcome] = [
                .fail, .missingGolden, .missingMeasurement, .configChanged,
            ]
            let counts = others.compactMap { o -> String? in
                let n = golden.filter { $0.outcome == o }.count
                return n == 0 ? nil : "\(n) \(o.rawValue)"
            }
            let detail = counts.isEmpty ? "" : " (\(counts.joined(separator: ", ")))"
            parts.append("goldens \(passed)/\(golden.count) pass\(detail)")
        }
        if !claims.isEmpty {
            let verdicts: [ClaimVerdict] = [.holds, .doesNotHold, .inconclusive]
            parts.append(
                "claims "
                    + verdicts.map { v in
                        "\(claims.filter { $0.verdict == v }.count) \(v == .holds ? "hold" : v.rawValue)"
                    }.joined(separator: ", "))
        }
        return "**Summary:** "
            + (parts.isEmpty ? "nothing compared" : parts.joined(separator: "; ")) + "."
    }

    /// Table: cell | metric | measured | golden | diff | tolerance | mode | verdict.
    public static func goldenTable(_ rows: [GoldenComparison]) -> String {
        table(
            header: [
                "cell", "metric", "measured", "golden", "diff", "tolerance", "mode", "verdict",
            ],
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

    /// Table: claim | statement | paper diff | mean diff | 95% CI | std | n seeds | verdict.
    public static func claimsTable(_ results: [ClaimResult]) -> String {
        table(
            header: [
                "claim", "statement", "paper diff", "mean diff", "95% CI", "std", "n seeds",
                "verdict",
            ],
            rows: results.map { r in
                let d = r.difference
                let ci = d.n >= 2 ? "[\(number(d.ciLow)), \(number(d.ciHigh))]" : "-"
                return [
                    r.claim.id, r.claim.statement,
                    r.claim.paperDifference.map { number($0, digits: 4) } ?? "-",
                    d.n > 0 ? number(d.mean) : "-", ci, d.n >= 2 ? number(d.std) : "-", "\(d.n)",
                    "**\(r.verdict.rawValue)** (\(r.note))",
                ]
            })
    }

    /// A Markdown table; "|" inside cells is escaped.
    public static func table(header: [String], rows: [[String]]) -> String {
        func line(_ cells: [String]) -> String {
            "| "
                + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(
                    separator: " | ") + " |"
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
    /// `x` with `digits` decimals ("%.*f"); "nan", "inf", "-inf" for non-finite values.
    public static func fixed(_ x: Double, _ digits: Int) -> String {
        x.isFinite ? String(format: "%.\(digits)f", x) : number(x)
    }

    public static func fixed(_ x: Double) -> String {
        x.isFinite ? String(format: "%.2f", x) : number(x)
    }

    private static func zip2(_ a: Double?, _ b: Double?) -> (Double, Double)? {
        guard let a, let b else { return nil }
        return (a, b)
    }
}
