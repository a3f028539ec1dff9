import ArgumentParser
import Harness

/// Options shared by the commands that run cells.
struct CommonOptions: ParsableArguments {
    @Option(help: "Profile: smoke (CI), small (claims over seeds) or paper (full settings, real data).")
    var profile: Profile = .smoke

    @Option(help: "Master seed; every random stream of a run is derived from it.")
    var seed: UInt64 = 0

    @Option(help: "Threads for OpenBLAS and the kernels (recorded in the manifest).")
    var threads: Int = 2

    @Option(help: "Results folder: runs go to <results>/runs, goldens live in <results>/golden.")
    var results: String = "results"

    @Option(name: .customLong("data-root"), help: "Root of the real data sets (paper profile): cityscapes/, synscapes/, bdd100k/.")
    var dataRoot: String?

    @Option(name: .customLong("set"), help: "Override a configuration field, key=value (repeatable), e.g. --set epochs=2.")
    var overrides: [String] = []

    func validate() throws {
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be in 1...256, got \(threads)") }
        for o in overrides { _ = try parsedOverride(o) }
    }

    /// The paper 1 cells at the chosen profile, with the overrides applied.
    func cells() throws -> [Cell] {
        let parsed = try overrides.map(parsedOverride)
        return try Matrix.paper1(profile, dataRoot: dataRoot).map { cell in
            var c = cell
            c.config = try Override.apply(parsed, to: cell.config)
            try c.config.validate()
            return c
        }
    }

    private func parsedOverride(_ text: String) throws -> Override {
        do { return try Override(parsing: text) } catch { throw ValidationError("--set \(error)") }
    }
}

extension Profile: ExpressibleByArgument {}
