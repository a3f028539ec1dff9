import CFuzzDriver
import Foundation
import NN
import Storage
import Tensors

// Checkpoint.load on arbitrary bytes into the tiny model of Tests/Fixtures/scripts/
// make_checkpoint.py (conv 2->3, bn 3, fc 3->4), as a resume does: strict keys, finite
// values, rng/track and cursor/iteration extras, then the optimizer state into SGD.
let scratch = "/dev/shm/repro-fuzz-checkpoint-\(getpid()).h5"

func tinyModel() -> (ParameterStore, SGD) {
    let store = ParameterStore()
    let root = Scope(store)
    var random = RandomSource(seed: 1)
    _ = Conv2d(2, 3, kernel: 3, at: root / "conv", random: &random)
    _ = BatchNorm2d(3, at: root / "bn")
    _ = Linear(3, 4, at: root / "fc", random: &random)
    let sgd = SGD(store.parameters, lr: 0.1, momentum: 0.9)
    return (store, sgd)
}

func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let out = fopen(scratch, "wb")!
    if size > 0 { fwrite(data, 1, size, out) }
    fclose(out)
    let (store, sgd) = tinyModel()
    do {
        let loaded = try Checkpoint.load(
            scratch, into: store, extras: ["rng/track", "cursor/iteration"])
        _ = loaded.extras.randomSource(named: "track")
        try sgd.restore(loaded.extras.optimizer)
    } catch is StorageError {
    } catch is OptimizerStateError {
    } catch {
        fatalError("unexpected error type: \(error)")
    }
    return 0
}

/// A checkpoint as a resume writes it (digest, momentum buffers, rng, cursor).
func makeSeeds(_ folder: String) throws {
    let (store, sgd) = tinyModel()
    sgd.step(store.parameters.map { Tensor(repeating: 0.5, shape: $0.shape) })
    var checkpoint = Checkpoint(
        optimizer: sgd.state, integers: ["cursor/iteration": [3]],
        attributes: ["config_id": "fuzz", "step": 3])
    var random = RandomSource(seed: 7)
    _ = random.uniform()
    checkpoint.setRandomSource(random, named: "track")
    try checkpoint.save(store, to: folder + "/harness.h5")
}

if CommandLine.arguments.count == 3 && CommandLine.arguments[1] == "--make-seeds" {
    try makeSeeds(CommandLine.arguments[2])
    exit(0)
}
// A healthy input is copied in milliseconds; inputs on which libhdf5 loops would otherwise
// cost the default 10 s each and dominate the run.
setenv(HDF5File.probeTimeoutVariable, "0.5", 0)
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
let status = LLVMFuzzerRunDriver(&argc, &argv) { fuzzOne($0, $1) }
unlink(scratch)
exit(status)
