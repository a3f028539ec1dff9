import ArgumentParser
import Harness

/// `repro list`: the configuration matrix with stable cell ids.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the configuration matrix (cells, ids, sizes).")

    @OptionGroup var options: CommonOptions

    func run() throws {
        print("| cell | id | domains | model | iterations | crop | images (train/val) |")
        print("|---|---|---|---|---|---|---|")
        for cell in try options.cells() {
            let c = cell.config
            print(
                "| \(cell.name) | \(cell.id) | \(c.domains.joined(separator: ",")) | "
                    + "width 1/\(c.widthDivisor), blocks \(c.blocks), OS\(c.outputStride) | "
                    + "\(c.totalIterations) | \(c.cropSize) | \(c.trainImages)/\(c.valImages) |")
        }
    }
}
