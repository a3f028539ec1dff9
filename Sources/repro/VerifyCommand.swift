import ArgumentParser
import Foundation
import Harness

/// `repro verify`: the smoke verification of the whole matrix against the regression goldens.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Run every cell at the smoke profile and compare with the committed goldens.",
        discussion: """
            Prints a Markdown report (goldens, paper Table 1 beside the reproduced numbers) and \
            exits non-zero if any metric misses its golden. Goldens are compared bit for bit on \
            the machine fingerprint that made them, with their tolerance elsewhere. \
            --regenerate rewrites them (give --reason).
            """)

    @OptionGroup var options: CommonOptions

    @Flag(help: "Rewrite the goldens from this run instead of comparing.")
    var regenerate = false

    @Option(help: "Why the goldens are regenerated (recorded in the golden file).")
    var reason: String?

    @Option(help: "Also write the Markdown report to this file.")
    var report: String?

    @Option(help: "Also write a static HTML page (report and loss curves) to this file.")
    var html: String?

    @Flag(name: .customLong("self-check"), help: "Also run multi-semi a second time and require bitwise identical results (names the first divergence otherwise).")
    var selfCheck = false

    func validate() throws {
        if regenerate && (reason ?? "").isEmpty { throw ValidationError("--regenerate needs --reason \"...\"") }
    }

    func run() throws {
        var o = RunOptions()
        o.seed = options.seed
        o.threads = options.threads
        o.resultsRoot = URL(fileURLWithPath: options.results)
        o.progress = false
        let cells = try options.cells()
        let outcome = try Verification.run(cells, seeds: [options.seed], options: o)
        let store = GoldenStore(
            suite: "paper1-\(options.profile.rawValue)-seed\(options.seed)",
            directory: URL(fileURLWithPath: options.results).appendingPathComponent("golden"))
        let measurements = outcome.results.map(\.metrics.measurement)
        let manifest = try outcome.results[0].folder.readManifest()
        if regenerate {
            try store.regenerate(
                from: measurements, reason: reason!, commit: manifest.gitCommit,
                fingerprint: manifest.fingerprint, defaultTolerance: Verification.goldenTolerance)
            print("Goldens rewritten: \(store.url.path)")
            return
        }
        var determinism: String?
        if selfCheck, let first = outcome.results.first(where: { $0.cell.name == "multi-semi" }) ?? outcome.results.last {
            let again = try Verification.run([first.cell], seeds: [options.seed], options: o, log: { _ in })
            let diff = try RunDiff.compare(first.folder, again.results[0].folder)
            determinism = diff.identical
                ? "Self-check: \(first.cell.name) run twice is bitwise identical (losses, checkpoints, metrics)."
                : "Self-check FAILED: \(first.cell.name) diverged. First loss difference: \(diff.firstLossDifference ?? "none"); "
                    + "checkpoints: \(diff.checkpointDifferences.joined(separator: "; ")); metrics: \(diff.metricDifferences.joined(separator: "; "))"
        }
        let comparisons = try store.compare(measurements, fingerprint: manifest.fingerprint)
        let text = Report.markdown(
            title: "Paper 1 verification (\(options.profile.rawValue), seed \(options.seed))",
            profile: options.profile.rawValue, golden: comparisons, claims: [], reproduced: outcome.series)
        let full = text + (determinism.map { "\n\($0)\n" } ?? "")
        print(full)
        if let report { try writeOutput(Data(full.utf8), to: report) }
        if let html {
            try writeHTMLReport(to: html, title: "Paper 1 verification", markdown: full, runs: outcome.results)
        }
        let selfCheckFailed = determinism.map { $0.hasPrefix("Self-check FAILED") } ?? false
        if selfCheckFailed || comparisons.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }
}
