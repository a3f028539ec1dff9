import Foundation
import GRDB

/// Table 2 from the recorded judgments: per mode, the matrix of shares with counts, Wilson 95%
/// intervals, exact binomial tests against 0.5, timeouts, a Bradley-Terry ranking, and the
/// paper's table beside the measured one. Written as Markdown, CSV and an HTML section.
public struct SurveyReport: Sendable {
    public let tallies: [ModeTally]
    public let rule: ExclusionRule
    /// Study facts for the header (seed, catch rate, rules of each mode...).
    public let facts: [String]

    public init(tallies: [ModeTally], rule: ExclusionRule, facts: [String]) {
        self.tallies = tallies
        self.rule = rule
        self.facts = facts
    }

    /// Builds the report from a store.
    public init(store: SurveyStore, rule: ExclusionRule) throws {
        let js = try store.judgments()
        var facts = [
            "Store: `\(store.path)`, \(try store.participantCount()) participants, "
                + "\(js.count) trials (\(js.filter { $0.outcome == nil }.count) still open).",
            "Design: seed \(try store.metaValue("seed") ?? "?"), every source pair shown equally "
                + "often in random order, random scene and left/right placement per trial; "
                + "a catch trial every \(try store.metaValue("catchEvery") ?? "?") blocks of six "
                + "pairs (0 = none), of kinds "
                + "\(try store.metaValue("catchKinds") ?? CatchKind.flipped.rawValue) in turn.",
        ]
        if let images = try store.metaValue("images") {
            facts.append(
                "Images (first start): "
                    + images.split(separator: "\n").joined(separator: "; ") + ".")
        }
        facts += try store.modeRules()
        facts.append(Self.displaySizes(js))
        facts.append(
            "Shares use answered trials only; timeouts are counted separately. Bradley-Terry "
                + "intervals: observed Fisher information under sum(log-strength) = 0.")
        self.init(tallies: ModeTally.make(js, rule: rule), rule: rule, facts: facts)
    }

    static let names = SurveySource.allCases.map(\.rawValue)

    /// The attention checks of one mode, one sentence each: flipped and identical catch
    /// trials (all participants) and the side of the counted participants' answers.
    static func attention(_ t: ModeTally) -> [String] {
        var out = [
            "Flipped catch trials (the real image beside itself upside down), all participants: "
                + "\(t.catchPassed) of \(t.catchAnswered) answered with the upright image, "
                + "\(t.catchTimeouts) timed out."
        ]
        let (l, n) = (t.identicalLeft, t.identicalAnswered)
        var identical =
            "Identical catch trials (one image on both sides, no right answer), all "
            + "participants: \(l) of \(n) answered on the left"
        if n > 0, let w = SurveyStatistics.wilson(l, n) {
            identical +=
                " (share \(f3(Double(l) / Double(n))), Wilson 95% [\(f3(w.low)), \(f3(w.high))], "
                + "binomial p vs 0.5 \(pv(SurveyStatistics.binomialTwoSided(l, n))))"
        }
        out.append(identical + ", \(t.identicalTimeouts) timed out.")
        let shares = t.leftShares.sorted()
        if !shares.isEmpty {
            out.append(
                "Share of answers on the left per counted participant (all trials; placement "
                    + "is random): median \(f2((shares[(shares.count - 1) / 2] + shares[shares.count / 2]) / 2)), "
                    + "range "
                    + "[\(f2(shares.first)), \(f2(shares.last))].")
        }
        return out
    }

    /// The most common on-screen sizes the pages reported (CSS pixels @ device pixel ratio).
    static func displaySizes(_ js: [Judgment]) -> String {
        var counts: [String: Int] = [:]
        for j in js { if let s = j.displaySize { counts[s, default: 0] += 1 } }
        guard !counts.isEmpty else { return "Display size: not reported by the page." }
        let top = counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(3)
        return "Display size of each image (CSS px @ pixel ratio): "
            + top.map { "\($0.key) in \($0.value) trials" }.joined(separator: ", ") + "."
    }

    /// One pair's statistics, row i chosen over column j.
    public struct Cell: Sendable {
        public var k: Int, n: Int, timeouts: Int
        public var share: Double? { n > 0 ? Double(k) / Double(n) : nil }
        public var wilson: (low: Double, high: Double)? { SurveyStatistics.wilson(k, n) }
        public var pValue: Double? { SurveyStatistics.binomialTwoSided(k, n) }
    }

    public static func cell(_ t: ModeTally, _ i: Int, _ j: Int) -> Cell {
        Cell(k: t.wins[i][j], n: t.n(i, j), timeouts: t.timeouts[i][j])
    }

    static func f2(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "–" }
    static func f3(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "–" }
    static func pv(_ x: Double?) -> String {
        guard let x else { return "–" }
        return x < 0.001 ? String(format: "%.1e", x) : String(format: "%.3f", x)
    }

    static func title(_ mode: StudyMode) -> String {
        mode == .timed ? "(1) timed (answer within the limit)" : "(2) no time limit"
    }

    // MARK: - Markdown

    public func markdown() -> String {
        var s = "# Naturalness study (paper 2, Table 2)\n\n"
        for f in facts { s += "- \(f)\n" }
        s += "- Exclusion rule: \(rule.statement)\n"
        if tallies.isEmpty { s += "\nNo judgments stored yet.\n" }
        for t in tallies { s += "\n" + markdown(t) }
        return s
    }

    func markdown(_ t: ModeTally) -> String {
        func paper(_ r: SurveySource, _ c: SurveySource) -> Double? {
            PaperTable2.share(t.mode, row: r, column: c)
        }
        var s = "## \(Self.title(t.mode))\n\n"
        s +=
            "\(t.participants.count) participants counted, \(t.answered) answered pairs, "
            + "\(t.timedOut) timeouts.\n\n"
        for line in Self.attention(t) { s += "- \(line)\n" }
        for e in t.excluded { s += "- Excluded participant \(e.participant): \(e.why).\n" }
        s +=
            "\nMeasured vs paper (share of trials in which the row was chosen over the column):\n\n"
        s +=
            "| row vs column | " + SurveySource.generated.map(\.rawValue).joined(separator: " | ")
            + " |\n"
        s += "|---|---|---|---|\n"
        for r in SurveySource.generated {
            s += "| \(r.rawValue) |"
            for c in SurveySource.generated {
                if r == c {
                    s += " - |"
                    continue
                }
                let cell = Self.cell(t, r.index, c.index)
                s +=
                    " \(Self.f2(cell.share)) (paper \(Self.f2(paper(r, c)))) |"
            }
            s += "\n"
        }
        s += "\nEvery pair (all four sources):\n\n"
        s +=
            "| row | column | chosen k | answered n | share | Wilson 95% | binomial p (vs 0.5) "
            + "| timeouts | paper |\n"
        s += "|---|---|---|---|---|---|---|---|---|\n"
        for (a, b) in SurveySource.pairs {
            for (r, c) in [(b, a), (a, b)] {
                let cell = Self.cell(t, r.index, c.index)
                let w = cell.wilson.map { "[\(Self.f3($0.low)), \(Self.f3($0.high))]" } ?? "–"
                s +=
                    "| \(r.rawValue) | \(c.rawValue) | \(cell.k) | \(cell.n) "
                    + "| \(Self.f3(cell.share)) | \(w) | \(Self.pv(cell.pValue)) "
                    + "| \(cell.timeouts) | \(Self.f2(paper(r, c))) |\n"
            }
        }
        s += "\nBradley-Terry ranking (log-strength, sum zero):\n\n"
        let bt = BradleyTerry(wins: t.wins, names: Self.names)
        if let why = bt.infinite {
            s += "No finite estimate: \(why).\n"
        } else if let th = bt.logStrength {
            s +=
                "| rank | source | log-strength | 95% interval | strength share |\n"
                + "|---|---|---|---|---|\n"
            let order = (0..<4).sorted { th[$0] > th[$1] || (th[$0] == th[$1] && $0 < $1) }
            let total = th.reduce(0) { $0 + exp($1) }
            for (rank, i) in order.enumerated() {
                let iv = bt.interval(i)!
                s +=
                    "| \(rank + 1) | \(Self.names[i]) | \(Self.f3(th[i])) "
                    + "| [\(Self.f3(iv.low)), \(Self.f3(iv.high))] | "
                    + "\(Self.f3(exp(th[i]) / total)) |\n"
            }
        }
        return s
    }

    // MARK: - CSV

    public func csv() -> String {
        var s =
            "mode,row,column,chosen,answered,share,wilson_low,wilson_high,binomial_p,timeouts,"
            + "paper_share,"
            + "bt_log_strength_row,bt_low_row,bt_high_row\n"
        for t in tallies {
            let bt = BradleyTerry(wins: t.wins, names: Self.names)
            for r in SurveySource.allCases {
                for c in SurveySource.allCases where r != c {
                    let cell = Self.cell(t, r.index, c.index)
                    let iv = bt.interval(r.index)
                    let fields: [String] = [
                        t.mode.rawValue, r.rawValue, c.rawValue, String(cell.k), String(cell.n),
                        cell.share.map { String($0) } ?? "",
                        cell.wilson.map { String($0.low) } ?? "",
                        cell.wilson.map { String($0.high) } ?? "",
                        cell.pValue.map { String($0) } ?? "",
                        String(cell.timeouts),
                        PaperTable2.share(t.mode, row: r, column: c).map { String($0) } ?? "",
                        bt.logStrength.map { String($0[r.index]) } ?? "",
                        iv.map { String($0.low) } ?? "", iv.map { String($0.high) } ?? "",
                    ]
                    s += fields.joined(separator: ",") + "\n"
                }
            }
        }
        return s
    }
}

extension SurveyStore {
    /// One sentence per mode on the rules its participants ran under.
    func modeRules() throws -> [String] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT mode, timeLimit, target, timeoutsCount, count(*) AS n FROM participants
                    GROUP BY mode, timeLimit, target, timeoutsCount ORDER BY mode, timeLimit, target
                    """)
            return rows.map { r in
                let mode: String = r["mode"]
                let limit: Double? = r["timeLimit"]
                let counts: Bool = r["timeoutsCount"]
                let n: Int = r["n"]
                let target: Int = r["target"]
                let l =
                    limit.map { String(format: "%.1f s limit from both images on screen, ", $0) }
                    ?? ""
                return "Mode \(mode): \(n) participants, \(l)\(target) pairs each, timeouts "
                    + (counts
                        ? "count toward the \(target)"
                        : "do not count (the pair budget is answered pairs)")
                    + "."
            }
        }
    }
}
