import Foundation

/// A folder of the results cache (a trained proxy segmenter, a pretrained backbone) that is
/// built once: into a staging folder first, then renamed, so no reader ever sees half of it.
public enum CacheFolder {
    /// Serialises builds inside one process (tests run in parallel); across processes the
    /// per-process staging folder and the rename do. Recursive: one cache's build may need
    /// another (a proxy segmenter trained from the pretrained backbone).
    private static let building = NSRecursiveLock()

    /// Makes `folder` with `build(staging)` unless it exists already.
    ///
    /// `build` writes everything into `staging`, a fresh folder beside `folder`. If another
    /// process renamed its own staging folder to `folder` first, this one's is removed. A build
    /// that throws leaves its staging folder for inspection; the next build replaces it.
    ///
    /// - Returns: whether this call built the folder.
    @discardableResult
    public static func build(_ folder: URL, _ build: (_ staging: URL) throws -> Void) throws
        -> Bool
    {
        try building.withLock {
            let files = FileManager.default
            if files.fileExists(atPath: folder.path) { return false }
            let root = folder.deletingLastPathComponent()
            try files.createDirectory(at: root, withIntermediateDirectories: true)
            let pid = ProcessInfo.processInfo.processIdentifier
            let staging = root.appendingPathComponent(".staging-\(folder.lastPathComponent)-\(pid)")
            try? files.removeItem(at: staging)
            try build(staging)
            do {
                try files.moveItem(at: staging, to: folder)
            } catch  where files.fileExists(atPath: folder.path) {
                try? files.removeItem(at: staging)  // another process finished first
            }
            return true
        }
    }
}
