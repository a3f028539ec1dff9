import NN
import Tensors
import Testing
import TestSupport

@Suite struct SPADELossTests {
    /// Two scales whose logits are [-2, 0.5] and [1.5, -0.5, 0, 3]; features per scale [1, 2].
    func outputs(_ logits: [[Float]], feature: Float) -> [[Variable]] {
        logits.map { l in
            [
                Variable(Tensor(shape: [1, 1, 1, 2], data: [feature, 2 * feature])),
                Variable(Tensor(shape: [1, 1, 1, l.count], data: l)),
            ]
        }
    }

    // SPADE GANLoss(hinge): D real mean(relu(1 - x)), D fake mean(relu(1 + x)), G -mean(x),
    // each averaged over the scales.
    @Test func hingeValues() {
        let pred = outputs([[-2, 0.5], [1.5, -0.5, 0, 3]], feature: 1)
        let real = hingeDiscriminatorLoss(pred, real: true).value.scalar
        // scale 0: (3 + 0.5) / 2 = 1.75; scale 1: (0 + 1.5 + 1 + 0) / 4 = 0.625
        #expect(isClose(real, (1.75 + 0.625) / 2))
        let fake = hingeDiscriminatorLoss(pred, real: false).value.scalar
        // scale 0: (0 + 1.5) / 2 = 0.75; scale 1: (2.5 + 0.5 + 1 + 4) / 4 = 2
        #expect(isClose(fake, (0.75 + 2) / 2))
        let g = hingeGeneratorLoss(pred).value.scalar
        #expect(isClose(g, -((-0.75) + 1.0) / 2))
    }

    // Feature matching: lambda / num_D * L1-mean over all layers but the last; real detached.
    @Test func featureMatching() {
        let fake = outputs([[0, 0], [0]], feature: 3)
        let real = outputs([[9, 9], [9]], feature: 1)
        let (value, grads) = valueAndGradient(at: [Tensor(shape: [1, 1, 1, 2], data: [1, 2])]) {
            xs in
            let r = [[xs[0], real[0][1]], real[1]]
            return featureMatchingLoss(fake: fake, real: r, lambda: 10)
        }
        // Each scale: mean(|3 - 1|, |6 - 2|) = 3, weighted 10 / 2 = 5: total 30.
        #expect(isClose(value, 30))
        #expect(grads[0].data == [0, 0], "real features are detached")
        let g = checkGradients([Tensor(shape: [1, 1, 1, 2], data: [3, 6.5])]) { xs in
            featureMatchingLoss(fake: [[xs[0], fake[0][1]]], real: [real[0]])
        }
        #expect(g.passed, "\(g)")
    }
}
