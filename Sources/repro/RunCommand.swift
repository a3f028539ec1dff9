import ArgumentParser
import Foundation
import Harness
import Results

/// `repro run`: train and evaluate one cell or a glob of cells.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run cells (a name or glob such as 'p1/multi-*'; see `repro list`).")

    @OptionGroup var options: CommonOptions

    @Argument(help: "Cell name, paper id or glob: p1, p1/multi-semi, 'p1/*', 'multi-*', '*'.")
    var cells: String = "*"

    @Option(help: "Run folder to write (and with --resume, to continue).")
    var folder: String?

    @Flag(help: "Continue from the checkpoints in --folder.")
    var resume = false

    @Option(
        name: .customLong("checkpoint-every"),
        help: "Write a checkpoint every N iterations (0: only at the end of each track).")
    var checkpointEvery = 0

    @Option(
        name: .customLong("stop-after"),
        help: "Stop after N iterations, as if killed (to try --resume).")
    var stopAfter: Int?

    func validate() throws {
        if resume && folder == nil { throw ValidationError("--resume needs --folder <run folder>") }
        if let folder { try checkFolderOption("--folder", folder) }
        guard checkpointEvery >= 0 else { throw ValidationError("--checkpoint-every must be >= 0") }
        if let stopAfter, stopAfter < 1 { throw ValidationError("--stop-after must be >= 1") }
    }

    func run() throws {
        let selected = try options.cells(matching: cells)
        if folder != nil && selected.count > 1 {
            throw ValidationError("--folder names one run: select one cell, not \(selected.count)")
        }
        var o = options.runOptions()
        o.folder = folder.map { URL(fileURLWithPath: $0) }
        o.resume = resume
        o.checkpointEvery = checkpointEvery
        o.stopAfter = stopAfter
        let results = try Papers.run(selected, seeds: [options.seed], options: o)
        for e in Papers.all {
            let mine = results.filter { $0.cell.paper == e.id }.map(\.metrics)
            if mine.isEmpty { continue }
            for t in e.tables(e.series(mine), profile: options.profile) {
                print("## \(t.heading)\n\n\(t.markdown)\n")
            }
        }
    }
}
