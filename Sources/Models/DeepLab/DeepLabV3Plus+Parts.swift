import NN
import Tensors

extension DeepLabV3Plus {
    /// The activations between the encoder's parts after one train-mode forward without a
    /// tape: stem, layer1...layer4, ASPP, decoder features (the inputs each part sees inside
    /// the network; used by the step benchmark and the per-part profile).
    public func partActivations(_ x: Variable, random: inout RandomSource) -> [Tensor] {
        withoutGradient {
            let stem = backbone.stem(x, mode: .train)
            let l1 = backbone.stage(0, stem, mode: .train)
            let l2 = backbone.stage(1, l1, mode: .train)
            let l3 = backbone.stage(2, l2, mode: .train)
            let l4 = backbone.stage(3, l3, mode: .train)
            let a = aspp(l4, mode: .train, random: &random)
            let f = decoder(a, lowLevel: l1, mode: .train, random: &random)
            return [stem, l1, l2, l3, l4, a, f].map(\.value)
        }
    }
}
