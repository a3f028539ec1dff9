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
public enum SPADERunner {
    /// Paper 2 has no data parallelism yet: more than one shard or process is refused.
    static func checkOneProcess(_ cell: Cell, _ options: RunOptions) throws {
        guard options.shards == 1, options.communicator.size == 1 else {
            throw ConfigError(
                "\(cell.fullName): paper 2 trains in one process with one shard "
                    + "(its synchronized batch norm over processes is not implemented)")
        }
    }

    /// Trains `cell` on `data` and evaluates it with `evaluators` (MICV, FID, mIoU).
    public static func run(
        _ cell: Cell, data: Paper2Data, evaluators: Paper2Evaluators, options: RunOptions
    ) throws -> CellResult {
        let config = cell.config(as: Paper2RunConfig.self)
        try checkOneProcess(cell, options)
        Runtime.setThreads(options.threads)
        let folder =
            try options.folder.map { try RunFolder.openOrCreate($0) }
            ?? RunFolder.create(cell: "\(cell.id)-s\(options.seed)", root: options.runsRoot)
        let lock = try RunFolderLock(folder)
        defer { lock.release() }
        let master = RandomSource(seed: options.seed)
        let manifest = RunManifest.current(
            config: config, seed: options.seed, streams: ["init", "order", "flip", "step"],
            threads: options.threads)
        try folder.write(manifest)
        let started = Date()

        let trainer = try SPADETrainer(config.spade, random: master.split("init"))
        let order = SPADEEpochOrder(count: data.trainCount, random: master.split("order"))
        let perEpoch = config.iterationsPerEpoch(trainCount: data.trainCount)
        let total = perEpoch * config.epochs
        let checkpoint = SPADECheckpoint(folder: folder.url)
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
        if t == 0 && every > 0 {
            // With periodic checkpoints, a run that diverges at once still leaves one.
            try checkpoint.save(
                trainer, cell: cell, seed: options.seed, iteration: 0, master: master)
        }
        let bar = options.progress ? ProgressBar(label: cell.fullName, total: total) : nil
        var done = 0
        while t < total {
            let epoch = t / perEpoch + 1
            trainer.setEpoch(epoch)
            var flipRandom = master.split("flip").split(t)
            let flips = (0..<config.batchSize).map { _ in flipRandom.bernoulli(0.5) }
            let indices = order.batch(epoch: epoch, iteration: t % perEpoch, size: config.batchSize)
            let batch = try Paper2Data.batch(indices, flips: flips, set: data.train, config: config)
            var stepRandom = master.split("step").split(t)
            let l = trainer.trainIteration(batch, random: &stepRandom)
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
            bar?.update(t, status: String(format: "G %.3f D %.3f", l.generator, l.discriminator))
            let atEnd = t == total
            let periodic = every > 0 && t % every == 0
            let signalled = options.stopRequested()
            let stopping = options.stopAfter.map { done >= $0 } ?? false || signalled != nil
            if atEnd || periodic || stopping {
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

        let evaluation = try Paper2Evaluation.run(
            trainer, data: data, config: config, folder: folder, evaluators: evaluators)
        var metrics = evaluation.metrics
        for (name, value) in finalLosses(losses, perEpoch: perEpoch) { metrics[name] = value }
        let file = MetricsFile(
            cell: cell.fullName, configHash: cell.configHash, seed: options.seed,
            profile: cell.profile.rawValue, metrics: metrics, series: evaluation.series,
            timings: ["train": training, "run": Date().timeIntervalSince(started)])
        try folder.write(file)
        try folder.write(manifest.finished())
        return CellResult(cell: cell, seed: options.seed, folder: folder, metrics: file)
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
