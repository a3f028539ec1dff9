import ArgumentParser
import Foundation
import Harness

/// `repro claims`: paper 1's claims over several seeds at the small profile.
struct ClaimsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claims",
        abstract: "Run every cell over several seeds and judge the paper's claims (holds / does not hold / inconclusive).")

    @OptionGroup var options: CommonOptions

    @Option(help: "Number of seeds (seed, seed+1, ...).")
    var seeds = 3

    @Option(help: "Also write the Markdown report to this file.")
    var report: String?

    @Option(name: .customLong("from-runs"), help: "Judge finished run folders under this directory instead of training (their profile must match).")
    var fromRuns: String?

    func run() throws {
        let series: [CellSeries]
        if let fromRuns {
            series = try Verification.series(fromRunsIn: URL(fileURLWithPath: fromRuns), profile: options.profile)
        } else {
            var o = RunOptions()
            o.threads = options.threads
            o.resultsRoot = URL(fileURLWithPath: options.results)
            let seedList = (0..<UInt64(seeds)).map { options.seed + $0 }
            series = try Verification.run(try options.cells(), seeds: seedList, options: o).series
        }
        let claims = Claims.evaluate(Claims.paper1(), on: series)
        let text = Report.markdown(
            title: "Paper 1 claims (\(options.profile.rawValue) profile)",
            profile: options.profile.rawValue, golden: [], claims: claims, reproduced: series)
        print(text)
        if let report { try writeOutput(Data(text.utf8), to: report) }
    }
}
