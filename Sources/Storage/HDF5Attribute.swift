/// The value of an HDF5 attribute, as h5py's `attrs[...]` stores Python str, int and float
/// values and 1-D lists of them (strings as variable-length UTF-8).
public enum HDF5Attribute: Sendable, Equatable {
    case string(String)
    case int64(Int64)
    case double(Double)
    case strings([String])
    case int64s([Int64])
    case doubles([Double])
}

extension HDF5Attribute: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int64(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension HDF5File {
    /// Writes attribute `name` on `object` (a group or dataset path), replacing any old value
    /// (h5py `obj.attrs[name] = value`).
    public func setAttribute(_ name: String, _ value: HDF5Attribute, on object: String = "/")
        throws
    {
        let location = HDF5Location.attribute(name, of: object)
        switch value {
        case .string(let v): try writeStrings(location, [v], shape: [])
        case .strings(let v): try writeStrings(location, v, shape: [v.count])
        case .int64(let v): try [v].withUnsafeBytes { try write(location, .int64, shape: [], $0) }
        case .int64s(let v):
            try v.withUnsafeBytes { try write(location, .int64, shape: [v.count], $0) }
        case .double(let v):
            try [v].withUnsafeBytes { try write(location, .float64, shape: [], $0) }
        case .doubles(let v):
            try v.withUnsafeBytes { try write(location, .float64, shape: [v.count], $0) }
        }
    }

    /// The value of attribute `name` of `object`; integers read as Int64, floats as Double.
    public func attribute(_ name: String, of object: String = "/") throws -> HDF5Attribute {
        let location = HDF5Location.attribute(name, of: object)
        let info = try info(location)
        let n = info.shape.reduce(1, *)
        let scalar = info.shape.isEmpty
        switch info.kind {
        case .integer:
            var v = [Int64](repeating: 0, count: n)
            try v.withUnsafeMutableBytes { try read(location, as: .int64, into: $0) }
            return scalar ? .int64(v[0]) : .int64s(v)
        case .float:
            var v = [Double](repeating: 0, count: n)
            try v.withUnsafeMutableBytes { try read(location, as: .float64, into: $0) }
            return scalar ? .double(v[0]) : .doubles(v)
        case .string:
            let v = try readStrings(location)
            return scalar ? .string(v[0]) : .strings(v)
        case .other:
            throw StorageError(
                .wrongType, file: path, key: location.key,
                "not an integer, float or string attribute")
        }
    }

    /// Attribute `name` of `object` as a string (h5py `attrs[name]` of a str).
    public func stringAttribute(_ name: String, of object: String = "/") throws -> String {
        guard case .string(let v) = try attribute(name, of: object) else {
            throw wrongAttributeType(name, object, "a string")
        }
        return v
    }

    /// Attribute `name` of `object` as an integer.
    public func int64Attribute(_ name: String, of object: String = "/") throws -> Int64 {
        guard case .int64(let v) = try attribute(name, of: object) else {
            throw wrongAttributeType(name, object, "an integer")
        }
        return v
    }

    /// Attribute `name` of `object` as a float; integers are converted.
    public func doubleAttribute(_ name: String, of object: String = "/") throws -> Double {
        switch try attribute(name, of: object) {
        case .double(let v): return v
        case .int64(let v): return Double(v)
        default: throw wrongAttributeType(name, object, "a number")
        }
    }

    /// Attribute `name` of `object` as a list of strings.
    public func stringsAttribute(_ name: String, of object: String = "/") throws -> [String] {
        switch try attribute(name, of: object) {
        case .strings(let v): return v
        case .string(let v): return [v]
        default: throw wrongAttributeType(name, object, "a list of strings")
        }
    }

    /// Attribute `name` of `object` as a list of integers.
    public func int64sAttribute(_ name: String, of object: String = "/") throws -> [Int64] {
        switch try attribute(name, of: object) {
        case .int64s(let v): return v
        case .int64(let v): return [v]
        default: throw wrongAttributeType(name, object, "a list of integers")
        }
    }

    /// Attribute `name` of `object` as a list of floats; integers are converted.
    public func doublesAttribute(_ name: String, of object: String = "/") throws -> [Double] {
        switch try attribute(name, of: object) {
        case .doubles(let v): return v
        case .double(let v): return [v]
        case .int64s(let v): return v.map(Double.init)
        case .int64(let v): return [Double(v)]
        default: throw wrongAttributeType(name, object, "a list of numbers")
        }
    }

    /// Writes every attribute of `attributes` on `object`, in key order.
    public func setAttributes(_ attributes: [String: HDF5Attribute], on object: String = "/") throws
    {
        for key in attributes.keys.sorted() {
            try setAttribute(key, attributes[key]!, on: object)
        }
    }

    private func wrongAttributeType(_ name: String, _ object: String, _ expected: String)
        -> StorageError
    {
        StorageError(
            .wrongType, file: path, key: "\(object)@\(name)", "attribute is not \(expected)")
    }
}
