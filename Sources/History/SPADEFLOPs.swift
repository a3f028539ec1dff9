import Models
import NN
import Tensors

/// Convolution FLOPs of SPADE's parts (2 * N * Cout * Ho * Wo * Cin * k * k per conv; the
/// Multi-Instance MLP's small linear layers are left out). A backward computes each conv's
/// weight gradient and, unless its input is a constant, its input gradient: each the
/// forward's count.
enum SPADEFLOPs {
    /// Generator part `k` whose output is h x w, batch n: forward and G-step backward.
    static func generatorPart(_ g: SPADEGenerator, _ k: Int, n: Int, h: Int, w: Int)
        -> (forward: Double, backward: Double)
    {
        let plane = 2 * Double(n * h * w)
        if let block = g.block(ofPart: k) {
            // Every conv of a block runs at the block's output size (3x3 with padding 1, 1x1).
            let convs =
                [block.conv0.norm.weightOrig, block.conv1.norm.weightOrig]
                + (block.convS.map { [$0.norm.weightOrig] } ?? [])
            let modulation = block.norms.flatMap { [$0.mlpGamma.weight, $0.mlpBeta.weight] }
            // mlp_shared sees S, a constant: weight gradient only.
            let shared = block.norms.map(\.mlpShared.weight)
            let main = plane * Double((convs + modulation).reduce(0) { $0 + $1.value.count })
            let seg = plane * Double(shared.reduce(0) { $0 + $1.value.count })
            return (main + seg, 2 * main + seg)
        }
        let conv = k == 0 ? g.fc : g.convImg
        let f = plane * Double(conv.weight.value.count)
        return (f, k == 0 ? f : 2 * f)  // fc sees S: weight gradient only
    }

    /// One discriminator scale on an input of batch n and size h x w: forward, backward
    /// into the input only (G step), and backward into the weights (D step; every input
    /// gradient but the first conv's is needed on the way).
    static func discriminatorScale(_ d: NLayerDiscriminator, n: Int, h: Int, w: Int)
        -> (forward: Double, inputGradient: Double, weightGradient: Double)
    {
        var (sh, sw) = (h, w)
        var perConv: [Double] = []
        func add(_ weight: Tensor, stride: Int, padding: Int) {
            let k = weight.shape[2]
            sh = (sh + 2 * padding - k) / stride + 1
            sw = (sw + 2 * padding - k) / stride + 1
            perConv.append(2 * Double(n * sh * sw * weight.count))
        }
        add(d.first.weight.value, stride: d.first.stride, padding: d.first.padding)
        for c in d.middle { add(c.norm.weightOrig.value, stride: c.stride, padding: c.padding) }
        add(d.last.weight.value, stride: d.last.stride, padding: d.last.padding)
        let total = perConv.reduce(0, +)
        return (total, total, total + perConv.dropFirst().reduce(0, +))
    }
}
