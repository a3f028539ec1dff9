import NN
import Tensors

/// A training checkpoint file (the HDF5 counterpart of `torch.save({"model": state_dict, ...})`).
///
/// Layout: one root dataset per state_dict key, named by the dotted key itself (parameters and
/// buffers float32, counters int64 scalars); optimizer state as `optimizer/<key>.<state>`
/// (`momentum_buffer`, `exp_avg`, `exp_avg_sq`, `step`); random-source states as int64
/// `rng/<name>`; any other extras as `<group>/<name>` (int64 or float32); root attributes
/// `format_version`, `writer` and the caller's (config id, step, seed, ...).
/// Tests/Fixtures/scripts/checkpoint_convert.py converts it to and from a PyTorch .pth file.
public struct Checkpoint: Sendable {
    /// The layout version written to `format_version`; newer files are refused.
    public static let formatVersion: Int64 = 1
    /// The `writer` attribute.
    public static let writer = "repro 0.1.0"

    /// Optimizer state, in the optimizer's order (as loaded: sorted by key and state name).
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

    /// The random source saved as `rng/<name>`, if any.
    public func randomSource(named name: String) -> RandomSource? {
        integers["rng/\(name)"].map { RandomSource(state: $0.map { UInt64(bitPattern: $0) }) }
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

    /// Reads `path` into `store` (PyTorch `load_state_dict`) and returns its extras.
    ///
    /// Every value is checked before any is assigned, so a failed load leaves `store` as it
    /// was. A key whose shape differs is an error naming the key and both shapes. With `strict`
    /// (the default), missing and unexpected state_dict keys are an error listing both in
    /// sorted order; otherwise they are returned and the matching keys are loaded.
    @discardableResult
    public static func load(_ path: String, into store: ParameterStore, strict: Bool = true)
        throws -> CheckpointLoad
    {
        let file = try HDF5File(reading: path)
        if let version = try? file.int64Attribute("format_version"), version > formatVersion {
            throw StorageError(
                .wrongFormat, file: path,
                "checkpoint format_version \(version) is newer than this reader's \(formatVersion)")
        }
        let names = try file.names()
        let stateKeys = names.filter { !file.isGroup($0) }
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
                let value = try file.tensor(p.key)
                assignments.append { p.value = value }
            case .buffer(let b):
                let value = try file.tensor(b.key)
                assignments.append { b.value = value }
            case .counter(let c):
                let value = try file.int64s(c.key).values[0]
                assignments.append { c.value = value }
            }
        }
        let unexpected = stateKeys.filter { !known.contains($0) }
        if strict && !(missing.isEmpty && unexpected.isEmpty) {
            throw StorageError(
                .missingKey, file: path,
                "state_dict keys do not match the model: missing \(missing.sorted()), "
                    + "unexpected \(unexpected.sorted())")
        }
        let extras = try readExtras(file, groups: names.filter { file.isGroup($0) })
        for assign in assignments { assign() }
        return CheckpointLoad(
            extras: extras, missingKeys: missing.sorted(), unexpectedKeys: unexpected.sorted())
    }

    /// The optimizer state, other group datasets and root attributes of `file`.
    private static func readExtras(_ file: HDF5File, groups: [String]) throws -> Checkpoint {
        var extras = Checkpoint()
        for name in try file.attributeNames() {
            extras.attributes[name] = try file.attribute(name)
        }
        var pending = groups
        while let group = pending.popLast() {
            for member in try file.names(in: group) {
                let path = "\(group)/\(member)"
                if file.isGroup(path) {
                    pending.append(path)
                } else if group == "optimizer", let dot = member.lastIndex(of: ".") {
                    extras.optimizer.append(
                        OptimizerStateEntry(
                            key: String(member[..<dot]),
                            name: String(member[member.index(after: dot)...]),
                            value: try file.tensor(path)))
                } else {
                    do {
                        extras.integers[path] = try file.int64s(path).values
                    } catch let error as StorageError where error.kind == .wrongType {
                        extras.tensors[path] = try file.tensor(path)
                    }
                }
            }
        }
        return extras
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
