import Foundation
import Harness
import Paper1
import Results
import TestSupport
import Testing

/// A paper 1 cell small enough for a unit test.
func tinyCell(_ setting: Paper1Setting, _ method: Paper1Method) -> Cell {
    var c = SegmentationConfig.at(.smoke, setting, method)
    (c.imageHeight, c.imageWidth, c.trainImages, c.valImages) = (32, 64, 8, 2)
    (c.cropSize, c.rescaleBase, c.epochs, c.itersPerEpoch, c.unsupStartEpoch) = (32, 64, 2, 2, 1)
    c.threshold = 0.15
    return Cell(
        paper: "p1", name: "\(setting.rawValue)-\(method.rawValue)", profile: .smoke, config: c)
}

/// Claims are judged from finished run folders as from fresh runs.
@Suite struct ClaimsFromRunsTests {
    @Test func seriesFromRunFoldersMatchFreshSeries() throws {
        let cells = [tinyCell(.multi, .supervised), tinyCell(.multi, .semi)]
        var options = RunOptions()
        options.progress = false
        let scratch = TemporaryFolder()
        options.resultsRoot = scratch.url
        let results = try Papers.run(cells, seeds: [0, 1], options: options, log: { _ in })
        let reread = try Verification.series(fromRunsIn: options.resultsRoot, profile: .smoke)
        // mIoU: 2 cells x (3 domains + mean); the semi cell's CAC diagnostics: 3 x 3 domains.
        #expect(reread.filter { $0.key.metric == "miou" }.count == 8)
        #expect(reread.count == 17)
        for s in Paper1Experiment().series(results.map(\.metrics)) {
            let r = try #require(reread.first { $0.key == s.key })
            #expect(r.seeds == s.seeds && r.values == s.values)
        }
        let claims = Claims.evaluate(Paper1Claims.all(), on: reread)
        #expect(claims.contains { $0.claim.id == "semi>supervised/multi/bdd" })
    }
}
