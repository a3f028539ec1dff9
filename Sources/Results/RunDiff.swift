import Foundation
import Storage
import Tensors

/// Where two runs of the same configuration first part ways: the first loss-log row that
/// differs (its step and domain) and the first checkpoint dataset whose bits differ.
public struct RunDiff: Sendable, Equatable {
    /// The first differing loss row, as "step S, domain D: a vs b"; nil when the logs agree.
    public var firstLossDifference: String?
    /// Per checkpoint file: the first dataset (in file order) whose bits differ, with the
    /// largest absolute difference; nil entries are omitted.
    public var checkpointDifferences: [String]
    /// Metrics whose values differ, "name: a vs b".
    public var metricDifferences: [String]

    /// True when the two runs are bitwise identical in losses, checkpoints and metrics.
    public var identical: Bool {
        firstLossDifference == nil && checkpointDifferences.isEmpty && metricDifferences.isEmpty
    }

    /// Compares run folders `a` and `b`.
    public static func compare(_ a: RunFolder, _ b: RunFolder) throws -> RunDiff {
        var diff = RunDiff(
            firstLossDifference: nil, checkpointDifferences: [], metricDifferences: [])
        let logA = try a.readLosses()
        let la = logA.rows
        let lb = try b.readLosses().rows
        if let i = (0..<min(la.count, lb.count)).first(where: { la[$0].csvBits != lb[$0].csvBits })
        {
            let columns = logA.columns
            let c = la[i].values.indices.first { la[i].values[$0] != lb[i].values[$0] }
            let what =
                c.map {
                    "\(columns[$0]) \(la[i].values[$0].map { "\($0)" } ?? "-") vs "
                        + "\(lb[i].values[$0].map { "\($0)" } ?? "-")"
                } ?? "series \(la[i].series) vs \(lb[i].series)"
            diff.firstLossDifference =
                "step \(la[i].step), \(logA.seriesColumn) \(la[i].series): \(what)"
        } else if la.count != lb.count {
            diff.firstLossDifference = "the logs have \(la.count) and \(lb.count) rows"
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: a.url.path)
            .filter { $0.hasSuffix(".h5") }.sorted()
        for name in files {
            let pa = a.url.appendingPathComponent(name).path,
                pb = b.url.appendingPathComponent(name).path
            if let d = try firstDifference(pa, pb) {
                diff.checkpointDifferences.append("\(name): \(d)")
            }
        }
        let ma = try a.readMetrics().metrics, mb = try b.readMetrics().metrics
        for key in Set(ma.keys).union(mb.keys).sorted()
        where ma[key]?.bitPattern != mb[key]?.bitPattern {
            diff.metricDifferences.append(
                "\(key): \(ma[key].map { "\($0)" } ?? "-") vs \(mb[key].map { "\($0)" } ?? "-")")
        }
        return diff
    }

    /// The first dataset of HDF5 files `a` and `b` (walking groups in name order) that differs.
    static func firstDifference(_ a: String, _ b: String) throws -> String? {
        guard FileManager.default.fileExists(atPath: b) else { return "missing in the second run" }
        let fa = try HDF5File(reading: a), fb = try HDF5File(reading: b)
        func walk(_ group: String) throws -> String? {
            for name in try fa.names(in: group) {
                let path = group == "/" ? name : "\(group)/\(name)"
                if fa.isGroup(path) {
                    if let d = try walk(path) { return d }
                    continue
                }
                guard fb.contains(path) else { return "\(path) missing in the second run" }
                if let ta = try? fa.tensor(path), let tb = try? fb.tensor(path) {
                    if ta.shape != tb.shape { return "\(path): shapes \(ta.shape) vs \(tb.shape)" }
                    if ta.data.map(\.bitPattern) != tb.data.map(\.bitPattern) {
                        return "\(path): max |difference| \(ta.maxAbsDifference(tb))"
                    }
                } else {
                    let ia = try fa.int64s(path), ib = try fb.int64s(path)
                    if ia.values != ib.values { return "\(path): \(ia.values) vs \(ib.values)" }
                }
            }
            return nil
        }
        return try walk("/")
    }
}

extension LossRow {
    /// The row's content with values as bit patterns (so NaN equals NaN, -0 differs from 0).
    fileprivate var csvBits: [String] {
        ["\(step)", series] + values.map { $0.map { String($0.bitPattern) } ?? "" }
    }
}
