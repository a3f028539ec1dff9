import ArgumentParser
import Foundation
import Harness
import Results

/// `repro collect`: a sweep's finished run folders into the verify, claims and Table reports.
struct CollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Report a sweep's finished runs: goldens, each paper's tables and its claims.",
        discussion: """
            Reads every run folder under <folder>/runs (or <folder>) of --profile, one run per \
            (cell, seed). Runs whose seed has a golden file are compared with it as `repro \
            verify` would. Exits 1 when a golden fails or a run folder is unfinished.
            """)

    @Argument(help: "The sweep's shared results folder.") var folder: String
    @Option(help: "Profile of the runs to collect.") var profile: Profile = .smoke
    @Option(help: "Folder of the golden files.") var golden = "results/golden"
    @Option(help: "Also write the Markdown report to this file.") var report: String?

    func validate() throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder),
            isFolder.boolValue
        else { throw ValidationError("\(folder): no such folder") }
    }

    func run() throws {
        let collection: SweepCollection
        do {
            collection = try SweepCollection.collect(
                root: URL(fileURLWithPath: folder), profile: profile,
                goldenDirectory: URL(fileURLWithPath: golden))
        } catch let error as ConfigError {
            throw ValidationError(error.description)
        }
        let text = collection.markdown
        print(text)
        if let report { try writeOutput(Data(text.utf8), to: report) }
        if !collection.passed { throw ExitCode(1) }
    }
}
