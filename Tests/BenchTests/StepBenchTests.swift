import Foundation
import Testing

@testable import Bench
import Results

@Suite struct StepBenchTests {
    /// A tiny step benchmark runs every part of the profile and reports in Markdown and JSON.
    @Test func tinyStepBenchReports() throws {
        var options = StepBenchOptions()
        (options.height, options.width, options.widthDivisor, options.classes) = (32, 48, 32, 3)
        (options.repeats, options.warmup, options.threads) = (1, 0, 1)
        let side = runStepBench(options)
        #expect(side.stepSeconds.count == 1 && side.forwardSeconds.count == 1)
        #expect(side.stepSeconds[0] > 0 && side.maxRSSMB > 0)
        let parts = side.profile?.map(\.name)
        #expect(
            parts == [
                "stem", "layer1", "layer2", "layer3", "layer4", "aspp", "decoder", "head", "sgd",
            ])
        let report = StepBenchReport(
            date: "2026-01-01", cpu: "test", options: options,
            loadAverage: [0, 0], swift: side, torch: side)
        #expect(report.ratio(\.stepSeconds) == 1)
        #expect(report.markdown.contains("| training step (s) |"))
        #expect(report.markdown.contains("| decoder |"))
        let decoded = try JSONDecoder().decode(StepBenchReport.self, from: report.json())
        #expect(decoded.swift.profile?.count == 9)
    }

    /// A tiny SPADE iteration benchmark (L+I+P, ngf 2) runs the iteration, the generator
    /// forward and every part of its profile, and reports them.
    @Test func tinySPADEBenchReports() throws {
        var options = StepBenchOptions()
        (options.model, options.variant, options.batch) = (.spade, "L+I+P", 1)
        (options.height, options.width, options.widthDivisor) = (32, 64, 32)
        (options.repeats, options.warmup, options.threads) = (1, 0, 1)
        let side = try runSPADEStepBench(options)
        #expect(side.stepSeconds.count == 1 && side.stepSeconds[0] > 0)
        #expect(side.profile?.map(\.name) == ["generator", "discriminator", "adam_g", "adam_d"])
        #expect(side.profile?.allSatisfy { $0.forwardBackward > 0 } == true)
        let report = StepBenchReport(
            date: "2026-01-01", cpu: "test", options: options,
            loadAverage: [0, 0], swift: side, torch: nil)
        #expect(report.markdown.contains("# SPADE training-iteration benchmark"))
        #expect(report.markdown.contains("| training iteration (s) |"))
        #expect(report.markdown.contains("L+I+P SPADE generator (ngf 2"))
        options.variant = "L+Q"
        #expect(throws: BenchError.self) { try runSPADEStepBench(options) }
    }

    /// The benchmark scene: ten instances per image (cars and persons), the rest stuff.
    @Test func spadeSceneHasTenInstancesPerImage() {
        let (labels, instances) = SPADEBenchScene.maps(batch: 2, height: 64, width: 128)
        for (label, instance) in zip(labels, instances) {
            let ids = Set(instance.values.filter { $0 >= 1000 })
            #expect(ids.count == 10)
            #expect(Set(ids.map { $0 / 1000 }) == [24, 26])
            #expect(Set(label.values).isSubset(of: [7, 8, 11, 17, 21, 23, 24, 26]))
        }
        #expect(labels[0].values != labels[1].values)
    }

    /// The report gives the ratio round by round, and says whether their interval is
    /// confident (5 rounds or more) and tight; JSON keeps them.
    @Test func roundRatiosAreReported() throws {
        func side(_ t: Double) -> StepBenchSide {
            StepBenchSide(
                side: "Swift", threads: 1, stepSeconds: [t], forwardSeconds: [t / 2],
                maxRSSMB: 1, profile: nil, kernels: nil)
        }
        var report = StepBenchReport(
            date: "2026-01-01", cpu: "test", options: StepBenchOptions(), loadAverage: [0, 0],
            swift: side(1), torch: side(1.25), stepRoundRatios: [0.79, 0.95],
            forwardRoundRatios: [0.8, 1.0])
        #expect(report.markdown.contains("- Step ratio per round: 0.79, 0.95 (fewer than 5"))
        #expect(report.markdown.contains("forward ratio per round: 0.80, 1.00"))
        report.stepRoundRatios = [0.80, 0.81, 0.80, 0.79, 0.80]
        #expect(report.stepRatioInterval?.confident == true)
        #expect(report.markdown.contains("interval of the median: 0.79-0.81)"))
        report.stepRoundRatios = [0.6, 0.8, 0.8, 0.8, 1.0]
        #expect(report.markdown.contains("0.60-1.00, wider than +-5%"))
        let decoded = try JSONDecoder().decode(StepBenchReport.self, from: report.json())
        #expect(decoded.stepRoundRatios == [0.6, 0.8, 0.8, 0.8, 1.0])
        let none = StepBenchReport(
            date: "2026-01-01", cpu: "test", options: StepBenchOptions(), loadAverage: [0, 0],
            swift: side(1), torch: nil)
        #expect(!none.markdown.contains("per round"))
    }

    /// Rounds pool their samples, keep the largest RSS and take per-part medians.
    @Test func roundsPool() {
        func side(_ t: Double, rss: Double) -> StepBenchSide {
            StepBenchSide(
                side: "Swift", threads: 1, stepSeconds: [t], forwardSeconds: [t / 2], maxRSSMB: rss,
                profile: [StepProfileRow(name: "stem", forward: t, forwardBackward: 2 * t)],
                kernels: nil)
        }
        let p = StepBenchSide.pooled([side(1, rss: 10), side(3, rss: 30), side(2, rss: 20)])
        #expect(p.stepSeconds == [1, 3, 2] && p.forwardSeconds == [0.5, 1.5, 1])
        #expect(p.maxRSSMB == 30)
        #expect(p.profile?[0].forward == 2 && p.profile?[0].forwardBackward == 4)
    }
}
