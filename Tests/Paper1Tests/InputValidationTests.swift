import Foundation
import Results
import TestSupport
import Testing

@testable import Paper1

/// Every configuration value an override can reach is validated (one clear error, never a
/// precondition later), and the folders a run uses are checked before any work.
@Suite struct InputValidationTests {
    static func configured(_ overrides: [String]) throws -> SegmentationConfig {
        let parsed = try overrides.map { try Override(parsing: $0) }
        let config = try Override.apply(parsed, to: SegmentationConfig.at(.smoke, .multi, .semi))
        try config.validate()
        return config
    }

    @Test func everyProfileValidates() throws {
        for profile in Profile.allCases {
            for cell in Paper1Experiment().cells(profile, dataRoot: "/data") {
                try cell.config.validate()
            }
        }
    }

    @Test(arguments: [
        ["blocks=[1,1,1,4]"], ["blocks=[1,1,1]"], ["blocks=[0,1,1,1]"], ["imageHeight=0"],
        ["imageWidth=100000"], ["labeledFraction=1e-300"], ["epochs=99999999999"],
        ["itersPerEpoch=0"], ["rescaleRange=[1,1e308]"], ["momentum=1"], ["threshold=2"],
        ["cropSize=8"], ["domains=[\"city\",\"mars\"]"], ["batchLabeled=1"], ["weightDecay=-1"],
        ["unsupStartEpoch=-1"], ["lr=0"], ["widthDivisor=3"], ["trainImages=7"],
    ])
    func badValuesFailValidationWithOneLine(_ overrides: [String]) throws {
        let error = #expect(throws: ConfigError.self) { try Self.configured(overrides) }
        #expect(error?.description.contains("\n") == false)
        #expect(error?.description.isEmpty == false)
    }

    @Test func goodOverridesPass() throws {
        let c = try Self.configured(["blocks=[1,1,1,3]", "imageHeight=32", "lambda=0.2"])
        #expect(c.blocks == [1, 1, 1, 3] && c.imageHeight == 32 && c.lambda == 0.2)
    }

    @Test func foldersThatAreFilesAreRefused() throws {
        try withTemporaryDirectory { dir in
            let file = dir.appendingPathComponent("plain")
            FileManager.default.createFile(atPath: file.path, contents: Data([1]))
            var o = RunOptions()
            o.resultsRoot = file
            var error = #expect(throws: HarnessFileError.self) { try o.checkFolders() }
            #expect(error?.description.contains("results folder is a file") == true)
            o.resultsRoot = file.appendingPathComponent("below")
            error = #expect(throws: HarnessFileError.self) { try o.checkFolders() }
            #expect(error?.description.contains("\(file.path) is a file") == true)
            o.resultsRoot = dir
            o.folder = file
            error = #expect(throws: HarnessFileError.self) { try o.checkFolders() }
            #expect(error?.description.contains("run folder is a file") == true)
        }
    }

    @Test func resumeNeedsACheckpoint() throws {
        try withTemporaryDirectory { dir in
            var o = RunOptions()
            o.resultsRoot = dir
            o.folder = dir.appendingPathComponent("run")
            o.resume = true
            let error = #expect(throws: HarnessFileError.self) { try o.checkFolders() }
            #expect(error?.description.contains("no checkpoint") == true)
            try FileManager.default.createDirectory(
                at: o.folder!, withIntermediateDirectories: true)
            FileManager.default.createFile(
                atPath: o.folder!.appendingPathComponent("checkpoint-multi.h5").path,
                contents: Data())
            try o.checkFolders()
        }
    }
}
