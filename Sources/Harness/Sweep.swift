import Foundation
import Results

/// A sweep: cells x seeds at one profile, one task per run, every run into one shared results
/// folder. The Slurm array script (`SlurmScript`) and the CI matrix (`ActionsWorkflow`) are two
/// renderings of the same task list; each task runs `repro sweep task`, which lands here.
public struct Sweep: Sendable {
    /// One run of the sweep: a cell under a master seed.
    public struct Task: Sendable, Equatable {
        /// Position in the sweep: the Slurm array index and the matrix entry's `index`.
        public var index: Int
        /// The cell's full name, e.g. "p1/multi-semi".
        public var cell: String
        /// The master seed.
        public var seed: UInt64
    }

    /// The profile of every cell.
    public var profile: Profile
    /// Selected cells (overrides applied), in registry order.
    public var cells: [Cell]
    /// Master seeds.
    public var seeds: [UInt64]
    /// `--set key=value` overrides, passed to every task as given.
    public var overrides: [String] = []
    /// Root of the real data sets (paper profile).
    public var dataRoot: String?
    /// Threads of each task (Slurm: CPUs per task).
    public var threads = 2
    /// Iterations between checkpoints, so a requeued task loses little (0: only at track ends).
    public var checkpointEvery = 0
    /// The shared results folder (runs/, data/, slurm/ logs).
    public var results: URL

    /// A sweep of `cells` x `seeds` writing into `results`.
    public init(profile: Profile, cells: [Cell], seeds: [UInt64], results: URL) {
        self.profile = profile
        self.cells = cells
        self.seeds = seeds
        self.results = results
    }

    /// The tasks, seed by seed, cells in order within a seed.
    public var tasks: [Task] {
        var out: [Task] = []
        for seed in seeds {
            for cell in cells {
                out.append(Task(index: out.count, cell: cell.fullName, seed: seed))
            }
        }
        return out
    }

    /// The arguments of `repro sweep task` after the executable, without `--cell` and
    /// `--seed`: every sweep setting, the results folder given as `results`.
    public func taskArguments(results: String) -> [String] {
        var args = [
            "sweep", "task", "--profile", profile.rawValue, "--results", results,
            "--threads", "\(threads)", "--checkpoint-every", "\(checkpointEvery)",
        ]
        if let dataRoot { args += ["--data-root", dataRoot] }
        for o in overrides { args += ["--set", o] }
        return args
    }

    /// The run folder of a (cell, seed): fixed, so a restarted task finds its checkpoints.
    public static func folder(of cell: Cell, seed: UInt64, results: URL) -> URL {
        results.appendingPathComponent("runs").appendingPathComponent("\(cell.id)-s\(seed)")
    }

    /// What `runTask` did.
    public enum TaskOutcome: Sendable {
        /// The run had already finished (metrics.json present); nothing ran.
        case alreadyFinished(RunFolder)
        /// The run finished now; `resumedAt` is the checkpoint it continued from, if any.
        case finished(CellResult, resumed: Bool)
    }

    /// Runs one task: the cell's fixed run folder under `options.resultsRoot`; a finished run is
    /// left alone, a run with checkpoints resumes from them, otherwise it starts. A stop
    /// request (`options.stopRequested`; SIGTERM or SIGUSR1 once `StopSignal.install()` ran)
    /// makes the runner write a checkpoint and stop (`RunError.stopped`).
    public static func runTask(
        _ cell: Cell, seed: UInt64, options: RunOptions, log: (String) -> Void
    ) throws -> TaskOutcome {
        let url = folder(of: cell, seed: seed, results: options.resultsRoot)
        let folder = RunFolder(url: url)
        if FileManager.default.fileExists(atPath: folder.metricsURL.path) {
            log("\(cell.fullName) seed \(seed): already finished in \(url.path)")
            return .alreadyFinished(folder)
        }
        var o = options
        o.seed = seed
        o.folder = url
        o.resume = !folder.checkpointPaths().isEmpty
        if o.resume {
            log("\(cell.fullName) seed \(seed): resuming from the checkpoints in \(url.path)")
        }
        try o.checkFolders()
        let results = try Papers.experiment(of: cell).run([cell], seed: seed, options: o, log: log)
        return .finished(results[0], resumed: o.resume)
    }
}
