import Foundation
import Results
import Testing

@testable import Paper2
@testable import Survey

/// `--images` with paper 2's run folders: tiny real runs of p2/L, p2/L+I and p2/L+I+P (the
/// harness's own writer), given one by one or as the folder that holds them; pairs show one
/// scene from two sources; a missing, doubled, unfinished or foreign run is named.
@Suite(.serialized) struct RunFolderTests {
    let fx = SurveyFixtures()

    /// A cell of `variant` small enough for a unit test: 32x64, ngf 4, one iteration at
    /// batch 2, 2 val scenes; `sceneSeed` picks the synthetic data. 8 training scenes, the
    /// fewest the proxy segmenter (1/8 of them labeled) accepts.
    static func cell(_ variant: SPADEVariant, sceneSeed: UInt64 = 0) -> Cell {
        var c = Paper2RunConfig.at(.smoke, variant)
        (c.trainImages, c.valImages, c.sheetRows, c.batchSize) = (8, 2, 2, 2)
        (c.niter, c.niterDecay, c.sceneSeed) = (1, 0, sceneSeed)
        c.synchronize()
        return Cell(paper: "p2", name: variant.rawValue, profile: .smoke, config: c)
    }

    /// Runs `variants` through paper 2's experiment under `root`; their run folders.
    func runs(_ variants: [SPADEVariant], root: String, sceneSeed: UInt64 = 0) throws
        -> [String]
    {
        var o = RunOptions()
        (o.resultsRoot, o.threads, o.progress) = (URL(fileURLWithPath: root), 1, false)
        let results = try Paper2Experiment().run(
            variants.map { Self.cell($0, sceneSeed: sceneSeed) }, seed: 0, options: o,
            log: { _ in })
        return results.map(\.folder.url.path)
    }

    @Test func runFoldersGiveEverySourceOfOneScene() async throws {
        let root = fx.tempDir("results")
        let folders = try runs(SPADEVariant.allCases, root: root)
        let byFolder = try ImageSet(paths: folders)
        let byRoot = try ImageSet(paths: [root + "/runs"])
        #expect(byFolder.folders == byRoot.folders && byFolder.scenes.count == 2)
        // real/ of the L run, generated/ of each run, in source order.
        #expect(byRoot.folders[0] == folders[0] + "/real")
        #expect(byRoot.folders.dropFirst() == folders.map { $0 + "/generated" }[...])
        #expect(byRoot.origins[3] == "L+I+P: \(folders[2])/generated")
        for scene in byRoot.scenes {
            let real = try byRoot.bytes(.real, scene)
            #expect(real == FileManager.default.contents(atPath: "\(folders[2])/real/\(scene).png"))
            #expect(try byRoot.bytes(.lip, scene) != real)
        }
        // A study on them: every pair shows one scene from two different sources, and the
        // report names where the images came from.
        let rules = try StudyRules(mode: .unlimited, trials: 6, pageVersion: "test")
        let study = try await Study.open(
            images: byRoot, db: fx.tempDir("db") + "/s.sqlite", seed: 3, catchEvery: 1,
            rules: rules)
        let token = try await study.register()
        while let t = try await study.state(token: token).trial {
            _ = try await study.shown(token: token, trial: t.trial)
            let (_, sceneL) = try study.image(token: token, trial: t.trial, side: .left)
            let (_, sceneR) = try study.image(token: token, trial: t.trial, side: .right)
            #expect(sceneL == sceneR && byRoot.scenes.contains(sceneL))
            _ = try await study.answer(token: token, trial: t.trial, choice: .left)
        }
        let pairs = try study.store.judgments().filter { $0.catchKind == nil }
        #expect(pairs.count == 6 && pairs.allSatisfy { $0.left != $0.right })
        let report = try SurveyReport(
            store: study.store, rule: ExclusionRule(minCatchAccuracy: nil))
        #expect(report.markdown().contains("L+I+P: \(folders[2])/generated"))

        // Problems, each named: a missing variant, a doubled one, runs on other data, an
        // unfinished run, a folder that holds no run, a run folder without real/.
        #expect(
            throws: SurveyError.badOption(
                "--images",
                "no finished run of p2/L+I+P among \(folders[0]), \(folders[1]) "
                    + "(run it with `repro run p2/L+I+P`)")
        ) { try ImageSet(paths: [folders[0], folders[1]]) }
        let again = try runs([.L], root: root)
        #expect {
            try ImageSet(paths: [root + "/runs"])
        } throws: { e in
            "\(e)".contains("2 runs of p2/L: ") && "\(e)".contains("pass the run folders")
        }
        #expect(try ImageSet(paths: [again[0], folders[1], folders[2]]).scenes.count == 2)
        let other = try runs([.LIP], root: fx.tempDir("other"), sceneSeed: 1)
        #expect {
            try ImageSet(paths: [folders[0], folders[1], other[0]])
        } throws: { e in
            "\(e)".contains("the runs' real images differ") && "\(e)".contains(other[0])
        }
        try FileManager.default.removeItem(atPath: other[0] + "/metrics.json")
        #expect(
            throws: SurveyError.imageFolder(
                other[0], "no metrics.json: the run has not finished (finish it with `--resume`)")
        ) { try ImageSet(paths: [folders[0], folders[1], other[0]]) }
        #expect(throws: SurveyError.self) {
            try ImageSet(paths: [folders[0], fx.tempDir("plain")])
        }
        try FileManager.default.removeItem(atPath: folders[1] + "/real")
        #expect {
            try ImageSet(paths: folders)
        } throws: { e in
            "\(e)".contains(folders[1]) && "\(e)".contains("no real/ folder")
        }
    }
}
