import Foundation
import Testing
@testable import Harness

/// The llm.c-style end-to-end check: one smoke cell, exactly as `repro verify` runs it, against
/// the committed regression goldens (bitwise on the machine fingerprint that made them,
/// within their tolerance elsewhere).
@Suite struct SmokeGoldenTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func multiSemiSmokeCellMatchesItsGoldens() throws {
        let cell = Matrix.paper1(.smoke).first { $0.name == "multi-semi" }!
        var options = RunOptions()
        options.threads = 2
        options.progress = false
        options.resultsRoot = FileManager.default.temporaryDirectory.appendingPathComponent("repro-golden-\(UUID().uuidString)")
        let outcome = try Verification.run([cell], seeds: [0], options: options, log: { _ in })
        let store = GoldenStore(
            suite: "paper1-smoke-seed0", directory: Self.repository.appendingPathComponent("results/golden"))
        let fingerprint = try outcome.results[0].folder.readManifest().fingerprint
        let rows = try store.compare(outcome.results.map(\.metrics.measurement), fingerprint: fingerprint, requireAllCells: false)
        #expect(rows.count == 4, "expected the 4 mIoU metrics of multi-semi, got \(rows.map(\.metric))")
        for row in rows {
            #expect(row.passed, "\(row.cell) \(row.metric): measured \(row.measured.map { "\($0)" } ?? "-") vs golden \(row.golden.map { "\($0)" } ?? "-") (\(row.outcome.rawValue), \(row.mode?.rawValue ?? "-"))")
        }
    }
}
