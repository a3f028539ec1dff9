import Foundation
import NN
import Results
import Storage
import Tensors

extension SegmentationTrack {
    /// Writes weights, optimizer state, the track's random-source state and the data cursor
    /// (completed iterations; every later draw is split from them) atomically to `path`.
    func save(_ path: String, cell: Cell, seed: UInt64) throws {
        var checkpoint = Checkpoint(
            optimizer: optimizer.state,
            integers: [
                "cursor/iteration": [Int64(iteration)],
                "cursor/labeled_position": [Int64(iteration * config.batchLabeled)],
                "cursor/unlabeled_position": [Int64(iteration * config.batchUnlabeled)],
            ],
            attributes: [
                "config_id": .string(cell.id), "config_hash": .string(cell.configHash),
                "step": .int64(Int64(iteration)), "seed": .int64(Int64(bitPattern: seed)),
            ])
        checkpoint.setRandomSource(random, named: "track")
        try checkpoint.save(store, to: path)
    }

    /// Restores a checkpoint written by `save` for the same configuration and seed.
    func load(_ path: String) throws {
        let loaded = try Checkpoint.load(
            path, into: store, extras: ["rng/track", "cursor/iteration"], requireFinite: true)
        let extras = loaded.extras
        guard let saved = extras.randomSource(named: "track"), saved == random else {
            throw StorageError(
                .wrongFormat, file: path,
                "checkpoint was written by another seed or track (rng/track differs)")
        }
        guard let cursor = extras.integers["cursor/iteration"], cursor.count == 1,
            cursor[0] >= 0, cursor[0] <= Int64(config.totalIterations)
        else {
            throw StorageError(
                .wrongFormat, file: path,
                "cursor/iteration is missing or outside 0...\(config.totalIterations)")
        }
        do {
            try optimizer.restore(extras.optimizer)
        } catch let error as OptimizerStateError {
            throw StorageError(
                .wrongFormat, file: path, key: error.key ?? "optimizer", error.description)
        }
        iteration = Int(cursor[0])
    }
}
