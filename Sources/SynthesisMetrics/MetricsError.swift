/// Bad input to a synthesis metric: names the file, folder or item and the problem.
public struct MetricsError: Error, CustomStringConvertible, Equatable {
    /// The file, folder or item concerned (a path when there is one).
    public let subject: String
    /// A sentence describing the problem.
    public let problem: String

    public init(_ subject: String, _ problem: String) {
        self.subject = subject
        self.problem = problem
    }

    public var description: String { "\(subject): \(problem)" }
}
