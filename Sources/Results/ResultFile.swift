import FileIO
import Foundation
import Storage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file the harness could not read or write, with the file and what went wrong.
public struct HarnessFileError: Error, CustomStringConvertible, Equatable {
    /// The file concerned.
    public var path: String
    /// What is wrong with it, in words.
    public var problem: String

    /// An error about the file at `path`.
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    /// "path: problem".
    public var description: String { "\(path): \(problem)" }
}

/// Writes and reads whole files; writes are atomic (temporary file in the same directory, then
/// `rename(2)`), so a reader sees the old content or the new, never a truncated file.
public enum ResultFile {
    /// Writes `data` to `url` atomically, creating the parent directory if needed.
    public static func write(_ data: Data, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw HarnessFileError(path: dir.path, problem: "cannot create directory (\(error))")
        }
        try AtomicFile.write(data, to: url.path)
    }

    /// Writes `text` as UTF-8 to `url` atomically.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Writes `value` as pretty canonical JSON (sorted keys) to `url` atomically.
    public static func writeJSON(_ value: some Encodable, to url: URL) throws {
        try write(canonicalJSONData(value, pretty: true), to: url)
    }

    /// Reads `url`; a missing or unreadable file is an error naming it.
    public static func read(_ url: URL) throws -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw HarnessFileError(path: url.path, problem: "file does not exist")
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw HarnessFileError(path: url.path, problem: "cannot read (\(error))")
        }
    }

    /// Decodes `T` from the JSON file at `url`; errors name the file and the bad field.
    public static func readJSON<T: Decodable>(_ type: T.Type, from url: URL) throws -> T {
        let data = try read(url)
        do {
            return try canonicalJSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw HarnessFileError(
                path: url.path, problem: "missing field '\(codingPath(context.codingPath + [key]))'"
            )
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(
            _, context)
        {
            throw HarnessFileError(
                path: url.path,
                problem:
                    "bad value at '\(codingPath(context.codingPath))': \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) {
            throw HarnessFileError(
                path: url.path, problem: "not valid JSON (\(context.debugDescription))")
        } catch {
            throw HarnessFileError(path: url.path, problem: "cannot decode \(T.self) (\(error))")
        }
    }

    private static func codingPath(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
