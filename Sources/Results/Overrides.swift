import Foundation

/// A configuration override from the command line, `key=value` on a top-level field of the
/// configuration's JSON (e.g. `epochs=2`, `blocks=[1,1,1,1]`, `lambda=0.2`).
public struct Override: Sendable, Hashable {
    public var key: String
    public var value: String

    /// Parses `key=value`; a missing '=' is an error that quotes the text.
    public init(parsing text: String) throws {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw ConfigError("override '\(text)' is not of the form key=value")
        }
        key = String(text[..<eq])
        value = String(text[text.index(after: eq)...])
    }

    /// Applies `overrides` in order to `config`; an unknown key or a value of the wrong type is
    /// an error naming the key and what was expected.
    public static func apply<C: Codable>(_ overrides: [Override], to config: C) throws -> C {
        guard !overrides.isEmpty else { return config }
        let data = try JSONEncoder().encode(config)
        guard var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ConfigError("configuration is not a JSON object")
        }
        let omitted = (C.self as? OmitsDefaultKeys.Type)?.omittedDefaultKeys ?? []
        for o in overrides {
            guard object[o.key] != nil || omitted.contains(o.key) else {
                let known = (Array(object.keys) + omitted).sorted().joined(separator: ", ")
                throw ConfigError("unknown configuration key '\(o.key)'; known keys: \(known)")
            }
            // A JSON value if it parses as one (numbers, booleans, arrays), else a string.
            let wrapped = "[\(o.value)]".data(using: .utf8)!
            if let parsed = try? JSONSerialization.jsonObject(with: wrapped) as? [Any],
                parsed.count == 1
            {
                object[o.key] = parsed[0]
            } else {
                object[o.key] = o.value
            }
        }
        let patched = try JSONSerialization.data(withJSONObject: object)
        do {
            return try JSONDecoder().decode(C.self, from: patched)
        } catch {
            let names = overrides.map(\.key).joined(separator: ", ")
            throw ConfigError("override of \(names) gives an invalid configuration: \(error)")
        }
    }

    /// The top-level field names of `config` as JSON, sorted (the keys `--set` accepts).
    public static func keys(of config: some Encodable) -> [String] {
        guard let data = try? JSONEncoder().encode(config),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [] }
        let omitted = (type(of: config) as? OmitsDefaultKeys.Type)?.omittedDefaultKeys ?? []
        return Array(Set(object.keys).union(omitted)).sorted()
    }
}

/// A configuration that leaves some keys out of its JSON while they hold their defaults, so
/// that configurations from before those keys existed keep their hashes; `--set` accepts them.
public protocol OmitsDefaultKeys {
    static var omittedDefaultKeys: [String] { get }
}

/// A bad configuration or override, with a message naming the problem.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ message: String) { description = message }
}
