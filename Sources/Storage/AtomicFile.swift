import Foundation

/// Whole-file atomic replacement: writers fill a temporary file next to the destination, then
/// `commit` flushes it to disk and renames it over the destination, so readers see either the
/// old file or the complete new one (never a partial write).
public enum AtomicFile {
    /// A fresh temporary path in the directory of `path` (hidden, unique to this process).
    static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let name = ".\(url.lastPathComponent).\(getpid()).\(UUID().uuidString.prefix(8)).tmp"
        return url.deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Flushes `temporary` and renames it to `path`; on failure removes it and throws.
    static func commit(_ temporary: String, to path: String) throws {
        let fd = open(temporary, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw StorageError(.io, file: path, "cannot rename \(temporary) into place: \(reason)")
        }
    }

    /// Writes `bytes` to `path` atomically.
    static func write(_ bytes: [UInt8], to path: String) throws {
        try write(Data(bytes), to: path)
    }

    /// Writes `data` to `path` atomically (the project's one implementation of it).
    public static func write(_ data: Data, to path: String) throws {
        let temporary = temporaryPath(for: path)
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw StorageError(.io, file: path, "cannot create \(temporary)")
        }
        try commit(temporary, to: path)
    }
}
