import Foundation
import Results

/// A sweep as a GitHub Actions workflow, for users without a cluster: a build job, one matrix
/// job per run (the same task list as the Slurm array, `repro sweep task` per entry, each run
/// folder uploaded as an artifact) and a collect job that downloads every run folder and
/// writes the verify, claims and Table report (`repro collect`).
public struct ActionsWorkflow: Sendable {
    /// The sweep (its results folder is ignored: jobs write to `results` in the checkout).
    public var sweep: Sweep
    /// The workflow's name.
    public var name = "repro sweep"
    /// The runner label of every job.
    public var runner = "ubuntu-24.04"
    /// The container image with the Swift toolchain (Debian, as scripts/install-deps.sh wants).
    public var container = "swift:6.3.1-bookworm"
    /// At most this many matrix jobs at once; nil: GitHub's limit.
    public var maxParallel: Int?
    /// Minutes before a matrix job is cancelled.
    public var timeoutMinutes = 120

    /// The workflow of `sweep`.
    public init(sweep: Sweep) { self.sweep = sweep }

    /// The workflow file's text (YAML).
    public var text: String {
        let tasks = sweep.tasks
        precondition(!tasks.isEmpty, "ActionsWorkflow: a sweep without tasks")
        let profile = sweep.profile.rawValue
        let task =
            (["bin/repro"] + sweep.taskArguments(results: "results")).map(shellQuoted)
            .joined(separator: " ") + " --cell \"$CELL\" --seed \"$SEED\""
        var y = [
            "# \(tasks.count) runs of repro at the \(profile) profile as a matrix.",
            "# Written by `repro sweep actions`; the same task list as `repro sweep slurm`.",
            "name: \(yamlQuoted("\(name) (\(profile))"))",
            "on:",
            "  workflow_dispatch: {}",
            "jobs:",
            "  build:",
        ]
        y += job(timeout: 60)
        y += [
            "      - run: swift build -c release --product repro",
            "      - uses: actions/upload-artifact@v4",
            "        with:",
            "          name: repro",
            "          path: .build/release/repro",
            "  run:",
            "    needs: build",
        ]
        y += job(timeout: timeoutMinutes, matrix: tasks)
        y +=
            downloadRepro + [
                "      - name: Run the task",
                "        env:",
                "          CELL: ${{ matrix.cell }}",
                "          SEED: ${{ matrix.seed }}",
                "          OPENBLAS_NUM_THREADS: \(yamlQuoted(String(sweep.threads)))",
                "        run: \(yamlQuoted(task))",
                "      - uses: actions/upload-artifact@v4",
                "        with:",
                "          name: run-${{ matrix.index }}",
                "          path: results/runs",
                "  collect:",
                "    needs: run",
                "    if: ${{ !cancelled() }}",
            ]
        y += job(timeout: 30) + downloadRepro
        y += [
            "      - uses: actions/download-artifact@v4",
            "        with:",
            "          pattern: run-*",
            "          path: results/runs",
            "          merge-multiple: true",
            "      - name: Collect",
            "        run: "
                + yamlQuoted(
                    "bin/repro collect results --profile \(profile) --report report.md; "
                        + "status=$?; cat report.md >> \"$GITHUB_STEP_SUMMARY\"; exit $status"),
            "      - uses: actions/upload-artifact@v4",
            "        with:",
            "          name: report",
            "          path: report.md",
        ]
        return y.joined(separator: "\n") + "\n"
    }

    /// A job's common lines up to its first own step: runner, container, timeout, matrix,
    /// checkout and the Debian packages.
    private func job(timeout: Int, matrix: [Sweep.Task] = []) -> [String] {
        var y = [
            "    runs-on: \(runner)",
            "    container: \(yamlQuoted(container))",
            "    timeout-minutes: \(timeout)",
        ]
        if !matrix.isEmpty {
            y += ["    strategy:", "      fail-fast: false"]
            if let maxParallel { y.append("      max-parallel: \(maxParallel)") }
            y += ["      matrix:", "        include:"]
            for t in matrix {
                y += [
                    "          - index: \(t.index)",
                    "            cell: \(yamlQuoted(t.cell))",
                    "            seed: \(t.seed)",
                ]
            }
        }
        return y + [
            "    steps:",
            "      - uses: actions/checkout@v4",
            "      - run: bash scripts/install-deps.sh",
        ]
    }

    /// Steps that fetch the built `repro` into bin/.
    private var downloadRepro: [String] {
        [
            "      - uses: actions/download-artifact@v4",
            "        with:",
            "          name: repro",
            "          path: bin",
            "      - run: chmod +x bin/repro",
        ]
    }
}

/// `s` as a YAML double-quoted scalar (JSON string syntax, which YAML accepts).
func yamlQuoted(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 {
                out += String(format: "\\u%04x", u.value)
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
    return out + "\""
}
