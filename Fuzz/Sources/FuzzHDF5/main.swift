import CFuzzDriver
import Foundation
import Storage
import Tensors

// The HDF5 reader on arbitrary bytes, as a run-diff or fixture reader uses it: open (digest
// check first), list the root and its groups, read every dataset (as floats, else integers)
// and every root attribute. Anything but a StorageError or success is a finding.
let scratch = "/dev/shm/repro-fuzz-hdf5-\(getpid()).h5"

func readAll(_ path: String) throws {
    let file = try HDF5File(reading: path)
    var pending = ["/"]
    var visited = 0
    while let group = pending.popLast(), visited < 64 {
        for name in try file.names(in: group) {
            visited += 1
            let path = group == "/" ? name : "\(group)/\(name)"
            if file.isGroup(path) {
                pending.append(path)
                continue
            }
            _ = try file.shape(of: path)
            do {
                _ = try file.tensor(path)
            } catch let error as StorageError where error.kind == .wrongType {
                _ = try file.int64s(path)
            }
        }
    }
    for name in try file.attributeNames() { _ = try file.attribute(name) }
}

func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let out = fopen(scratch, "wb")!
    if size > 0 { fwrite(data, 1, size, out) }
    fclose(out)
    do {
        try readAll(scratch)
    } catch is StorageError {
    } catch {
        fatalError("unexpected error type: \(error)")
    }
    return 0
}

/// Seeds written by the harness itself (with a content digest): every stored kind.
func makeSeeds(_ folder: String) throws {
    let file = try HDF5File.create(folder + "/harness.h5")
    try file.write(Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6]), as: "tensor")
    try file.write(int64s: [1, -2, 3, 4], shape: [4], as: "ints")
    try file.write(int32s: [0, 1, 2, 255], shape: [1, 2, 2], as: "labels")
    try file.write(Tensor(shape: [3], data: [0.5, 1, 2]), as: "group/x.weight", gzip: 4)
    try file.setAttributes(["name": "seed", "count": 3, "values": .doubles([1, 2])])
    try file.commit()
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
