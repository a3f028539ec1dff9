import ArgumentParser
import Foundation
import Bench
import Reports
import Results

extension BenchCommand {
    /// `repro bench step`: one training step and one forward of DeepLabv3+ ResNet-50 (paper 1)
    /// or one SPADE generator + discriminator iteration and a generator forward (paper 2),
    /// beside PyTorch (scripts/bench_step_torch.py), each side in its own process; time ratio,
    /// peak RSS and a per-part profile. Measure with `swift build -c release`.
    struct Step: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Time a training step and a forward of DeepLabv3+ or SPADE (optionally beside PyTorch).",
            discussion: """
                deeplab (default): ResNet-50 DeepLabv3+ (output stride 16, one 19-class head), \
                input 2x3x256x512, SGD momentum 0.9. spade: paper 2's --variant (default L+I+P) \
                at ngf = ndf = 64, batch 1 at 256x512 unless given: one iteration = generator \
                step, then discriminator step, each with its Adam update; the forward is the \
                generator in eval mode. The Markdown report goes to stdout.
                """)

        @Option(help: "The network: deeplab or spade.") var model = "deeplab"
        @Option(help: "Paper 2's configuration for --model spade: L, L+I or L+I+P.")
        var variant = "L+I+P"
        @Option(help: "Images per batch (default 2 for deeplab, 1 for spade).") var batch: Int?
        @Option(help: "Input height.") var height = 256
        @Option(help: "Input width.") var width = 512
        @Option(help: "Classes of the DeepLab head.") var classes = 19
        @Option(
            help: "Divide every channel count (1 = ResNet-50 or SPADE's 64; e.g. 8 for a check).")
        var widthDivisor = 1
        @Option(help: "Threads per side (OpenBLAS and our loops; torch.set_num_threads).")
        var threads = 2
        @Option(
            help: "Rounds of (Swift process, PyTorch process), alternating; samples are pooled.")
        var rounds = 3
        @Option(
            help: """
                Rounds at most: with PyTorch, rounds continue past --rounds until the ~90% \
                interval of the median per-round step ratio is within --tolerance of it.
                """)
        var maxRounds: Int?
        @Option(help: "Wanted half-width of that interval, relative (0.05: +-5%).")
        var tolerance = 0.05
        @Option(help: "Timed samples per measurement in each round.") var repeats = 1
        @Option(help: "Untimed calls before sampling.") var warmup = 1
        @Flag(help: "Skip the per-part profile.") var noProfile = false
        @Option(help: "Python with PyTorch to compare against (default: $REPRO_TORCH_PYTHON).")
        var torchPython: String?
        @Option(help: "OPENBLAS_CORETYPE for the Swift side (e.g. SkylakeX); default: inherited.")
        var blasCore: String?
        @Option(help: "The PyTorch timing script.") var torchScript = "scripts/bench_step_torch.py"
        @Option(help: "Write the results as JSON to this file.") var json: String?
        @Option(help: "Also write the Markdown report to this file.") var out: String?
        @Flag(help: .hidden) var worker = false

        var benchModel: StepBenchModel? { StepBenchModel(rawValue: model) }
        var batchSize: Int { batch ?? (benchModel == .spade ? 1 : 2) }

        func validate() throws {
            guard let benchModel else {
                throw ValidationError("--model \(model): expected deeplab or spade")
            }
            switch benchModel {
            case .deeplab:
                guard batchSize >= 2 else {
                    throw ValidationError("--batch must be >= 2 (ASPP image-pooling batch norm)")
                }
                guard height >= 32, width >= 32 else {
                    throw ValidationError("--height and --width must be >= 32")
                }
            case .spade:
                guard ["L", "L+I", "L+I+P"].contains(variant) else {
                    throw ValidationError("--variant \(variant): expected L, L+I or L+I+P")
                }
                guard batchSize >= 1, height >= 32, width >= 32, height % 32 == 0,
                    width % 32 == 0
                else {
                    throw ValidationError(
                        "--batch must be >= 1 and --height, --width multiples of 32 (SPADE "
                            + "upsamples 5 times from the latent grid)")
                }
            }
            guard classes >= 1, threads >= 1 else {
                throw ValidationError("--classes and --threads must be >= 1")
            }
            guard [1, 2, 4, 8, 16, 32].contains(widthDivisor) else {
                throw ValidationError(
                    "--width-divisor \(widthDivisor): expected 1, 2, 4, 8, 16 or 32")
            }
            guard rounds >= 1, repeats >= 1, warmup >= 0 else {
                throw ValidationError("--rounds and --repeats must be >= 1, --warmup >= 0")
            }
            if let maxRounds, maxRounds < rounds {
                throw ValidationError("--max-rounds \(maxRounds) is below --rounds \(rounds)")
            }
            guard tolerance > 0, tolerance.isFinite else {
                throw ValidationError("--tolerance \(tolerance): expected a positive number")
            }
        }

        var options: StepBenchOptions {
            var o = StepBenchOptions()
            (o.model, o.variant) = (benchModel ?? .deeplab, variant)
            (o.batch, o.height, o.width, o.classes) = (batchSize, height, width, classes)
            (o.widthDivisor, o.threads, o.repeats, o.warmup) = (
                widthDivisor, threads, repeats, warmup
            )
            o.profile = !noProfile
            (o.rounds, o.maxRounds, o.tolerance) = (rounds, maxRounds, tolerance)
            return o
        }

        func run() throws {
            if worker {
                let side =
                    options.model == .spade ? try runSPADEStepBench(options) : runStepBench(options)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(side), as: UTF8.self))
                return
            }
            let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
            let report = try runStepBenchComparison(
                options, executable: executable,
                torchPython: torchPython
                    ?? ProcessInfo.processInfo.environment["REPRO_TORCH_PYTHON"],
                torchScript: torchScript, blasCore: blasCore
            ) { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
            print(report.markdown, terminator: "")
            if let out { try writeOutput(Data(report.markdown.utf8), to: out) }
            if let json { try writeOutput(report.json(), to: json) }
        }

    }
}
