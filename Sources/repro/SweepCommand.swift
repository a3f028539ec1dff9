import ArgumentParser
import Foundation
import Harness
import Results

/// `repro sweep`: cells x seeds as a Slurm job array or a GitHub Actions matrix.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Plan cells x seeds as one job per run: a Slurm array or a CI matrix.",
        discussion: """
            Every run of a sweep writes into one shared results folder, in a run folder named \
            by its cell id and seed, so a restarted task finds its checkpoints. Collect the \
            finished runs with `repro collect <results> --profile <profile>`.
            """,
        subcommands: [Slurm.self, Actions.self, Task.self])

    /// The sweep settings shared by `slurm` and `actions`.
    struct Plan: ParsableArguments {
        @OptionGroup var options: CommonOptions
        @Argument(help: "Cells: a paper id (p1), a glob (p1/*); default every cell.")
        var cells: String?
        @Option(help: "Number of seeds per cell (seed, seed+1, ...).") var seeds = 1
        @Option(
            name: .customLong("checkpoint-every"),
            help: "Iterations between checkpoints (what a requeued task may lose; 0: track ends).")
        var checkpointEvery = 0

        func validate() throws {
            guard (1...1000).contains(seeds) else {
                throw ValidationError("--seeds must be in 1...1000")
            }
            guard checkpointEvery >= 0 else {
                throw ValidationError("--checkpoint-every must be >= 0")
            }
        }

        func sweep() throws -> Sweep {
            let results = URL(fileURLWithPath: options.results).standardizedFileURL
            var s = Sweep(
                profile: options.profile, cells: try options.cells(matching: cells),
                seeds: (0..<UInt64(seeds)).map { options.seed + $0 }, results: results)
            s.overrides = options.overrides
            s.dataRoot = options.dataRoot.map {
                URL(fileURLWithPath: $0).standardizedFileURL.path
            }
            s.threads = options.threads
            s.checkpointEvery = checkpointEvery
            return s
        }
    }

    /// `repro sweep slurm`: the sbatch array script.
    struct Slurm: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write an sbatch script: one array task per (cell, seed), requeueable.",
            discussion: """
                Each task gets --threads CPUs, --mem memory and --time; its output goes to \
                <results>/slurm/<job>_<task>.out. On SIGTERM (cancel, preemption, scontrol \
                requeue) a task writes a checkpoint and stops; restarted, it resumes. With \
                --time, Slurm warns the task --grace seconds before the limit and the task \
                checkpoints and requeues itself. The cluster's KillWait must exceed one \
                iteration plus a checkpoint.
                """)

        @OptionGroup var plan: Plan
        @Option(help: "The script to write (default <results>/sweep-<profile>.sbatch).")
        var out: String?
        @Option(help: "Job name.") var jobName = "repro"
        @Option(help: "Partition (default: the cluster's default).") var partition: String?
        @Option(help: "Memory per task (sbatch --mem).") var mem = "4G"
        @Option(help: "Time limit per task, e.g. 02:00:00 (default: the partition's).")
        var time: String?
        @Option(help: "Seconds before the time limit at which a task checkpoints and requeues.")
        var grace = 120
        @Option(help: "At most this many tasks at once.") var maxParallel: Int?
        @Option(help: "The repro executable on the nodes (default: this one).")
        var executable: String?
        @Flag(help: "Also submit the script with sbatch and print the job id.") var submit = false

        func validate() throws {
            if let maxParallel, maxParallel < 1 {
                throw ValidationError("--max-parallel must be >= 1")
            }
            guard grace >= 1 else { throw ValidationError("--grace must be >= 1 second") }
            let memory = mem.range(of: #"^[0-9]+[KMGT]?$"#, options: .regularExpression)
            guard memory != nil else {
                throw ValidationError("--mem \(mem): expected e.g. 4G or 4096 (MiB)")
            }
            if let time,
                time.range(of: #"^([0-9]+-)?[0-9:]+$"#, options: .regularExpression) == nil
            {
                throw ValidationError("--time \(time): expected e.g. 02:00:00 or 1-00:00:00")
            }
        }

        func run() throws {
            let sweep = try plan.sweep()
            let exe =
                executable
                ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
            var script = SlurmScript(
                sweep: sweep, executable: exe,
                workingDirectory: FileManager.default.currentDirectoryPath)
            script.jobName = jobName
            script.partition = partition
            script.memory = mem
            script.timeLimit = time
            script.grace = grace
            script.maxParallel = maxParallel
            let path =
                out
                ?? sweep.results.appendingPathComponent(
                    "sweep-\(sweep.profile.rawValue).sbatch"
                ).path
            do {
                try FileManager.default.createDirectory(
                    at: script.logFolder, withIntermediateDirectories: true)
            } catch {
                throw ValidationError("cannot create \(script.logFolder.path): \(error)")
            }
            try writeOutput(Data(script.text.utf8), to: path)
            print("wrote \(path): \(sweep.tasks.count) array tasks")
            guard submit else { return }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["sbatch", "--parsable", path]
            let pipe = Pipe()
            p.standardOutput = pipe
            do { try p.run() } catch { throw ValidationError("cannot run sbatch: \(error)") }
            let text = String(
                decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            guard p.terminationStatus == 0 else {
                throw ValidationError("sbatch \(path) failed (exit \(p.terminationStatus))")
            }
            print("submitted job \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    /// `repro sweep actions`: the GitHub Actions workflow.
    struct Actions: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Write a GitHub Actions workflow: one matrix job per (cell, seed), then collect."
        )

        @OptionGroup var plan: Plan
        @Option(
            help: "The workflow to write (default .github/workflows/repro-sweep-<profile>.yml).")
        var out: String?
        @Option(help: "At most this many matrix jobs at once.") var maxParallel: Int?
        @Option(help: "Runner label.") var runner = "ubuntu-24.04"
        @Option(help: "Container image with Swift on Debian.") var container =
            "swift:6.3.1-bookworm"
        @Option(help: "Minutes before a matrix job is cancelled.") var timeoutMinutes = 120

        func validate() throws {
            if let maxParallel, maxParallel < 1 {
                throw ValidationError("--max-parallel must be >= 1")
            }
            guard (1...4320).contains(timeoutMinutes) else {
                throw ValidationError("--timeout-minutes must be in 1...4320 (GitHub's limit)")
            }
        }

        func run() throws {
            let sweep = try plan.sweep()
            guard sweep.tasks.count <= 256 else {
                throw ValidationError(
                    "\(sweep.tasks.count) runs: a GitHub Actions matrix holds at most 256 jobs")
            }
            var workflow = ActionsWorkflow(sweep: sweep)
            workflow.maxParallel = maxParallel
            workflow.runner = runner
            workflow.container = container
            workflow.timeoutMinutes = timeoutMinutes
            let path = out ?? ".github/workflows/repro-sweep-\(sweep.profile.rawValue).yml"
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try writeOutput(Data(workflow.text.utf8), to: path)
            print("wrote \(path): \(sweep.tasks.count) matrix jobs")
        }
    }
}
