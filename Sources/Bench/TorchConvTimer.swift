import Foundation

/// A PyTorch process running scripts/bench_conv_torch.py --serve: times one pass per request,
/// so its samples can be interleaved with ours.
public final class TorchConvTimer {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer = Data()
    /// PyTorch's version string, e.g. "2.13.0+cpu".
    public private(set) var version = ""
    /// The OMP_WAIT_POLICY the PyTorch process runs with.
    public let ompWaitPolicy: String

    /// Starts `python script --serve`; throws when the interpreter or the script is missing or
    /// the process does not answer.
    public init(python: String, script: String) throws {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw BenchError("torch python \(python): not an executable file")
        }
        guard FileManager.default.fileExists(atPath: script) else {
            throw BenchError(
                "torch benchmark script \(script): no such file (run from the package root)")
        }
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "--serve"]
        // PyTorch's OpenMP threads spin while they wait by default; on a shared machine a
        // spinner that loses its core stalls the other thread (10x slower 2-thread passes were
        // seen here). Passive waiting is PyTorch's better setting there; an explicit
        // OMP_WAIT_POLICY in the environment wins.
        var environment = ProcessInfo.processInfo.environment
        if environment["OMP_WAIT_POLICY"] == nil { environment["OMP_WAIT_POLICY"] = "PASSIVE" }
        ompWaitPolicy = environment["OMP_WAIT_POLICY"]!
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let hello = try readReply(from: "\(script) start-up")
        version = hello["torch"] as? String ?? "?"
    }

    deinit {
        try? input.fileHandleForWriting.write(contentsOf: Data("\n".utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// Seconds per call of `pass` on `shape`, `repeats` samples after `warmup` calls; each
    /// sample repeats the call until `minSeconds` have passed (of process CPU time with
    /// `cpuClock`, as `ConvBenchCase.time`).
    public func time(
        _ shape: ConvShape, _ pass: ConvPass, threads: Int, batch: Int, repeats: Int = 1,
        warmup: Int = 0,
        minSeconds: Double = 0, cpuClock: Bool = false
    ) throws -> [Double] {
        let request: [String: Any] = [
            "shape": shape.description, "pass": pass.rawValue, "threads": threads, "batch": batch,
            "repeats": repeats, "warmup": warmup, "min_time": minSeconds,
            "clock": cpuClock ? "cpu" : "wall",
        ]
        var line = try JSONSerialization.data(withJSONObject: request, options: [.sortedKeys])
        line.append(UInt8(ascii: "\n"))
        try input.fileHandleForWriting.write(contentsOf: line)
        let reply = try readReply(from: "\(shape) \(pass.rawValue)")
        guard let samples = reply["samples"] as? [Double] else {
            throw BenchError(
                "torch benchmark: no samples in the reply for \(shape) \(pass.rawValue)")
        }
        return samples
    }

    private func readReply(from what: String) throws -> [String: Any] {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = Data(buffer[(newline + 1)...])
                guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any]
                else {
                    throw BenchError(
                        "torch benchmark (\(what)): unreadable reply \(String(decoding: line, as: UTF8.self))"
                    )
                }
                return object
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty {
                throw BenchError(
                    "torch benchmark (\(what)): the Python process ended without a reply")
            }
            buffer.append(chunk)
        }
    }
}

/// A benchmark set-up problem (missing interpreter or script, bad reply).
public struct BenchError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
