import Tensors

// SPADE's GAN loss with gan_mode "hinge" (NVlabs/SPADE models/networks/loss.py `GANLoss`) on
// a multi-scale discriminator's output: for each scale only the last element (the patch
// logits) counts; each scale's loss is a mean over all its elements, and the scales are
// averaged (spade.md §5.1).

/// The discriminator's hinge loss on one side: mean over scales of mean(max(0, 1 - D(x))) for
/// real inputs, mean(max(0, 1 + D(x))) for fakes.
public func hingeDiscriminatorLoss(_ predictions: [[Variable]], real: Bool) -> Variable {
    precondition(!predictions.isEmpty, "hingeDiscriminatorLoss: no scales")
    let terms = predictions.map { scale -> Variable in
        let logits = scale.last!
        return mean(relu(real ? 1 - logits : 1 + logits))
    }
    return terms.dropFirst().reduce(terms[0], +) / Float(terms.count)
}

/// The generator's hinge loss: mean over scales of -mean(D(fake)).
public func hingeGeneratorLoss(_ predictions: [[Variable]]) -> Variable {
    precondition(!predictions.isEmpty, "hingeGeneratorLoss: no scales")
    let terms = predictions.map { scale in -1 * mean(scale.last!) }
    return terms.dropFirst().reduce(terms[0], +) / Float(terms.count)
}
