import Foundation
import Harness
import Results
import TestSupport
import Testing

/// The llm.c-style end-to-end check: every registered paper's smoke cells through the very
/// function `repro verify` calls, against the committed regression goldens (bitwise on the
/// machine fingerprint that made them, within their tolerance elsewhere).
@Suite struct SmokeGoldenTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func everySmokeCellMatchesItsGoldens() throws {
        try withTemporaryDirectory { dir in
            var request = Verification.Request()
            request.options.threads = 2
            request.options.progress = false
            request.options.resultsRoot = dir
            request.goldenDirectory = Self.repository.appendingPathComponent("results/golden")
            let outcome = try Verification.run(request, log: { _ in })
            #expect(outcome.papers.map(\.experiment.id) == Papers.all.map(\.id))
            for paper in outcome.papers {
                #expect(!paper.comparisons.isEmpty, "\(paper.experiment.id) compared nothing")
                for row in paper.comparisons {
                    let measured = row.measured.map { "\($0)" } ?? "-"
                    let golden = row.golden.map { "\($0)" } ?? "-"
                    let how = "\(row.outcome.rawValue), \(row.mode?.rawValue ?? "-")"
                    #expect(
                        row.passed,
                        "\(row.cell) \(row.metric): measured \(measured) vs golden \(golden) (\(how))"
                    )
                }
            }
            let passed = outcome.passed
            #expect(passed)
            #expect(outcome.markdown.contains("p1/multi-semi"))
        }
    }

    /// Every committed golden carries the tolerance its experiment measured for that metric
    /// (a stale file would compare other machines with an old guess), and what depends on the
    /// data alone may not move at all.
    @Test func committedGoldensCarryTheMeasuredTolerances() throws {
        let directory = Self.repository.appendingPathComponent("results/golden")
        for experiment in Papers.all {
            let file = try GoldenStore(
                suite: experiment.goldenSuite(.smoke, seed: 0), directory: directory
            ).load()
            for entry in file.entries {
                let name = entry.metric.split(separator: "/").first.map(String.init) ?? ""
                let wanted = experiment.goldenTolerance(metric: entry.metric)
                #expect(entry.tolerance == wanted, "\(entry.cell) \(entry.metric)")
                if name.hasSuffix("_instances") || name.hasSuffix("_images") {
                    #expect(entry.atol == 0 && entry.rtol == 0, "\(entry.metric)")
                }
            }
        }
    }
}
