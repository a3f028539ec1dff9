import Foundation
import Testing

@testable import Survey

@Suite struct StoreTests {
    let fx = SurveyFixtures()
    @Test func storeIsWALWithSynchronousCommits() throws {
        let store = try SurveyStore(path: fx.tempDir("wal") + "/s.sqlite")
        let (journal, sync) = try store.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                try Int.fetchOne(db, sql: "PRAGMA synchronous")
            )
        }
        #expect(journal == "wal" && sync == 2)  // 2 = FULL
    }

    @Test func restartContinuesTheSameStudy() async throws {
        let images = try fx.imageFolder(scenes: 2, width: 32, height: 16)
        let db = fx.tempDir("restart") + "/s.sqlite"
        let (first, _) = try await fx.study(images: images, trials: 3, db: db)
        let token = try await first.register()
        let t1 = try await first.state(token: token).trial!.trial
        _ = try await first.shown(token: token, trial: t1)
        _ = try await first.answer(token: token, trial: t1, choice: .left)
        let t2 = try await first.state(token: token).trial!.trial
        // A second process on the same file: same participant, same open pair.
        let (second, _) = try await fx.study(images: images, trials: 3, db: db)
        #expect(try await second.state(token: token).trial?.trial == t2)
        #expect(try second.store.judgments().filter { $0.outcome == .chosen }.count == 1)
        // Another seed on the same file is refused.
        let set = try ImageSet(folder: images)
        await #expect(throws: SurveyError.studyMismatch("seed 3 stored, --seed 4 given")) {
            try await Study.open(images: set, db: db, seed: 4, catchEvery: 0, rules: second.rules)
        }
    }

    @Test func corruptDatabaseIsRefusedAndLeftAlone() throws {
        let path = fx.tempDir("corrupt") + "/s.sqlite"
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
        let images = try fx.imageFolder(scenes: 2, width: 32, height: 16)
        let db = fx.tempDir("full") + "/s.sqlite"
        let (o, _) = try await fx.study(images: images, trials: 10_000, db: db)
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
        let dir = try fx.imageFolder(scenes: 2, width: 32, height: 16)
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

    /// Two participants over 12 pairs and two catch trials (block 0 flipped, block 1
    /// identical): the careless one clicks left, or the upside-down image on a flipped catch
    /// trial; the careful one alternates and picks the upright image. Each rule excludes the
    /// careless one.
    @Test func reportStatesCountsAndTheExclusion() async throws {
        let images = try fx.imageFolder(scenes: 2, width: 32, height: 16)
        let (study, _) = try await fx.study(images: images, trials: 12, catchEvery: 1)
        let careless = try await study.register()
        let careful = try await study.register()
        for token in [careless, careful] {
            while let t = try await study.state(token: token).trial {
                _ = try await study.shown(token: token, trial: t.trial)
                let side: Side =
                    token == careless
                    ? (t.flipped ?? .left)
                    : (t.flipped?.other ?? (t.trial % 2 == 0 ? .left : .right))
                _ = try await study.answer(token: token, trial: t.trial, choice: side)
            }
        }
        let js = try study.store.judgments()
        #expect(js.filter { $0.catchKind == .identical }.count == 2)
        #expect(js.filter { $0.catchKind == .flipped }.count == 2)
        let all = try SurveyReport(store: study.store, rule: ExclusionRule(minCatchAccuracy: nil))
        #expect(all.tallies[0].identicalAnswered == 2 && all.tallies[0].catchAnswered == 2)
        let strict = try SurveyReport(
            store: study.store, rule: ExclusionRule(minCatchAccuracy: 0.75))
        #expect(all.tallies[0].answered == 24 && strict.tallies[0].answered == 12)
        #expect(strict.tallies[0].excluded.map(\.participant) == [1])
        #expect(
            strict.markdown().contains(
                "Excluded participant 1: 0 of 1 flipped catch trials passed"))
        let sided = try SurveyReport(
            store: study.store, rule: ExclusionRule(minCatchAccuracy: nil, maxSameSide: 0.9))
        #expect(sided.tallies[0].excluded.map(\.participant) == [1])
        #expect(sided.tallies[0].answered == 12)
        let md = sided.markdown()
        #expect(
            md.contains("Excluded participant 1: 1") && md.contains("of 14 answers on the left"))
        #expect(md.contains("more than 90% of their answered trials"))
        #expect(md.contains("Identical catch trials (one image on both sides"))
        #expect(md.contains("of kinds flipped,identical in turn"))
        #expect(md.contains("| L+I+P | L |") && md.contains("(paper 0.66)"))
        #expect(sided.csv().split(separator: "\n").count == 1 + 12)
        let html = sided.htmlSection()
        #expect(html.hasPrefix("<section id=\"survey\">"))
        #expect(html.contains("<caption>Paper 2, Table 2</caption>") && html.contains("0.66"))
        #expect(html.contains("of 14 answers on the left") && html.contains("Store: <code>"))
        let csv = try study.store.judgments().map(\.csvRow)
        #expect(csv.contains { $0.hasSuffix(",identical") })
    }
}
