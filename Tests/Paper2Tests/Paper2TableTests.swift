import Results
import Testing

@testable import Paper2

@Suite struct Paper2TableTests {
    @Test func paper2Tables() {
        #expect(Paper2Table.paper2Table1.count == 12)
        let fid = Paper2Table.paper2Table1.first { $0.method == .l && $0.metric == .fid }!
        #expect(fid.value == 23.22 && fid.source.table == "Table 1")
        let shares = Paper2Table.paper2Table2
        #expect(shares.count == 12)
        // Each pair of opposite cells sums to 1 (every pair had a winner).
        for s in shares {
            let opposite = shares.first {
                $0.condition == s.condition && $0.row == s.column && $0.column == s.row
            }!
            #expect(abs(s.share + opposite.share - 1) < 1e-9)
        }
        #expect(
            shares.first { $0.condition == .fiveSeconds && $0.row == .lip && $0.column == .l }!
                .share == 0.69)
    }
}
