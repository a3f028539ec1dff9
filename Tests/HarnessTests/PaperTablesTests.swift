import Testing

@testable import Harness

@Suite struct PaperTablesTests {
    @Test func paper1Table1IsCompleteAndConsistent() {
        let t = PaperTable.paper1Table1
        #expect(t.count == 16)
        #expect(PaperTable.paper1(.multi, .semi, .bdd) == 53.07)
        #expect(PaperTable.paper1(.single, .supervised, .city) == 61.83)
        // The printed mean column is the mean of the three domains, to the paper's rounding.
        for setting in Paper1Setting.allCases {
            for method in Paper1Method.allCases {
                let domains = [Paper1Domain.city, .synth, .bdd].map { PaperTable.paper1(setting, method, $0) }
                let mean = domains.reduce(0, +) / 3
                #expect(abs(mean - PaperTable.paper1(setting, method, .mean)) <= 0.005 + 1e-9)
            }
        }
        let n = t.first { $0.setting == .single && $0.method == .semi && $0.domain == .synth }!
        #expect(n.value == 81.45 && n.cell == "single-semi")
        #expect(n.source == PaperSource(
            paper: "000_3976e3973b7b5965.txt", table: "Table 1",
            row: "single-domain / semi-supervised (proposed)", column: "Synscapes"))
    }

    @Test func paper2Tables() {
        #expect(PaperTable.paper2Table1.count == 12)
        let fid = PaperTable.paper2Table1.first { $0.method == .l && $0.metric == .fid }!
        #expect(fid.value == 23.22 && fid.source.table == "Table 1")
        let shares = PaperTable.paper2Table2
        #expect(shares.count == 12)
        // Each pair of opposite cells sums to 1 (every pair had a winner).
        for s in shares {
            let opposite = shares.first { $0.condition == s.condition && $0.row == s.column && $0.column == s.row }!
            #expect(abs(s.share + opposite.share - 1) < 1e-9)
        }
        #expect(shares.first { $0.condition == .fiveSeconds && $0.row == .lip && $0.column == .l }!.share == 0.69)
    }
}
