import Data
import Foundation
import ImageCodecs
import Results
import TestSupport
import Testing

@testable import Paper2

/// Paper 2's data through the Cityscapes loader, and the errors for bad maps.
@Suite struct Paper2DataTests {
    let scratch = TemporaryFolder()

    func prepared() throws -> (Paper2RunConfig, Paper2Data) {
        var c = Paper2RunConfig.at(.smoke, .LIP)
        c.trainImages = 2
        c.valImages = 1
        c.batchSize = 2
        c.synchronize()
        return (c, try Paper2Data.prepare(c, cacheRoot: scratch.url))
    }

    @Test func batchHasLabelIdsAndInstances() throws {
        let (c, data) = try prepared()
        let s = try data.train.spadeSample(0)
        #expect(s.labelIds.values.contains { $0 == 26 } || s.labelIds.values.contains { $0 == 24 })
        #expect(s.instanceIds.values.contains { $0 >= 24_000 })
        let batch = try Paper2Data.batch([0, 1], flips: [false, true], set: data.train, config: c)
        #expect(batch.input.semantics.shape == [2, 36, 32, 64])
        #expect(batch.input.position?.shape[1] == 128)
        #expect(batch.real.shape == [2, 3, 32, 64])
    }

    @Test func instanceMapOfAnotherSizeIsAnError() throws {
        let (c, data) = try prepared()
        let path = try data.train.spadeSample(0).instancePath
        try PNG.write(gray16: [UInt16](repeating: 0, count: 16 * 8), width: 16, height: 8, to: path)
        do {
            _ = try Paper2Data.batch([0, 1], flips: [false, false], set: data.train, config: c)
            Issue.record("expected a size error")
        } catch let error as ConditioningError {
            #expect(error.source == path && error.problem.contains("16x8"), "\(error)")
        }
    }

    @Test func labelIdOutsideThe35IsAnError() throws {
        let (c, data) = try prepared()
        let s = try data.train.spadeSample(1)
        var values = s.labelIds.values
        values[5] = 40
        try PNG.write(gray8: values, width: 64, height: 32, to: s.labelPath)
        do {
            _ = try Paper2Data.batch([0, 1], flips: [false, false], set: data.train, config: c)
            Issue.record("expected a label id error")
        } catch let error as ConditioningError {
            #expect(error.source == s.labelPath && error.problem.contains("40"), "\(error)")
        }
    }
}
