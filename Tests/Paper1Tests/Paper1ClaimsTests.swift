import Results
import Testing

@testable import Paper1

@Suite struct Paper1ClaimsTests {
    @Test func paper1RulesAndThePaperAgree() {
        let claims = Paper1Claims.all()
        #expect(claims.count == 17)
        #expect(Set(claims.map(\.id)).count == 17)
        // The paper's own table supports every claim we derive from its text.
        #expect(claims.allSatisfy { ($0.paperDifference ?? 0) > 0 })
        let bdd = claims.first { $0.id == "multi>single/semi/bdd" }!
        #expect(abs(bdd.paperDifference! - 9.22) < 1e-9)
        #expect(bdd.a == SeriesKey(cell: "p1/multi-semi", domain: "bdd", metric: "miou"))
    }
}
