import ArgumentParser
import Bench
import Foundation
import Harness
import History
import Paper1
import Paper2
import Results

/// `repro profile CELL`: where a training step of a cell spends its time.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Per-module forward/backward time, FLOPs and GFLOP/s of a cell's training step.",
        discussion: """
            Times each part of the cell's network alone at its shapes inside the network, \
            compares with the machine's measured FMA peak, and writes a Chrome trace \
            (chrome://tracing, Perfetto). Paper 1 (DeepLabv3+): stem, layer1-4, ASPP, decoder, \
            head with the loss, SGD update. Paper 2 (SPADE): the generator's blocks and each \
            discriminator scale in the G step and the D step, both Adam updates, and the whole \
            iteration timed as it runs.
            """)

    @OptionGroup var options: CommonOptions
    @Argument(help: "The cell, e.g. p1/multi-semi or p2/L+I+P.") var cell: String
    @Option(help: "Timed calls per part (median).") var samples = 5
    @Option(help: "Write the Chrome trace JSON to this file.") var trace: String?
    @Option(help: "Also write the Markdown table to this file.") var out: String?

    func validate() throws {
        guard samples >= 1 else { throw ValidationError("--samples must be >= 1") }
    }

    func run() throws {
        let cells = try options.cells(matching: cell)
        guard cells.count == 1 else {
            throw ValidationError(
                "'\(cell)' names \(cells.count) cells "
                    + "(\(cells.map(\.fullName).joined(separator: ", "))); "
                    + "name one")
        }
        let peak = MachinePeak.measure(threads: options.threads).total
        let name = cells[0].fullName
        let profile: LayerProfile
        switch cells[0].config {
        case let config as SegmentationConfig:
            profile = LayerProfile.measure(
                cell: name, config: config, samples: samples, threads: options.threads,
                peak: peak)
        case let config as Paper2RunConfig:
            profile = try LayerProfile.spade(
                cell: name, config: config, samples: samples, threads: options.threads,
                peak: peak)
        default:
            throw ValidationError("\(name): no profile for this kind of cell")
        }
        print(profile.markdown, terminator: "")
        if let out { try writeOutput(Data(profile.markdown.utf8), to: out) }
        if let trace { try writeOutput(profile.chromeTrace, to: trace) }
    }
}
