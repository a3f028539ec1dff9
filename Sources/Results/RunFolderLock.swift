import Foundation

/// A writer's claim on a run folder: an exclusive `flock` on <folder>/.lock, held while the
/// run writes. A second run that tries to write the same folder (two sweeps sharing a results
/// folder, a task started twice) is refused with the holder's pid and host, instead of two
/// processes interleaving checkpoints and logs. The kernel drops the lock when the holder dies
/// (kill -9, node crash on a local disk), so a requeued task can claim the folder again.
/// On NFS, Linux maps flock to byte-range locks, which NFSv4 servers honour.
public final class RunFolderLock: @unchecked Sendable {
    private var descriptor: Int32

    /// Claims `folder` (created if absent) or throws naming the process that holds it.
    public init(_ folder: RunFolder) throws {
        let path = folder.url.appendingPathComponent(".lock").path
        try? FileManager.default.createDirectory(at: folder.url, withIntermediateDirectories: true)
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw HarnessFileError(
                path: path,
                problem: "cannot open the lock file (\(String(cString: strerror(errno))))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            close(descriptor)
            throw HarnessFileError(
                path: folder.url.path,
                problem: "another run is writing this folder ("
                    + (holder.isEmpty ? "holder unknown" : holder)
                    + "); refusing to write into it")
        }
        let host = ProcessInfo.processInfo.hostName
        let text = "pid \(getpid()) on \(host)"
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    /// Gives the folder back (also when the lock is deallocated).
    public func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
