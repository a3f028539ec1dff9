import ArgumentParser
import Foundation
import Results

/// `repro diff`: where two runs of one configuration first diverge.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract:
            "Compare two run folders bit for bit: first differing loss step, checkpoint tensor and metric."
    )

    @Argument(help: "The first run folder.") var first: String
    @Argument(help: "The second run folder.") var second: String

    func run() throws {
        for path in [first, second]
        where !FileManager.default.fileExists(atPath: path + "/manifest.json") {
            throw ValidationError("\(path) is not a run folder (no manifest.json)")
        }
        let diff = try RunDiff.compare(
            RunFolder(url: URL(fileURLWithPath: first)),
            RunFolder(url: URL(fileURLWithPath: second)))
        if diff.identical {
            print("identical: losses, checkpoints and metrics agree bit for bit")
            return
        }
        if let loss = diff.firstLossDifference { print("first loss difference: \(loss)") }
        for c in diff.checkpointDifferences { print("checkpoint: \(c)") }
        for m in diff.metricDifferences { print("metric: \(m)") }
        throw ExitCode(1)
    }
}
