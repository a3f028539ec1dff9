import Foundation
import Results
import Storage
import Tensors

/// Paper 1 as a harness experiment: {single, multi} x {supervised, semi} segmentation cells,
/// mIoU per domain, Table 1, its claims and its goldens.
public struct Paper1Experiment: Experiment {
    public let id = "p1"
    public let title = "Paper 1: semi-supervised multi-domain segmentation (CAC, DeepLabv3+)"
    public let goldenSuite = "paper1"
    public let selfCheckCell = "multi-semi"

    /// Tolerance of regression goldens on another machine fingerprint, in mIoU % points. On
    /// the fingerprint that made them, goldens are compared bit for bit. Elsewhere 40 training
    /// iterations of a 1/16-width network amplify last-bit differences: measured on 2026-11-29
    /// against the SkylakeX-kernel, 2-thread goldens, the 16 smoke values moved by at most
    /// 2.34 points with OpenBLAS's Haswell kernels, 2.29 with Sandybridge's and 2.69 with one
    /// thread (means 0.81, 0.54, 0.58). 4 points covers that with a margin; it is a coarse
    /// check, the bitwise comparison is the sharp one.
    public let goldenTolerance = Tolerance(atol: 4, rtol: 0)

    public init() {}

    /// The four cells, single before multi, supervised before semi.
    public func cells(_ profile: Profile, dataRoot: String?) -> [Cell] {
        Paper1Setting.allCases.flatMap { setting in
            Paper1Method.allCases.map { method in
                Cell(
                    paper: id, name: "\(setting.rawValue)-\(method.rawValue)", profile: profile,
                    config: SegmentationConfig.at(profile, setting, method, dataRoot: dataRoot))
            }
        }
    }

    public func describe(_ cell: Cell) -> String {
        let c = cell.config(as: SegmentationConfig.self)
        return "domains \(c.domains.joined(separator: ",")); width 1/\(c.widthDivisor), blocks "
            + "\(c.blocks), OS\(c.outputStride); \(c.totalIterations) iterations; crop \(c.cropSize); "
            + "images \(c.trainImages)/\(c.valImages) (train/val); pretrain \(c.pretrain)"
    }

    /// Runs the cells in order; the data of cells with the same data settings is prepared once.
    public func run(
        _ cells: [Cell], seed: UInt64, options: RunOptions, log: (String) -> Void
    ) throws -> [CellResult] {
        var results: [CellResult] = []
        var dataByKey: [String: [DomainData]] = [:]  // lookup only, never iterated
        for cell in cells {
            let config = cell.config(as: SegmentationConfig.self)
            let key = Paper1Data.cacheKey(config)
            let data: [DomainData]
            if let cached = dataByKey[key] {
                data = cached
            } else {
                data = try Paper1Data.prepare(
                    config, seed: seed,
                    cacheRoot: options.resultsRoot.appendingPathComponent("data"))
                dataByKey[key] = data
            }
            var o = options
            o.seed = seed
            _ = try Pretraining.resolve(config, profile: cell.profile, options: o, log: log)
            let result = try SegmentationRunner.run(cell, data: data, options: o)
            let m = result.metrics.metrics
            let values = (config.domains + ["mean"]).map {
                "\($0) \(String(format: "%.2f", m["miou/\($0)"] ?? .nan))"
            }
            log(
                "\(cell.fullName) seed \(seed): \(values.joined(separator: ", ")) "
                    + "(mIoU %, \(result.folder.url.path))")
            results.append(result)
        }
        return results
    }

    /// mIoU series per (cell, domain incl. "mean"), cells in first-seen order, seeds in order;
    /// for semi cells also the CAC diagnostics per domain (Paper1Report.diagnosticSeries).
    public func series(_ runs: [MetricsFile]) -> [CellSeries] {
        var out: [CellSeries] = []
        var names: [String] = []
        for f in runs where !names.contains(f.cell) { names.append(f.cell) }
        for name in names {
            let cellRuns = runs.filter { $0.cell == name }
            let domains = cellRuns[0].metrics.keys.filter { $0.hasPrefix("miou/") }
                .map { String($0.dropFirst(5)) }.sorted()
            for d in domains {
                out.append(
                    CellSeries(
                        cell: name, domain: d, metric: "miou", seeds: cellRuns.map(\.seed),
                        values: cellRuns.map { $0.metrics["miou/\(d)"] ?? .nan }))
            }
            out += Paper1Report.diagnosticSeries(cellRuns, cell: name, domains: domains)
        }
        return out
    }

    public func claims() -> [Claim] { Paper1Claims.all() }

    public func tables(_ series: [CellSeries], profile: Profile) -> [(
        heading: String, markdown: String
    )] {
        [
            (
                "Paper 1 Table 1 (mIoU %)",
                Paper1Report.paper1Table(reproduced: series, profile: profile.rawValue)
            ),
            ("What decides CAC's effect", Paper1Report.cacTable(series)),
        ]
    }
}
