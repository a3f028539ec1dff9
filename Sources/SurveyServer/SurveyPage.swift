import Foundation
import Survey

/// The participant's page: plain HTML, CSS and JavaScript files shipped as resources, served
/// as they are (no build step).
public struct SurveyPage: Sendable {
    public let files: [(name: String, type: String, bytes: Data)]
    /// A hash of the files, recorded with every trial.
    public let version: String

    public static func load() throws -> SurveyPage {
        var files: [(String, String, Data)] = []
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for (name, type) in [
            ("index.html", "text/html; charset=utf-8"),
            ("app.js", "text/javascript; charset=utf-8"),
            ("style.css", "text/css; charset=utf-8"),
        ] {
            guard
                let url = Bundle.module.url(
                    forResource: name, withExtension: nil, subdirectory: "Page"),
                let data = try? Data(contentsOf: url)
            else {
                throw SurveyError.badOption(
                    "page", "the page file \(name) is missing from the build")
            }
            for b in data {
                h ^= UInt64(b)
                h = h &* 0x0000_0100_0000_01b3
            }
            files.append((name, type, data))
        }
        return SurveyPage(files: files, version: "page-" + String(h, radix: 16))
    }
}
