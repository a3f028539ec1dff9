/// A failure to read or write a stored file (HDF5 or PNG), naming the file, the dataset or key
/// when there is one, and the problem.
public struct StorageError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, for callers that branch on it.
    public enum Kind: Sendable, Equatable {
        /// The file does not exist.
        case missingFile
        /// The file exists but is not in the expected format (no HDF5 signature, not a PNG).
        case wrongFormat
        /// The file is in the expected format but truncated or damaged.
        case corrupt
        /// The dataset, group or attribute does not exist.
        case missingKey
        /// The element type is not the one asked for.
        case wrongType
        /// The shape is not the one expected.
        case wrongShape
        /// The file could not be created, written or renamed.
        case io
    }

    public let kind: Kind
    /// The path of the file.
    public let file: String
    /// The dataset, group or attribute concerned, if any.
    public let key: String?
    /// A sentence describing the problem.
    public let problem: String

    public init(_ kind: Kind, file: String, key: String? = nil, _ problem: String) {
        self.kind = kind
        self.file = file
        self.key = key
        self.problem = problem
    }

    public var description: String {
        if let key { return "\(file): '\(key)': \(problem)" }
        return "\(file): \(problem)"
    }
}
