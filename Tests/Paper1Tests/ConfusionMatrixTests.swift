import Testing
import Tensors
@testable import Paper1
import Results

@Suite struct ConfusionMatrixTests {
    /// Hand-computed: classes 0..2, class 2 absent from the truth but predicted once (it scores
    /// 0 and is averaged, as cityscapesScripts does), one ignored pixel.
    @Test func cityscapesRule() throws {
        var m = ConfusionMatrix(classes: 3)
        let truth = Labels(shape: [1, 2, 3], data: [0, 0, 1, 1, 255, 0])
        let pred = Labels(shape: [1, 2, 3], data: [0, 1, 1, 2, 2, 0])
        try m.add(prediction: pred, truth: truth)
        let iou = m.iou
        // class 0: tp 2, fn 1 (pred 1), fp 0 -> 2/3; class 1: tp 1, fn 1 (pred 2), fp 1 -> 1/3
        #expect(abs(iou[0] - 2.0 / 3) < 1e-12)
        #expect(abs(iou[1] - 1.0 / 3) < 1e-12)
        #expect(iou[2] == 0)
        #expect(abs(m.meanIoU - 1.0 / 3) < 1e-12)
        #expect(abs(m.pixelAccuracy - 3.0 / 5) < 1e-12)
    }

    @Test func argmaxFirstMaximumWins() {
        let logits = Tensor(shape: [1, 3, 1, 2], data: [1, 5, 1, 5, 0, 2])
        #expect(argmaxLabels(logits).data == [0, 0])
    }
}
