import Foundation
import TestSupport
import Testing

@testable import Results

@Suite struct GoldenTests {
    let here = "fp-here"
    let date = Date(timeIntervalSince1970: 1_800_000_000)

    /// A store in a fresh directory holding goldens for cells "a" and "b" made on `here`.
    func seededStore(in directory: URL) throws -> GoldenStore {
        let store = GoldenStore(suite: "smoke", directory: directory)
        try store.regenerate(
            from: [
                CellMeasurement(cell: "b", configHash: "hb", metrics: ["miou": 0.5, "loss": 1.25]),
                CellMeasurement(cell: "a", configHash: "ha", metrics: ["miou": 0.25]),
            ],
            reason: "initial", commit: "c0", fingerprint: here, date: date,
            defaultTolerance: Tolerance(atol: 1e-6, rtol: 1e-3))
        return store
    }

    @Test func closenessRule() {
        let t = Tolerance(atol: 1e-3, rtol: 1e-2)
        #expect(t.accepts(100, 100.9))  // rtol * 100.9 = 1.009
        #expect(!t.accepts(100, 101.1))
        #expect(t.accepts(0, 0.0009))  // atol dominates near zero
        #expect(!t.accepts(0, 0.002))
        #expect(t.accepts(.infinity, .infinity) && t.accepts(.nan, .nan) && !t.accepts(.nan, 1))
    }

    @Test func bitwiseModeWhenTheFingerprintMatches() throws {
        try withTemporaryDirectory { dir in
            let store = try seededStore(in: dir)
            let nudged = 0.5.nextUp  // within tolerance, but not the same bits
            let rows = try store.compare(
                [
                    CellMeasurement(cell: "a", configHash: "ha", metrics: ["miou": 0.25]),
                    CellMeasurement(
                        cell: "b", configHash: "hb", metrics: ["miou": nudged, "loss": 1.25]),
                ], fingerprint: here)
            #expect(rows.map { "\($0.cell)/\($0.metric)" } == ["a/miou", "b/loss", "b/miou"])
            #expect(rows.allSatisfy { $0.mode == .bitwise })
            #expect(rows.map(\.outcome) == [.pass, .pass, .fail])
        }
    }

    @Test func toleranceModeOnAnotherMachine() throws {
        try withTemporaryDirectory { dir in
            let store = try seededStore(in: dir)
            let rows = try store.compare(
                [
                    // rel 8e-4: pass
                    CellMeasurement(cell: "a", configHash: "ha", metrics: ["miou": 0.2502]),
                    CellMeasurement(
                        // rel 2e-2: fail
                        cell: "b", configHash: "hb", metrics: ["miou": 0.51, "loss": 1.25]),
                ], fingerprint: "fp-elsewhere")
            #expect(rows.allSatisfy { $0.mode == .tolerance })
            #expect(rows.map(\.outcome) == [.pass, .pass, .fail])
            #expect(rows[0].tolerance == Tolerance(atol: 1e-6, rtol: 1e-3))
        }
    }

    @Test func missingAndChangedAreDistinctOutcomes() throws {
        try withTemporaryDirectory { dir in
            let store = try seededStore(in: dir)
            let rows = try store.compare(
                [
                    CellMeasurement(cell: "a", configHash: "ha-new", metrics: ["miou": 0.25]),
                    CellMeasurement(
                        cell: "b", configHash: "hb", metrics: ["miou": 0.5, "accuracy": 0.9]),
                    CellMeasurement(cell: "c", configHash: "hc", metrics: ["miou": 0.1]),
                ], fingerprint: here)
            let outcome = Dictionary(
                uniqueKeysWithValues: rows.map { ("\($0.cell)/\($0.metric)", $0.outcome) })
            #expect(outcome["a/miou"] == .configChanged)
            #expect(outcome["b/accuracy"] == .missingGolden)
            #expect(outcome["b/loss"] == .missingMeasurement)
            #expect(outcome["b/miou"] == .pass)
            #expect(outcome["c/miou"] == .missingGolden)
            #expect(rows.count == 5)
        }
    }

    @Test func unmeasuredCellsCountOnlyWhenRequired() throws {
        try withTemporaryDirectory { dir in
            let store = try seededStore(in: dir)
            let only = [CellMeasurement(cell: "a", configHash: "ha", metrics: ["miou": 0.25])]
            let all = try store.compare(only, fingerprint: here)
            #expect(all.filter { $0.outcome == .missingMeasurement }.count == 2)
            let subset = try store.compare(only, fingerprint: here, requireAllCells: false)
            #expect(subset.map(\.outcome) == [.pass])
        }
    }

    @Test func regenerateIsDeterministicSortedAndRecordsWhy() throws {
        try withTemporaryDirectory { dir in
            let store = try seededStore(in: dir)
            let first = try String(contentsOf: store.url, encoding: .utf8)
            // The same regeneration in another directory writes the same bytes.
            let twin = try seededStore(in: dir.appendingPathComponent("twin"))
            #expect(try String(contentsOf: twin.url, encoding: .utf8) == first)
            #expect(first.contains("\"reason\" : \"initial\""))

            let file = try store.regenerate(
                from: [CellMeasurement(cell: "b", configHash: "hb2", metrics: ["miou": 0.75])],
                reason: "new head init", commit: "c1", fingerprint: here, date: date,
                defaultTolerance: Tolerance(atol: 0, rtol: 0)
            ) { _, metric in metric == "nothing" ? Tolerance(atol: 1, rtol: 1) : nil }
            // b/loss dropped
            #expect(file.entries.map { "\($0.cell)/\($0.metric)" } == ["a/miou", "b/miou"])
            let b = file.entries[1]
            #expect(
                b.value == 0.75 && b.provenance.reason == "new head init"
                    && b.provenance.configHash == "hb2")
            #expect(b.tolerance == Tolerance(atol: 1e-6, rtol: 1e-3))  // previous tolerance kept
            // untouched cell keeps its provenance
            #expect(file.entries[0].provenance.commit == "c0")
            #expect(file.history.map(\.reason) == ["initial", "new head init"])
            #expect(file.history[1].cells == ["b"])
            #expect(try store.load() == file)
        }
    }

    @Test func corruptFileNamesTheFile() throws {
        try withTemporaryDirectory { dir in
            let store = GoldenStore(suite: "broken", directory: dir)
            try ResultFile.write("{\"suite\": \"broken\", \"entries\": [", to: store.url)
            #expect {
                try store.load()
            } throws: { error in
                (error as? HarnessFileError)?.path == store.url.path
            }
            #expect(try GoldenStore(suite: "absent", directory: dir).load().entries.isEmpty)
        }
    }
}
