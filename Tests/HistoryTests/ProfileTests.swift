import Foundation
import Testing

@testable import History
import Paper1

@Suite struct ProfileTests {
    /// A tiny DeepLabv3+ profile: every part timed, conv FLOPs as counted by hand for the stem,
    /// a table and a Chrome trace with one forward and one backward event per part.
    @Test func tinyProfileHasEveryPartAndATrace() throws {
        var config = SegmentationConfig(setting: .multi, method: .semi)
        (config.blocks, config.widthDivisor, config.cropSize, config.batchLabeled) = (
            [1, 1, 1, 1], 16, 32, 2
        )
        let p = LayerProfile.measure(
            cell: "p1/tiny", config: config, samples: 1, threads: 1, peak: 10)
        #expect(
            p.rows.map(\.name) == [
                "stem", "layer1", "layer2", "layer3", "layer4", "aspp", "decoder", "head+loss",
            ])
        // Stem: 4 filters of 3x7x7, stride 2 on 32x32 -> 16x16, batch 2.
        #expect(p.rows[0].forwardFLOPs == 2 * 2 * Double(4 * 3 * 49) * 16 * 16)
        #expect(p.rows[0].backwardFLOPs == p.rows[0].forwardFLOPs)  // no image gradient
        #expect(p.rows[1].backwardFLOPs == 2 * p.rows[1].forwardFLOPs)
        #expect(p.rows.allSatisfy { $0.forward > 0 && $0.forwardFLOPs > 0 } && p.stepSeconds > 0)
        #expect(p.markdown.contains("| head+loss |") && p.markdown.contains("% of step"))
        let trace = try JSONSerialization.jsonObject(with: p.chromeTrace) as? [String: Any]
        let events = trace?["traceEvents"] as? [[String: Any]]
        #expect(events?.count == 2 * 8 + 1)
        #expect(events?.first?["name"] as? String == "stem forward")
        #expect(events?.last?["name"] as? String == "sgd update")
    }
}
