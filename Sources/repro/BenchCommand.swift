import ArgumentParser
import Foundation
import Bench
import Reports
import Results

/// `repro bench`: performance measurements.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmark the hot paths.",
        subcommands: [Conv.self, Step.self])

    /// `repro bench conv`: GFLOP/s of the conv kernels beside PyTorch's, interleaved.
    ///
    /// Measure with `swift build -c release` (portable build: OpenBLAS picks its own kernels at
    /// run time; our Swift loops are SSE). Opt-in extra: `swift build -c release -Xswiftc
    /// -target-cpu -Xswiftc native` vectorises the Swift im2col/col2im loops for the build
    /// machine; such a binary crashes on CPUs without that machine's instruction sets.
    struct Conv: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Time conv2d forward, backward-data and backward-weight (optionally beside PyTorch).",
            discussion:
                "Shapes (Cin,Cout,k,stride,dilation,H,W), batch 2, padding dilation*(k-1)/2.")

        @Option(help: "Thread counts, comma separated.")
        var threads = "1,2"
        @Option(
            help: """
                Interleaved sample pairs per (shape, pass, threads), at least; the medians are \
                reported.
                """)
        var repeats = 5
        @Option(
            help: """
                Sample pairs at most: sampling continues past --repeats until the ratio's ~90% \
                interval is within --tolerance of it.
                """)
        var maxRepeats = 11
        @Flag(
            help: """
                Time CPU seconds of each process (all threads) instead of wall-clock seconds: \
                immune to time slices lost on a loaded machine, but spinning threads count.
                """)
        var cpuClock = false
        @Option(help: "Wanted half-width of the ratio's interval, relative (0.05: +-5%).")
        var tolerance = 0.05
        @Option(help: "Untimed calls before sampling.")
        var warmup = 1
        @Option(help: "Seconds of repeated calls per sample (time per call = total / calls).")
        var minSampleTime = 0.05
        @Option(
            help: """
                Subset of the paper shapes: 1-based indices, comma separated (default all \
                \(ConvShape.paper.count); 10-13 SPADE).
                """)
        var shapes: String?
        @Option(
            help: """
                Another convolution to time, as Cin,Cout,k,stride,dilation,H,W (repeatable; \
                e.g. 512,512,3,1,2,16,32 for DeepLab's layer4); with only --shape options, \
                just those.
                """)
        var shape: [String] = []
        @Option(help: "Python with PyTorch to compare against (default: $REPRO_TORCH_PYTHON).")
        var torchPython: String?
        @Option(help: "The PyTorch timing script.")
        var torchScript = "scripts/bench_conv_torch.py"
        @Option(
            help: """
                OPENBLAS_CORETYPE for the run (e.g. SkylakeX; OpenBLAS 0.3.21 takes some \
                AVX-512 CPUs for Prescott); repro runs itself again with it set.
                """)
        var blasCore: String?
        @Option(help: "Write the results as JSON to this file.")
        var json: String?
        @Option(help: "Also write the Markdown report to this file.")
        var out: String?

        func validate() throws {
            guard threadCounts != nil else {
                throw ValidationError("--threads \(threads): expected e.g. 1,2")
            }
            guard repeats >= 1, warmup >= 0, minSampleTime >= 0 else {
                throw ValidationError("--repeats must be >= 1, --warmup and --min-sample-time >= 0")
            }
            guard maxRepeats >= 1, tolerance > 0 else {
                throw ValidationError("--max-repeats must be >= 1 and --tolerance > 0")
            }
            guard selectedShapes != nil else {
                throw ValidationError(
                    "--shapes \(shapes ?? ""): expected indices 1...\(ConvShape.paper.count)")
            }
            for spec in shape where ConvShape(parsing: spec) == nil {
                throw ValidationError(
                    "--shape \(spec): expected Cin,Cout,k,stride,dilation,H,W, all positive, "
                        + "with an output of at least 1x1")
            }
        }

        var threadCounts: [Int]? {
            let ts = threads.split(separator: ",").map {
                Int($0.trimmingCharacters(in: .whitespaces))
            }
            guard !ts.isEmpty, ts.allSatisfy({ ($0 ?? 0) >= 1 }) else { return nil }
            return ts.map { $0! }
        }

        var selectedShapes: [ConvShape]? {
            let extra = shape.compactMap(ConvShape.init(parsing:))
            guard let shapes else { return extra.isEmpty ? ConvShape.paper : extra }
            let ids = shapes.split(separator: ",").map {
                Int($0.trimmingCharacters(in: .whitespaces))
            }
            guard !ids.isEmpty, ids.allSatisfy({ (1...ConvShape.paper.count).contains($0 ?? 0) })
            else { return nil }
            return ids.map { ConvShape.paper[$0! - 1] } + extra
        }

        func run() throws {
            if let blasCore, ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] != blasCore {
                // OpenBLAS reads the variable when it loads, so only a new process can change it.
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
                    .resolvingSymlinksInPath()
                process.arguments = Array(CommandLine.arguments.dropFirst())
                var environment = ProcessInfo.processInfo.environment
                environment["OPENBLAS_CORETYPE"] = blasCore
                process.environment = environment
                try process.run()
                process.waitUntilExit()
                if process.terminationStatus != 0 {
                    throw ExitCode(process.terminationStatus)
                }
                return
            }
            var options = ConvBenchOptions()
            options.threads = threadCounts!
            options.shapes = selectedShapes!
            options.repeats = repeats
            options.maxRepeats = maxRepeats
            options.tolerance = tolerance
            options.warmup = warmup
            options.minSampleSeconds = minSampleTime
            options.cpuClock = cpuClock
            options.torchScript = torchScript
            options.torchPython =
                torchPython ?? ProcessInfo.processInfo.environment["REPRO_TORCH_PYTHON"]
            let report = try runConvBench(options) { line in
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
            print(report.markdown, terminator: "")
            if let out { try writeOutput(Data(report.markdown.utf8), to: out) }
            if let json { try writeOutput(report.json(), to: json) }
        }

    }
}
