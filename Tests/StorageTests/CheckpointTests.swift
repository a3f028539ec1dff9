import Foundation
import NN
import Storage
import Tensors
import TestSupport
import Testing

/// The tiny model of Tests/Fixtures/scripts/make_checkpoint.py: conv(2->3, 3x3) -> bn(3) ->
/// fc(3->4), keys in the same order as its PyTorch state_dict.
func tinyModel(seed: UInt64 = 1, convOut: Int = 3, extraLayer: Bool = false) -> ParameterStore {
    let store = ParameterStore()
    let root = Scope(store)
    var random = RandomSource(seed: seed)
    _ = Conv2d(2, convOut, kernel: 3, at: root / "conv", random: &random)
    _ = BatchNorm2d(3, at: root / "bn")
    _ = Linear(3, 4, at: root / "fc", random: &random)
    if extraLayer { _ = Linear(4, 2, at: root / "head", random: &random) }
    return store
}

/// The value of every state entry, for comparisons.
func snapshot(_ store: ParameterStore) -> [String] {
    store.entries.map { entry in
        switch entry {
        case .parameter(let p): "\(p.key) \(p.value.data)"
        case .buffer(let b): "\(b.key) \(b.value.data)"
        case .counter(let c): "\(c.key) \(c.value)"
        }
    }
}

@Suite struct CheckpointTests {
    let scratch = TemporaryFolder()

    @Test func roundTripWithExtras() throws {
        let path = scratch.path + "/ckpt.h5"
        let saved = tinyModel(seed: 1)
        if case .counter(let c) = saved.entry("bn.num_batches_tracked")! { c.value = 123 }
        var extras = Checkpoint(
            optimizer: [
                OptimizerStateEntry(
                    key: "fc.weight", name: "exp_avg", value: Tensor(repeating: 0.5, shape: [4, 3])
                ),
                OptimizerStateEntry(key: "fc.weight", name: "step", value: Tensor(scalar: 3)),
            ],
            integers: ["cursor/epoch": [2, 17]],
            attributes: ["config_id": "cac-voc-1464", "step": 3, "seed": 1])
        var rng = RandomSource(seed: 99)
        _ = rng.uniform()
        extras.setRandomSource(rng, named: "train")
        try extras.save(saved, to: path)

        let loaded = tinyModel(seed: 2)
        #expect(snapshot(loaded) != snapshot(saved))
        let result = try Checkpoint.load(path, into: loaded, extras: ["cursor/epoch", "rng/train"])
        #expect(snapshot(loaded) == snapshot(saved))
        #expect(result.missingKeys.isEmpty && result.unexpectedKeys.isEmpty)
        #expect(result.extras.optimizer == extras.optimizer)
        #expect(result.extras.integers["cursor/epoch"] == [2, 17])
        #expect(result.extras.randomSource(named: "train") == rng)
        #expect(result.extras.attributes["config_id"] == "cac-voc-1464")
        #expect(result.extras.attributes["step"] == 3)
        #expect(result.extras.attributes["format_version"] == .int64(Checkpoint.formatVersion))
        #expect(result.extras.attributes["writer"] == .string(Checkpoint.writer))
    }

    @Test func wrongShapeNamesKeyAndBothShapes() throws {
        let path = scratch.path + "/ckpt.h5"
        let saved = tinyModel()
        try Checkpoint().save(saved, to: path)
        let other = tinyModel(seed: 2, convOut: 5)
        let before = snapshot(other)
        let error = #expect(throws: StorageError.self) { try Checkpoint.load(path, into: other) }
        #expect(error?.kind == .wrongShape)
        #expect(error?.key == "conv.weight")
        #expect(error?.description.contains("[3, 2, 3, 3]") == true)
        #expect(error?.description.contains("[5, 2, 3, 3]") == true)
        #expect(snapshot(other) == before, "a failed load changes nothing")
    }

    @Test func strictLoadListsMissingAndUnexpectedKeys() throws {
        let path = scratch.path + "/ckpt.h5"
        try Checkpoint().save(tinyModel(extraLayer: true), to: path)
        let smaller = tinyModel(seed: 3)
        let error = #expect(throws: StorageError.self) { try Checkpoint.load(path, into: smaller) }
        #expect(
            error?.description.contains("missing [], unexpected [\"head.bias\", \"head.weight\"]")
                == true)

        try Checkpoint().save(tinyModel(), to: path)
        let larger = tinyModel(seed: 4, extraLayer: true)
        let missing = #expect(throws: StorageError.self) { try Checkpoint.load(path, into: larger) }
        #expect(
            missing?.description.contains("missing [\"head.bias\", \"head.weight\"], unexpected []")
                == true)
        let result = try Checkpoint.load(path, into: larger, strict: false)
        #expect(result.missingKeys == ["head.bias", "head.weight"])
        #expect(Array(snapshot(larger).prefix(9)) == snapshot(tinyModel()))
    }

    // Tests/Fixtures/scripts/make_checkpoint.py: torch.save(Tiny().state_dict()) converted by
    // checkpoint_convert.py to-h5; key number k holds arange(n) * 0.125 + k, and
    // bn.num_batches_tracked is 7.
    @Test func loadsCheckpointConvertedFromPyTorch() throws {
        let store = tinyModel()
        try Checkpoint.load(Fixture.path("checkpoint_torch.h5"), into: store)
        for (k, entry) in store.entries.enumerated() {
            switch entry {
            case .parameter(let p):
                #expect(
                    p.value.data == (0..<p.value.count).map { Float($0) * 0.125 + Float(k) },
                    "\(p.key)")
            case .buffer(let b):
                #expect(
                    b.value.data == (0..<b.value.count).map { Float($0) * 0.125 + Float(k) },
                    "\(b.key)")
            case .counter(let c):
                #expect(c.value == 7, "\(c.key)")
            }
        }
        let file = try Fixture.open("checkpoint_torch.h5")
        #expect(try file.int64Attribute("format_version") == 1)
    }
}
