import Reports
import Results
import Testing

@testable import Paper1

@Suite struct Paper1ReportTests {
    func series(_ cell: String, _ domain: String, _ values: [Double]) -> CellSeries {
        CellSeries(cell: cell, domain: domain, metric: "miou", seeds: [1, 2, 3], values: values)
    }

    @Test func paperTableSideBySide() {
        let text = Paper1Report.paper1Table(
            reproduced: [series("p1/multi-semi", "bdd", [0.40, 0.42, 0.44])], profile: "small",
            percentScale: 100)
        #expect(text.contains("profile `small`"))
        #expect(text.contains("does not aim at the paper's absolute numbers"))
        #expect(
            text.contains(
                "| multi | semi | 65.52 / - | 77.60 / - | 53.07 / 42.00 ± 2.00 (n=3) | 65.40 / - |")
        )
        #expect(
            text.contains("| single | supervised | 61.83 / - | 80.22 / - | 41.99 / - | 61.35 / - |")
        )
    }

    @Test func claimsTableRow() {
        let data = [
            series("p1/multi-semi", "bdd", [0.5, 0.52, 0.51]),
            series("p1/single-semi", "bdd", [0.4, 0.41, 0.42]),
        ]
        let results = Claims.evaluate(
            Paper1Claims.all().filter { $0.id == "multi>single/semi/bdd" }, on: data)
        let table = Report.claimsTable(results)
        let row = table.split(separator: "\n").last.map(String.init) ?? ""
        #expect(
            row.hasPrefix(
                "| multi>single/semi/bdd | semi-supervised: multi-domain beats single-domain on bdd"
            ))
        #expect(row.contains("| 9.22 | 0.1 | ["))
        #expect(row.hasSuffix("| 3 | **holds** (95% interval above 0) |"))
    }
}
