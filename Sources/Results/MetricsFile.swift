import Foundation

/// The final numbers of one run, written as metrics.json (sorted keys, stable text).
public struct MetricsFile: Codable, Sendable, Equatable {
    /// Layout version of this record.
    public var formatVersion = 1
    /// Cell id.
    public var cell: String
    /// Hash of the cell's configuration.
    public var configHash: String
    /// Master seed.
    public var seed: UInt64
    /// Profile name: "smoke", "small" or "paper".
    public var profile: String
    /// Scalar metrics, e.g. "miou/city" -> 0.4312.
    public var metrics: [String: Double]
    /// Vector metrics, e.g. "iou/city" -> per-class IoU.
    public var series: [String: [Double]]
    /// Wall-clock seconds per phase, e.g. "train" -> 812.4.
    public var timings: [String: Double]

    /// The final numbers of the run of `cell` under `seed`.
    public init(
        cell: String, configHash: String, seed: UInt64, profile: String,
        metrics: [String: Double], series: [String: [Double]] = [:], timings: [String: Double] = [:]
    ) {
        self.cell = cell
        self.configHash = configHash
        self.seed = seed
        self.profile = profile
        self.metrics = metrics
        self.series = series
        self.timings = timings
    }

    /// Pretty canonical JSON (sorted keys; NaN and infinities as strings), ending with a newline.
    public var json: String {
        String(decoding: canonicalJSONData(self, pretty: true), as: UTF8.self)
    }

    /// Writes metrics.json atomically.
    public func write(to url: URL) throws { try ResultFile.writeJSON(self, to: url) }

    /// Reads a metrics.json file.
    public static func read(from url: URL) throws -> MetricsFile {
        try ResultFile.readJSON(MetricsFile.self, from: url)
    }

    /// This run as a golden-comparison input.
    public var measurement: CellMeasurement {
        CellMeasurement(cell: cell, configHash: configHash, metrics: metrics)
    }
}
