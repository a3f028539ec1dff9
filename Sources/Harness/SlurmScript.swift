import Foundation
import Results

/// A sweep as one Slurm job array (`sbatch` script): one array task per run, each with its own
/// CPUs, memory and time limit, all writing into the sweep's shared results folder.
///
/// Interruptions: the job is `--requeue`able. When Slurm cancels, preempts or requeues a task
/// it sends SIGTERM (then SIGKILL after the cluster's KillWait); the task writes a checkpoint
/// within one iteration and stops, and on restart `repro sweep task` resumes from it. With a
/// time limit, `--signal=B:USR1@<grace>` warns the script before the limit; it forwards the
/// signal, the task checkpoints and exits 75, and the script requeues itself.
public struct SlurmScript: Sendable {
    /// The sweep.
    public var sweep: Sweep
    /// The `repro` executable the tasks run (an absolute path on the compute nodes).
    public var executable: String
    /// The working directory of the tasks (the repository checkout: goldens, scripts).
    public var workingDirectory: String
    /// `--job-name`.
    public var jobName = "repro"
    /// `--partition`; nil: the cluster's default.
    public var partition: String?
    /// `--mem` per task, e.g. "4G".
    public var memory = "4G"
    /// `--time` per task, e.g. "02:00:00"; nil: the partition's limit.
    public var timeLimit: String?
    /// Seconds before the time limit at which the task is told to checkpoint and requeue.
    public var grace = 120
    /// At most this many tasks at once (`--array=...%N`); nil: no limit.
    public var maxParallel: Int?

    /// The script for `sweep`, run by `executable` in `workingDirectory`.
    public init(sweep: Sweep, executable: String, workingDirectory: String) {
        self.sweep = sweep
        self.executable = executable
        self.workingDirectory = workingDirectory
    }

    /// Where the tasks' standard output and error go: <results>/slurm/<job>_<task>.out.
    public var logFolder: URL { sweep.results.appendingPathComponent("slurm") }

    /// The script's text.
    public var text: String {
        let tasks = sweep.tasks
        precondition(!tasks.isEmpty, "SlurmScript: a sweep without tasks")
        var array = "0-\(tasks.count - 1)"
        if let maxParallel { array += "%\(maxParallel)" }
        var lines = [
            "#!/bin/bash",
            "# \(tasks.count) runs of repro at the \(sweep.profile.rawValue) profile: cells "
                + sweep.cells.map(\.fullName).joined(separator: ", ") + "; seeds "
                + sweep.seeds.map(String.init).joined(separator: ", ") + ".",
            "# Written by `repro sweep slurm`. Submit: sbatch <this file>. Collect: "
                + "repro collect \(shellQuoted(sweep.results.path)) --profile \(sweep.profile.rawValue)",
            "#SBATCH --job-name=\(jobName)",
            "#SBATCH --array=\(array)",
            "#SBATCH --ntasks=1",
            "#SBATCH --cpus-per-task=\(sweep.threads)",
            "#SBATCH --mem=\(memory)",
            "#SBATCH --requeue",
            "#SBATCH --open-mode=append",
            "#SBATCH --output=\(logFolder.path)/%A_%a.out",
            "#SBATCH --chdir=\(workingDirectory)",
        ]
        if let partition { lines.append("#SBATCH --partition=\(partition)") }
        if let timeLimit {
            lines += ["#SBATCH --time=\(timeLimit)", "#SBATCH --signal=B:USR1@\(grace)"]
        }
        let command =
            ([executable] + sweep.taskArguments(results: sweep.results.path)).map(shellQuoted)
            .joined(separator: " ")
            + " --cell \"${cells[$i]}\" --seed \"${seeds[$i]}\""
        lines += [
            "set -u",
            "cells=(" + tasks.map { shellQuoted($0.cell) }.joined(separator: " ") + ")",
            "seeds=(" + tasks.map { String($0.seed) }.joined(separator: " ") + ")",
            "i=${SLURM_ARRAY_TASK_ID:?submit this script with sbatch}",
            "export OPENBLAS_NUM_THREADS=\(sweep.threads)",
            "echo \"task $i: ${cells[$i]} seed ${seeds[$i]} on $(hostname),"
                + " restart ${SLURM_RESTART_COUNT:-0}\"",
            "# In the background, so the traps below run while the task trains.",
            command + " &",
            "child=$!",
            "timeup=0",
            "trap 'timeup=1; kill -USR1 \"$child\" 2>/dev/null' USR1",
            "trap 'kill -TERM \"$child\" 2>/dev/null' TERM",
            "while kill -0 \"$child\" 2>/dev/null; do wait \"$child\"; done",
            "wait \"$child\"",
            "status=$?",
            "# 75: checkpointed on the time-limit warning; run the rest as a new attempt.",
            "if [ \"$status\" = 75 ] && [ \"$timeup\" = 1 ]; then",
            "    scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${i}\"",
            "fi",
            "exit \"$status\"",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}

/// `s` as one shell word: unchanged when it holds only safe characters, else single-quoted.
public func shellQuoted(_ s: String) -> String {
    let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:@%+,")
    if !s.isEmpty && s.allSatisfy({ safe.contains($0) }) { return s }
    return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
