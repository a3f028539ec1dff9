import Foundation

extension SurveyReport {
    /// The report's section for the project's HTML report page: a self-contained `<section>`
    /// with, per mode, the measured Table 2 (share, Wilson 95% interval, counts) beside the
    /// paper's, the attention checks, the exclusions and the Bradley-Terry ranking.
    public func htmlSection() -> String {
        var s = "<section id=\"survey\">\n<h2>Naturalness study (paper 2, Table 2)</h2>\n<ul>\n"
        for f in facts + ["Exclusion rule: \(rule.statement)"] {
            s += "<li>\(Self.code(Self.escape(f)))</li>\n"
        }
        s += "</ul>\n"
        if tallies.isEmpty { s += "<p>No judgments stored yet.</p>\n" }
        for t in tallies {
            s += "<h3>\(Self.escape(Self.title(t.mode)))</h3>\n"
            s +=
                "<p>\(t.participants.count) participants counted, \(t.answered) answered pairs, "
                + "\(t.timedOut) timeouts, \(t.excluded.count) excluded.</p>\n<ul>\n"
            for line in Self.attention(t) { s += "<li>\(Self.escape(line))</li>\n" }
            for e in t.excluded {
                s += "<li>Excluded participant \(e.participant): \(Self.escape(e.why)).</li>\n"
            }
            s += "</ul>\n<div style=\"display: flex; flex-wrap: wrap; gap: 2em\">\n"
            s += Self.matrix(t, caption: "Measured: share [Wilson 95%] (chosen/answered)") {
                r, c in
                let cell = Self.cell(t, r.index, c.index)
                let w = cell.wilson.map { " [\(Self.f2($0.low)), \(Self.f2($0.high))]" } ?? ""
                return "\(Self.f2(cell.share))\(w) <small>(\(cell.k)/\(cell.n))</small>"
            }
            s += Self.matrix(t, caption: "Paper 2, Table 2") { r, c in
                Self.f2(PaperTable2.share(t.mode, row: r, column: c))
            }
            s += "</div>\n"
            s += bradleyTerry(t)
        }
        return s + "</section>\n"
    }

    /// A 3 x 3 table over L, L+I, L+I+P (row chosen over column), `cell` giving each entry.
    static func matrix(
        _ t: ModeTally, caption: String, _ cell: (SurveySource, SurveySource) -> String
    ) -> String {
        var s = "<table>\n<caption>\(escape(caption))</caption>\n<tr><th>row vs column</th>"
        for c in SurveySource.generated { s += "<th>\(escape(c.rawValue))</th>" }
        s += "</tr>\n"
        for r in SurveySource.generated {
            s += "<tr><th>\(escape(r.rawValue))</th>"
            for c in SurveySource.generated { s += "<td>\(r == c ? "-" : cell(r, c))</td>" }
            s += "</tr>\n"
        }
        return s + "</table>\n"
    }

    func bradleyTerry(_ t: ModeTally) -> String {
        let bt = BradleyTerry(wins: t.wins, names: Self.names)
        if let why = bt.infinite {
            return "<p>Bradley-Terry: no finite estimate: \(Self.escape(why)).</p>\n"
        }
        guard let th = bt.logStrength else { return "" }
        let parts = (0..<4).map { i -> String in
            let iv = bt.interval(i)!
            return "\(Self.escape(Self.names[i])) \(Self.f2(th[i])) "
                + "[\(Self.f2(iv.low)), \(Self.f2(iv.high))]"
        }
        return "<p>Bradley-Terry log-strengths (95% interval): "
            + parts.joined(separator: "; ") + ".</p>\n"
    }

    /// Markdown's `x` as <code>x</code> (the facts name files that way).
    static func code(_ s: String) -> String {
        let parts = s.components(separatedBy: "`")
        guard parts.count % 2 == 1 else { return s }
        return parts.enumerated().map { i, p in i % 2 == 1 ? "<code>\(p)</code>" : p }.joined()
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(
                of: "\"", with: "&quot;")
    }

    /// Writes `survey.md`, `survey.csv` and `survey.html` into `folder` (created if needed).
    public func write(to folder: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var written: [String] = []
        for (name, text) in [
            ("survey.md", markdown()), ("survey.csv", csv()), ("survey.html", htmlSection()),
        ] {
            let path = (folder as NSString).appendingPathComponent(name)
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw SurveyError.output(path, error.localizedDescription)
            }
            written.append(path)
        }
        return written
    }
}
