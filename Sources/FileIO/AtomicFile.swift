import Foundation

/// Whole-file atomic replacement: writers fill a temporary file next to the destination, then
/// `commit` flushes it to disk and renames it over the destination, so readers see either the
/// old file or the complete new one (never a partial write).
public enum AtomicFile {
    /// A fresh temporary path in the directory of `path` (hidden, unique to this process).
    public static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let name = ".\(url.lastPathComponent).\(getpid()).\(UUID().uuidString.prefix(8)).tmp"
        return url.deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Flushes `temporary` and renames it to `path`; on failure removes it and throws.
    public static func commit(_ temporary: String, to path: String) throws {
        let fd = open(temporary, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw FileWriteError(file: path, "cannot rename \(temporary) into place: \(reason)")
        }
    }

    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try write(Data(bytes), to: path)
    }

    /// Writes `data` to `path` atomically (the project's one implementation of it).
    public static func write(_ data: Data, to path: String) throws {
        let temporary = temporaryPath(for: path)
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw FileWriteError(file: path, "cannot create \(temporary)")
        }
        try commit(temporary, to: path)
    }
}

/// A file that could not be created, written or renamed into place.
public struct FileWriteError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The destination path.
    public let file: String
    /// What went wrong.
    public let problem: String

    /// An error about `file`.
    public init(file: String, _ problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }
}

/// A C string buffer up to its first NUL, as UTF-8.
public func cBufferString(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
