import Testing
@testable import Tensors

@Suite struct RandomSourceTests {
    /// Random123's known-answer vectors for philox4x32_10 (kat_vectors).
    @Test func philoxKnownAnswers() {
        #expect(
            RandomSource.philox(counter: (0, 0, 0, 0), key: (0, 0)) == [
                0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8,
            ])
        #expect(
            RandomSource.philox(counter: (.max, .max, .max, .max), key: (.max, .max))
                == [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd])
        #expect(
            RandomSource.philox(
                counter: (0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344),
                key: (0xa409_3822, 0x299f_31d0))
                == [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1])
    }

    @Test func sameSeedSameStreamSameNumbers() {
        var a = RandomSource(seed: 42).split("data")
        var b = RandomSource(seed: 42).split("data")
        let xs = (0..<1000).map { _ in a.normal() }
        let ys = (0..<1000).map { _ in b.normal() }
        #expect(xs.map(\.bitPattern) == ys.map(\.bitPattern))
    }

    @Test func streamsDiffer() {
        var a = RandomSource(seed: 42).split("data")
        var b = RandomSource(seed: 42).split("init")
        #expect((0..<8).map { _ in a.nextUInt32() } != (0..<8).map { _ in b.nextUInt32() })
        var c = RandomSource(seed: 42).split("a").split("b")
        var d = RandomSource(seed: 42).split("b").split("a")
        #expect(c.nextUInt32() != d.nextUInt32())
    }

    @Test func stateRoundTrip() {
        var a = RandomSource(seed: 7, stream: 3)
        for _ in 0..<5 { _ = a.nextUInt32() }
        var b = RandomSource(state: a.state)
        #expect((0..<20).map { _ in a.nextUInt32() } == (0..<20).map { _ in b.nextUInt32() })
    }

    @Test func distributionsLookRight() {
        var r = RandomSource(seed: 1)
        let n = 200_000
        var s = 0.0, s2 = 0.0
        for _ in 0..<n { let x = Double(r.normal()); s += x; s2 += x * x }
        #expect(abs(s / Double(n)) < 0.01)
        #expect(abs(s2 / Double(n) - 1) < 0.02)
        var u = 0.0
        for _ in 0..<n { u += Double(r.uniform()) }
        #expect(abs(u / Double(n) - 0.5) < 0.005)
        var hits = 0
        for _ in 0..<n where r.bernoulli(0.3) { hits += 1 }
        #expect(abs(Double(hits) / Double(n) - 0.3) < 0.005)
        let p = r.permutation(100)
        #expect(p.sorted() == Array(0..<100))
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<60_000 { counts[r.int(below: 6)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 400 })
    }
}
