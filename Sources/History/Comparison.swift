import Foundation
import Results

/// Two records (or two run folders) side by side: numerics with their status, golden verdicts,
/// timings and instruction counts with statistical verdicts, and where runs first diverge.
public struct Comparison: Sendable {
    /// How one metric changed.
    public enum NumericStatus: String, Sendable {
        case bitwiseEqual = "bitwise equal"
        case withinTolerance = "within tolerance"
        case changed
        case onlyInA = "only in A"
        case onlyInB = "only in B"
    }

    /// One metric of both sides.
    public struct NumericRow: Sendable {
        public var name: String
        public var a: Double?
        public var b: Double?
        public var status: NumericStatus
    }

    /// One benchmark of both sides (seconds, or instructions).
    public struct TimingRow: Sendable {
        public var name: String
        public var a: Double
        public var b: Double
        public var ratio: Double
        /// The bootstrap interval of the ratio (nil for instruction counts).
        public var interval: (low: Double, high: Double)?
        public var change: Change
    }

    /// What each side is, for the report's heading.
    public var labelA: String
    public var labelB: String
    public var numerics: [NumericRow] = []
    /// Per cell: "same bits" or a note on where the runs diverge.
    public var runs: [(cell: String, note: String, identical: Bool)] = []
    /// Golden verdicts that differ between the sides, "cell metric: A -> B".
    public var goldenChanges: [String] = []
    /// Goldens that passed in A and do not in B.
    public var newGoldenFailures = 0
    public var timings: [TimingRow] = []
    /// The same benchmarks by process CPU time (records that have it).
    public var cpuTimings: [TimingRow] = []
    public var instructions: [TimingRow] = []
    /// Warnings about the comparison itself (different machines, thread counts, dirty trees).
    public var notes: [String] = []
    /// The thresholds used (fractions, e.g. 0.05).
    public var timeThreshold: Double
    public var instructionThreshold: Double

    /// True when B regresses on A: a metric changed or vanished, a golden newly fails, or a
    /// benchmark is slower (by time or by instructions).
    public var regressed: Bool {
        numerics.contains { $0.status == .changed || $0.status == .onlyInA }
            || newGoldenFailures > 0 || timings.contains { $0.change == .slower }
            || cpuTimings.contains { $0.change == .slower }
            || instructions.contains { $0.change == .slower }
    }

    /// Compares record `a` (before) with `b` (after).
    public init(
        _ a: HistoryRecord, _ b: HistoryRecord, labelA: String, labelB: String,
        timeThreshold: Double = 0.05, instructionThreshold: Double = 0.01,
        tolerance: Tolerance? = nil
    ) {
        self.labelA = labelA
        self.labelB = labelB
        self.timeThreshold = timeThreshold
        self.instructionThreshold = instructionThreshold
        if a.fingerprint != b.fingerprint {
            notes.append(
                "A and B come from different machine fingerprints (\(a.fingerprint), "
                    + "\(b.fingerprint)): metrics are compared with tolerance in mind, timings "
                    + "measure the machines as much as the code.")
        }
        if (a.benchThreads ?? a.threads) != (b.benchThreads ?? b.threads) {
            notes.append(
                "The benchmarks ran on \(a.benchThreads ?? a.threads) and "
                    + "\(b.benchThreads ?? b.threads) threads.")
        }
        for (label, r) in [("A", a), ("B", b)] where r.dirty {
            notes.append("\(label) was recorded from a dirty checkout of \(r.shortCommit).")
        }
        let va = a.metricValues, vb = b.metricValues
        numerics = Self.numericRows(
            va.map { ($0.name, $0.value) }, vb.map { ($0.name, $0.value) },
            tolerance: { name in
                tolerance
                    ?? (vb.first { $0.name == name } ?? va.first { $0.name == name })!.tolerance
            })
        for cb in b.cells {
            guard let ca = a.cells.first(where: { $0.cell == cb.cell }) else { continue }
            if ca.runFingerprint == cb.runFingerprint {
                runs.append((cb.cell, "same bits (fingerprint \(cb.runFingerprint))", true))
            } else {
                runs.append((cb.cell, Self.divergence(ca.runFolder, cb.runFolder), false))
            }
        }
        for gb in b.goldens {
            let before = a.goldens.first { $0.cell == gb.cell && $0.metric == gb.metric }
            guard before?.outcome != gb.outcome else { continue }
            goldenChanges.append(
                "\(gb.cell) \(gb.metric): \(before?.outcome ?? "-") -> \(gb.outcome)")
            if before?.outcome == "pass" { newGoldenFailures += 1 }
        }
        for tb in b.timings {
            guard let ta = a.timings.first(where: { $0.name == tb.name }),
                ta.samples.count >= 2, tb.samples.count >= 2
            else { continue }
            let v = TimingVerdict(ta.samples, tb.samples, threshold: timeThreshold)
            timings.append(
                TimingRow(
                    name: tb.name, a: ta.median, b: tb.median, ratio: v.ratio,
                    interval: (v.low, v.high), change: v.change))
            if let ca = ta.cpuSamples, let cb = tb.cpuSamples, ca.count >= 2, cb.count >= 2 {
                let c = TimingVerdict(ca, cb, threshold: timeThreshold)
                cpuTimings.append(
                    TimingRow(
                        name: tb.name, a: median(ca), b: median(cb), ratio: c.ratio,
                        interval: (c.low, c.high), change: c.change))
            }
        }
        for ib in b.instructions {
            guard let ia = a.instructions.first(where: { $0.name == ib.name }) else { continue }
            instructions.append(
                TimingRow(
                    name: ib.name, a: ia.instructions, b: ib.instructions,
                    ratio: ib.instructions / ia.instructions, interval: nil,
                    change: TimingVerdict.instructions(
                        ia.instructions, ib.instructions, threshold: instructionThreshold)))
        }
    }

    /// Compares run folders `a` and `b`: their metrics, and the first divergence.
    public init(runFolder a: RunFolder, _ b: RunFolder, tolerance: Tolerance) throws {
        labelA = a.url.path
        labelB = b.url.path
        timeThreshold = 0.05
        instructionThreshold = 0.01
        let ma = try a.readMetrics(), mb = try b.readMetrics()
        numerics = Self.numericRows(
            ma.metrics.keys.sorted().map { ($0, ma.metrics[$0]!) },
            mb.metrics.keys.sorted().map { ($0, mb.metrics[$0]!) }, tolerance: { _ in tolerance })
        let diff = try RunDiff.compare(a, b)
        let note = diff.identical ? "same bits" : Self.describe(diff)
        let cells = ma.cell == mb.cell ? mb.cell : "\(ma.cell) vs \(mb.cell) (different cells)"
        runs = [(cells, note, diff.identical)]
    }

    /// Rows for the union of names (sorted), each with its status.
    static func numericRows(
        _ a: [(String, Double)], _ b: [(String, Double)], tolerance: (String) -> Tolerance
    ) -> [NumericRow] {
        let names = Set(a.map(\.0)).union(b.map(\.0)).sorted()
        return names.map { name in
            let x = a.first { $0.0 == name }?.1, y = b.first { $0.0 == name }?.1
            guard let x else { return NumericRow(name: name, a: nil, b: y, status: .onlyInB) }
            guard let y else { return NumericRow(name: name, a: x, b: nil, status: .onlyInA) }
            let status: NumericStatus =
                x.bitPattern == y.bitPattern
                ? .bitwiseEqual : tolerance(name).accepts(x, y) ? .withinTolerance : .changed
            return NumericRow(name: name, a: x, b: y, status: status)
        }
    }

    /// The first divergence of two run folders when both still exist.
    static func divergence(_ a: String, _ b: String) -> String {
        let fa = RunFolder(url: URL(fileURLWithPath: a)),
            fb = RunFolder(url: URL(fileURLWithPath: b))
        guard FileManager.default.fileExists(atPath: fa.lossesURL.path),
            FileManager.default.fileExists(atPath: fb.lossesURL.path)
        else { return "bits differ (run folders no longer present: no divergence search)" }
        guard let diff = try? RunDiff.compare(fa, fb) else {
            return "bits differ (run folders unreadable)"
        }
        return describe(diff)
    }

    static func describe(_ diff: RunDiff) -> String {
        var parts: [String] = []
        if let l = diff.firstLossDifference { parts.append("first loss difference at \(l)") }
        if let c = diff.checkpointDifferences.first {
            parts.append("first checkpoint difference: \(c)")
        }
        if let m = diff.metricDifferences.first { parts.append("metric \(m)") }
        return parts.isEmpty ? "bits differ" : parts.joined(separator: "; ")
    }
}
