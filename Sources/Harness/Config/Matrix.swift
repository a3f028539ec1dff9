/// One cell of paper 1's configuration matrix at one profile.
public struct Cell: Sendable, Hashable {
    /// The readable name, e.g. "multi-semi": stable across profiles.
    public var name: String
    public var profile: Profile
    public var config: SegmentationConfig

    /// A stable id derived from the content: name, profile and the configuration's hash.
    public var id: String { "\(name)@\(profile.rawValue)-\(configHash.prefix(8))" }

    /// The hash of the canonical JSON of the configuration.
    public var configHash: String { stableHash(canonicalJSON(config)) }
}

/// Paper 1's matrix: {single, multi} x {supervised, semi}, in a fixed order.
public enum Matrix {
    /// The four cells at `profile`, single before multi, supervised before semi.
    public static func paper1(_ profile: Profile, dataRoot: String? = nil) -> [Cell] {
        Setting.allCases.flatMap { setting in
            Method.allCases.map { method in
                Cell(
                    name: "\(setting.rawValue)-\(method.rawValue)", profile: profile,
                    config: profile.segmentation(setting, method, dataRoot: dataRoot))
            }
        }
    }

    /// Cells whose name matches a shell-style glob (`*` and `?`), e.g. "multi-*".
    public static func select(_ cells: [Cell], glob: String) -> [Cell] {
        cells.filter { globMatch(glob, $0.name) }
    }
}

/// Shell-style matching of `*` (any run) and `?` (one character).
func globMatch(_ pattern: String, _ text: String) -> Bool {
    let p = Array(pattern), t = Array(text)
    var memo = [[Bool?]](repeating: [Bool?](repeating: nil, count: t.count + 1), count: p.count + 1)
    func match(_ i: Int, _ j: Int) -> Bool {
        if let m = memo[i][j] { return m }
        let result: Bool
        if i == p.count {
            result = j == t.count
        } else if p[i] == "*" {
            result = match(i + 1, j) || (j < t.count && match(i, j + 1))
        } else {
            result = j < t.count && (p[i] == "?" || p[i] == t[j]) && match(i + 1, j + 1)
        }
        memo[i][j] = result
        return result
    }
    return match(0, 0)
}
