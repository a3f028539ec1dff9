import Testing

@testable import Paper1
import Results

@Suite struct Paper1TableTests {
    @Test func paper1Table1IsCompleteAndConsistent() {
        let t = Paper1Table.paper1Table1
        #expect(t.count == 16)
        #expect(Paper1Table.paper1(.multi, .semi, .bdd) == 53.07)
        #expect(Paper1Table.paper1(.single, .supervised, .city) == 61.83)
        // The printed mean column is the mean of the three domains, to the paper's rounding.
        for setting in Paper1Setting.allCases {
            for method in Paper1Method.allCases {
                let domains = [Paper1Domain.city, .synth, .bdd].map {
                    Paper1Table.paper1(setting, method, $0)
                }
                let mean = domains.reduce(0, +) / 3
                #expect(abs(mean - Paper1Table.paper1(setting, method, .mean)) <= 0.005 + 1e-9)
            }
        }
        let n = t.first { $0.setting == .single && $0.method == .semi && $0.domain == .synth }!
        #expect(n.value == 81.45 && n.cell == "p1/single-semi")
        #expect(
            n.source
                == PaperSource(
                    paper: "000_3976e3973b7b5965.txt", table: "Table 1",
                    row: "single-domain / semi-supervised (proposed)", column: "Synscapes"))
    }
}
