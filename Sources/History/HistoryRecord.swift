import Foundation
import Results

/// One commit's numerics and timings on one machine: what `repro record` writes as
/// `<history>/<commit>-<fingerprint>.json` (a numbered suffix when that file exists).
///
/// Numerics: the smoke verification's metrics, golden verdicts and a fingerprint of each run's
/// bits. Timings: every sample of a fixed benchmark set, and optionally instruction counts.
public struct HistoryRecord: Codable, Sendable, Equatable {
    /// Layout version of this record; readers refuse other versions.
    public static let currentFormat = 1

    /// Layout version.
    public var formatVersion = HistoryRecord.currentFormat
    /// `git rev-parse HEAD` of the recorded checkout, or "unknown".
    public var commit: String
    /// True when tracked files differed from `commit`.
    public var dirty: Bool
    /// Commit subject line (for the history page), or "".
    public var subject: String
    /// Committer date of `commit` (ISO 8601), or "".
    public var commitDate: String
    /// `RunManifest.machineFingerprint`: the facts that decide floating-point bits.
    public var fingerprint: String
    /// CPU model name.
    public var cpuModel: String
    /// OpenBLAS kernel family.
    public var blasCore: String
    /// Threads of the verification.
    public var threads: Int
    /// Threads of the timed benchmarks (absent in older records: `threads`).
    public var benchThreads: Int?
    /// ISO 8601 UTC time the record was made.
    public var recordedAt: String
    /// Profile of the verification ("smoke").
    public var profile: String
    /// Master seed of the verification.
    public var seed: UInt64
    /// The verified cells, one entry per run, in registry order.
    public var cells: [CellRecord]
    /// Golden verdicts of every compared metric.
    public var goldens: [GoldenVerdict]
    /// Wall-clock samples of the benchmark set.
    public var timings: [TimingRecord]
    /// Instruction counts of the benchmark set (callgrind); empty when not measured.
    public var instructions: [InstructionRecord]
    /// Seconds the whole record took.
    public var elapsedSeconds: Double

    /// One verified cell.
    public struct CellRecord: Codable, Sendable, Equatable {
        /// Full cell name, e.g. "p1/multi-semi".
        public var cell: String
        /// Hash of its configuration.
        public var configHash: String
        /// Scalar metrics.
        public var metrics: [String: Double]
        /// Tolerance the paper allows across machines (its golden tolerance).
        public var tolerance: Tolerance
        /// `RunFingerprint` of the run folder (losses, checkpoints, metrics bits).
        public var runFingerprint: String
        /// The run folder the record was made from (may be deleted later).
        public var runFolder: String
    }

    /// One golden comparison, as text.
    public struct GoldenVerdict: Codable, Sendable, Equatable {
        public var cell: String
        public var metric: String
        /// "pass", "fail", "missing-golden", ...
        public var outcome: String
        /// "bitwise" or "tolerance", when compared.
        public var mode: String?
    }

    /// All samples of one benchmark, in seconds per call.
    public struct TimingRecord: Codable, Sendable, Equatable {
        /// Benchmark name, e.g. "conv 16,16,3,1,1,32,32 forward".
        public var name: String
        /// Floating-point operations per call.
        public var flops: Double
        /// Seconds per call, one per sample, in measurement order.
        public var samples: [Double]
        /// Process CPU seconds per call of the same samples (absent in older records).
        public var cpuSamples: [Double]?

        /// The median sample.
        public var median: Double { Results.median(samples) }
    }

    /// The instruction count of one call of a benchmark.
    public struct InstructionRecord: Codable, Sendable, Equatable {
        public var name: String
        /// Instructions executed by one call (callgrind `Ir`).
        public var instructions: Double
    }

    /// The record's metrics as (cell/metric, value), sorted by name.
    public var metricValues: [(name: String, value: Double, tolerance: Tolerance)] {
        cells.flatMap { c in
            c.metrics.keys.sorted().map { ("\(c.cell):\($0)", c.metrics[$0]!, c.tolerance) }
        }
    }

    /// The first 12 digits of the commit, for names and tables.
    public var shortCommit: String { String(commit.prefix(12)) }

    /// Reads and checks a record file.
    public static func read(_ url: URL) throws -> HistoryRecord {
        let record = try ResultFile.readJSON(HistoryRecord.self, from: url)
        guard record.formatVersion == currentFormat else {
            throw HarnessFileError(
                path: url.path,
                problem: "history record format \(record.formatVersion); this build reads "
                    + "format \(currentFormat)")
        }
        return record
    }
}
