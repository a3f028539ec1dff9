import Testing
@testable import Data

@Suite struct SplitsTests {
    @Test func oneEighthLabeledDeterministic() {
        let a = SemiSupervisedSplit.make(count: 100, domain: "city", seed: 42)
        #expect(a.labeled.count == 12 && a.unlabeled.count == 88)
        #expect(Set(a.labeled).isDisjoint(with: a.unlabeled))
        #expect((a.labeled + a.unlabeled).sorted() == Array(0..<100))
        #expect(a == SemiSupervisedSplit.make(count: 100, domain: "city", seed: 42))
        #expect(a != SemiSupervisedSplit.make(count: 100, domain: "bdd", seed: 42))
        #expect(SemiSupervisedSplit.make(count: 3, domain: "x", seed: 1).labeled.count == 1)
    }
}
