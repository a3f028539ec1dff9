import Results
import Tensors

/// A K x K confusion matrix accumulated over a whole split, with Cityscapes' mIoU rule
/// (cityscapesScripts evalPixelLevelSemanticLabeling): ground truth equal to the ignore index
/// is skipped, IoU = TP / (TP + FP + FN) per class, and classes that never occur in the ground
/// truth of the split are dropped from the mean (their IoU is NaN, as cityscapesScripts does).
public struct ConfusionMatrix: Sendable, Equatable {
    /// Number of classes.
    public let classes: Int
    /// counts[truth * classes + prediction], 64-bit so a full split cannot overflow.
    public private(set) var counts: [Int64]

    public init(classes: Int) {
        self.classes = classes
        counts = [Int64](repeating: 0, count: classes * classes)
    }

    /// Adds every pixel of `prediction` (argmax labels) against `truth` (same shape).
    public mutating func add(prediction: Labels, truth: Labels) {
        precondition(
            prediction.shape == truth.shape,
            "ConfusionMatrix.add: prediction \(prediction.shape) vs truth \(truth.shape)")
        for i in 0..<truth.count {
            let t = Int(truth.data[i])
            if truth.data[i] == Labels.ignoreIndex { continue }
            precondition(t >= 0 && t < classes, "ConfusionMatrix.add: ground-truth label \(t) outside 0..<\(classes)")
            let p = Int(prediction.data[i])
            precondition(p >= 0 && p < classes, "ConfusionMatrix.add: predicted label \(p) outside 0..<\(classes)")
            counts[t * classes + p] += 1
        }
    }

    /// Adds another matrix (e.g. from a parallel worker).
    public mutating func add(_ other: ConfusionMatrix) {
        precondition(other.classes == classes, "ConfusionMatrix.add: \(other.classes) vs \(classes) classes")
        for i in 0..<counts.count { counts[i] += other.counts[i] }
    }

    /// IoU per class; NaN for a class absent from the ground truth.
    public var iou: [Double] {
        (0..<classes).map { c in
            var fn: Int64 = 0, fp: Int64 = 0
            for k in 0..<classes where k != c {
                fn += counts[c * classes + k]
                fp += counts[k * classes + c]
            }
            let tp = counts[c * classes + c]
            if tp + fn == 0 { return .nan }
            return Double(tp) / Double(tp + fp + fn)
        }
    }

    /// Mean IoU over the classes present in the ground truth (0 when none is).
    public var meanIoU: Double {
        let present = iou.filter { !$0.isNaN }
        return present.isEmpty ? 0 : present.reduce(0, +) / Double(present.count)
    }

    /// Pixel accuracy over non-ignored pixels.
    public var pixelAccuracy: Double {
        let total = counts.reduce(0, +)
        let correct = (0..<classes).reduce(Int64(0)) { $0 + counts[$1 * classes + $1] }
        return total == 0 ? 0 : Double(correct) / Double(total)
    }
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
