import Foundation

extension SurveyReport {
    /// The report's section for the project's HTML report page: a self-contained `<section>`.
    public func htmlSection() -> String {
        var s = "<section id=\"survey\">\n<h2>Naturalness study (paper 2, Table 2)</h2>\n<ul>\n"
        for f in facts + ["Exclusion rule: \(rule.statement)"] {
            s += "<li>\(Self.escape(f))</li>\n"
        }
        s += "</ul>\n"
        if tallies.isEmpty { s += "<p>No judgments stored yet.</p>\n" }
        for t in tallies {
            s += "<h3>\(Self.escape(Self.title(t.mode)))</h3>\n"
            s +=
                "<p>\(t.participants.count) participants counted, \(t.answered) answered pairs, "
                + "\(t.timedOut) timeouts, \(t.excluded.count) excluded.</p>\n"
            s += "<table>\n<tr><th>row vs column</th>"
            for c in SurveySource.generated { s += "<th>\(Self.escape(c.rawValue))</th>" }
            s += "</tr>\n"
            for r in SurveySource.generated {
                s += "<tr><th>\(Self.escape(r.rawValue))</th>"
                for c in SurveySource.generated {
                    if r == c {
                        s += "<td>-</td>"
                        continue
                    }
                    let cell = Self.cell(t, r.index, c.index)
                    let w = cell.wilson.map { " [\(Self.f2($0.low)), \(Self.f2($0.high))]" } ?? ""
                    s +=
                        "<td>\(Self.f2(cell.share))\(w) <small>(\(cell.k)/\(cell.n); paper "
                        + "\(Self.f2(PaperTable2.share(t.mode, row: r, column: c))))</small></td>"
                }
                s += "</tr>\n"
            }
            s += "</table>\n"
            let bt = BradleyTerry(wins: t.wins, names: Self.names)
            if let why = bt.infinite {
                s += "<p>Bradley-Terry: no finite estimate: \(Self.escape(why)).</p>\n"
            } else if let th = bt.logStrength {
                s += "<p>Bradley-Terry log-strengths (95% interval): "
                let parts = (0..<4).map { i -> String in
                    let iv = bt.interval(i)!
                    return
                        "\(Self.escape(Self.names[i])) \(Self.f2(th[i])) "
                        + "[\(Self.f2(iv.low)), \(Self.f2(iv.high))]"
                }
                s += parts.joined(separator: "; ") + ".</p>\n"
            }
        }
        return s + "</section>\n"
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
