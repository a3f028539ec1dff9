import Foundation
import Results

/// Runs programs for the history commands (git, valgrind, the recorder of another commit).
public enum Shell {
    /// What a finished program gave back.
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `arguments` (looked up on PATH) in `directory`, capturing both streams; a program
    /// that cannot start is an error naming it.
    public static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil
    ) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch {
            throw HistoryError("cannot start \(arguments.first ?? "?") (\(error))")
        }
        // Read both pipes while the program runs, so a full pipe cannot block it.
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return Output(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs `arguments` and returns its standard output trimmed; a non-zero exit is an error
    /// quoting the program's standard error.
    public static func check(_ arguments: [String], in directory: URL? = nil) throws -> String {
        let o = try run(arguments, in: directory)
        guard o.status == 0 else {
            throw HistoryError(
                "\(arguments.joined(separator: " ")) failed (exit \(o.status)): "
                    + o.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return o.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// An error of the history commands, with a message for the user.
public struct HistoryError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
