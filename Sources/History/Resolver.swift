import Foundation
import Results

/// One side of `repro compare`: a record file, a run folder, or a commit.
public enum Side: Sendable {
    case record(HistoryRecord, label: String)
    case runFolder(RunFolder)
}

/// Turns the command line's A and B into records or run folders.
public struct Resolver: Sendable {
    /// Where records are looked up and saved.
    public var store: HistoryStore
    /// The git checkout commits are resolved in.
    public var repository: URL
    /// This machine's fingerprint (its records are preferred).
    public var fingerprint: String?
    /// Shell command that records the checkout it runs in into `$REPRO_HISTORY`; when set, a
    /// commit without a record is checked out in a temporary `git worktree` (the user's
    /// checkout is not touched) and recorded there.
    public var recordCommand: String?

    public init(store: HistoryStore, repository: URL, fingerprint: String?, recordCommand: String?)
    {
        self.store = store
        self.repository = repository
        self.fingerprint = fingerprint
        self.recordCommand = recordCommand
    }

    /// The default command that builds a commit and records it.
    public static let buildAndRecord =
        "swift build -c release --product repro && "
        + ".build/release/repro record --history \"$REPRO_HISTORY\""

    /// Resolves `text`: an existing .json file is a record, a folder with manifest.json a run
    /// folder, anything else a git revision.
    public func resolve(_ text: String) throws -> Side {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: text, isDirectory: &isFolder) {
            let url = URL(fileURLWithPath: text)
            if !isFolder.boolValue {
                return .record(try HistoryRecord.read(url), label: url.lastPathComponent)
            }
            let folder = RunFolder(url: url)
            guard FileManager.default.fileExists(atPath: folder.manifestURL.path) else {
                throw HistoryError("\(text): a folder without manifest.json is not a run folder")
            }
            return .runFolder(folder)
        }
        let commit = try self.commit(text)
        let record = try self.record(of: commit)
        return .record(record.record, label: "\(text) (\(record.record.shortCommit))")
    }

    /// The full hash of revision `text`, or an error naming it.
    public func commit(_ text: String) throws -> String {
        let o = try Shell.run(
            ["git", "-C", repository.path, "rev-parse", "--verify", "--quiet", "\(text)^{commit}"])
        guard o.status == 0 else {
            throw HistoryError(
                "'\(text)' is neither a record file, a run folder nor a commit of "
                    + repository.path
            )
        }
        return o.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The first record of `commit` (this machine's first), recording it in a temporary
    /// worktree when there is none and a record command is set.
    public func record(of commit: String) throws -> (url: URL, record: HistoryRecord) {
        if let found = try store.records(of: commit, preferring: fingerprint).first { return found }
        guard let recordCommand else {
            throw HistoryError(
                "no record of commit \(commit.prefix(12)) in \(store.folder.path): run "
                    + "`repro record` at that commit, or pass --build to build and record it in "
                    + "a temporary worktree"
            )
        }
        try recordInWorktree(commit, command: recordCommand)
        guard let made = try store.records(of: commit, preferring: fingerprint).first else {
            throw HistoryError(
                "the record command ran at \(commit.prefix(12)) but wrote no record of it into "
                    + store.folder.path)
        }
        return made
    }

    /// Checks `commit` out in a temporary worktree, runs `command` there with
    /// `REPRO_HISTORY` set to the store's absolute path, and removes the worktree.
    public func recordInWorktree(_ commit: String, command: String) throws {
        let tree = FileManager.default.temporaryDirectory
            .appendingPathComponent("repro-record-\(commit.prefix(12))-\(getpid())")
        _ = try Shell.check(
            ["git", "-C", repository.path, "worktree", "add", "--detach", tree.path, commit])
        defer {
            _ = try? Shell.run([
                "git", "-C", repository.path, "worktree", "remove", "--force", tree.path,
            ])
        }
        let history = store.folder.standardizedFileURL.path
        let o = try Shell.run(
            ["sh", "-c", command], in: tree, environment: ["REPRO_HISTORY": history])
        guard o.status == 0 else {
            throw HistoryError(
                "recording \(commit.prefix(12)) failed (exit \(o.status)): "
                    + o.stderr.split(separator: "\n").suffix(5).joined(separator: "\n"))
        }
    }
}
