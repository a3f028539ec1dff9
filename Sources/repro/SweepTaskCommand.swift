import ArgumentParser
import Foundation
import Harness
import Results

extension SweepCommand {
    /// `repro sweep task`: one run of a sweep (what each array task or matrix job runs).
    struct Task: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Run one (cell, seed) of a sweep in its fixed run folder, resuming if possible.",
            discussion: """
                The run folder is <results>/runs/<cell id>-s<seed>. A finished run is left \
                alone; a run with checkpoints resumes from them. SIGTERM or SIGUSR1 make the \
                run write a checkpoint and exit with status 75.
                """)

        @OptionGroup var options: CommonOptions
        @Option(help: "The cell's full name, e.g. p1/multi-semi.") var cell: String
        @Option(
            name: .customLong("checkpoint-every"),
            help: "Iterations between checkpoints (0: only at the end of each track).")
        var checkpointEvery = 0

        func validate() throws {
            guard checkpointEvery >= 0 else {
                throw ValidationError("--checkpoint-every must be >= 0")
            }
        }

        func run() throws {
            let selected = try options.cells(matching: cell).filter { $0.fullName == cell }
            guard selected.count == 1 else {
                throw ValidationError(
                    "--cell \(cell): give one cell's full name, e.g. p1/multi-semi")
            }
            var o = options.runOptions()
            o.resultsRoot = URL(fileURLWithPath: options.results).standardizedFileURL
            o.checkpointEvery = checkpointEvery
            o.progress = false
            StopSignal.install()
            do {
                // Unbuffered, so the Slurm log shows each line as it happens.
                _ = try Sweep.runTask(
                    selected[0], seed: options.seed, options: o,
                    log: { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) })
            } catch let error as RunError {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                if case .stopped = error { throw ExitCode(75) }
                throw ExitCode(1)
            }
        }
    }
}
