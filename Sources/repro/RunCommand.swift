import ArgumentParser
import Foundation
import Cluster
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

    @Option(
        help: """
            Shards of every global batch (data parallelism: partial gradients are summed \
            in shard order; batch norm per shard in paper 1, synchronized over the global \
            batch in paper 2's generator).
            """)
    var shards = 1

    @Flag(help: "Share the shards among the processes of `mpirun -np N` (rank 0 writes).")
    var mpi = false

    func validate() throws {
        guard shards >= 1 else { throw ValidationError("--shards must be >= 1") }
        if MPIWorld.launchedByMPIRun && !mpi {
            throw ValidationError("started by mpirun: add --mpi (and --folder) to share the run")
        }
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
        o.shards = shards
        StopSignal.install()  // SIGTERM / SIGUSR1: checkpoint, then stop
        if mpi { return try runOverMPI(selected, options: o) }
        let results = try Papers.run(selected, seeds: [options.seed], options: o)
        printTables(results)
    }

    /// The run shared by the processes of an MPI world; any error ends every process.
    func runOverMPI(_ selected: [Cell], options: RunOptions) throws {
        let world = MPIWorld()
        var o = options
        o.communicator = world
        o.progress = o.progress && world.isWriter
        guard selected.count == 1, o.folder != nil else {
            world.abort("--mpi runs one cell into one --folder")
        }
        do {
            let results = try Papers.run(
                selected, seeds: [self.options.seed], options: o,
                log: { if world.isWriter { print($0) } })
            if world.isWriter { printTables(results) }
        } catch let error as RunError {
            // Every rank stops at the same iteration (the stop is agreed in the all-gather).
            switch error {
            case .interrupted, .stopped:
                if world.isWriter {
                    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                }
                world.finalize()
                throw ExitCode(75)
            case .nonFiniteLoss: world.abort("\(error)")
            }
        } catch {
            world.abort("\(error)")
        }
        world.finalize()
    }

    func printTables(_ results: [CellResult]) {
        for e in Papers.all {
            let mine = results.filter { $0.cell.paper == e.id }.map(\.metrics)
            if mine.isEmpty { continue }
            for t in e.tables(e.series(mine), profile: options.profile) {
                print("## \(t.heading)\n\n\(t.markdown)\n")
            }
        }
    }
}
