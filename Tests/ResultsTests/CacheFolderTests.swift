import Foundation
import TestSupport
import Testing

@testable import Results

@Suite struct CacheFolderTests {
    let temp = TemporaryFolder()
    var folder: URL { temp.url.appendingPathComponent("cache/segmenter-0123") }

    func write(_ text: String, in dir: URL) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try text.write(
            to: dir.appendingPathComponent("model.h5"), atomically: true, encoding: .utf8)
    }

    func contents(_ dir: URL) throws -> String {
        try String(contentsOf: dir.appendingPathComponent("model.h5"), encoding: .utf8)
    }

    @Test func buildsOnceThroughAStagingFolder() throws {
        var stagings: [URL] = []
        let built = try CacheFolder.build(folder) { staging in
            stagings.append(staging)
            #expect(!FileManager.default.fileExists(atPath: folder.path))
            #expect(staging.deletingLastPathComponent() == folder.deletingLastPathComponent())
            try write("first", in: staging)
        }
        #expect(built)
        #expect(try contents(folder) == "first")
        #expect(!FileManager.default.fileExists(atPath: stagings[0].path))
        let again = try CacheFolder.build(folder) { _ in Issue.record("built twice") }
        #expect(!again)
        #expect(try contents(folder) == "first")
    }

    @Test func aFailedBuildLeavesNoCache() throws {
        struct Broken: Error {}
        #expect(throws: Broken.self) {
            try CacheFolder.build(folder) { staging in
                try write("half", in: staging)
                throw Broken()
            }
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path))
        // The next build replaces the leftover staging folder and succeeds.
        try CacheFolder.build(folder) { staging in
            #expect(!FileManager.default.fileExists(atPath: staging.path))
            try write("second", in: staging)
        }
        #expect(try contents(folder) == "second")
    }

    @Test func anotherProcessFinishingFirstWins() throws {
        var staged: URL?
        try CacheFolder.build(folder) { staging in
            staged = staging
            try write("mine", in: staging)
            try write("theirs", in: folder)  // another process renamed its copy meanwhile
        }
        #expect(try contents(folder) == "theirs")
        #expect(!FileManager.default.fileExists(atPath: staged!.path))
    }
}
