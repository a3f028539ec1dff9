import Foundation
import Results

/// The history folder (results/history by default): record files named
/// `<commit 12 digits>-<fingerprint>.json`, then `-2.json`, `-3.json`, … for repeated records
/// of the same (commit, machine). A record is never overwritten.
public struct HistoryStore: Sendable {
    /// The default history folder.
    public static let defaultFolder = URL(fileURLWithPath: "results/history")

    /// The folder.
    public let folder: URL

    /// The store in `folder` (created on the first save).
    public init(folder: URL = defaultFolder) { self.folder = folder }

    /// Writes `record` under a name no other file has, and returns that file.
    public func save(_ record: HistoryRecord) throws -> URL {
        try RunFolder.checkFolder(folder, role: "history folder")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let base = "\(record.shortCommit)-\(record.fingerprint)"
        let data = canonicalJSONData(record, pretty: true)
        for n in 1...10_000 {
            let url = folder.appendingPathComponent(n == 1 ? "\(base).json" : "\(base)-\(n).json")
            // O_CREAT | O_EXCL: two recorders racing for the same name cannot both win.
            let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if fd < 0 {
                if errno == EEXIST { continue }
                throw HarnessFileError(path: url.path, problem: "cannot create record file")
            }
            close(fd)
            try ResultFile.write(data, to: url)
            return url
        }
        throw HarnessFileError(path: folder.path, problem: "10000 records of \(base) already")
    }

    /// Every record file in the folder, sorted by name; an absent folder has none.
    public func files() throws -> [URL] {
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw HarnessFileError(path: folder.path, problem: "cannot list records (\(error))")
        }
        return names.filter { $0.hasSuffix(".json") }.sorted().map {
            folder.appendingPathComponent($0)
        }
    }

    /// Every record, in file-name order.
    public func records() throws -> [(url: URL, record: HistoryRecord)] {
        try files().map { ($0, try HistoryRecord.read($0)) }
    }

    /// The records of `commit` (a full hash), this machine's `fingerprint` first, then in the
    /// order they were made.
    public func records(of commit: String, preferring fingerprint: String?) throws
        -> [(url: URL, record: HistoryRecord)]
    {
        let prefix = String(commit.prefix(12))
        let mine = try files().filter { $0.lastPathComponent.hasPrefix(prefix + "-") }
            .map { ($0, try HistoryRecord.read($0)) }
            .filter { $0.1.commit == commit }
            .sorted { Self.sequence($0.0, $0.1) < Self.sequence($1.0, $1.1) }
        let same = mine.filter { $0.1.fingerprint == fingerprint }
        return same + mine.filter { $0.1.fingerprint != fingerprint }
    }

    /// 1 for `<commit>-<fingerprint>.json`, n for `…-n.json` (file names sort "-2" before
    /// ".json", so the number, not the name, says which record came first); other names last.
    static func sequence(_ url: URL, _ record: HistoryRecord) -> Int {
        let base = "\(record.shortCommit)-\(record.fingerprint)"
        let name = url.deletingPathExtension().lastPathComponent
        if name == base { return 1 }
        guard name.hasPrefix(base + "-") else { return Int.max }
        return Int(name.dropFirst(base.count + 1)) ?? Int.max
    }
}
