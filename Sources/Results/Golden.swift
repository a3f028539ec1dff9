import Foundation
import RealModule

// Regression goldens: the harness's own numbers per cell and metric, with tolerance and
// provenance, stored as results/golden/<suite>.json. Compared bitwise when the machine
// fingerprint matches the golden's, with the closeness rule otherwise.

/// An absolute and relative tolerance for swift-numerics' closeness rule.
public struct Tolerance: Codable, Sendable, Equatable {
    /// Absolute tolerance.
    public var atol: Double
    /// Relative tolerance (of the larger magnitude).
    public var rtol: Double

    /// A tolerance; both parts must be >= 0.
    public init(atol: Double, rtol: Double) {
        precondition(
            atol >= 0 && atol.isFinite && rtol >= 0 && rtol <= 1,
            "Tolerance: atol \(atol) must be finite and >= 0, rtol \(rtol) in [0, 1]")
        self.atol = atol
        self.rtol = rtol
    }

    /// The project's closeness rule, swift-numerics `isApproximatelyEqual`:
    /// `|a - b| <= max(atol, rtol * max(|a|, |b|))`; equal values (including equal infinities)
    /// are close, and so are two NaNs (a metric that is NaN in the golden must stay NaN).
    public func accepts(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN && b.isNaN { return true }
        return a.isApproximatelyEqual(to: b, absoluteTolerance: atol, relativeTolerance: rtol)
    }

    /// Nil when the tolerance is usable (finite atol >= 0, 0 <= rtol <= 1), else the problem.
    var problem: String? {
        guard atol >= 0, atol.isFinite else { return "atol \(atol) must be finite and >= 0" }
        guard rtol >= 0, rtol <= 1 else { return "rtol \(rtol) must be in [0, 1]" }
        return nil
    }
}

/// Where a golden number came from and why it was (re)generated.
public struct GoldenProvenance: Codable, Sendable, Equatable {
    /// git commit that produced the value.
    public var commit: String
    /// ISO 8601 UTC date of the regeneration.
    public var date: String
    /// `RunManifest.fingerprint` of the machine that produced it.
    public var fingerprint: String
    /// Hash of the cell's configuration when the value was produced.
    public var configHash: String
    /// Why the golden was (re)generated, in words.
    public var reason: String
}

/// One golden number: a metric of a cell with its tolerance.
public struct GoldenEntry: Codable, Sendable, Equatable {
    /// Cell id.
    public var cell: String
    /// Metric name, e.g. "miou/bdd".
    public var metric: String
    /// The golden value.
    public var value: Double
    /// Absolute tolerance for other machines.
    public var atol: Double
    /// Relative tolerance for other machines.
    public var rtol: Double
    /// Where the value came from.
    public var provenance: GoldenProvenance

    /// The stored tolerance (checked by `GoldenStore.load`).
    public var tolerance: Tolerance {
        var t = Tolerance(atol: 0, rtol: 0)
        (t.atol, t.rtol) = (atol, rtol)
        return t
    }
}

/// One regeneration of a golden file, kept as a history in the file.
public struct GoldenRegeneration: Codable, Sendable, Equatable {
    /// ISO 8601 UTC date.
    public var date: String
    /// git commit that produced the values.
    public var commit: String
    /// Machine fingerprint.
    public var fingerprint: String
    /// Why, in words.
    public var reason: String
    /// Cells rewritten, sorted.
    public var cells: [String]
}

/// The contents of results/golden/<suite>.json; entries sorted by (cell, metric).
public struct GoldenFile: Codable, Sendable, Equatable {
    /// Layout version of this file.
    public var formatVersion = 1
    /// Suite name (the file name).
    public var suite: String
    /// Golden values sorted by (cell, metric).
    public var entries: [GoldenEntry]
    /// Every regeneration, oldest first.
    public var history: [GoldenRegeneration]
}

/// The measured metrics of one cell, to compare with goldens or to become goldens.
public struct CellMeasurement: Sendable, Equatable {
    /// Cell id (stable, derived from the cell's configuration).
    public var cell: String
    /// Hash of the cell's configuration (`stableHash(of: config)`).
    public var configHash: String
    /// Metric name to value.
    public var metrics: [String: Double]

    /// The metrics of `cell` made with configuration hash `configHash`.
    public init(cell: String, configHash: String, metrics: [String: Double]) {
        self.cell = cell
        self.configHash = configHash
        self.metrics = metrics
    }
}

/// How a measured value was compared with its golden.
public enum ComparisonMode: String, Codable, Sendable {
    /// Same machine fingerprint: the bits must be identical.
    case bitwise
    /// Different machine: the closeness rule with the golden's tolerance.
    case tolerance
}

/// The result of comparing one (cell, metric).
public enum GoldenOutcome: String, Codable, Sendable {
    case pass
    case fail
    /// A measured metric with no golden value.
    case missingGolden = "missing golden"
    /// A golden value with no measurement.
    case missingMeasurement = "missing measurement"
    /// The cell's configuration hash differs from the one the golden was made with.
    case configChanged = "config changed"
}

/// One row of a golden comparison.
public struct GoldenComparison: Sendable, Equatable {
    /// Cell id.
    public var cell: String
    /// Metric name.
    public var metric: String
    /// The measured value (nil if not measured).
    public var measured: Double?
    /// The golden value (nil if none is stored).
    public var golden: Double?
    /// The golden's tolerance (nil without a golden).
    public var tolerance: Tolerance?
    /// The comparison rule used (nil when there was nothing to compare).
    public var mode: ComparisonMode?
    /// The verdict.
    public var outcome: GoldenOutcome

    /// True only for `.pass`.
    public var passed: Bool { outcome == .pass }
}

/// Reads, compares and regenerates one golden suite file.
public struct GoldenStore: Sendable {
    /// The suite name (file name without ".json").
    public let suite: String
    /// The file: <directory>/<suite>.json.
    public let url: URL

    /// The store for `suite` under `directory` (results/golden by default).
    public init(suite: String, directory: URL = URL(fileURLWithPath: "results/golden")) {
        self.suite = suite
        self.url = directory.appendingPathComponent("\(suite).json")
    }

    /// The golden file; an empty one when the file does not exist yet.
    public func load() throws -> GoldenFile {
        guard FileManager.default.fileExists(atPath: url.path) else {
            return GoldenFile(suite: suite, entries: [], history: [])
        }
        let file = try ResultFile.readJSON(GoldenFile.self, from: url)
        guard file.suite == suite else {
            throw HarnessFileError(
                path: url.path, problem: "suite is '\(file.suite)', expected '\(suite)'")
        }
        for e in file.entries {
            if let problem = e.tolerance.problem {
                throw HarnessFileError(path: url.path, problem: "\(e.cell) \(e.metric): \(problem)")
            }
        }
        return file
    }

    /// Compares `measurements` with the stored goldens (see the static `compare(_:with:...)`).
    public func compare(
        _ measurements: [CellMeasurement], fingerprint: String, requireAllCells: Bool = true
    ) throws -> [GoldenComparison] {
        Self.compare(
            measurements, with: try load(), fingerprint: fingerprint,
            requireAllCells: requireAllCells)
    }

    /// One row per (cell, metric) in the union of goldens and measurements, sorted by cell then metric.
    ///
    /// Per row: no golden -> `.missingGolden`; no measurement -> `.missingMeasurement`; the
    /// cell's config hash differs from the golden's -> `.configChanged`; otherwise bitwise
    /// equality when `fingerprint` equals the golden's fingerprint, else the closeness rule with
    /// the golden's tolerance. Golden cells absent from `measurements` count as missing
    /// measurements only when `requireAllCells` (set it false when running a subset of cells).
    public static func compare(
        _ measurements: [CellMeasurement], with file: GoldenFile, fingerprint: String,
        requireAllCells: Bool = true
    ) -> [GoldenComparison] {
        var byCell: [String: CellMeasurement] = [:]
        for m in measurements {
            precondition(
                byCell[m.cell] == nil, "GoldenStore.compare: cell '\(m.cell)' measured twice")
            byCell[m.cell] = m
        }
        var goldens: [GoldenKey: GoldenEntry] = [:]
        for e in file.entries { goldens[GoldenKey(cell: e.cell, metric: e.metric)] = e }
        var keys = Set(goldens.keys.filter { requireAllCells || byCell[$0.cell] != nil })
        for m in measurements {
            for metric in m.metrics.keys { keys.insert(GoldenKey(cell: m.cell, metric: metric)) }
        }

        return keys.sorted().map { k in
            let cell = k.cell
            let metric = k.metric
            let measurement = byCell[cell]
            let measured = measurement?.metrics[metric]
            guard let entry = goldens[k] else {
                return GoldenComparison(
                    cell: cell, metric: metric, measured: measured, golden: nil, tolerance: nil,
                    mode: nil, outcome: .missingGolden)
            }
            var row = GoldenComparison(
                cell: cell, metric: metric, measured: measured, golden: entry.value,
                tolerance: entry.tolerance, mode: nil, outcome: .missingMeasurement)
            guard let measurement, let measured else { return row }
            let bitwise = entry.provenance.fingerprint == fingerprint
            row.mode = bitwise ? .bitwise : .tolerance
            if measurement.configHash != entry.provenance.configHash {
                row.outcome = .configChanged
            } else if bitwise {
                let same =
                    measured.bitPattern == entry.value.bitPattern
                    || (measured.isNaN && entry.value.isNaN)
                row.outcome = same ? .pass : .fail
            } else {
                row.outcome = entry.tolerance.accepts(measured, entry.value) ? .pass : .fail
            }
            return row
        }
    }

    /// Rewrites the goldens of the measured cells from `measurements`, records `reason`, and
    /// writes the file atomically; returns what was written.
    ///
    /// Cells not in `measurements` keep their entries unless `replaceAll` (a whole-suite
    /// regeneration, which drops cells that no longer exist); a measured cell's old entries are
    /// all replaced (metrics it no longer reports disappear). Tolerance per entry: `tolerance(cell,
    /// metric)` if it gives one, else the entry's previous tolerance, else `defaultTolerance`.
    @discardableResult
    public func regenerate(
        from measurements: [CellMeasurement], reason: String, commit: String, fingerprint: String,
        date: Date = Date(), defaultTolerance: Tolerance, replaceAll: Bool = false,
        tolerance: (_ cell: String, _ metric: String) -> Tolerance? = { _, _ in nil }
    ) throws -> GoldenFile {
        precondition(!reason.isEmpty, "GoldenStore.regenerate: a reason is required")
        var file = try load()
        let stamp = iso8601(date)
        let measuredCells = Set(measurements.map(\.cell))
        var previous: [GoldenKey: Tolerance] = [:]
        for e in file.entries { previous[GoldenKey(cell: e.cell, metric: e.metric)] = e.tolerance }
        var entries = replaceAll ? [] : file.entries.filter { !measuredCells.contains($0.cell) }
        for m in measurements {
            for metric in m.metrics.keys.sorted() {
                let old = previous[GoldenKey(cell: m.cell, metric: metric)]
                let tol = tolerance(m.cell, metric) ?? old ?? defaultTolerance
                entries.append(
                    GoldenEntry(
                        cell: m.cell, metric: metric, value: m.metrics[metric]!, atol: tol.atol,
                        rtol: tol.rtol,
                        provenance: GoldenProvenance(
                            commit: commit, date: stamp, fingerprint: fingerprint,
                            configHash: m.configHash,
                            reason: reason)))
            }
        }
        file.entries = entries.sorted { ($0.cell, $0.metric) < ($1.cell, $1.metric) }
        file.history.append(
            GoldenRegeneration(
                date: stamp, commit: commit, fingerprint: fingerprint, reason: reason,
                cells: measuredCells.sorted()))
        try ResultFile.writeJSON(file, to: url)
        return file
    }
}

/// A (cell, metric) pair, ordered by cell then metric.
private struct GoldenKey: Hashable, Comparable {
    var cell: String
    var metric: String

    static func < (a: GoldenKey, b: GoldenKey) -> Bool { (a.cell, a.metric) < (b.cell, b.metric) }
}
