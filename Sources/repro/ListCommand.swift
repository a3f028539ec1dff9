import ArgumentParser
import Harness
import Results

/// `repro list`: the configuration matrix with stable cell ids.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List every paper's cells (names, stable ids, sizes).")

    @OptionGroup var options: CommonOptions

    @Argument(help: "Cells to list: a paper id (p1), a glob (p1/*); default every cell.")
    var cells: String?

    func run() throws {
        print("| cell | id | configuration |")
        print("|---|---|---|")
        for cell in try options.cells(matching: cells) {
            let summary = Papers.experiment(of: cell).describe(cell)
            print("| \(cell.fullName) | \(cell.id) | \(summary) |")
        }
    }
}
