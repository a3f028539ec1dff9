import Reports
import Results

/// The measurements that decide CAC's effect (issue 14), as series and as a report table.
extension Paper1Report {
    /// The per-run diagnostics reported: metric name of the series, column of CACDiagnostics.
    static let diagnostics = [
        ("cac_confident", "confident"), ("cac_selected", "selected"), ("cac_dc_share", "dc_share"),
    ]

    /// Series "cac_confident", "cac_selected", "cac_dc_share" per (semi cell, domain): the mean
    /// of the column over each run's last epoch (metrics.json "cac/<column>/<domain>").
    static func diagnosticSeries(_ runs: [MetricsFile], cell: String, domains: [String])
        -> [CellSeries]
    {
        var out: [CellSeries] = []
        for d in domains where d != "mean" {
            for (metric, column) in diagnostics {
                let values = runs.map { $0.series["cac/\(column)/\(d)"]?.last ?? .nan }
                guard values.contains(where: { !$0.isNaN }) else { continue }
                out.append(
                    CellSeries(
                        cell: cell, domain: d, metric: metric, seeds: runs.map(\.seed),
                        values: values))
            }
        }
        return out
    }

    /// Per setting and domain: the mIoU gap semi minus supervised (paired by seed), and the
    /// semi cell's last-epoch share of confident overlap positions, of DC anchors and of the
    /// DC loss in the total loss (mean over seeds). "-" where a series is missing.
    public static func cacTable(_ series: [CellSeries]) -> String {
        var byKey: [SeriesKey: CellSeries] = [:]
        for s in series { byKey[s.key] = s }
        func get(_ cell: String, _ d: String, _ metric: String) -> CellSeries? {
            byKey[SeriesKey(cell: cell, domain: d, metric: metric)]
        }
        var rows: [[String]] = []
        for setting in Paper1Setting.allCases {
            let semi = cellName(setting, .semi)
            let supervised = cellName(setting, .supervised)
            for d in Paper1Domain.allCases.map(\.rawValue) {
                var gap = "-"
                if let a = get(semi, d, "miou"), let b = get(supervised, d, "miou") {
                    let bySeed = Dictionary(uniqueKeysWithValues: zip(b.seeds, b.values))
                    let diffs = zip(a.seeds, a.values).sorted { $0.0 < $1.0 }.compactMap {
                        seed, value in bySeed[seed].map { value - $0 }
                    }
                    let s = SampleSummary(diffs)
                    let spread = s.n >= 2 ? " ± \(Report.fixed(s.std))" : ""
                    if s.n > 0 { gap = "\(Report.fixed(s.mean))\(spread) (n=\(s.n))" }
                }
                let shares = diagnostics.map { metric, _ -> String in
                    guard let s = get(semi, d, metric) else { return "-" }
                    let present = s.values.filter { !$0.isNaN }
                    guard !present.isEmpty else { return "-" }
                    return Report.fixed(100 * present.reduce(0, +) / Double(present.count), 1)
                }
                rows.append([setting.rawValue, d, gap] + shares)
            }
        }
        let note = """
            mIoU gap: semi minus supervised in points, paired by seed (mean ± std over seeds). \
            The semi cell's last epoch, in % (mean over seeds): confident = overlap positions \
            of both crops above CAC's confidence threshold; anchors = overlap positions the \
            DC loss trains (either direction); DC share = λ·DC / (CE + λ·DC). The per-epoch \
            values are in each run's metrics.json (`cac/<column>/<domain>`) and every step's \
            in losses.csv.
            """
        return note + "\n\n"
            + Report.table(
                header: [
                    "setting", "domain", "semi − supervised (mIoU points)", "confident %",
                    "anchors %", "DC share of loss %",
                ],
                rows: rows)
    }
}
