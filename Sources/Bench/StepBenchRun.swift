import Foundation
import Results

/// Both sides of `repro bench step`, each measured in its own child process (so that each
/// peak-memory figure is that side's alone), with the facts needed to read them.
public struct StepBenchReport: Sendable, Codable {
    public var date: String
    public var cpu: String
    public var options: StepBenchOptions
    /// The 1-minute load average (/proc/loadavg) before and after the run: other processes
    /// competing for the cores make both sides slower, by different amounts.
    public var loadAverage: [Double]
    public var swift: StepBenchSide
    public var torch: StepBenchSide?
    /// Per round, Swift's median step time over PyTorch's (nil without PyTorch).
    public var stepRoundRatios: [Double]?
    /// Per round, the same for the forward.
    public var forwardRoundRatios: [Double]?

    /// The ~90% interval of the median per-round step ratio (nil without PyTorch).
    public var stepRatioInterval: RatioInterval? {
        stepRoundRatios.flatMap { $0.isEmpty ? nil : RatioInterval($0) }
    }

    /// Swift time over PyTorch time for the medians of `path` (> 1: Swift is slower).
    public func ratio(_ path: KeyPath<StepBenchSide, [Double]>) -> Double? {
        torch.map { median(swift[keyPath: path]) / median($0[keyPath: path]) }
    }

    /// The report as pretty-printed JSON with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}

/// Runs `executable bench step --worker ...` for the Swift side and, with `torchPython`,
/// `torchPython torchScript ...` for PyTorch, one after the other; `log` gets progress lines.
/// With `blasCore`, the Swift side runs with `OPENBLAS_CORETYPE=blasCore` (OpenBLAS picks its
/// kernels when it loads, so only a new process can change them).
public func runStepBenchComparison(
    _ options: StepBenchOptions, executable: String, torchPython: String?, torchScript: String,
    blasCore: String? = nil, log: (String) -> Void
) throws -> StepBenchReport {
    let shared =
        [
            "--model", options.model.rawValue, "--variant", options.variant,
            "--batch", "\(options.batch)", "--height", "\(options.height)", "--width",
            "\(options.width)",
            "--classes", "\(options.classes)", "--width-divisor", "\(options.widthDivisor)",
            "--threads", "\(options.threads)", "--repeats", "\(options.repeats)",
            "--warmup", "\(options.warmup)",
        ] + (options.profile ? [] : ["--no-profile"])
    let loadBefore = loadAverage1Minute()
    var environment = ProcessInfo.processInfo.environment
    if let blasCore { environment["OPENBLAS_CORETYPE"] = blasCore }
    if torchPython != nil, !FileManager.default.fileExists(atPath: torchScript) {
        throw BenchError(
            "torch step script \(torchScript): no such file (run from the package root)")
    }
    var swiftRounds: [StepBenchSide] = []
    var torchRounds: [StepBenchSide] = []
    let most = torchPython == nil ? options.rounds : max(options.rounds, options.maxRounds ?? 0)
    _ = try sampleUntilTight(
        minimum: options.rounds, maximum: most, tolerance: options.wantedTolerance
    ) { index in
        log("round \(index + 1) (\(options.rounds)-\(most)): Swift (\(executable) bench step)")
        let swift = try runSide(
            executable, ["bench", "step", "--worker"] + shared, environment: environment,
            what: "Swift worker")
        swiftRounds.append(swift)
        guard let torchPython else { return (1, 1) }
        log("round \(index + 1) (\(options.rounds)-\(most)): PyTorch (\(torchScript))")
        let torch = try runSide(
            torchPython, [torchScript] + shared,
            environment: ProcessInfo.processInfo.environment, what: torchScript)
        torchRounds.append(torch)
        return (median(swift.stepSeconds), median(torch.stepSeconds))
    }
    let ratios = { (path: KeyPath<StepBenchSide, [Double]>) -> [Double]? in
        torchRounds.isEmpty
            ? nil
            : zip(swiftRounds, torchRounds).map {
                median($0[keyPath: path]) / median($1[keyPath: path])
            }
    }
    return StepBenchReport(
        date: ISO8601DateFormatter().string(from: Date()), cpu: SystemProbe.cpu.model,
        options: options, loadAverage: [loadBefore, loadAverage1Minute()],
        swift: StepBenchSide.pooled(swiftRounds),
        torch: torchRounds.isEmpty ? nil : StepBenchSide.pooled(torchRounds),
        stepRoundRatios: ratios(\.stepSeconds), forwardRoundRatios: ratios(\.forwardSeconds))
}

/// The first field of /proc/loadavg, or -1 where there is none.
func loadAverage1Minute() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8),
        let first = text.split(separator: " ").first, let value = Double(first)
    else { return -1 }
    return value
}

/// Runs one side to completion and decodes the JSON object it prints.
private func runSide(
    _ executable: String, _ arguments: [String], environment: [String: String], what: String
) throws -> StepBenchSide {
    guard FileManager.default.isExecutableFile(atPath: executable) else {
        throw BenchError("\(what): \(executable) is not an executable file")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = environment
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw BenchError("\(what) exited with status \(process.terminationStatus)")
    }
    do {
        return try JSONDecoder().decode(StepBenchSide.self, from: data)
    } catch {
        let text = String(decoding: data.prefix(500), as: UTF8.self)
        throw BenchError("\(what): cannot read its JSON (\(error)); it printed: \(text)")
    }
}
