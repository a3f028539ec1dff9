import Foundation
import Testing

/// The one temporary-folder helper of the tests: a fresh directory for one test's files,
/// removed with it. Suites hold one as a stored
/// property; Swift Testing makes a suite instance per test and drops it when the test ends.
public final class TemporaryFolder: Sendable {
    /// The folder's path.
    public let path: String

    /// The folder as a URL.
    public var url: URL { URL(fileURLWithPath: path, isDirectory: true) }

    /// A new empty folder under the system temporary directory.
    public init() {
        path =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("repro-tests-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs `executable` with `arguments`; returns the exit status and the combined output.
public func run(_ executable: String, _ arguments: [String]) throws -> (
    status: Int32, output: String
) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// A python3 that can import every module of `modules`: /usr/bin/python3 first (what CI
/// installs python3-h5py / python3-pil for), then $REPRO_PYTHON, then python3 on PATH. Records
/// a test failure naming the packages to install when there is none.
public func python(importing modules: [String], packages: String) -> String? {
    var candidates = ["/usr/bin/python3"]
    if let custom = ProcessInfo.processInfo.environment["REPRO_PYTHON"] {
        candidates.append(custom)
    }
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        candidates.append("\(dir)/python3")
    }
    let probe = "import " + modules.joined(separator: ", ")
    for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
        if let result = try? run(candidate, ["-c", probe]), result.status == 0 { return candidate }
    }
    let advice = "apt-get install \(packages), or set REPRO_PYTHON to a python that has them"
    Issue.record("no python3 can run '\(probe)': \(advice)")
    return nil
}

/// Runs `body` with a fresh empty folder (a `TemporaryFolder`), removed afterwards.
public func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let folder = TemporaryFolder()
    return try withExtendedLifetime(folder) { try body(folder.url) }
}
