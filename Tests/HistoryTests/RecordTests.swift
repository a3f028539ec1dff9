import Foundation
import Testing

@testable import History
import Results
import TestSupport

@Suite struct RecordTests {
    let folder = TemporaryFolder()

    static func record(commit: String, metric: Double, samples: [Double]) -> HistoryRecord {
        HistoryRecord(
            commit: commit, dirty: false, subject: "", commitDate: "", fingerprint: "fp",
            cpuModel: "", blasCore: "", threads: 1, recordedAt: "", profile: "smoke", seed: 0,
            cells: [
                .init(
                    cell: "p1/a", configHash: "0", metrics: ["miou/mean": metric],
                    tolerance: Tolerance(atol: 0.01, rtol: 0), runFingerprint: "\(metric)",
                    runFolder: "/nonexistent")
            ],
            goldens: [.init(cell: "p1/a", metric: "miou/mean", outcome: "pass", mode: "bitwise")],
            timings: [.init(name: "t", flops: 1, samples: samples)], instructions: [],
            elapsedSeconds: 0)
    }

    /// A repeated record of the same commit and machine goes to a numbered file; the first
    /// file keeps its content.
    @Test func recordsAreNeverOverwritten() throws {
        let store = HistoryStore(folder: folder.url)
        let commit = String(repeating: "ab", count: 20)
        let a = Self.record(commit: commit, metric: 1, samples: [1, 2])
        let b = Self.record(commit: commit, metric: 2, samples: [1, 2])
        let ua = try store.save(a), ub = try store.save(b)
        #expect(ua.lastPathComponent == "abababababab-fp.json")
        #expect(ub.lastPathComponent == "abababababab-fp-2.json")
        #expect(try HistoryRecord.read(ua) == a && HistoryRecord.read(ub) == b)
        #expect(try store.records(of: commit, preferring: "fp").map(\.record) == [a, b])
        #expect(try store.records(of: String(repeating: "cd", count: 20), preferring: nil).isEmpty)
    }

    @Test func aRecordOfAnotherFormatIsRefusedByName() throws {
        let url = folder.url.appendingPathComponent("x.json")
        var r = Self.record(commit: "c", metric: 1, samples: [1, 2])
        r.formatVersion = 99
        try ResultFile.writeJSON(r, to: url)
        #expect(throws: HarnessFileError.self) { try HistoryRecord.read(url) }
    }

    /// Seeded bootstrap: the same samples give the same interval; 2x is slower, 0.5x faster,
    /// the same distribution no change, and 3% (under the 5% threshold) no change.
    @Test func timingVerdicts() {
        let a = (0..<15).map { 1.0 + 0.02 * Double(($0 * 7) % 5) }
        let v1 = TimingVerdict(a, a.map { $0 * 2 }, threshold: 0.05)
        #expect(v1.change == .slower && v1.low > 1.8)
        #expect(TimingVerdict(a, a.map { $0 * 2 }, threshold: 0.05) == v1)
        #expect(TimingVerdict(a, a.map { $0 * 0.5 }, threshold: 0.05).change == .faster)
        #expect(TimingVerdict(a, a.reversed(), threshold: 0.05).change == .noChange)
        #expect(TimingVerdict(a, a.map { $0 * 1.03 }, threshold: 0.05).change == .noChange)
        #expect(TimingVerdict.instructions(1000, 1005, threshold: 0.01) == .noChange)
        #expect(TimingVerdict.instructions(1000, 1200, threshold: 0.01) == .slower)
    }

    /// Numerics: bitwise equal, within the record's tolerance, changed; golden changes.
    @Test func numericStatuses() {
        let base = Self.record(commit: "c", metric: 0.5, samples: [1, 1.01, 0.99])
        let same = Comparison(base, base, labelA: "a", labelB: "b")
        #expect(!same.regressed && same.numerics[0].status == .bitwiseEqual)
        #expect(same.runs.map(\.identical) == [true])
        let close = Comparison(
            base, Self.record(commit: "d", metric: 0.505, samples: [1, 1.01, 0.99]),
            labelA: "a", labelB: "b")
        #expect(!close.regressed && close.numerics[0].status == .withinTolerance)
        #expect(close.runs[0].note.contains("no longer present"))
        var failing = Self.record(commit: "d", metric: 0.6, samples: [1, 1.01, 0.99])
        failing.goldens[0].outcome = "fail"
        let changed = Comparison(base, failing, labelA: "a", labelB: "b")
        #expect(changed.regressed && changed.numerics[0].status == .changed)
        #expect(changed.newGoldenFailures == 1)
        #expect(changed.markdown.contains("p1/a miou/mean: pass -> fail"))
    }

    /// The benchmark set times every item with all its samples.
    @Test func benchmarkSetKeepsAllSamples() {
        let items = BenchmarkSet.items(matching: "1,1,1,32,32 forward")
        #expect(items.count == 1)
        let t = BenchmarkSet.time(items, samples: 3, minSampleSeconds: 0, threads: 1)
        #expect(t.count == 1 && t[0].samples.count == 3 && t[0].samples.allSatisfy { $0 > 0 })
        #expect(t[0].flops == 2 * 2 * 32 * 32 * 32 * 64)
    }
}
