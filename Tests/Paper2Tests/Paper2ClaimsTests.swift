import Results
import Testing

@testable import Paper2

@Suite struct Paper2ClaimsTests {
    @Test func paper2RulesAndThePaperAgree() {
        let claims = Paper2Claims.all()
        #expect(claims.count == 8)
        #expect(claims.allSatisfy { ($0.paperDifference ?? 0) > 0 })
        let fid = claims.first { $0.a.metric == "fid" && $0.a.cell == "p2/L+I" }!
        #expect(fid.direction == .less && abs(fid.paperDifference! - (23.22 - 16.26)) < 1e-9)
    }
}
