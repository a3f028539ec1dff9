import Results
import Testing

@testable import Paper2

@Suite struct Paper2ClaimsTests {
    @Test func paper2RulesAndThePaperAgree() {
        let claims = Paper2Claims.all()
        #expect(claims.count == 9)
        let ordered = claims.filter { $0.direction != .close }
        #expect(ordered.count == 8 && ordered.allSatisfy { ($0.paperDifference ?? 0) > 0 })
        // The paper's FID of L+I+P is within the margin of L+I's.
        let close = claims.first { $0.direction == .close }!
        #expect(close.a.cell == "p2/L+I+P" && close.b.cell == "p2/L+I" && close.a.metric == "fid")
        #expect(abs(close.paperDifference!) <= close.margin! * close.paperB!)
        let fid = claims.first { $0.a.metric == "fid" && $0.a.cell == "p2/L+I" }!
        #expect(fid.direction == .less && abs(fid.paperDifference! - (23.22 - 16.26)) < 1e-9)
    }
}
