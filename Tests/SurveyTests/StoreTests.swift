import Foundation
import Testing

@testable import Survey

@Suite struct StoreTests {
    @Test func storeIsWALWithSynchronousCommits() throws {
        let store = try SurveyStore(path: SurveyFixtures.tempDir("wal") + "/s.sqlite")
        let (journal, sync) = try store.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                try Int.fetchOne(db, sql: "PRAGMA synchronous")
            )
        }
        #expect(journal == "wal" && sync == 2)  // 2 = FULL
    }

    @Test func restartContinuesTheSameStudy() async throws {
        let images = try SurveyFixtures.imageFolder(scenes: 2, width: 32, height: 16)
        let db = SurveyFixtures.tempDir("restart") + "/s.sqlite"
        let (first, _) = try await SurveyFixtures.study(images: images, trials: 3, db: db)
        let token = try await first.register()
        let t1 = try await first.state(token: token).trial!.trial
        _ = try await first.shown(token: token, trial: t1)
        _ = try await first.answer(token: token, trial: t1, choice: .left)
        let t2 = try await first.state(token: token).trial!.trial
        // A second process on the same file: same participant, same open pair.
        let (second, _) = try await SurveyFixtures.study(images: images, trials: 3, db: db)
        #expect(try await second.state(token: token).trial?.trial == t2)
        #expect(try second.store.judgments().filter { $0.outcome == .chosen }.count == 1)
        // Another seed on the same file is refused.
        let set = try ImageSet(folder: images)
        await #expect(throws: SurveyError.studyMismatch("seed 3 stored, --seed 4 given")) {
            try await Study.open(images: set, db: db, seed: 4, catchEvery: 0, rules: second.rules)
        }
    }

    @Test func corruptDatabaseIsRefusedAndLeftAlone() throws {
        let path = SurveyFixtures.tempDir("corrupt") + "/s.sqlite"
        let junk = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 7919) })
        try junk.write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try SurveyStore(path: path)
        } throws: { e in
            guard case .corruptDatabase(let p, _) = e as? SurveyError else { return false }
            return p == path && "\(e)".contains("damaged")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == junk)
    }

    /// A full disk (a size cap on the file) refuses new answers with a clear message and
    /// loses none of the answers already acknowledged.
    @Test func fullDiskLosesNothingStored() async throws {
        let images = try SurveyFixtures.imageFolder(scenes: 2, width: 32, height: 16)
        let db = SurveyFixtures.tempDir("full") + "/s.sqlite"
        let (o, _) = try await SurveyFixtures.study(images: images, trials: 10_000, db: db)
        let pages = try o.store.read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 }
        let capped = Study(
            store: try SurveyStore(path: db, maxPageCount: pages + 3), design: o.design,
            rules: o.rules)
        let token = try await capped.register()
        var acknowledged = 0
        var failure: SurveyError?
        for _ in 0..<5_000 {
            do {
                let t = try await capped.state(token: token).trial!.trial
                _ = try await capped.shown(token: token, trial: t)
                _ = try await capped.answer(token: token, trial: t, choice: .left)
                acknowledged += 1
            } catch let e as SurveyError {
                failure = e
                break
            }
        }
        #expect(failure == .diskFull(db))
        #expect("\(failure!)".contains("disk is full") && acknowledged > 10)
        let reopened = try SurveyStore(path: db)
        #expect(try reopened.judgments().filter { $0.outcome == .chosen }.count == acknowledged)
    }

    @Test func imageFolderProblemsAreNamed() throws {
        let dir = try SurveyFixtures.imageFolder(scenes: 2, width: 32, height: 16)
        _ = try ImageSet(folder: dir)
        let fm = FileManager.default
        try fm.removeItem(atPath: "\(dir)/L+I/scene1.png")
        #expect(
            throws: SurveyError.scenesDiffer(
                "L+I/ has 1 scenes, real/ has 2; missing in L+I/: scene1")
        ) {
            try ImageSet(folder: dir)
        }
        try Data("not a png".utf8).write(to: URL(fileURLWithPath: "\(dir)/L+I/scene1.png"))
        #expect(
            throws: SurveyError.badImage("\(dir)/L+I/scene1.png", "not a PNG file (bad signature)")
        ) {
            try ImageSet(folder: dir)
        }
        try fm.removeItem(atPath: "\(dir)/L+I+P")
        #expect(throws: SurveyError.self) { try ImageSet(folder: dir) }
        #expect(
            throws: SurveyError.imageFolder(
                "/nonexistent/x", "not found or not a folder (--images)")
        ) {
            try ImageSet(folder: "/nonexistent/x")
        }
    }

    @Test func reportStatesCountsAndTheExclusion() async throws {
        let images = try SurveyFixtures.imageFolder(scenes: 2, width: 32, height: 16)
        let (study, _) = try await SurveyFixtures.study(images: images, trials: 12, catchEvery: 1)
        let careless = try await study.register()
        let careful = try await study.register()
        for token in [careless, careful] {
            while let t = try await study.state(token: token).trial {
                _ = try await study.shown(token: token, trial: t.trial)
                let side: Side = token == careless ? .left : (t.flipped?.other ?? .left)
                _ = try await study.answer(
                    token: token, trial: t.trial,
                    choice: t.flipped != nil && token == careless ? t.flipped! : side)
            }
        }
        let all = try SurveyReport(store: study.store, rule: ExclusionRule(minCatchAccuracy: nil))
        let strict = try SurveyReport(
            store: study.store, rule: ExclusionRule(minCatchAccuracy: 0.75))
        #expect(all.tallies[0].answered == 24 && strict.tallies[0].answered == 12)
        #expect(strict.tallies[0].excluded.map(\.participant) == [1])
        let md = strict.markdown()
        #expect(md.contains("Excluded participant 1: 0 of 2 catch trials passed"))
        #expect(md.contains("| L+I+P | L |") && md.contains("(paper 0.66)"))
        #expect(strict.csv().split(separator: "\n").count == 1 + 12)
        #expect(strict.htmlSection().hasPrefix("<section id=\"survey\">"))
    }
}
