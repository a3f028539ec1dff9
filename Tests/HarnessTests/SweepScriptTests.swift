import Foundation
import Harness
import Results
import TestSupport
import Testing
import Yams

/// The Slurm array script and the GitHub Actions workflow of one sweep: the same tasks.
@Suite struct SweepScriptTests {
    func sweep() -> Sweep {
        var s = Sweep(
            profile: .smoke, cells: [tinyCell(.multi, .supervised), tinyCell(.single, .semi)],
            seeds: [0, 1, 2], results: URL(fileURLWithPath: "/shared/my results"))
        s.threads = 3
        s.checkpointEvery = 5
        s.overrides = ["epochs=2"]
        return s
    }

    @Test func slurmScriptHasOneArrayTaskPerRunAndParsesInBash() throws {
        var script = SlurmScript(
            sweep: sweep(), executable: "/opt/repro/bin/repro", workingDirectory: "/src/repro")
        script.timeLimit = "01:30:00"
        script.maxParallel = 4
        script.partition = "gpu"
        let text = script.text
        let directives = text.split(separator: "\n").filter { $0.hasPrefix("#SBATCH ") }
            .map { String($0.dropFirst(8)) }
        for expected in [
            "--array=0-5%4", "--cpus-per-task=3", "--mem=4G", "--requeue", "--time=01:30:00",
            "--signal=B:USR1@120", "--partition=gpu", "--open-mode=append",
            "--output=/shared/my results/slurm/%A_%a.out", "--chdir=/src/repro",
        ] {
            #expect(directives.contains(expected), "missing #SBATCH \(expected)")
        }
        #expect(
            text.contains(
                "cells=(p1/multi-supervised p1/single-semi p1/multi-supervised p1/single-semi "
                    + "p1/multi-supervised p1/single-semi)"))
        #expect(text.contains("seeds=(0 0 1 1 2 2)"))
        #expect(text.contains("--results '/shared/my results'"))
        #expect(text.contains("--checkpoint-every 5 --set epochs=2"))
        let file = TemporaryFolder()
        let path = file.url.appendingPathComponent("sweep.sbatch").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let (status, output) = try run("/bin/bash", ["-n", path])
        #expect(status == 0, "bash -n: \(output)")
        // Run as task 3 with a stand-in executable: it must get that task's cell and seed.
        let echo = file.url.appendingPathComponent("echo-args").path
        try Data("#!/bin/sh\necho \"ARGS $*\"\n".utf8).write(to: URL(fileURLWithPath: echo))
        _ = try run("/bin/chmod", ["+x", echo])
        let local = text.replacingOccurrences(of: "/opt/repro/bin/repro", with: echo)
        try Data(local.utf8).write(to: URL(fileURLWithPath: path))
        let (s2, out2) = try run("/usr/bin/env", ["SLURM_ARRAY_TASK_ID=3", "bash", path])
        #expect(s2 == 0, "\(out2)")
        #expect(out2.contains("--cell p1/single-semi --seed 1"), "\(out2)")
    }

    @Test func actionsWorkflowIsAMatrixOfTheSameTasks() throws {
        var workflow = ActionsWorkflow(sweep: sweep())
        workflow.maxParallel = 2
        let parsed = try #require(try Yams.load(yaml: workflow.text) as? [String: Any])
        #expect(parsed["name"] as? String == "repro sweep (smoke)")
        let on = try #require(parsed["on"] as? [String: Any])
        #expect(on["workflow_dispatch"] != nil)
        let jobs = try #require(parsed["jobs"] as? [String: Any])
        #expect(Set(jobs.keys) == ["build", "run", "collect"])
        let run = try #require(jobs["run"] as? [String: Any])
        #expect(run["needs"] as? String == "build")
        let strategy = try #require(run["strategy"] as? [String: Any])
        #expect(strategy["fail-fast"] as? Bool == false)
        #expect(strategy["max-parallel"] as? Int == 2)
        let matrix = try #require(strategy["matrix"] as? [String: Any])
        let include = try #require(matrix["include"] as? [[String: Any]])
        let tasks = sweep().tasks
        #expect(include.count == tasks.count)
        for (entry, task) in zip(include, tasks) {
            #expect(entry["index"] as? Int == task.index)
            #expect(entry["cell"] as? String == task.cell)
            #expect(entry["seed"] as? Int == Int(task.seed))
        }
        let steps = try #require(run["steps"] as? [[String: Any]])
        let command = try #require(
            steps.compactMap { $0["run"] as? String }.last {
                $0.contains("sweep task")
            })
        #expect(command.hasPrefix("bin/repro sweep task --profile smoke --results results"))
        #expect(command.hasSuffix("--cell \"$CELL\" --seed \"$SEED\""))
        let env = try #require(steps.compactMap { $0["env"] as? [String: Any] }.first)
        #expect(env["CELL"] as? String == "${{ matrix.cell }}")
        #expect(env["OPENBLAS_NUM_THREADS"] as? String == "3")
        let collect = try #require(jobs["collect"] as? [String: Any])
        #expect(collect["needs"] as? String == "run")
        let collectSteps = try #require(collect["steps"] as? [[String: Any]])
        let downloads = collectSteps.compactMap { $0["with"] as? [String: Any] }
        #expect(downloads.contains { $0["pattern"] as? String == "run-*" })
        #expect(
            collectSteps.contains {
                ($0["run"] as? String)?.contains("repro collect results --profile smoke") ?? false
            })
        for (name, job) in jobs {
            let j = try #require(job as? [String: Any], "\(name)")
            #expect(j["runs-on"] as? String == "ubuntu-24.04")
            let s = try #require(j["steps"] as? [[String: Any]], "\(name)")
            #expect(s.first?["uses"] as? String == "actions/checkout@v4")
        }
    }

    @Test func shellQuotingKeepsWordsIntact() {
        #expect(shellQuoted("p1/multi-semi") == "p1/multi-semi")
        #expect(shellQuoted("a b") == "'a b'")
        #expect(shellQuoted("it's") == "'it'\\''s'")
        #expect(shellQuoted("") == "''")
        #expect(shellQuoted("p1/*") == "'p1/*'")
    }
}
