import Foundation

/// Instruction counts of the benchmark set under valgrind's callgrind: a noise-free measure
/// for shared machines, where wall time moves with other processes' load.
///
/// `executable worker...` runs `BenchmarkSet.runMeasuredRegions`, which calls each benchmark
/// inside `repro_measured_region`; callgrind collects only inside that function and dumps
/// after each call, so dump k holds exactly the instructions of benchmark k.
public enum Callgrind {
    /// Whether valgrind can be run.
    public static var available: Bool {
        (try? Shell.run(["valgrind", "--version"]).status) == 0
    }

    /// Runs `command` (a worker that measures `names`, in order) under callgrind and returns
    /// the instruction count of each.
    public static func count(_ names: [String], command: [String]) throws
        -> [HistoryRecord.InstructionRecord]
    {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent(
                "repro-callgrind-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("cg.out").path
        // Valgrind 3.19 gives up on the DWARF 5 debug info of Swift debug builds ("possibly
        // corrupted debuginfo file"): run a copy without debug sections (symbols stay).
        var command = command
        let stripped = dir.appendingPathComponent("worker").path
        if (try? Shell.run(["objcopy", "--strip-debug", command[0], stripped]).status) == 0 {
            command[0] = stripped
        }
        let arguments =
            [
                "valgrind", "--tool=callgrind", "--collect-atstart=no",
                "--toggle-collect=repro_measured_region", "--dump-after=repro_measured_region",
                "--callgrind-out-file=\(out)",
            ] + command
        let result = try Shell.run(arguments)
        guard result.status == 0 else {
            let tail = result.stderr.split(separator: "\n").suffix(5).joined(separator: "\n")
            throw HistoryError("callgrind run failed (exit \(result.status)):\n\(tail)")
        }
        return try names.indices.map { i in
            let path = "\(out).\(i + 1)"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw HistoryError("callgrind wrote no dump \(path) for \(names[i])")
            }
            return HistoryRecord.InstructionRecord(
                name: names[i], instructions: try total(text, path))
        }
    }

    /// The `summary:` (or `totals:`) line of a callgrind dump: its first event, Ir.
    static func total(_ text: String, _ path: String) throws -> Double {
        for line in text.split(separator: "\n")
        where line.hasPrefix("summary:") || line.hasPrefix("totals:") {
            if let v = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) {
                return v
            }
        }
        throw HistoryError("\(path): no summary line in the callgrind dump")
    }
}
