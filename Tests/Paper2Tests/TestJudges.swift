import Foundation
import Results

@testable import Paper2

/// The smoke profile's evaluators (proxy segmenter and FID extractor), trained once per test
/// process into one shared folder (the cache makes every later call a load).
enum TestJudges {
    static let root = FileManager.default.temporaryDirectory.appendingPathComponent(
        "repro-p2-judges-\(ProcessInfo.processInfo.processIdentifier)")

    static func options(_ root: URL = root) -> RunOptions {
        var o = RunOptions()
        o.resultsRoot = root
        o.threads = 2
        o.progress = false
        return o
    }

    static func smoke() throws -> Paper2Evaluators {
        try Paper2Evaluators.prepare(
            Paper2RunConfig.at(.smoke, .L), profile: .smoke, options: options())
    }
}
