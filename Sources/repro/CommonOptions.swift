import ArgumentParser
import Foundation
import Harness
import Results

/// Options shared by the commands that run cells.
struct CommonOptions: ParsableArguments {
    @Option(
        help: """
            Profile: smoke (CI), small (claims over seeds), medium (paper 1 from a pretrained \
            backbone) or paper (full settings, real data).
            """)
    var profile: Profile = .smoke

    @Option(help: "Master seed; every random stream of a run is derived from it.")
    var seed: UInt64 = 0

    @Option(help: "Threads for OpenBLAS and the kernels (recorded in the manifest).")
    var threads: Int = 2

    @Option(help: "Results folder: runs go to <results>/runs, goldens live in <results>/golden.")
    var results: String = "results"

    @Option(
        name: .customLong("data-root"),
        help: "Root of the real data sets (paper profile): cityscapes/, synscapes/, bdd100k/.")
    var dataRoot: String?

    @Option(
        name: .customLong("set"),
        help: "Override a configuration field, key=value (repeatable), e.g. --set epochs=2.")
    var overrides: [String] = []

    func validate() throws {
        guard (1...256).contains(threads) else {
            throw ValidationError("--threads must be in 1...256, got \(threads)")
        }
        for o in overrides { _ = try parsedOverride(o) }
        try checkFolderOption("--results", results)
        if profile == .paper {
            guard let dataRoot else {
                throw ValidationError(
                    "--profile paper trains on the real data sets: give --data-root <folder>")
            }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dataRoot, isDirectory: &isFolder),
                isFolder.boolValue
            else { throw ValidationError("--data-root \(dataRoot): no such folder") }
        }
    }

    /// The registered cells at the chosen profile matching `pattern`, overrides applied.
    func cells(matching pattern: String? = nil) throws -> [Cell] {
        do {
            return try Papers.cells(
                profile, dataRoot: dataRoot, overrides: overrides.map(parsedOverride),
                matching: pattern)
        } catch let error as ConfigError {
            throw ValidationError(error.description)
        }
    }

    /// Run options from the flags (seed, threads, results root).
    func runOptions() -> RunOptions {
        var o = RunOptions()
        o.seed = seed
        o.threads = threads
        o.resultsRoot = URL(fileURLWithPath: results)
        return o
    }

    private func parsedOverride(_ text: String) throws -> Override {
        do { return try Override(parsing: text) } catch { throw ValidationError("--set \(error)") }
    }
}

/// A folder given on the command line must be a folder or not exist yet (it is created).
func checkFolderOption(_ flag: String, _ path: String) throws {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
        throw ValidationError("\(flag) \(path) is a file, not a folder")
    }
}

extension Profile: ExpressibleByArgument {}
