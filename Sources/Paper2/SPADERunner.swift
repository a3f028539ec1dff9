import Foundation
import NN
import Results
import Tensors

/// Runs one paper 2 cell: SPADE training epoch by epoch (generator step, then discriminator
/// step), the loss log, checkpoints and resume, then the evaluation on the val images.
///
/// Streams, all split from the master seed: "init" (both networks' weights), "order" (the
/// train order, one permutation per epoch), "flip" (one per iteration) and "step" (the
/// instance noise of iteration t). Iteration t is a pure function of (weights, optimizer
/// state, t), so a run resumed at t continues bit for bit.
///
/// With `--shards N` (N > 1) every global batch is cut into N shards of batchSize / N images
/// (`SPADEShards`: synchronized batch norm in the generator); shard s draws its noise from
/// "step" split by t, then by s. Over several processes (`--mpi`) rank 0 alone writes the
/// folder and evaluates; a run resumes with any process count but only its own shard count.
public enum SPADERunner {
    /// Data parallelism needs at least one image per shard, whole shards per process and one
    /// folder for all processes.
    static func checkShards(_ cell: Cell, _ options: RunOptions) throws {
        let config = cell.config(as: Paper2RunConfig.self)
        let (shards, size) = (options.shards, options.communicator.size)
        guard shards >= 1, shards % size == 0 else {
            throw ConfigError(
                "\(cell.fullName): --shards \(shards) must be a positive multiple of the "
                    + "\(size) processes")
        }
        guard config.batchSize % shards == 0 else {
            throw ConfigError(
                "\(cell.fullName): --shards \(shards) must divide batchSize "
                    + "(\(config.batchSize)) into whole shards of at least 1 image")
        }
        guard size == 1 || options.folder != nil else {
            throw ConfigError("a run over \(size) processes needs --folder (one folder for all)")
        }
    }

    /// Trains `cell` on `data` and evaluates it with `evaluators` (MICV, FID, mIoU). In a
    /// run over several processes every process trains, and only rank 0 (the writer, the
    /// only one given `evaluators`) writes files and evaluates; the others return the
    /// training's loss metrics.
    public static func run(
        _ cell: Cell, data: Paper2Data, evaluators: Paper2Evaluators?, options: RunOptions
    ) throws -> CellResult {
        let config = cell.config(as: Paper2RunConfig.self)
        try checkShards(cell, options)
        Runtime.setThreads(options.threads)
        let writer = options.communicator.isWriter
        let folder =
            try options.folder.map { writer ? try RunFolder.openOrCreate($0) : RunFolder(url: $0) }
            ?? RunFolder.create(cell: "\(cell.id)-s\(options.seed)", root: options.runsRoot)
        let lock = writer ? try RunFolderLock(folder) : nil
        defer { lock?.release() }
        let master = RandomSource(seed: options.seed)
        var manifest = RunManifest.current(
            config: config, seed: options.seed, streams: ["init", "order", "flip", "step"],
            threads: options.threads)
        manifest.record(
            shards: options.shards, processes: options.communicator.size,
            batchNorm: "generator: synchronized batch norm (statistics of the global batch); "
                + "discriminator: instance norm")
        if writer { try folder.write(manifest) }
        let started = Date()

        let trainer = try SPADETrainer(config.spade, random: master.split("init"))
        let sharded =
            options.shards > 1
            ? try SPADEShards(trainer, shards: options.shards, communicator: options.communicator)
            : nil
        let order = SPADEEpochOrder(count: data.trainCount, random: master.split("order"))
        let perEpoch = config.iterationsPerEpoch(trainCount: data.trainCount)
        let total = perEpoch * config.epochs
        let checkpoint = SPADECheckpoint(folder: folder.url, shards: options.shards)
        var t = 0
        var losses = (try? folder.readLosses()) ?? lossLog()
        if options.resume, checkpoint.exists {
            t = try checkpoint.load(
                into: trainer, cell: cell, master: master, totalIterations: total)
            let resumedAt = t
            losses.filter { $0.step < resumedAt }
        } else {
            losses = lossLog()
        }
        let every = options.checkpointEvery > 0 ? options.checkpointEvery : config.checkpointEvery
        if writer && t == 0 && every > 0 {
            // With periodic checkpoints, a run that diverges at once still leaves one.
            try checkpoint.save(
                trainer, cell: cell, seed: options.seed, iteration: 0, master: master)
        }
        let bar = options.progress ? ProgressBar(label: cell.fullName, total: total) : nil
        var done = 0
        var stepping = 0.0  // seconds inside training iterations (this process)
        while t < total {
            let stepStart = Date()
            let epoch = t / perEpoch + 1
            trainer.setEpoch(epoch)
            var flipRandom = master.split("flip").split(t)
            var cropRandom = master.split("crop").split(t)
            let views = Paper2Data.View.draw(
                config.batchSize, flips: &flipRandom, crops: &cropRandom)
            let indices = order.batch(epoch: epoch, iteration: t % perEpoch, size: config.batchSize)
            var l: SPADELosses
            var signalled: Int32?
            if let sharded {
                let step = try shardedIteration(
                    sharded, t: t, indices: indices, views: views, data: data, config: config,
                    master: master, options: options)
                l = step.losses
                signalled = step.signalled
            } else {
                let batch = try Paper2Data.batch(
                    indices, views: views, set: data.train, config: config)
                var stepRandom = master.split("step").split(t)
                l = trainer.trainIteration(batch, random: &stepRandom)
                signalled = options.stopRequested()
            }
            let badKey = firstNonFinite(trainer)
            guard l.isFinite, badKey == nil else {
                // Nothing of this iteration is saved: the last checkpoint stays loadable.
                throw RunError.nonFiniteLoss(
                    cell: cell.fullName, part: "SPADE generator and discriminator", iteration: t,
                    losses: "G_GAN \(l.generatorGAN), G_GAN_Feat \(l.generatorFeat), "
                        + "D_Fake \(l.discriminatorFake), D_real \(l.discriminatorReal)"
                        + (badKey.map { "; state \($0) is not finite" } ?? ""))
            }
            losses.append(lossRow(l, step: t, epoch: epoch, trainer: trainer))
            t += 1
            done += 1
            stepping += Date().timeIntervalSince(stepStart)
            bar?.update(t, status: String(format: "G %.3f D %.3f", l.generator, l.discriminator))
            let atEnd = t == total
            let periodic = every > 0 && t % every == 0
            let stopping = options.stopAfter.map { done >= $0 } ?? false || signalled != nil
            if writer && (atEnd || periodic || stopping) {
                try checkpoint.save(
                    trainer, cell: cell, seed: options.seed, iteration: t, master: master)
                try folder.write(losses)
            }
            if let signalled, !atEnd {
                throw RunError.stopped(cell: cell.fullName, iteration: t, signal: signalled)
            }
            if stopping && !atEnd {
                throw RunError.interrupted(cell: cell.fullName, iteration: done)
            }
        }
        bar?.finish()
        let training = Date().timeIntervalSince(started)

        var metrics: [String: Double] = [:]
        var series: [String: [Double]] = [:]
        if let evaluators, writer {
            let evaluation = try Paper2Evaluation.run(
                trainer, data: data, config: config, folder: folder, evaluators: evaluators)
            (metrics, series) = (evaluation.metrics, evaluation.series)
        }
        for (name, value) in finalLosses(losses, perEpoch: perEpoch) { metrics[name] = value }
        let file = MetricsFile(
            cell: cell.fullName, configHash: cell.configHash, seed: options.seed,
            profile: cell.profile.rawValue, metrics: metrics, series: series,
            timings: [
                "train": training, "run": Date().timeIntervalSince(started),
                "step": stepping / Double(max(done, 1)),
            ])
        if writer {
            try folder.write(file)
            try folder.write(manifest.finished())
        }
        return CellResult(cell: cell, seed: options.seed, folder: folder, metrics: file)
    }

    /// One data-parallel iteration: this process's shards of the global batch (`indices`,
    /// `views`), each drawing its noise from the step stream split by its shard index.
    static func shardedIteration(
        _ sharded: SPADEShards, t: Int, indices: [Int], views: [Paper2Data.View],
        data: Paper2Data,
        config: Paper2RunConfig, master: RandomSource, options: RunOptions
    ) throws -> (losses: SPADELosses, signalled: Int32?) {
        let size = config.batchSize / sharded.shards
        let batches = try sharded.localShards.map { s in
            try Paper2Data.batch(
                Array(indices[s * size..<(s + 1) * size]),
                views: Array(views[s * size..<(s + 1) * size]), set: data.train, config: config)
        }
        let random = sharded.localShards.map { master.split("step").split(t).split($0) }
        let step = sharded.iteration(batches, random: random) { options.stopRequested() != nil }
        return (step.losses, step.stopRequested ? options.stopRequested() ?? SIGTERM : nil)
    }

    /// The first weight or buffer (batch-norm statistics, spectral-norm vectors) of either
    /// network holding a NaN or an infinity, as "netG.<key>" or "netD.<key>"; nil if none.
    static func firstNonFinite(_ trainer: SPADETrainer) -> String? {
        for (name, store) in [
            ("netG", trainer.generator.store), ("netD", trainer.discriminator.store),
        ] {
            for entry in store.entries {
                let value: Tensor
                switch entry {
                case .parameter(let p): value = p.value
                case .buffer(let b): value = b.value
                case .counter: continue
                }
                if !value.data.allSatisfy(\.isFinite) { return "\(name).\(entry.key)" }
            }
        }
        return nil
    }

    /// The loss terms, SPADE's names.
    static let lossColumns = ["G_GAN", "G_GAN_Feat", "D_Fake", "D_real"]

    /// losses.csv: one row per iteration, series "all".
    static func lossLog() -> LossLog {
        LossLog(seriesColumn: "series", columns: ["epoch"] + lossColumns + ["lr_G", "lr_D"])
    }

    static func lossRow(_ l: SPADELosses, step: Int, epoch: Int, trainer: SPADETrainer)
        -> LossRow
    {
        LossRow(
            step: step, series: "all",
            values: [
                Double(epoch), Double(l.generatorGAN), Double(l.generatorFeat),
                Double(l.discriminatorFake), Double(l.discriminatorReal),
                trainer.optimizerG.groups[0].lr, trainer.optimizerD.groups[0].lr,
            ])
    }

    /// The mean of each loss term over the last epoch (`loss_<term>/last_epoch`). The terms
    /// are Floats: rounding to Float makes values read back from losses.csv (9 digits) exact,
    /// so a resumed run gives the same means.
    static func finalLosses(_ log: LossLog, perEpoch: Int) -> [(String, Double)] {
        lossColumns.map { column in
            let curve = log.curve(column, series: "all").suffix(perEpoch)
            let mean =
                curve.map { Double(Float($0.value)) }.reduce(0, +) / Double(max(curve.count, 1))
            return ("loss_\(column)/last_epoch", mean)
        }
    }
}
