import Foundation
import Storage
import Tensors

/// Runs paper 1 cells over seeds and turns the results into golden comparisons, claim verdicts
/// and a Markdown report.
public enum Verification {
    /// The outcome of running cells over seeds.
    public struct Outcome: Sendable {
        public var results: [CellResult]
        /// One series per (cell, domain) of mIoU (%) over the seeds, for claims and the table.
        public var series: [CellSeries]
    }

    /// Runs every cell for every seed (data prepared once per seed), in a fixed order.
    public static func run(
        _ cells: [Cell], seeds: [UInt64], options: RunOptions, log: (String) -> Void = { print($0) }
    ) throws -> Outcome {
        try options.checkFolders()
        var results: [CellResult] = []
        for seed in seeds {
            var dataByKey: [String: [DomainData]] = [:]  // lookup only
            for cell in cells {
                let key = Paper1Data.cacheKey(cell.config)
                let data: [DomainData]
                if let cached = dataByKey[key] {
                    data = cached
                } else {
                    data = try Paper1Data.prepare(cell.config, seed: seed, cacheRoot: options.resultsRoot.appendingPathComponent("data"))
                    dataByKey[key] = data
                }
                var o = options
                o.seed = seed
                let result = try SegmentationRunner.run(cell, data: data, options: o)
                let m = result.metrics.metrics
                log("\(cell.name) seed \(seed): " + (cell.config.domains + ["mean"]).map {
                    "\($0) \(String(format: "%.2f", m["miou/\($0)"] ?? .nan))"
                }.joined(separator: ", ") + " (mIoU %, \(result.folder.url.path))")
                results.append(result)
            }
        }
        return Outcome(results: results, series: series(results))
    }

    /// mIoU series per (cell, domain incl. "mean"), seeds in run order.
    static func series(_ results: [CellResult]) -> [CellSeries] {
        series(results.map(\.metrics))
    }

    /// mIoU series from metrics files: per cell (in first-seen order) and domain, over seeds.
    static func series(_ files: [MetricsFile]) -> [CellSeries] {
        var out: [CellSeries] = []
        var names: [String] = []
        for f in files where !names.contains(f.cell) { names.append(f.cell) }
        for name in names {
            let runs = files.filter { $0.cell == name }
            let domains = runs[0].metrics.keys.filter { $0.hasPrefix("miou/") }.map { String($0.dropFirst(5)) }.sorted()
            for d in domains {
                out.append(CellSeries(
                    cell: name, domain: d, metric: "miou", seeds: runs.map(\.seed),
                    values: runs.map { $0.metrics["miou/\(d)"] ?? .nan }))
            }
        }
        return out
    }

    /// The series of every finished run (a metrics.json present) of `profile` under `root`
    /// (its `runs` folder, or `root` itself), one run per (cell, seed): the latest wins.
    public static func series(fromRunsIn root: URL, profile: Profile) throws -> [CellSeries] {
        let runsRoot = FileManager.default.fileExists(atPath: root.appendingPathComponent("runs").path)
            ? root.appendingPathComponent("runs") : root
        var files: [MetricsFile] = []
        for folder in try RunFolder.list(root: runsRoot) where FileManager.default.fileExists(atPath: folder.metricsURL.path) {
            let m = try folder.readMetrics()
            guard m.profile == profile.rawValue else { continue }
            files.removeAll { $0.cell == m.cell && $0.seed == m.seed }
            files.append(m)
        }
        guard !files.isEmpty else {
            throw ConfigError("no finished \(profile.rawValue) runs under \(runsRoot.path)")
        }
        return series(files.sorted { ($0.seed, $0.cell) < ($1.seed, $1.cell) })
    }
}

extension Verification {
    /// Tolerance of regression goldens across machines, in mIoU % points. Training amplifies
    /// last-bit differences (another BLAS core or thread count): the smoke cells at 1 thread
    /// against goldens made at 2 threads differed by at most 0.83 points (2026-11-21), so the
    /// tolerance is 1.5. On the machine fingerprint that made them, goldens are compared bit for bit.
    public static let goldenTolerance = Tolerance(atol: 1.5, rtol: 0)
}
