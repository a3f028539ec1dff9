import Testing

@testable import Reports
@testable import Results

@Suite struct ReportTests {
    let golden = [
        GoldenComparison(
            cell: "a", metric: "miou", measured: 0.25, golden: 0.25,
            tolerance: Tolerance(atol: 1e-6, rtol: 1e-3),
            mode: .bitwise, outcome: .pass),
        GoldenComparison(
            cell: "b", metric: "miou", measured: 0.5, golden: 0.4,
            tolerance: Tolerance(atol: 1e-6, rtol: 1e-3),
            mode: .tolerance, outcome: .fail),
        GoldenComparison(
            cell: "c", metric: "loss", measured: 1.5, golden: nil, tolerance: nil, mode: nil,
            outcome: .missingGolden),
    ]

    func series(_ cell: String, _ domain: String, _ values: [Double]) -> CellSeries {
        CellSeries(cell: cell, domain: domain, metric: "miou", seeds: [1, 2, 3], values: values)
    }

    @Test func goldenTableRows() {
        let lines = Report.goldenTable(golden).split(separator: "\n").map(String.init)
        #expect(
            lines[0] == "| cell | metric | measured | golden | diff | tolerance | mode | verdict |")
        #expect(lines[1] == "|---|---|---|---|---|---|---|---|")
        #expect(
            lines[2] == "| a | miou | 0.25 | 0.25 | 0 | atol 1e-06, rtol 0.001 | bitwise | pass |")
        #expect(
            lines[3]
                == "| b | miou | 0.5 | 0.4 | 0.1 | atol 1e-06, rtol 0.001 | tolerance | **fail** |")
        #expect(lines[4] == "| c | loss | 1.5 | - |  | - | - | **missing golden** |")
    }

    @Test func summaryLine() {
        let claim = Claim(
            id: "a>b", statement: "a beats b", a: SeriesKey(cell: "p/a", domain: "d", metric: "m"),
            b: SeriesKey(cell: "p/b", domain: "d", metric: "m"), direction: .greater)
        let claims = Claims.evaluate([claim, claim], on: [])
        #expect(
            Report.summary(golden: golden, claims: claims)
                == "**Summary:** goldens 1/3 pass (1 fail, 1 missing golden); claims 0 hold, 0 does not hold, 2 inconclusive."
        )
        #expect(Report.summary(golden: [], claims: []) == "**Summary:** nothing compared.")
    }

    @Test func wholeReportHasEverySection() {
        let text = Report.markdown(
            title: "verify smoke", golden: golden, claims: [],
            tables: [("Paper 9 Table 1", "| a |\n|---|")],
            notes: ["Self-check: fine."])
        #expect(text.hasPrefix("# verify smoke\n\n**Summary:** goldens 1/3 pass"))
        #expect(
            text.contains("## Regression goldens") && text.contains("## Paper 9 Table 1\n\n| a |"))
        #expect(text.hasSuffix("Self-check: fine.\n"))
        #expect(!text.contains("## Claims"))
        #expect(Report.table(header: ["a|b"], rows: []) == "| a\\|b |\n|---|")
    }
}
