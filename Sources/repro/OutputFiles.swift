import ArgumentParser
import Foundation

/// Writes a report file named on the command line; failure is an error naming the file.
func writeOutput(_ data: Data, to path: String) throws {
    do { try data.write(to: URL(fileURLWithPath: path)) } catch {
        throw ValidationError("cannot write \(path): \(error.localizedDescription)")
    }
}
