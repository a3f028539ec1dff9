import Data
import ImageCodecs
import Models
import NN
import Paper2
import Storage
import Tensors
import TestSupport

/// The reduced L+I+P setting of Tests/Fixtures/scripts/make_spade.py (`SMALL`): 6 label ids +
/// edge, ngf 1, ndf 2, nhidden 8 (= position channels), noise 8, 32x64 images, batch 2.
func smallConfig() -> SPADEConfig {
    var c = SPADEConfig(.LIP)
    c.architecture.labelNC = 6
    c.architecture.ngf = 1
    c.architecture.ndf = 2
    c.architecture.nhidden = 8
    c.architecture.noiseDim = 8
    c.architecture.cropSize = 64
    c.batchSize = 2
    return c
}

/// Loads the fixture's `prefix/<key>` datasets into `store` by key; every key must be there
/// with its shape, and the group must hold no other key.
func loadState(_ file: HDF5File, _ prefix: String, into store: ParameterStore) throws {
    let names = try file.names(in: prefix)
    precondition(
        names.count == store.entries.count,
        "\(prefix): \(names.count) datasets for \(store.entries.count) state entries")
    for entry in store.entries {
        let name = "\(prefix)/\(entry.key)"
        switch entry {
        case .parameter(let p): p.value = try file.tensor(name, shape: p.shape)
        case .buffer(let b): b.value = try file.tensor(name, shape: b.value.shape)
        case .counter(let c): c.value = try file.int64s(name).values[0]
        }
    }
}

/// The fixture's conditioning recomputed in Swift from its label and instance maps.
struct SmallCase {
    let file: HDF5File
    let input: SPADEInput
    let real: Tensor
    let labelMaps: [LabelMap]
    let instanceMaps: [InstanceMap]

    init() throws {
        file = try Fixture.open("spade.h5")
        let labels = try file.labels("maps/labels")
        let instances = try file.labels("maps/instances")
        let (n, h, w) = (labels.shape[0], labels.shape[1], labels.shape[2])
        labelMaps = (0..<n).map { b in
            LabelMap(
                width: w, height: h,
                values: labels.data[(b * h * w)..<((b + 1) * h * w)].map { UInt8($0) })
        }
        instanceMaps = (0..<n).map { b in
            InstanceMap(
                width: w, height: h, values: Array(instances.data[(b * h * w)..<((b + 1) * h * w)]))
        }
        input = try smallConfig().makeInput(labels: labelMaps, instances: instanceMaps)
        real = try file.tensor("real")
    }

    /// The fixture's noise `name` ("eval", "g", "d") for every SPADE module.
    func noise(_ name: String, modules: Int) throws -> InstanceNoise {
        InstanceNoise(z: Array(repeating: try file.tensor("noise/\(name)"), count: modules))
    }
}

/// `actual` against `expected` with a tolerance scaled by the expected magnitude.
func expectClose(_ actual: Tensor, _ expected: Tensor, _ name: String, rtol: Float = 1e-5)
    -> String?
{
    let scale = expected.data.reduce(0) { max($0, abs($1)) }
    return mismatch(actual, expected, atol: max(scale, 1e-6) * rtol, rtol: rtol).map {
        "\(name): \($0)"
    }
}
