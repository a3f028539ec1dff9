import Results
import Tensors

/// A K x K confusion matrix accumulated over a whole split, scored with cityscapesScripts'
/// rule (evalPixelLevelSemanticLabeling, `getIouScoreForLabel` and `getScoreAverage`):
///
/// - ground truth equal to the ignore index (255) is skipped;
/// - a predicted label outside 0..<K (255 or another ignored id in a prediction map) counts as
///   a miss of the ground-truth class: a false negative of that class, a false positive of none
///   (cityscapesScripts: a prediction with an `ignoreInEval` id lands in a column no class's
///   false positives sum over);
/// - IoU = TP / (TP + FP + FN) per class, NaN only when TP + FP + FN = 0, so a class absent
///   from the ground truth but predicted scores 0 and counts in the mean;
/// - mIoU is the mean over the non-NaN classes, NaN when every class is NaN (nothing counted).
///
/// Tests/Fixtures/scripts/miou_reference.py restates the official formula for the test values.
public struct ConfusionMatrix: Sendable, Equatable {
    /// Number of classes.
    public let classes: Int
    /// counts[truth * classes + prediction], 64-bit so a full split cannot overflow.
    public private(set) var counts: [Int64]
    /// missed[truth]: pixels of class `truth` predicted as an ignored or unknown label.
    public private(set) var missed: [Int64]

    public init(classes: Int) {
        precondition(classes > 0, "ConfusionMatrix: \(classes) classes")
        self.classes = classes
        counts = [Int64](repeating: 0, count: classes * classes)
        missed = [Int64](repeating: 0, count: classes)
    }

    /// Adds every pixel of `prediction` (labels) against `truth` (same shape). A shape mismatch
    /// or a ground-truth label that is neither a class nor the ignore index is an error.
    public mutating func add(prediction: Labels, truth: Labels) throws {
        guard prediction.shape == truth.shape else {
            throw ConfusionMatrixError(
                "prediction of shape \(prediction.shape) against ground truth \(truth.shape)")
        }
        for i in 0..<truth.count where truth.data[i] != Labels.ignoreIndex {
            let t = Int(truth.data[i])
            guard t >= 0 && t < classes else {
                throw ConfusionMatrixError(
                    "ground-truth label \(t) is neither a class (0..<\(classes)) nor ignored (255)")
            }
            let p = Int(prediction.data[i])
            if p >= 0 && p < classes {
                counts[t * classes + p] += 1
            } else {
                missed[t] += 1
            }
        }
    }

    /// Adds another matrix (e.g. from a parallel worker).
    public mutating func add(_ other: ConfusionMatrix) {
        precondition(
            other.classes == classes, "ConfusionMatrix.add: \(other.classes) vs \(classes) classes")
        for i in 0..<counts.count { counts[i] += other.counts[i] }
        for i in 0..<missed.count { missed[i] += other.missed[i] }
    }

    /// IoU per class; NaN only for a class neither in the ground truth nor predicted.
    public var iou: [Double] {
        (0..<classes).map { c in
            var fn = missed[c], fp: Int64 = 0
            for k in 0..<classes where k != c {
                fn += counts[c * classes + k]
                fp += counts[k * classes + c]
            }
            let tp = counts[c * classes + c]
            if tp + fp + fn == 0 { return .nan }
            return Double(tp) / Double(tp + fp + fn)
        }
    }

    /// Mean IoU over the non-NaN classes; NaN when there is none (cityscapesScripts'
    /// `getScoreAverage`).
    public var meanIoU: Double {
        let scored = iou.filter { !$0.isNaN }
        return scored.isEmpty ? .nan : scored.reduce(0, +) / Double(scored.count)
    }

    /// Pixel accuracy over non-ignored ground-truth pixels (0 when there is none).
    public var pixelAccuracy: Double {
        let total = counts.reduce(0, +) + missed.reduce(0, +)
        let correct = (0..<classes).reduce(Int64(0)) { $0 + counts[$1 * classes + $1] }
        return total == 0 ? 0 : Double(correct) / Double(total)
    }
}

/// A prediction and ground truth that cannot be compared.
public struct ConfusionMatrixError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = "confusion matrix: " + description }
}

/// Argmax over channels of (N, K, H, W) logits (first maximum wins, as torch.argmax).
public func argmaxLabels(_ logits: Tensor) -> Labels {
    let (n, k, h, w) = logits.nchw("argmaxLabels")
    let plane = h * w
    var out = Labels(repeating: 0, shape: [n, h, w])
    logits.withUnsafeBufferPointer { x in
        for b in 0..<n {
            for p in 0..<plane {
                var best = x[b * k * plane + p], arg: Int32 = 0
                for c in 1..<max(k, 1) where x[(b * k + c) * plane + p] > best {
                    best = x[(b * k + c) * plane + p]
                    arg = Int32(c)
                }
                out.data[b * plane + p] = arg
            }
        }
    }
    return out
}
