import ArgumentParser
import Foundation
import Harness
import Reports
import Results

/// `repro claims`: the papers' claims over several seeds.
struct ClaimsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claims",
        abstract:
            "Run cells over several seeds and judge the papers' claims (holds / does not hold / inconclusive)."
    )

    @OptionGroup var options: CommonOptions

    @Argument(help: "Cells: a paper id (p1), a glob (p1/*); default every cell.")
    var cells: String?

    @Option(help: "Number of seeds (seed, seed+1, ...).")
    var seeds = 3

    @Option(help: "Also write the Markdown report to this file.")
    var report: String?

    @Option(
        name: .customLong("from-runs"),
        help:
            "Judge finished run folders under this directory instead of training (their profile must match)."
    )
    var fromRuns: String?

    func validate() throws {
        guard (1...100).contains(seeds) else { throw ValidationError("--seeds must be in 1...100") }
        if let fromRuns {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: fromRuns, isDirectory: &isFolder),
                isFolder.boolValue
            else { throw ValidationError("--from-runs \(fromRuns): no such folder") }
        }
    }

    func run() throws {
        let selected = try options.cells(matching: cells)
        var series: [CellSeries]
        if let fromRuns {
            do {
                series = try Verification.series(
                    fromRunsIn: URL(fileURLWithPath: fromRuns), profile: options.profile)
            } catch let error as ConfigError {
                throw ValidationError(error.description)
            }
        } else {
            let seedList = (0..<UInt64(seeds)).map { options.seed + $0 }
            let results = try Papers.run(selected, seeds: seedList, options: options.runOptions())
            series = Papers.all.flatMap { e in
                let mine = results.filter { $0.cell.paper == e.id }.map(\.metrics)
                return mine.isEmpty ? [] : e.series(mine)
            }
        }
        let papers = Papers.all.filter { e in selected.contains { $0.paper == e.id } }
        let names = Set(selected.map(\.fullName))
        series = series.filter { names.contains($0.key.cell) }
        let claims = Claims.evaluate(papers.flatMap { $0.claims() }, on: series)
        let text = Report.markdown(
            title: "Claims (\(options.profile.rawValue) profile): "
                + papers.map(\.id).joined(separator: ", "),
            golden: [], claims: claims,
            tables: papers.flatMap { $0.tables(series, profile: options.profile) })
        print(text)
        if let report { try writeOutput(Data(text.utf8), to: report) }
    }
}
