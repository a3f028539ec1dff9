import Data
import Models
import NN
import Results
import Tensors

extension SegmentationTrack {
    /// The confusion matrix of head `head` over `data`'s validation split: whole images, single
    /// scale, no flip, eval mode (cac.md §4 "Evaluation"), in batches of `batch` images.
    func evaluate(head: Int, data: DomainData, batch: Int = 2) throws -> ConfusionMatrix {
        var matrix = ConfusionMatrix(classes: data.classes)
        var unused = RandomSource(seed: 0)  // eval mode draws nothing
        try withoutGradient {
            for start in stride(from: 0, to: data.val.count, by: batch) {
                let indices = Array(start..<min(start + batch, data.val.count))
                let (x, truth) = try data.validationBatch(indices)
                let logits = model(x, domain: head, mode: .eval, random: &unused)
                try matrix.add(prediction: argmaxLabels(logits.value), truth: truth)
            }
        }
        return matrix
    }
}
