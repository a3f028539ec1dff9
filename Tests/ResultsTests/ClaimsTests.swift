import Testing

@testable import Results

@Suite struct ClaimsTests {
    let seeds: [UInt64] = [1, 2, 3, 4]

    func claim(_ direction: Claim.Direction = .greater) -> Claim {
        Claim(
            id: "x", statement: "A beats B",
            a: SeriesKey(cell: "A", domain: "bdd", metric: "miou"),
            b: SeriesKey(cell: "B", domain: "bdd", metric: "miou"), direction: direction,
            margin: direction == .close ? 0.1 : nil)
    }

    func judge(_ a: [Double], _ b: [Double], _ direction: Claim.Direction = .greater) -> ClaimResult
    {
        Claims.evaluate(
            [claim(direction)],
            on: [
                CellSeries(cell: "A", domain: "bdd", metric: "miou", seeds: seeds, values: a),
                CellSeries(cell: "B", domain: "bdd", metric: "miou", seeds: seeds, values: b),
            ])[0]
    }

    /// "A ≈ B" within 10% of B: holds when the paired interval lies inside the margin, does
    /// not hold when it lies outside, is inconclusive when it crosses it.
    @Test func closeClaimsAreEquivalenceChecks() {
        let b: [Double] = [20, 30, 25, 35]
        let inside = judge(zip(b, [0.2, 0.4, 0.1, 0.3]).map(+), b, .close)
        #expect(inside.verdict == .holds, "\(inside)")
        #expect(inside.note.contains("inside") && inside.difference.mean > 0)
        let far = judge(b.map { $0 + 10 }, b, .close)
        #expect(far.verdict == .doesNotHold && far.note.contains("outside"), "\(far)")
        let noisy = judge(zip(b, [0.2, 5, -4, 1]).map(+), b, .close)
        #expect(noisy.verdict == .inconclusive, "\(noisy)")
        #expect(claim(.close).paperDifference == nil)
        let paper = Claim(
            id: "c", statement: "", a: claim().a, b: claim().b, direction: .close, paperA: 16.84,
            paperB: 16.26, margin: 0.1)
        #expect(abs(paper.paperDifference! - 0.58) < 1e-9)
    }

    @Test func summaryUsesStudentT() {
        let s = SampleSummary([1, 2, 3, 4])
        #expect(s.n == 4 && s.mean == 2.5)
        #expect(abs(s.std - 1.2909944487358056) < 1e-12)
        let half = 3.1824 * s.std / 2
        #expect(abs(s.ciLow - (2.5 - half)) < 1e-12 && abs(s.ciHigh - (2.5 + half)) < 1e-12)
        #expect(SampleSummary([7]).std.isNaN && SampleSummary([]).mean.isNaN)
        #expect(studentT975(degreesOfFreedom: 1) == 12.7062)
        #expect(studentT975(degreesOfFreedom: 35) == 2.0423)  // next smaller tabulated df (30)
        #expect(studentT975(degreesOfFreedom: 1000) == 1.9799)
    }

    @Test func pairedDifferencesDecide() {
        // A is B + 1 +- 0.1 under every seed, though both vary by seed far more than 1:
        // pairing removes the shared seed effect, so the claim holds.
        let b: [Double] = [40, 50, 45, 60]
        let a = zip(b, [1.1, 0.9, 1.0, 1.05]).map { $0 + $1 }
        let r = judge(a, b)
        #expect(r.verdict == .holds)
        #expect(r.difference.n == 4 && abs(r.difference.mean - 1.0125) < 1e-12)
        #expect(r.difference.ciLow > 0 && abs(r.meanA - r.meanB - 1.0125) < 1e-12)
    }

    @Test func clearlyWrongClaimDoesNotHold() {
        let r = judge([40, 41, 39, 40.5], [45, 46, 44, 45.2])
        #expect(r.verdict == .doesNotHold && r.difference.ciHigh < 0)
    }

    @Test func equalCellsDoNotHold() {
        // Identical results (zero spread): the interval is {0}, which contains no positive value.
        let r = judge([50, 51, 52, 53], [50, 51, 52, 53])
        #expect(r.verdict == .doesNotHold && r.difference.ciHigh == 0)
    }

    @Test func noisyDifferenceIsInconclusive() {
        let r = judge([50, 49, 52, 48], [49, 50, 50, 49])
        #expect(r.verdict == .inconclusive && r.difference.ciLow < 0 && r.difference.ciHigh > 0)
    }

    @Test func lowerIsBetterClaims() {
        // FID(A) < FID(B): the difference is B - A.
        let r = judge([16, 17, 16.5, 16.2], [23, 22, 24, 23.5], .less)
        #expect(r.verdict == .holds && r.difference.mean > 0)
    }

    @Test func tooFewOrMissingSeriesAreInconclusive() {
        let one = Claims.evaluate(
            [claim()],
            on: [
                CellSeries(
                    cell: "A", domain: "bdd", metric: "miou", seeds: [1, 2], values: [60, 61]),
                CellSeries(
                    cell: "B", domain: "bdd", metric: "miou", seeds: [2, 3], values: [50, 51]),
            ])[0]
        #expect(one.verdict == .inconclusive && one.difference.n == 1)
        let none = Claims.evaluate([claim()], on: [])[0]
        #expect(none.verdict == .inconclusive && none.note.contains("no data"))
    }

    @Test func pairingFollowsSeedsNotPositions() {
        let a = CellSeries(
            cell: "A", domain: "bdd", metric: "miou", seeds: [3, 1, 2], values: [31, 11, 21])
        let b = CellSeries(
            cell: "B", domain: "bdd", metric: "miou", seeds: [1, 2, 3], values: [10, 20, 30])
        let r = Claims.evaluate([claim()], on: [a, b])[0]
        #expect(r.difference.mean == 1 && r.difference.std == 0 && r.verdict == .holds)
    }
}
