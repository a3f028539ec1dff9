import Storage
import Tensors

/// One case of an op fixture, read whole: the group `<case>/` of a file written by
/// Tests/Fixtures/scripts/make_fixtures.py in the layout of fixture_cases.py:
/// `inputs/<name>`, `output`, `grad_output` (the upstream gradient), `grad_inputs/<name>` (the
/// gradients of sum(output * grad_output)), `state_after/<name>` (buffers the op updates) and
/// the case's parameters as attributes.
///
///     let c = try Fixture.case("pooling.h5", "max_k3s2p1")
///     let x = try c.inputs["x"], stride = try c.int("stride")
public struct FixtureCase {
    /// The fixture file's path.
    public let file: String
    /// The case's group path in the file.
    public let name: String
    public let inputs: FixtureTensors
    public let output: Tensor
    public let gradInputs: FixtureTensors
    public let stateAfter: FixtureTensors
    private let upstream: Tensor?
    private let attributes: [String: HDF5Attribute]

    /// Reads case `name` of `file`; a missing group or output is an error naming both.
    public init(_ file: HDF5File, _ name: String) throws {
        guard file.isGroup(name) else {
            throw StorageError(.missingKey, file: file.path, key: name, "no such fixture case")
        }
        self.file = file.path
        self.name = name
        inputs = try FixtureTensors(file, "\(name)/inputs")
        output = try file.tensor("\(name)/output")
        let upstreamKey = "\(name)/grad_output"
        upstream = file.contains(upstreamKey) ? try file.tensor(upstreamKey) : nil
        gradInputs = try FixtureTensors(file, "\(name)/grad_inputs")
        stateAfter = try FixtureTensors(file, "\(name)/state_after")
        var attributes: [String: HDF5Attribute] = [:]
        for key in try file.attributeNames(of: name) {
            attributes[key] = try file.attribute(key, of: name)
        }
        self.attributes = attributes
    }

    /// The upstream gradient; an error for a case without a backward.
    public var gradOutput: Tensor {
        get throws {
            guard let upstream else { throw missing("\(name)/grad_output", "no upstream gradient") }
            return upstream
        }
    }

    /// Attribute `key` of the case group.
    public func attribute(_ key: String) throws -> HDF5Attribute {
        guard let value = attributes[key] else {
            throw missing("\(name)@\(key)", "no such attribute")
        }
        return value
    }

    /// An integer attribute (booleans are stored as 0 / 1).
    public func int(_ key: String) throws -> Int {
        guard case .int64(let v) = try attribute(key) else { throw wrongType(key, "an integer") }
        return Int(v)
    }

    /// A list-of-integers attribute, such as an output size.
    public func ints(_ key: String) throws -> [Int] {
        switch try attribute(key) {
        case .int64s(let v): return v.map { Int($0) }
        case .int64(let v): return [Int(v)]
        default: throw wrongType(key, "a list of integers")
        }
    }

    /// A boolean attribute, stored as 0 or 1.
    public func flag(_ key: String) throws -> Bool {
        let v = try int(key)
        guard v == 0 || v == 1 else { throw wrongType(key, "0 or 1") }
        return v == 1
    }

    /// A number attribute; integers are converted.
    public func double(_ key: String) throws -> Double {
        switch try attribute(key) {
        case .double(let v): return v
        case .int64(let v): return Double(v)
        default: throw wrongType(key, "a number")
        }
    }

    private func missing(_ key: String, _ problem: String) -> StorageError {
        StorageError(.missingKey, file: file, key: key, problem)
    }

    private func wrongType(_ key: String, _ expected: String) -> StorageError {
        StorageError(.wrongType, file: file, key: "\(name)@\(key)", "attribute is not \(expected)")
    }
}

/// The tensors of one part of a fixture case (`inputs/`, `grad_inputs/`, `state_after/`): float
/// data as tensors, integer data as label maps. An absent part is empty.
public struct FixtureTensors {
    /// The part's group path, for messages.
    public let group: String
    private let file: String
    private let tensors: [String: Tensor]
    private let labelMaps: [String: Labels]

    init(_ file: HDF5File, _ group: String) throws {
        self.group = group
        self.file = file.path
        var tensors: [String: Tensor] = [:]
        var labelMaps: [String: Labels] = [:]
        for key in file.isGroup(group) ? try file.names(in: group) : [] {
            do {
                tensors[key] = try file.tensor("\(group)/\(key)")
            } catch let error as StorageError where error.kind == .wrongType {
                labelMaps[key] = try file.labels("\(group)/\(key)")  // integer data
            }
        }
        self.tensors = tensors
        self.labelMaps = labelMaps
    }

    /// The names of the float tensors, sorted.
    public var names: [String] { tensors.keys.sorted() }

    /// Float tensor `key`; an error naming the file and dataset when there is none.
    public subscript(key: String) -> Tensor {
        get throws {
            guard let t = tensors[key] else {
                throw StorageError(
                    .missingKey, file: file, key: "\(group)/\(key)", "no such tensor")
            }
            return t
        }
    }

    /// Integer dataset `key` as a label map.
    public func labels(_ key: String) throws -> Labels {
        guard let l = labelMaps[key] else {
            throw StorageError(
                .missingKey, file: file, key: "\(group)/\(key)", "no such label map")
        }
        return l
    }
}

extension Fixture {
    /// Case `name` of op fixture Tests/Fixtures/`file`.
    public static func `case`(_ file: String, _ name: String) throws -> FixtureCase {
        try FixtureCase(open(file), name)
    }

    /// The case names of op fixture Tests/Fixtures/`file`, sorted.
    public static func caseNames(_ file: String) throws -> [String] {
        try open(file).names()
    }
}
