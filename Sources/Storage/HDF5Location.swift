/// Where HDF5 stores an array: a dataset, or an attribute of a group or dataset. The raw
/// reads and writes of `HDF5File` take one.
enum HDF5Location {
    /// The dataset at path `name` (groups separated by '/').
    case dataset(String)
    /// Attribute `name` of the group or dataset at path `of`.
    case attribute(String, of: String)

    var isDataset: Bool {
        if case .dataset = self { true } else { false }
    }

    /// How errors name it: the dataset path, or "object@attribute".
    var key: String {
        switch self {
        case .dataset(let name): name
        case .attribute(let name, let object): "\(object)@\(name)"
        }
    }
}

/// The native element types values are written and read as (stored little-endian).
enum HDF5Element {
    case float32, float64, int32, int64

    var byteWidth: Int {
        switch self {
        case .float32, .int32: 4
        case .float64, .int64: 8
        }
    }
}

/// The stored element class, element width in bytes, and shape ([] for a scalar) of a dataset
/// or attribute.
struct HDF5DataInfo {
    enum Kind: CustomStringConvertible {
        case float, integer, string, other

        var description: String {
            switch self {
            case .float: "float"
            case .integer: "integer"
            case .string: "string"
            case .other: "non-numeric"
            }
        }
    }

    var kind: Kind
    var byteWidth: Int
    var shape: [Int]
}

/// A valid address for empty buffers: HDF5 rejects a null buffer even when it moves no data.
var nonNull: UnsafeMutableRawPointer { UnsafeMutableRawPointer(bitPattern: 8)! }
