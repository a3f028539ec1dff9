import ArgumentParser
import Foundation
import Harness

/// `repro run`: train and evaluate one cell or a glob of cells.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run paper 1 cells (a name or glob such as 'multi-*').")

    @OptionGroup var options: CommonOptions

    @Argument(help: "Cell name or glob: single-supervised, single-semi, multi-supervised, multi-semi, '*'.")
    var cells: String = "*"

    @Option(help: "Run folder to write (and with --resume, to continue).")
    var folder: String?

    @Flag(help: "Continue from the checkpoints in --folder.")
    var resume = false

    @Option(name: .customLong("checkpoint-every"), help: "Write a checkpoint every N iterations (0: only at the end of each track).")
    var checkpointEvery = 0

    @Option(name: .customLong("stop-after"), help: "Stop after N iterations, as if killed (to try --resume).")
    var stopAfter: Int?

    func validate() throws {
        if resume && folder == nil { throw ValidationError("--resume needs --folder <run folder>") }
    }

    func run() throws {
        let selected = Matrix.select(try options.cells(), glob: cells)
        guard !selected.isEmpty else {
            throw ValidationError("no cell matches '\(cells)'; see `repro list`")
        }
        if folder != nil && selected.count > 1 {
            throw ValidationError("--folder names one run: select one cell, not \(selected.count)")
        }
        var o = RunOptions()
        o.seed = options.seed
        o.threads = options.threads
        o.resultsRoot = URL(fileURLWithPath: options.results)
        o.folder = folder.map { URL(fileURLWithPath: $0) }
        o.resume = resume
        o.checkpointEvery = checkpointEvery
        o.stopAfter = stopAfter
        let outcome = try Verification.run(selected, seeds: [options.seed], options: o)
        print(Report.paper1Table(reproduced: outcome.series, profile: options.profile.rawValue))
    }
}
