/// A paper's configuration type: any Codable settings record that can check itself.
///
/// The harness hashes its canonical JSON (the cell id), stores it in every run manifest and
/// applies `--set key=value` overrides to it field by field (`Override.apply`).
public protocol ExperimentConfig: Codable, Sendable {
    /// Throws a `ConfigError` naming the first field whose value cannot run.
    func validate() throws
}

extension ExperimentConfig {
    /// The configuration as canonical JSON (`canonicalJSON`): what is hashed and recorded.
    public var canonicalText: String { canonicalJSON(self) }

    /// The field names `--set` accepts (`Override.keys(of:)`).
    public var overrideKeys: [String] { Override.keys(of: self) }

    /// This configuration with `overrides` applied and validated.
    public func applying(_ overrides: [Override]) throws -> Self {
        let patched = try Override.apply(overrides, to: self)
        try patched.validate()
        return patched
    }
}

/// One cell of a paper's configuration matrix at one profile, e.g. `p1/multi-semi` at smoke.
public struct Cell: Sendable {
    /// The paper's short id, e.g. "p1" (`Experiment.id`).
    public var paper: String
    /// The cell's name inside its paper, e.g. "multi-semi": stable across profiles.
    public var name: String
    /// The profile the configuration belongs to.
    public var profile: Profile
    /// The paper's configuration record.
    public var config: any ExperimentConfig

    /// A cell of `paper` named `name`.
    public init(paper: String, name: String, profile: Profile, config: any ExperimentConfig) {
        self.paper = paper
        self.name = name
        self.profile = profile
        self.config = config
    }

    /// The name users type and reports print: "p1/multi-semi".
    public var fullName: String { "\(paper)/\(name)" }

    /// A stable id derived from the content (usable as a file name): paper, name, profile and
    /// the configuration's hash, e.g. "p1-multi-semi@smoke-1a2b3c4d".
    public var id: String { "\(paper)-\(name)@\(profile.rawValue)-\(configHash.prefix(8))" }

    /// The hash of the canonical JSON of the configuration.
    public var configHash: String { stableHash(config.canonicalText) }

    /// The configuration as the paper's own type; a mismatch is a programming error.
    public func config<C: ExperimentConfig>(as type: C.Type) -> C {
        guard let c = config as? C else {
            preconditionFailure(
                "cell \(fullName): configuration is \(Swift.type(of: config)), not \(C.self)")
        }
        return c
    }
}

/// Shell-style matching of `*` (any run) and `?` (one character).
public func globMatch(_ pattern: String, _ text: String) -> Bool {
    let p = Array(pattern)
    let t = Array(text)
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
