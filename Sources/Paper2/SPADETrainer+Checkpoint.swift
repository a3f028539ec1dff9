import Foundation
import NN
import Results
import Storage
import Tensors

/// A paper 2 run's checkpoint: two HDF5 files, as NVlabs/SPADE saves `latest_net_G.pth` and
/// `latest_net_D.pth`. Each holds its network's state_dict with the official keys (no prefix,
/// so either file converts to a .pth that SPADE's `load_network` reads) and its Adam state;
/// both carry the cell's variant, config id and hash, seed and step. The discriminator file,
/// written second, also holds the master random state and the data cursor. Each file is
/// written atomically; a pair whose steps differ (killed between the two renames) is refused.
/// Both record the run's shard count (it decides the bits; the process count does not), and a
/// run with another shard count refuses to resume from them.
struct SPADECheckpoint {
    static let generatorFile = "checkpoint-netG.h5"
    static let discriminatorFile = "checkpoint-netD.h5"

    let folder: URL
    /// Shards of every global batch (`--shards`).
    var shards = 1
    var generatorPath: String { folder.appendingPathComponent(Self.generatorFile).path }
    var discriminatorPath: String { folder.appendingPathComponent(Self.discriminatorFile).path }

    /// Whether both files exist.
    var exists: Bool {
        let fm = FileManager.default
        return fm.fileExists(atPath: generatorPath) && fm.fileExists(atPath: discriminatorPath)
    }

    /// Writes both networks, both optimizers, `master` and the cursor (completed iterations).
    func save(
        _ trainer: SPADETrainer, cell: Cell, seed: UInt64, iteration: Int, master: RandomSource
    ) throws {
        let config = cell.config(as: Paper2RunConfig.self)
        let attributes: [String: HDF5Attribute] = [
            "variant": .string(config.spade.variant.rawValue), "config_id": .string(cell.id),
            "config_hash": .string(cell.configHash), "step": .int64(Int64(iteration)),
            "seed": .int64(Int64(bitPattern: seed)), "shards": .int64(Int64(shards)),
        ]
        var g = Checkpoint(optimizer: trainer.optimizerG.state, attributes: attributes)
        g.attributes["network"] = .string("netG")
        try g.save(trainer.generator.store, to: generatorPath)
        var d = Checkpoint(
            optimizer: trainer.optimizerD.state,
            integers: ["cursor/iteration": [Int64(iteration)]], attributes: attributes)
        d.attributes["network"] = .string("netD")
        d.setRandomSource(master, named: "master")
        try d.save(trainer.discriminator.store, to: discriminatorPath)
    }

    /// Restores a pair written by `save` for this cell and seed; returns the completed
    /// iterations. Another variant or configuration, another seed, a pair from two different
    /// steps or a cursor outside the run is an error naming the file.
    func load(
        into trainer: SPADETrainer, cell: Cell, master: RandomSource, totalIterations: Int
    ) throws -> Int {
        let config = cell.config(as: Paper2RunConfig.self)
        var steps: [Int64] = []
        for path in [generatorPath, discriminatorPath] {
            let file = try HDF5File(reading: path)
            let variant = (try? file.stringAttribute("variant")) ?? "none"
            guard variant == config.spade.variant.rawValue else {
                throw StorageError(
                    .wrongFormat, file: path,
                    "checkpoint of variant \(variant), but this run is \(cell.fullName) "
                        + "(variant \(config.spade.variant.rawValue)); use its own run folder")
            }
            let hash = (try? file.stringAttribute("config_hash")) ?? "none"
            guard hash == cell.configHash else {
                let id = (try? file.stringAttribute("config_id")) ?? "unknown"
                throw StorageError(
                    .wrongFormat, file: path,
                    "checkpoint of configuration \(id) (hash \(hash.prefix(8))), but this run "
                        + "is \(cell.id); the settings (or --set overrides) differ")
            }
            let written = (try? file.int64Attribute("shards")) ?? 1
            guard written == Int64(shards) else {
                throw StorageError(
                    .wrongFormat, file: path,
                    "checkpoint of a run with \(written) shard(s), but this run has --shards "
                        + "\(shards); the shard count decides the bits: resume with --shards "
                        + "\(written)")
            }
            steps.append(try file.int64Attribute("step"))
        }
        guard steps[0] == steps[1] else {
            throw StorageError(
                .wrongFormat, file: generatorPath,
                "is at iteration \(steps[0]) but \(discriminatorPath) at \(steps[1]): the run "
                    + "stopped while writing the pair; start the run again")
        }
        let g = try Checkpoint.load(generatorPath, into: trainer.generator.store)
        let d = try Checkpoint.load(
            discriminatorPath, into: trainer.discriminator.store,
            extras: ["rng/master", "cursor/iteration"])
        guard let saved = d.extras.randomSource(named: "master"), saved == master else {
            throw StorageError(
                .wrongFormat, file: discriminatorPath,
                "checkpoint was written by another seed (rng/master differs)")
        }
        guard let cursor = d.extras.integers["cursor/iteration"], cursor.count == 1,
            cursor[0] == steps[1], cursor[0] >= 0, cursor[0] <= Int64(totalIterations)
        else {
            throw StorageError(
                .wrongFormat, file: discriminatorPath,
                "cursor/iteration is missing, differs from the step attribute or is outside "
                    + "0...\(totalIterations)")
        }
        for (optimizer, extras, path) in [
            (trainer.optimizerG, g.extras, generatorPath),
            (trainer.optimizerD, d.extras, discriminatorPath),
        ] {
            do {
                try optimizer.restore(extras.optimizer)
            } catch let error as OptimizerStateError {
                throw StorageError(
                    .wrongFormat, file: path, key: error.key ?? "optimizer", error.description)
            }
        }
        return Int(cursor[0])
    }
}
