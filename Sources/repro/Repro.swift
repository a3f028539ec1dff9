import ArgumentParser
import Tensors

/// The harness's front door.
@main
struct Repro: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repro",
        abstract: "Reproduce, verify and benchmark two computer-vision papers.",
        discussion: """
            Paper 1: semi-supervised multi-domain semantic segmentation (DeepLabv3+ / ResNet-50, \
            CAC's directional contrastive loss, Mix loss). Paper 2: instance-aware SPADE.
            """,
        subcommands: [
            VerifyCommand.self, ListCommand.self, RunCommand.self, ClaimsCommand.self,
            DiffCommand.self, DataCommand.self, BenchCommand.self, SurveyCommand.self,
            RecordCommand.self, CompareCommand.self, BisectCommand.self, ProfileCommand.self,
            SweepCommand.self, CollectCommand.self,
        ])

    /// OpenBLAS's idle spin is short unless the user set it (`BLAS.shortSpin`), then the
    /// command line is parsed and run.
    static func main() {
        BLAS.restartWithShortSpinUnlessSet()
        main(nil)
    }
}
