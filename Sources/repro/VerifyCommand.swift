import ArgumentParser
import Foundation
import Harness
import Results
import Survey

/// `repro verify`: the smoke verification of every registered paper against its goldens.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract:
            "Run every paper's cells at the smoke profile and compare with the committed goldens.",
        discussion: """
            Prints a Markdown report (goldens, each paper's table beside the reproduced numbers) \
            and exits non-zero if any metric misses its golden. Goldens are compared bit for bit \
            on the machine fingerprint that made them, with their tolerance elsewhere. \
            --regenerate rewrites them (give --reason).
            """)

    @OptionGroup var options: CommonOptions

    @Argument(help: "Cells to verify: a paper id (p1), a glob (p1/multi-*); default every cell.")
    var cells: String?

    @Flag(help: "Rewrite the goldens from this run instead of comparing.")
    var regenerate = false

    @Option(help: "Why the goldens are regenerated (recorded in the golden file).")
    var reason: String?

    @Option(help: "Also write the Markdown report to this file.")
    var report: String?

    @Option(help: "Also write a static HTML page (report and loss curves) to this file.")
    var html: String?

    @Option(
        help: ArgumentHelp(
            "Also report paper 2's Table 2 from this naturalness-study database.",
            discussion: "The store of `repro survey serve`; read only. Its Table 2 (beside the "
                + "paper's) joins the Markdown report and the HTML page."))
    var surveyDb: String?

    @OptionGroup var surveyExclusion: SurveyCommand.ExclusionOptions

    @Flag(
        name: .customLong("self-check"),
        help: "Also run each paper's self-check cell twice and require bitwise identical results.")
    var selfCheck = false

    func validate() throws {
        if regenerate && (reason ?? "").isEmpty {
            throw ValidationError("--regenerate needs --reason \"...\"")
        }
    }

    func run() throws {
        _ = try options.cells(matching: cells)  // bad patterns and overrides fail before any run
        // A bad study database fails before any run, too.
        let survey = try surveyDb.map { path in
            guard FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("--survey-db \(path): no such file")
            }
            return try SurveyReport(
                store: SurveyStore(path: path, readOnly: true), rule: surveyExclusion.rule)
        }
        var request = Verification.Request()
        request.profile = options.profile
        request.options = options.runOptions()
        request.options.progress = false
        request.pattern = cells
        request.overrides = try options.overrides.map { try Override(parsing: $0) }
        request.selfCheck = selfCheck
        let outcome = try Verification.run(request, regenerate: regenerate ? reason : nil)
        if regenerate { return }
        let text = outcome.markdown + (survey.map { "\n" + $0.markdown() } ?? "")
        print(text)
        if let report { try writeOutput(Data(text.utf8), to: report) }
        if let html {
            let page = try Verification.htmlPage(
                title: "Verification", markdown: outcome.markdown,
                sections: survey.map { [$0.htmlSection()] } ?? [], runs: outcome.results)
            try writeOutput(Data(page.utf8), to: html)
        }
        if !outcome.passed { throw ExitCode(1) }
    }
}
