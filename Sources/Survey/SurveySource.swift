/// The four image sources of paper 2's study: the real photograph and three generators.
public enum SurveySource: String, CaseIterable, Sendable, Codable, Comparable {
    case real = "real"
    case l = "L"
    case li = "L+I"
    case lip = "L+I+P"

    /// Position in `allCases` (the order of every table).
    public var index: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (a: SurveySource, b: SurveySource) -> Bool { a.index < b.index }

    /// The six unordered pairs, in table order: (real, L), (real, L+I), ..., (L+I, L+I+P).
    public static let pairs: [(SurveySource, SurveySource)] = {
        var out: [(SurveySource, SurveySource)] = []
        for i in 0..<allCases.count {
            for j in (i + 1)..<allCases.count { out.append((allCases[i], allCases[j])) }
        }
        return out
    }()

    /// The generated sources, the rows and columns of the paper's Table 2.
    public static let generated: [SurveySource] = [.l, .li, .lip]
}

/// Which screen side a trial's image is on.
public enum Side: String, Sendable, Codable {
    case left, right
    public var other: Side { self == .left ? .right : .left }
}
