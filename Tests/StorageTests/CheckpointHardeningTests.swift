import Foundation
import NN
import Storage
import Tensors
import TestSupport
import Testing

/// Structured mutations of checkpoints: truncation, bit flips, wrong dtypes and shapes,
/// missing and extra keys, malformed random states, non-finite values. Every case must end in
/// a StorageError naming the file (and the key where there is one), never a trap.
@Suite struct CheckpointHardeningTests {
    let scratch = TemporaryFolder()

    /// A checkpoint as a resume writes it: weights, momentum, rng/track, cursor.
    func saved(_ name: String = "ckpt.h5", edit: (inout Checkpoint) -> Void = { _ in }) throws
        -> String
    {
        let path = scratch.path + "/" + name
        let store = tinyModel()
        let sgd = SGD(store.parameters, lr: 0.1, momentum: 0.9)
        sgd.step(store.parameters.map { Tensor(repeating: 0.5, shape: $0.shape) })
        var checkpoint = Checkpoint(optimizer: sgd.state, integers: ["cursor/iteration": [3]])
        checkpoint.setRandomSource(RandomSource(seed: 5), named: "track")
        edit(&checkpoint)
        try checkpoint.save(store, to: path)
        return path
    }

    func load(_ path: String) throws -> CheckpointLoad {
        try Checkpoint.load(path, into: tinyModel(), extras: ["rng/track", "cursor/iteration"])
    }

    func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = scratch.path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func writtenCheckpointsCarryAVerifiedDigest() throws {
        let path = try saved()
        #expect(try HDF5File(reading: path).hasDigest)
        #expect(try load(path).extras.integers["cursor/iteration"] == [3])
        let head = String(decoding: try bytes(path).prefix(13), as: UTF8.self)
        #expect(head == "REPRO-SHA256 ")
    }

    @Test func everyTruncationIsAnErrorNamingTheFile() throws {
        let original = try bytes(try saved())
        for length in [0, 7, 8, 100, 511, 512, 520, 1024, original.count / 2, original.count - 1] {
            let path = try write(Array(original.prefix(length)), "cut-\(length).h5")
            let error = #expect(throws: StorageError.self, "length \(length)") {
                try load(path)
            }
            #expect(error?.file == path)
        }
    }

    @Test func everyBitFlipIsCaughtByTheDigest() throws {
        let original = try bytes(try saved())
        for position in stride(from: 13, to: original.count, by: original.count / 61) {
            var damaged = original
            damaged[position] ^= 0x10
            let path = try write(damaged, "flip-\(position).h5")
            let error = #expect(throws: StorageError.self, "byte \(position)") { try load(path) }
            #expect(error?.kind == .corrupt, "byte \(position): \(String(describing: error))")
        }
    }

    /// Found by fuzzing: a damaged checkpoint whose digest header was rewritten to match (libFuzzer
    /// learns the digest from the comparison) crashed libhdf5 1.10.8 when it was parsed in this
    /// process. Every file is now read through the child-process copy: an error, no crash.
    @Test func aDamagedFileWithAForgedDigestIsAnErrorNotACrash() throws {
        let path = Fixture.path("../../Fuzz/Regressions/checkpoint-forged-digest-libhdf5-crash.h5")
        let error = #expect(throws: StorageError.self) { try load(path) }
        #expect(error?.file == path)
        #expect(error?.problem.contains("libhdf5 crashed") == true, "\(String(describing: error))")
    }

    /// Files without a digest (h5py) are parsed only in a child process: flipped bytes give an
    /// error or a load, never a crash of this process.
    @Test func bitFlipsInAnH5pyCheckpointNeverCrash() throws {
        let original = try bytes(Fixture.path("checkpoint_torch.h5"))
        var refused = 0
        for position in stride(from: 0, to: original.count, by: original.count / 40) {
            var damaged = original
            damaged[position] ^= 0xff
            let path = try write(damaged, "h5py-flip-\(position).h5")
            do {
                _ = try Checkpoint.load(path, into: tinyModel())
            } catch let error as StorageError {
                #expect(error.file == path)
                refused += 1
            }
        }
        #expect(refused > 0)
    }

    @Test func malformedRandomStatesAreErrorsNamingTheKey() throws {
        for state: [Int64] in [[1, 2, 3], [1, 2, 0, 2], [1, 2, 3, 9], [], [1, 2, 3, 4, 5]] {
            let path = try saved("rng-\(state.count)-\(state.last ?? 0).h5") {
                $0.integers["rng/track"] = state
            }
            let error = #expect(throws: StorageError.self, "\(state)") { try load(path) }
            #expect(error?.key == "rng/track")
            #expect(error?.file == path)
        }
        #expect(throws: RandomStateError.self) { try RandomSource(validating: [1, 2, 3, 5]) }
        #expect(try RandomSource(validating: [1, 2, 3, 0]).state == [1, 2, 3, 0])
    }

    @Test func nonFiniteWeightsAndOptimizerStateAreRefusedNamingTheFirstKey() throws {
        let store = tinyModel()
        if case .parameter(let p) = store.entry("conv.bias")! {
            p.value = Tensor(shape: p.value.shape, data: [1, .nan, 2])
        }
        let path = scratch.path + "/nan.h5"
        try Checkpoint().save(store, to: path)
        let error = #expect(throws: StorageError.self) { try load(path) }
        #expect(error?.key == "conv.bias" && error?.file == path)
        _ = try Checkpoint.load(path, into: tinyModel(), requireFinite: false)

        let infinite = try saved("inf.h5") { c in
            c.optimizer = c.optimizer.map {
                OptimizerStateEntry(
                    key: $0.key, name: $0.name,
                    value: Tensor(repeating: .infinity, shape: $0.value.shape))
            }
        }
        let second = #expect(throws: StorageError.self) { try load(infinite) }
        #expect(second?.key == "optimizer/conv.weight.momentum_buffer")
    }

    @Test func optimizerStateOfTheWrongShapeNamesFileAndKey() throws {
        let path = try saved("slot.h5") { c in
            c.optimizer[0] = OptimizerStateEntry(
                key: c.optimizer[0].key, name: "momentum_buffer",
                value: Tensor(repeating: 0, shape: [1]))
        }
        let error = #expect(throws: StorageError.self) { try load(path) }
        #expect(error?.file == path && error?.key == "optimizer/conv.weight.momentum_buffer")
        #expect(error?.description.contains("[1]") == true)
    }

    @Test func wrongDtypeAndUnknownDatasetsAreHandled() throws {
        // A float extra that is not asked for is never read; an asked one of the wrong kind is
        // read as what it is (float), and a parameter stored as integers is an error.
        let path = try saved("extra.h5") { c in
            c.tensors["junk/huge"] = Tensor(repeating: 1, shape: [64, 64])
        }
        let loaded = try load(path)
        #expect(loaded.extras.tensors.isEmpty)
        let file = try HDF5File.create(scratch.path + "/ints.h5")
        for case .parameter(let p) in tinyModel().entries {
            try file.write(
                int64s: [Int64](repeating: 1, count: p.value.count), shape: p.value.shape, as: p.key
            )
        }
        try file.commit()
        let error = #expect(throws: StorageError.self) { try load(scratch.path + "/ints.h5") }
        #expect(error?.kind == .wrongType && error?.key == "conv.weight")
    }

    @Test func foreignFileWithLyingShapesIsRefused() throws {
        // Tests/Fixtures/scripts/make_hostile.py: datasets declaring 2^60 and 2^124 values.
        let error = #expect(throws: StorageError.self) { try Fixture.open("hostile.h5") }
        #expect(error?.kind == .corrupt)
        #expect(["huge", "overflow"].contains(error?.key ?? ""), "\(String(describing: error))")
    }
}
