import Foundation
import Testing

@testable import Harness

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
        #expect(parts == ["stem", "layer1", "layer2", "layer3", "layer4", "aspp", "decoder", "head", "sgd"])
        let report = StepBenchReport(
            date: "2026-01-01", cpu: "test", options: options,
            loadAverage: [0, 0], swift: side, torch: side)
        #expect(report.ratio(\.stepSeconds) == 1)
        #expect(report.markdown.contains("| training step (s) |"))
        #expect(report.markdown.contains("| decoder |"))
        let decoded = try JSONDecoder().decode(StepBenchReport.self, from: report.json())
        #expect(decoded.swift.profile?.count == 9)
    }
}
