import Foundation
import Testing

@testable import History
import Paper1
import Paper2

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

    /// Paper 2's smoke L+I+P cell: every generator part and each discriminator scale in both
    /// phases, both Adam updates, conv FLOPs counted by hand for fc and conv_img, the whole
    /// iteration timed, and a trace laid out as the iteration runs (G step, then D step).
    @Test func spadeProfileCoversBothStepsOfTheIteration() throws {
        let config = Paper2RunConfig.at(.smoke, .LIP)
        let p = try LayerProfile.spade(
            cell: "p2/L+I+P", config: config, samples: 1, threads: 1, peak: 10)
        let blocks = ["head_0", "G_middle_0", "G_middle_1", "up_0", "up_1", "up_2", "up_3"]
        let generator = (["fc"] + blocks + ["conv_img"]).map { "G \($0)" }
        let scales = (0..<config.spade.architecture.numD).map { "D scale \($0)" }
        #expect(p.phases == ["G step", "D step"])
        #expect(p.rows.filter { $0.phase == "G step" }.map(\.name) == generator + scales)
        #expect(
            p.rows.filter { $0.phase == "D step" }.map(\.name)
                == ["G forward (no gradient)"] + scales)
        #expect(p.updates.map(\.name) == ["adam G", "adam D"])
        // fc: ngf 4 -> 16 * 4 = 64 filters of (S channels) x 3 x 3 at the 1 x 2 latent size
        // (five 2x upsamplings to 32 x 64), batch 2; its input S is a constant, so the
        // backward is its weight gradient alone.
        let a = config.spade.architecture
        let fcFLOPs = 2.0 * 2 * Double(64 * a.generatorInputNC * 9) * 2
        #expect(a.ngf == 4 && a.latentSize == (1, 2))
        #expect(p.rows[0].forwardFLOPs == fcFLOPs && p.rows[0].backwardFLOPs == fcFLOPs)
        // conv_img: 3 filters of 4 x 3 x 3 at 32 x 64, input and weight gradients.
        let img = p.rows[generator.count - 1]
        #expect(img.forwardFLOPs == 2 * 2 * Double(3 * 4 * 9) * 32 * 64)
        #expect(img.backwardFLOPs == 2 * img.forwardFLOPs)
        // A D scale's G-step backward is its input gradient only; the D-step one has the
        // weight gradients as well, so it counts more.
        let dG = p.rows.first { $0.name == "D scale 0" && $0.phase == "G step" }!
        let dD = p.rows.first { $0.name == "D scale 0" && $0.phase == "D step" }!
        #expect(dG.forwardFLOPs == dD.forwardFLOPs && dG.backwardFLOPs == dG.forwardFLOPs)
        #expect(dD.backwardFLOPs > dG.backwardFLOPs && dD.backwardFLOPs < 2 * dD.forwardFLOPs)
        let noGradient = p.rows.first { $0.name == "G forward (no gradient)" }!
        #expect(
            noGradient.forwardFLOPs
                == p.rows.prefix(generator.count).reduce(0) { $0 + $1.forwardFLOPs })
        #expect(p.rows.allSatisfy { $0.forward > 0 } && (p.measuredStep ?? 0) > 0)
        #expect(p.markdown.contains("| G step | G up_3 |") && p.markdown.contains("| adam D |"))
        #expect(p.markdown.contains("The whole step timed as it runs"))
        let trace = try JSONSerialization.jsonObject(with: p.chromeTrace) as? [String: Any]
        let names = (trace?["traceEvents"] as? [[String: Any]])?.compactMap {
            $0["name"] as? String
        }
        #expect(names?.first == "G fc forward" && names?.last == "adam D")
        // The G step: every forward, every backward, then its update.
        #expect(names?.firstIndex(of: "adam G") == 2 * (generator.count + scales.count))
        #expect(names?.contains("G forward (no gradient) backward") == false)
    }
}
