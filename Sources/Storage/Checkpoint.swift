import NN
import Tensors

/// A training checkpoint file (the HDF5 counterpart of `torch.save({"model": state_dict, ...})`).
///
/// Layout: one root dataset per state_dict key, named by the dotted key itself (parameters and
/// buffers float32, counters int64 scalars); optimizer state as `optimizer/<key>.<state>`
/// (`momentum_buffer`, `exp_avg`, `exp_avg_sq`, `step`); random-source states as int64
/// `rng/<name>`; any other extras as `<group>/<name>` (int64 or float32, read back only when
/// named in `load(extras:)`); root attributes
/// `format_version`, `writer` and the caller's (config id, step, seed, ...).
/// Tests/Fixtures/scripts/checkpoint_convert.py converts it to and from a PyTorch .pth file.
public struct Checkpoint: Sendable {
    /// The layout version written to `format_version`; newer files are refused.
    public static let formatVersion: Int64 = 1
    /// The `writer` attribute.
    public static let writer = "repro 0.1.0"

    /// Optimizer state, in the optimizer's order (as loaded: parameter order, then
    /// `optimizerSlots` order).
    public var optimizer: [OptimizerStateEntry] = []
    /// Integer extras by group path ("rng/train", "cursor/epoch"), written in key order.
    public var integers: [String: [Int64]] = [:]
    /// Float extras by group path, written in key order.
    public var tensors: [String: Tensor] = [:]
    /// Root attributes besides `format_version` and `writer`.
    public var attributes: [String: HDF5Attribute] = [:]

    public init(
        optimizer: [OptimizerStateEntry] = [], integers: [String: [Int64]] = [:],
        tensors: [String: Tensor] = [:], attributes: [String: HDF5Attribute] = [:]
    ) {
        self.optimizer = optimizer
        self.integers = integers
        self.tensors = tensors
        self.attributes = attributes
    }

    /// Stores `source`'s state as `rng/<name>`.
    public mutating func setRandomSource(_ source: RandomSource, named name: String) {
        integers["rng/\(name)"] = source.state.map { Int64(bitPattern: $0) }
    }

    /// The random source saved as `rng/<name>`, if any and valid (`load` refuses an invalid
    /// one, naming the file and key).
    public func randomSource(named name: String) -> RandomSource? {
        integers["rng/\(name)"].flatMap {
            try? RandomSource(validating: $0.map { UInt64(bitPattern: $0) })
        }
    }

    /// Writes `store` and these extras to `path` atomically (temporary file, then rename).
    public func save(_ store: ParameterStore, to path: String) throws {
        let file = try HDF5File.create(path)
        for entry in store.entries {
            switch entry {
            case .parameter(let p): try file.write(p.value, as: p.key)
            case .buffer(let b): try file.write(b.value, as: b.key)
            case .counter(let c): try file.write(int64s: [c.value], shape: [], as: c.key)
            }
        }
        for entry in optimizer {
            try file.write(entry.value, as: "optimizer/\(entry.key).\(entry.name)")
        }
        for key in integers.keys.sorted() {
            try Self.checkExtraKey(key, path)
            try file.write(int64s: integers[key]!, shape: [integers[key]!.count], as: key)
        }
        for key in tensors.keys.sorted() {
            try Self.checkExtraKey(key, path)
            try file.write(tensors[key]!, as: key)
        }
        var attributes = self.attributes
        attributes["format_version"] = .int64(Self.formatVersion)
        attributes["writer"] = .string(Self.writer)
        try file.setAttributes(attributes)
        try file.commit()
    }

    /// The optimizer state names read back: SGD's and Adam's (PyTorch's names).
    public static let optimizerSlots = ["momentum_buffer", "exp_avg", "exp_avg_sq", "step"]

    /// Reads `path` into `store` (PyTorch `load_state_dict`) and returns its extras.
    ///
    /// Every value is checked before any is assigned, so a failed load leaves `store` as it
    /// was. A key whose shape or element type differs is an error naming the file, the key and
    /// both shapes. With `strict` (the default), missing and unexpected state_dict keys are an
    /// error listing both in sorted order; otherwise they are returned and the matching keys
    /// are loaded. With `requireFinite` (the default), a NaN or infinite value in the weights
    /// or the optimizer state is an error naming the first such key.
    ///
    /// Only what is asked for is read, each by name: the state_dict keys of `store`,
    /// `optimizer/<key>.<slot>` for its parameters (slots of `optimizerSlots`, each the shape
    /// of its parameter, `step` a scalar) and the `extras` datasets named (`rng/<name>` must
    /// be a valid random-source state; others int64 or float32). Unknown datasets are never
    /// read, and every size is validated before anything is allocated (HDF5+Checks.swift).
    @discardableResult
    public static func load(
        _ path: String, into store: ParameterStore, strict: Bool = true,
        extras wanted: [String] = [], requireFinite: Bool = true
    ) throws -> CheckpointLoad {
        let file = try HDF5File(reading: path)
        if let version = try? file.int64Attribute("format_version"), version > formatVersion {
            throw StorageError(
                .wrongFormat, file: path,
                "checkpoint format_version \(version) is newer than this reader's \(formatVersion)")
        }
        var known = Set<String>()  // membership only, never iterated
        var missing: [String] = []
        var assignments: [() -> Void] = []
        for entry in store.entries {
            known.insert(entry.key)
            guard file.contains(entry.key) else {
                missing.append(entry.key)
                continue
            }
            let found = try file.shape(of: entry.key)
            guard found == entry.shape else {
                throw StorageError(
                    .wrongShape, file: path, key: entry.key,
                    "checkpoint has shape \(found), the model expects \(entry.shape)")
            }
            switch entry {
            case .parameter(let p):
                let value = try finite(file.tensor(p.key), p.key, path, requireFinite)
                assignments.append { p.value = value }
            case .buffer(let b):
                let value = try finite(file.tensor(b.key), b.key, path, requireFinite)
                assignments.append { b.value = value }
            case .counter(let c):
                let value = try file.int64s(c.key).values[0]
                assignments.append { c.value = value }
            }
        }
        let stateKeys = try file.names().filter { !file.isGroup($0) }
        let unexpected = stateKeys.filter { !known.contains($0) }
        if strict && !(missing.isEmpty && unexpected.isEmpty) {
            throw StorageError(
                .missingKey, file: path,
                "state_dict keys do not match the model: missing \(missing.sorted()), "
                    + "unexpected \(unexpected.sorted())")
        }
        var extras = try readOptimizer(file, store, requireFinite)
        try readExtras(file, wanted, into: &extras)
        for name in try file.attributeNames() {
            extras.attributes[name] = try file.attribute(name)
        }
        for assign in assignments { assign() }
        return CheckpointLoad(
            extras: extras, missingKeys: missing.sorted(), unexpectedKeys: unexpected.sorted())
    }

    /// `optimizer/<key>.<slot>` for every parameter of `store`, shapes checked before reading.
    private static func readOptimizer(_ file: HDF5File, _ store: ParameterStore, _ finite: Bool)
        throws -> Checkpoint
    {
        var extras = Checkpoint()
        for case .parameter(let p) in store.entries {
            for slot in optimizerSlots {
                let name = "optimizer/\(p.key).\(slot)"
                guard file.contains(name) else { continue }
                let expected = slot == "step" ? [] : p.value.shape
                let found = try file.shape(of: name)
                guard found == expected || (slot == "step" && found == [1]) else {
                    throw StorageError(
                        .wrongShape, file: file.path, key: name,
                        "optimizer state has shape \(found), expected \(expected)")
                }
                let value = try Self.finite(file.tensor(name), name, file.path, finite)
                let scalar = slot == "step" ? Tensor(scalar: value.data[0]) : value
                extras.optimizer.append(OptimizerStateEntry(key: p.key, name: slot, value: scalar))
            }
        }
        return extras
    }

    /// The `wanted` extras present in `file`: integers as int64, floats as float32 tensors;
    /// `rng/<name>` must be four integers forming a valid random-source state.
    private static func readExtras(
        _ file: HDF5File, _ wanted: [String], into extras: inout Checkpoint
    ) throws {
        for name in wanted where file.contains(name) {
            do {
                extras.integers[name] = try file.int64s(name).values
            } catch let error as StorageError where error.kind == .wrongType {
                extras.tensors[name] = try file.tensor(name)
            }
            if name.hasPrefix("rng/") {
                let words = (extras.integers[name] ?? []).map { UInt64(bitPattern: $0) }
                do {
                    _ = try RandomSource(validating: words)
                } catch {
                    throw StorageError(.corrupt, file: file.path, key: name, error.description)
                }
            }
        }
    }

    /// `value` after checking, when asked, that every element is finite.
    private static func finite(_ value: Tensor, _ key: String, _ path: String, _ check: Bool)
        throws -> Tensor
    {
        if check, let bad = value.data.first(where: { !$0.isFinite }) {
            throw StorageError(
                .corrupt, file: path, key: key,
                "holds a non-finite value (\(bad)); refusing to load it")
        }
        return value
    }

    private static func checkExtraKey(_ key: String, _ path: String) throws {
        guard key.contains("/"), !key.hasPrefix("optimizer/") else {
            throw StorageError(
                .io, file: path, key: key,
                "checkpoint extras need a group other than optimizer/ (such as rng/ or cursor/)")
        }
    }
}

/// The result of `Checkpoint.load`: the extras, and the state_dict keys that did not match
/// (PyTorch's `missing_keys` / `unexpected_keys`), each sorted.
public struct CheckpointLoad: Sendable {
    public var extras: Checkpoint
    public var missingKeys: [String]
    public var unexpectedKeys: [String]
}
