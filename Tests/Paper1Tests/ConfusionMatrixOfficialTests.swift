import Tensors
import Testing

@testable import Paper1

/// The cases of Tests/Fixtures/scripts/miou_reference.py (cityscapesScripts' formula restated);
/// expected values are that script's output.
@Suite struct ConfusionMatrixOfficialTests {
    static func score(_ classes: Int, _ pairs: [([Int32], [Int32])]) throws -> ConfusionMatrix {
        var m = ConfusionMatrix(classes: classes)
        for (prediction, truth) in pairs {
            try m.add(
                prediction: Labels(shape: [1, 1, prediction.count], data: prediction),
                truth: Labels(shape: [1, 1, truth.count], data: truth))
        }
        return m
    }

    static func expectIoU(_ m: ConfusionMatrix, _ iou: [Double], mean: Double) {
        #expect(m.iou.count == iou.count)
        for (found, expected) in zip(m.iou, iou) {
            if expected.isNaN {
                #expect(found.isNaN)
            } else {
                #expect(abs(found - expected) < 1e-12, "IoU \(found) vs \(expected)")
            }
        }
        if mean.isNaN {
            #expect(m.meanIoU.isNaN)
        } else {
            #expect(abs(m.meanIoU - mean) < 1e-12, "mIoU \(m.meanIoU) vs \(mean)")
        }
    }

    @Test func classAbsentFromTruthButPredictedScoresZero() throws {
        let m = try Self.score(3, [([0, 1, 1, 2, 2, 0], [0, 0, 1, 1, 255, 0])])
        Self.expectIoU(m, [2.0 / 3, 1.0 / 3, 0], mean: 1.0 / 3)
    }

    @Test func ignoredPredictionIsAMissNotATrap() throws {
        let m = try Self.score(3, [([0, 255, 1, 255, 2, 2], [0, 0, 1, 1, 2, 255])])
        Self.expectIoU(m, [0.5, 0.5, 1], mean: 2.0 / 3)
        #expect(m.missed == [1, 1, 0])
        #expect(abs(m.pixelAccuracy - 3.0 / 5) < 1e-12)
    }

    @Test func emptyImagesAddNothing() throws {
        let m = try Self.score(4, [([], []), ([0, 1, 1], [0, 1, 0]), ([], [])])
        Self.expectIoU(m, [0.5, 0.5, .nan, .nan], mean: 0.5)
    }

    @Test func onlyIgnoredTruthGivesNaNMean() throws {
        let m = try Self.score(2, [([0, 1, 255], [255, 255, 255])])
        Self.expectIoU(m, [.nan, .nan], mean: .nan)
        #expect(m.pixelAccuracy == 0)
    }

    @Test func imagesAccumulateBeforeScoring() throws {
        let m = try Self.score(
            3, [([0, 0, 1, 1], [0, 1, 1, 1]), ([2, 2, 0, 255], [2, 0, 0, 2])])
        Self.expectIoU(m, [0.5, 2.0 / 3, 1.0 / 3], mean: 0.5)
    }

    @Test func badGroundTruthAndShapesAreErrors() {
        var m = ConfusionMatrix(classes: 3)
        #expect(throws: ConfusionMatrixError.self) {
            try m.add(
                prediction: Labels(shape: [1, 1, 2], data: [0, 0]),
                truth: Labels(shape: [1, 1, 2], data: [0, 7]))
        }
        #expect(throws: ConfusionMatrixError.self) {
            try m.add(
                prediction: Labels(shape: [1, 1, 2], data: [0, 0]),
                truth: Labels(shape: [1, 2, 1], data: [0, 1]))
        }
    }
}
