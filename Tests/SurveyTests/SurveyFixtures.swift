import Data
import Foundation
import ImageCodecs
import Survey
import SurveyServer
import TestSupport

/// Test images, stores and servers. A suite holds one as a stored property: every folder it
/// makes lies inside its `TemporaryFolder`, removed when the test ends.
final class SurveyFixtures: Sendable {
    let folder = TemporaryFolder()

    /// A fresh folder inside the test's temporary folder.
    func tempDir(_ name: String) -> String {
        let dir = folder.path + "/\(name)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// `<dir>/<source>/<scene>.png` for `scenes` synthetic street scenes: the rendered scene
    /// as `real` and three blurred, posterised variants standing in for L, L+I and L+I+P.
    func imageFolder(scenes: Int = 3, width: Int = 256, height: Int = 128) throws -> String {
        let dir = tempDir("images")
        for s in 0..<scenes {
            let scene = SceneGenerator.generate(
                domain: .city, split: "val", index: s, seed: 7, height: height, width: width,
                supersampling: 1)
            let real = scene.image.pixels
            let variants: [(SurveySource, [UInt8])] = [
                (.real, real), (.l, Self.posterise(Self.blur(real, width, height, 3), levels: 6)),
                (.li, Self.posterise(Self.blur(real, width, height, 2), levels: 10)),
                (.lip, Self.blur(real, width, height, 1)),
            ]
            for (source, pixels) in variants {
                let folder = "\(dir)/\(source.rawValue)"
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true)
                try PNG.write(
                    rgb8: pixels, width: width, height: height, to: "\(folder)/scene\(s).png")
            }
        }
        return dir
    }

    static func blur(_ p: [UInt8], _ w: Int, _ h: Int, _ r: Int) -> [UInt8] {
        var out = p
        for y in 0..<h {
            for x in 0..<w {
                for c in 0..<3 {
                    var sum = 0
                    var n = 0
                    for dy in -r...r {
                        for dx in -r...r {
                            let xx = x + dx
                            let yy = y + dy
                            if xx >= 0 && xx < w && yy >= 0 && yy < h {
                                sum += Int(p[(yy * w + xx) * 3 + c])
                                n += 1
                            }
                        }
                    }
                    out[(y * w + x) * 3 + c] = UInt8(sum / n)
                }
            }
        }
        return out
    }

    static func posterise(_ p: [UInt8], levels: Int) -> [UInt8] {
        let step = 255 / (levels - 1)
        return p.map { UInt8(min(255, (Int($0) + step / 2) / step * step)) }
    }

    /// A study in a new store, with `rules`.
    func study(
        images: String, mode: StudyMode = .unlimited, trials: Int = 6, timeLimit: Double = 5,
        catchEvery: Int = 0, timeoutsCount: Bool = true, db: String? = nil
    ) async throws -> (Study, ImageSet) {
        let set = try ImageSet(folder: images)
        let rules = try StudyRules(
            mode: mode, timeLimit: timeLimit, trials: trials, timeoutsCount: timeoutsCount,
            pageVersion: "test")
        let path = db ?? tempDir("db") + "/study.sqlite"
        return (
            try await Study.open(
                images: set, db: path, seed: 3, catchEvery: catchEvery, rules: rules), set
        )
    }

    static let admin = "test-admin-token"

    /// A server for `study` on a free port of 127.0.0.1.
    static func server(_ study: Study, _ images: ImageSet) async throws -> (SurveyServer, URL) {
        var o = ServerOptions(adminToken: admin)
        o.port = 0
        let page = try SurveyPage.load()
        let server = try await SurveyServer.start(
            study: study, images: images, page: page, options: o)
        return (server, URL(string: "http://127.0.0.1:\(server.port)/")!)
    }
}
