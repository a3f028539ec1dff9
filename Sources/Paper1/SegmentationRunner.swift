import Data
import Foundation
import NN
import Results
import Storage
import Tensors

/// Runs paper 1 cells: tracks (one multi-domain model, or one model per domain), the Mix loss
/// training loop, checkpoints, resume and the final mIoU per domain.
public enum SegmentationRunner {
    /// Trains and evaluates `cell` on `data` (one entry per domain of the configuration).
    public static func run(_ cell: Cell, data: [DomainData], options: RunOptions) throws
        -> CellResult
    {
        let config = cell.config(as: SegmentationConfig.self)
        precondition(
            data.map(\.name) == config.domains,
            "SegmentationRunner: data \(data.map(\.name)) vs domains \(config.domains)")
        Runtime.setThreads(options.threads)
        try checkShards(config, options)
        let writer = options.communicator.isWriter
        let folder =
            try options.folder.map { writer ? try RunFolder.openOrCreate($0) : RunFolder(url: $0) }
            ?? RunFolder.create(cell: "\(cell.id)-s\(options.seed)", root: options.runsRoot)
        let lock = writer ? try RunFolderLock(folder) : nil
        defer { lock?.release() }
        let master = RandomSource(seed: options.seed)
        let groups: [[Int]] =
            config.setting == .multi ? [Array(data.indices)] : data.indices.map { [$0] }
        var manifest = RunManifest.current(
            config: config, seed: options.seed, streams: ["track"], threads: options.threads)
        manifest.dataSplits = data.map { d in
            RunManifest.DataSplitRecord(
                domain: d.name, labeled: d.labeled.map { d.train.names[$0] },
                unlabeled: d.unlabeled.map { d.train.names[$0] })
        }
        manifest.record(
            shards: options.shards, processes: options.communicator.size,
            batchNorm: "per shard (PyTorch DDP with BatchNorm2d); running statistics of shard 0")
        let backbone = try Pretraining.resolve(config, profile: cell.profile, options: options)
        manifest.pretrainedBackbone = backbone?.record
        if writer { try folder.write(manifest) }

        // A losses.csv of other columns (an older build's) is not continued.
        let previous = try? folder.readLosses()
        var losses = previous?.columns == lossLog().columns ? previous! : lossLog()
        var iou: [Int: [Double]] = [:]
        var done = 0
        let started = Date()
        var training = 0.0  // seconds inside training iterations (this process)
        for group in groups {
            let name = trackName(group, data)
            let track = SegmentationTrack(
                config: config, domains: group, data: data, random: trackRandom(master, group, data)
            )
            if let backbone { try track.loadBackbone(backbone.file) }
            let checkpoint = folder.url.appendingPathComponent("checkpoint-\(name).h5").path
            if options.resume, FileManager.default.fileExists(atPath: checkpoint) {
                try track.load(checkpoint)
                let names = Set(group.map { data[$0].name })
                let resumedAt = track.iteration
                losses.filter { !names.contains($0.series) || $0.step < resumedAt }
            }
            let bar =
                options.progress
                ? ProgressBar(label: "\(cell.fullName) \(name)", total: config.totalIterations)
                : nil
            while track.iteration < config.totalIterations {
                let stepStart = Date()
                let log = try track.step(
                    data: data, shards: options.shards, communicator: options.communicator,
                    stop: { options.stopRequested() != nil })
                training += Date().timeIntervalSince(stepStart)
                if log.nonFinite {
                    throw RunError.nonFiniteLoss(
                        cell: cell.fullName, part: "track \(name)", iteration: log.iteration,
                        losses: "CE per domain \(log.ce), DC per domain \(log.dc)")
                }
                for row in lossRows(log, group: group, data: data, config: config) {
                    losses.append(row)
                }
                done += 1
                bar?.update(track.iteration, status: String(format: "loss %.4f", log.total))
                let atEnd = track.iteration == config.totalIterations
                let periodic =
                    options.checkpointEvery > 0 && track.iteration % options.checkpointEvery == 0
                let signalled = log.stopRequested ? options.stopRequested() ?? SIGTERM : nil
                let stopping = options.stopAfter.map { done >= $0 } ?? false || signalled != nil
                if writer && (atEnd || periodic || stopping) {
                    try track.save(checkpoint, cell: cell, seed: options.seed)
                    try folder.write(losses)
                }
                if let signalled, !atEnd {
                    throw RunError.stopped(
                        cell: cell.fullName, iteration: track.iteration, signal: signalled)
                }
                if stopping && !atEnd {
                    throw RunError.interrupted(cell: cell.fullName, iteration: done)
                }
            }
            bar?.finish()
            for (head, d) in group.enumerated() {
                iou[d] = try track.evaluate(head: head, data: data[d]).iou
            }
        }

        var metrics: [String: Double] = [:]
        var series: [String: [Double]] = [:]
        for (d, domain) in data.enumerated() {
            let values = iou[d]!
            let present = values.filter { !$0.isNaN }
            metrics["miou/\(domain.name)"] =
                100 * present.reduce(0, +) / Double(max(present.count, 1))
            series["iou/\(domain.name)"] = values
        }
        if config.method == .semi {
            for (key, values) in CACDiagnostics.series(losses, config: config) {
                series[key] = values
            }
        }
        metrics["miou/mean"] =
            data.map { metrics["miou/\($0.name)"]! }.reduce(0, +) / Double(data.count)
        let file = MetricsFile(
            cell: cell.fullName, configHash: cell.configHash, seed: options.seed,
            profile: cell.profile.rawValue,
            metrics: metrics, series: series,
            timings: [
                "run": Date().timeIntervalSince(started), "train": training,
                "step": training / Double(max(done, 1)),
            ])
        if writer {
            try folder.write(file)
            try folder.write(manifest.finished())
        }
        return CellResult(cell: cell, seed: options.seed, folder: folder, metrics: file)
    }

    /// Data parallelism needs whole shards per process and per batch, and one folder for all
    /// processes.
    static func checkShards(_ config: SegmentationConfig, _ options: RunOptions) throws {
        let (shards, size) = (options.shards, options.communicator.size)
        guard shards >= 1, shards % size == 0 else {
            throw ConfigError(
                "--shards \(shards) must be a positive multiple of the \(size) processes")
        }
        guard config.batchLabeled % shards == 0, config.batchUnlabeled % shards == 0 else {
            throw ConfigError(
                "--shards \(shards) must divide batchLabeled (\(config.batchLabeled)) and "
                    + "batchUnlabeled (\(config.batchUnlabeled))")
        }
        // Batch norm in training mode (ASPP's image-pooling branch sees one value per image
        // and channel) needs at least 2 images in every shard.
        let unlabeled = config.method == .semi ? config.batchUnlabeled / shards : 2
        guard shards == 1 || (config.batchLabeled / shards >= 2 && unlabeled >= 2) else {
            throw ConfigError(
                "--shards \(shards) leaves fewer than 2 images of batchLabeled "
                    + "(\(config.batchLabeled)) or batchUnlabeled (\(config.batchUnlabeled)) per "
                    + "shard; batch norm needs at least 2")
        }
        guard size == 1 || options.folder != nil else {
            throw ConfigError("a run over \(size) processes needs --folder (one folder for all)")
        }
    }

    /// "multi" for the shared model, else the domain's name.
    static func trackName(_ group: [Int], _ data: [DomainData]) -> String {
        group.count > 1 ? "multi" : data[group[0]].name
    }

    /// A track's streams depend on its domains only, not on the cell: supervised and semi
    /// cells of one seed start from the same weights and data order (paired comparisons).
    static func trackRandom(_ master: RandomSource, _ group: [Int], _ data: [DomainData])
        -> RandomSource
    {
        master.split("track").split(group.map { data[$0].name }.joined(separator: "+"))
    }

    /// The columns of paper 1's losses.csv, one row per (step, domain).
    static func lossLog() -> LossLog {
        LossLog(
            seriesColumn: "domain",
            columns: ["epoch", "ce", "dc", "total", "lr"] + CACDiagnostics.columns)
    }

    static func lossRows(
        _ log: StepLog, group: [Int], data: [DomainData], config: SegmentationConfig
    ) -> [LossRow] {
        group.enumerated().map { head, d in
            let ce = Double(log.ce[head])
            let dc = Double(log.dc[head])
            let semi = config.method == .semi
            return LossRow(
                step: log.iteration, series: data[d].name,
                values: [
                    Double(log.iteration / config.itersPerEpoch), ce,
                    semi ? dc : nil, ce + config.lambda * dc, log.lr,
                ] + CACDiagnostics.values(log, head: head, config: config))
        }
    }
}
