import Foundation
import Testing

@testable import Survey
@testable import SurveyServer

/// 16 simulated participants answering concurrently over HTTP: nothing lost, nothing doubled,
/// latency percentiles printed (and written under results/survey/ with SURVEY_WRITE_RESULTS=1).
@Suite(.serialized) struct LoadTests {
    let fx = SurveyFixtures()
    static let truth = [0.9, -0.5, -0.1, 0.3]

    func run(
        _ name: String, mode: StudyMode, trials: Int, speedup: Double, lapse: Double
    ) async throws -> (ObserverRun, Study) {
        let images = try fx.imageFolder(scenes: 3, width: 64, height: 32)
        let (study, set) = try await fx.study(
            images: images, mode: mode, trials: trials, catchEvery: 4)
        let (server, base) = try await SurveyFixtures.server(study, set)
        var model = try ObserverModel(logStrength: Self.truth)
        (model.speedup, model.lapse) = (speedup, lapse)
        let run = await SimulatedObservers.run(
            base: base, count: 16, model: model, seed: 21,
            sources: { try study.store.sources(of: $0) })
        await server.stop()
        let line = "\(name): \(run.summary)"
        print("[survey load] \(line)")
        if ProcessInfo.processInfo.environment["SURVEY_WRITE_RESULTS"] == "1" {
            let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../results/survey").standardized
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data((line + "\n").utf8).write(to: dir.appendingPathComponent("load-\(name).txt"))
        }
        // Every acknowledged answer is stored exactly once, as acknowledged; nothing else is.
        #expect(run.errors.isEmpty, "\(run.errors.prefix(3))")
        let stored = try study.store.judgments()
        let closed = stored.filter { $0.outcome != nil }
        #expect(closed.count == run.acknowledged.count && stored.count == closed.count)
        let ids = try study.store.read { db in
            try Int64.fetchAll(
                db, sql: "SELECT id FROM trials WHERE outcome IS NOT NULL ORDER BY id")
        }
        #expect(Set(ids).count == ids.count && Set(ids) == Set(run.acknowledged.map(\.trial)))
        for p in Set(stored.map(\.participant)) {
            let mine = stored.filter { $0.participant == p }
            #expect(mine.map(\.position) == Array(0..<mine.count))
            #expect(mine.filter { $0.catchKind == nil }.count == trials)
        }
        #expect(Set(stored.map(\.participant)).count == 16)
        return (run, study)
    }

    @Test func humanSpeedTimed() async throws {
        let (run, _) = try await run(
            "human-speed", mode: .timed, trials: 4, speedup: 1, lapse: 0.02)
        #expect(run.percentile(0.99) < 1000)
    }

    /// 50x human speed, 100 pairs each: the report recovers the observers' Bradley-Terry
    /// strengths within simultaneous 95% intervals.
    @Test func fiftyTimesHumanSpeedRecoversStrengths() async throws {
        let (run, study) = try await run(
            "50x", mode: .unlimited, trials: 100, speedup: 50, lapse: 0)
        #expect(run.acknowledged.count >= 1600)
        let report = try SurveyReport(
            store: study.store, rule: ExclusionRule(minCatchAccuracy: 0.75))
        let tally = report.tallies[0]
        #expect(tally.excluded.isEmpty && tally.answered == 1600)
        let bt = BradleyTerry(wins: tally.wins, names: SurveySource.allCases.map(\.rawValue))
        // All four at once: each 95% interval widened to 1 - 0.05/4 (Bonferroni, z 2.498),
        // so the four cover together at least 95% of the time (four plain 95% intervals all
        // cover only about 81-86% of the time, and the simulated data vary with the order in
        // which the concurrent observers register).
        let widen = 2.4977054 / SurveyStatistics.z95
        let mean = Self.truth.reduce(0, +) / 4
        for i in 0..<4 {
            let iv = bt.interval(i)!
            let (centre, half) = ((iv.low + iv.high) / 2, (iv.high - iv.low) / 2 * widen)
            let t = Self.truth[i] - mean
            #expect(
                abs(t - centre) <= half,
                "\(SurveySource.allCases[i]): \(t) not in \(centre) ± \(half) (95% \(iv))")
        }
    }
}
