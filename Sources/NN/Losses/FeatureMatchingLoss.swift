import Tensors

/// pix2pixHD/SPADE's discriminator feature matching (spade.md §5.2): for every scale s and
/// every intermediate output j (all but the last, the logits), λ / num_D · L1-mean(F_sj(fake),
/// F_sj(real)) with the real features detached, summed.
public func featureMatchingLoss(
    fake: [[Variable]], real: [[Variable]], lambda: Float = 10
) -> Variable {
    precondition(
        !fake.isEmpty && fake.count == real.count,
        "featureMatchingLoss: \(fake.count) fake scales, \(real.count) real scales")
    var total: Variable?
    let weight = lambda / Float(fake.count)
    for (f, r) in zip(fake, real) {
        precondition(f.count == r.count, "featureMatchingLoss: \(f.count) vs \(r.count) layers")
        for j in 0..<(f.count - 1) {
            let term = l1Loss(f[j], r[j].detached()) * weight
            total = total.map { $0 + term } ?? term
        }
    }
    return total ?? Variable(Tensor(scalar: 0))
}
