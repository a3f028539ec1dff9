import Reports
import Results

/// Paper 1's Table 1 beside the reproduced numbers.
public enum Paper1Report {
    /// Paper 1 Table 1 with the reproduced mean ± std (n seeds) under each paper number.
    ///
    /// `reproduced` holds series keyed by cell "p1/<setting>-<method>", domain and `metric`;
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
                    let paper = Report.fixed(Paper1Table.paper1(setting, method, d))
                    guard let s = byKey[SeriesKey(cell: cell, domain: d.rawValue, metric: metric)]
                    else {
                        return "\(paper) / -"
                    }
                    let sum = s.summary
                    let mean = Report.fixed(sum.mean * percentScale)
                    let spread = sum.n >= 2 ? " ± \(Report.fixed(sum.std * percentScale))" : ""
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
        return note + "\n\n"
            + Report.table(
                header: [
                    "setting", "method", "Cityscapes (city)", "Synscapes (synth)", "BDD100K (bdd)",
                    "mean",
                ],
                rows: rows)
    }
}
