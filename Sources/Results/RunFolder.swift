import Foundation

/// One run's folder, results/runs/<UTC timestamp>-<cell id>/, holding manifest.json,
/// metrics.json and losses.csv (each written atomically: temporary file, then rename).
public struct RunFolder: Sendable, Equatable {
    /// The default root of run folders.
    public static let defaultRoot = URL(fileURLWithPath: "results/runs")

    /// The folder.
    public let url: URL

    /// Uses `url` as a run folder (created on the first write).
    public init(url: URL) { self.url = url }

    /// Creates <root>/<yyyyMMdd'T'HHmmss'Z'>-<cell>/; if that exists, appends "-2", "-3", ….
    public static func create(cell: String, root: URL = defaultRoot, date: Date = Date()) throws
        -> RunFolder
    {
        precondition(
            !cell.isEmpty && !cell.contains("/"), "RunFolder.create: bad cell id '\(cell)'")
        let base = "\(timestamp(date))-\(cell)"
        var name = base
        var attempt = 1
        while true {
            let url = root.appendingPathComponent(name, isDirectory: true)
            do {
                try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
                // Without intermediate directories, creation fails when the folder exists, so
                // two processes starting the same cell in the same second get different folders.
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
                return RunFolder(url: url)
            } catch {
                guard FileManager.default.fileExists(atPath: url.path), attempt < 1000 else {
                    throw HarnessFileError(
                        path: url.path, problem: "cannot create run folder (\(error))")
                }
                attempt += 1
                name = "\(base)-\(attempt)"
            }
        }
    }

    /// The run folders under `root` (directories holding a manifest.json), sorted by name,
    /// which is by start time. An absent root gives no runs.
    public static func list(root: URL = defaultRoot) throws -> [RunFolder] {
        guard FileManager.default.fileExists(atPath: root.path) else { return [] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: root.path)
        } catch {
            throw HarnessFileError(path: root.path, problem: "cannot list run folders (\(error))")
        }
        return names.sorted().map {
            RunFolder(url: root.appendingPathComponent($0, isDirectory: true))
        }
        .filter { FileManager.default.fileExists(atPath: $0.manifestURL.path) }
    }

    /// The folder name, e.g. "20261121T220418Z-multi-semi-3f2a…".
    public var name: String { url.lastPathComponent }

    /// <folder>/manifest.json.
    public var manifestURL: URL { url.appendingPathComponent("manifest.json") }
    /// <folder>/metrics.json.
    public var metricsURL: URL { url.appendingPathComponent("metrics.json") }
    /// <folder>/losses.csv.
    public var lossesURL: URL { url.appendingPathComponent("losses.csv") }

    /// Writes manifest.json.
    public func write(_ manifest: RunManifest) throws {
        try ResultFile.writeJSON(manifest, to: manifestURL)
    }
    /// Writes metrics.json.
    public func write(_ metrics: MetricsFile) throws { try metrics.write(to: metricsURL) }
    /// Writes losses.csv.
    public func write(_ losses: LossLog) throws { try losses.write(to: lossesURL) }

    /// Reads manifest.json.
    public func readManifest() throws -> RunManifest {
        try ResultFile.readJSON(RunManifest.self, from: manifestURL)
    }
    /// Reads metrics.json.
    public func readMetrics() throws -> MetricsFile { try MetricsFile.read(from: metricsURL) }
    /// Reads losses.csv.
    public func readLosses() throws -> LossLog { try LossLog.read(from: lossesURL) }

    /// `date` as a folder-name timestamp in UTC, e.g. "20261121T220418Z".
    public static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!,
            c.second!)
    }
}

extension RunFolder {
    /// The folder at `url`, created if absent (a run directory named by the user).
    public static func openOrCreate(_ url: URL) throws -> RunFolder {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw HarnessFileError(path: url.path, problem: "cannot create run folder (\(error))")
        }
        return RunFolder(url: url)
    }

    /// Checks before any work that `url` (a `role` such as "results folder") can be used as a
    /// folder: neither it nor any ancestor that exists is a file.
    public static func checkFolder(_ url: URL, role: String) throws {
        var path = url.standardizedFileURL.path
        while !path.isEmpty && path != "/" {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else {
                    let problem =
                        path == url.standardizedFileURL.path
                        ? "\(role) is a file, not a folder"
                        : "\(role) cannot be created: \(path) is a file"
                    throw HarnessFileError(path: url.path, problem: problem)
                }
                return
            }
            path = (path as NSString).deletingLastPathComponent
        }
    }

    /// The checkpoints in the folder (`checkpoint-<track>.h5`), sorted.
    public func checkpointPaths() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasPrefix("checkpoint-") && $0.hasSuffix(".h5") }.sorted()
            .map { url.appendingPathComponent($0).path }
    }

    /// Refuses to resume from a folder that holds no checkpoint (training would silently
    /// start again from iteration 0).
    public func requireCheckpoint() throws {
        guard !checkpointPaths().isEmpty else {
            throw HarnessFileError(
                path: url.path,
                problem: "cannot resume: no checkpoint-*.h5 in this folder (not a run folder, "
                    + "or the run stopped before its first checkpoint)")
        }
    }
}

extension RunOptions {
    /// Checks the folders before any work: the results root and the run folder must not be
    /// files, and resuming needs a run folder holding at least one checkpoint.
    public func checkFolders() throws {
        try RunFolder.checkFolder(resultsRoot, role: "results folder")
        if let folder { try RunFolder.checkFolder(folder, role: "run folder") }
        if resume {
            guard let folder else {
                throw HarnessFileError(
                    path: resultsRoot.path, problem: "resuming needs a run folder")
            }
            try RunFolder(url: folder).requireCheckpoint()
        }
    }
}
