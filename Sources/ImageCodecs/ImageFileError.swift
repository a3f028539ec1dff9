/// A failure to read or write an image file (PNG or JPEG), naming the file and the problem.
public struct ImageFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, for callers that branch on it.
    public enum Kind: Sendable, Equatable {
        /// The file does not exist.
        case missingFile
        /// The file exists but is not an image of the expected format or layout.
        case wrongFormat
        /// The file is in the expected format but truncated or damaged.
        case corrupt
        /// The file could not be created, written or renamed.
        case io
    }

    /// What went wrong.
    public let kind: Kind
    /// The path of the file.
    public let file: String
    /// A sentence describing the problem.
    public let problem: String

    /// An error of `kind` about `file`.
    public init(_ kind: Kind, file: String, _ problem: String) {
        self.kind = kind
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }
}
