import Models
import NN
import Tensors

/// DeepLabv3+ cut into the parts `LayerProfile` times, each with its input activations (from
/// one train-mode forward of the whole network) and its convolution FLOPs.
struct ProfileParts {
    struct Part {
        let name: String
        /// Key prefixes of the part's parameters.
        let prefixes: [String]
        let inputs: [Tensor]
        /// True for the stem: no gradient flows into the image.
        let imageInput: Bool
        let flops: Double
        let forward: ([Variable], inout RandomSource) -> Variable
    }

    let parts: [Part]

    init(model: DeepLabV3Plus, x: Variable, labels: Labels) {
        let bb = model.backbone
        var random = RandomSource(seed: 0).split("profile-activations")
        let acts = model.partActivations(x, random: &random)
        let n = Double(x.shape[0])
        let (h, w) = (x.shape[2], x.shape[3])
        // The stem's conv runs at the resolution before its 3x3/2 max pool.
        let stemFLOPs = Self.flops(bb.conv1, n: n, h: h, w: w)
        var stageFLOPs: [Double] = []
        for (i, blocks) in bb.layers.enumerated() {
            var (sh, sw) = (acts[i].shape[2], acts[i].shape[3])
            var total = 0.0
            for block in blocks {
                total += Self.flops(block.conv1, n: n, h: sh, w: sw)
                if let d = block.downsample { total += Self.flops(d.conv, n: n, h: sh, w: sw) }
                let (oh, ow) = Self.output(block.conv2, h: sh, w: sw)
                total += Self.flops(block.conv2, n: n, h: sh, w: sw)
                total += Self.flops(block.conv3, n: n, h: oh, w: ow)
                (sh, sw) = (oh, ow)
            }
            stageFLOPs.append(total)
        }
        let (h4, w4) = (acts[4].shape[2], acts[4].shape[3])
        let aspp = model.aspp
        let asppFLOPs =
            aspp.branches.reduce(0) { $0 + Self.flops($1.atrousConv, n: n, h: h4, w: w4) }
            + Self.flops(aspp.poolConv, n: n, h: 1, w: 1)
            + Self.flops(aspp.conv1, n: n, h: h4, w: w4)
        let (h1, w1) = (acts[1].shape[2], acts[1].shape[3])
        let d = model.decoder
        let decoderFLOPs = [d.conv1, d.lastConv0, d.lastConv4].reduce(0) {
            $0 + Self.flops($1, n: n, h: h1, w: w1)
        }
        let headFLOPs = Self.flops(model.heads[0].conv, n: n, h: h1, w: w1)
        let backbone = "encoder.backbone."
        var parts = [
            Part(
                name: "stem", prefixes: [backbone + "conv1.", backbone + "bn1."], inputs: [x.value],
                imageInput: true, flops: stemFLOPs, forward: { t, _ in bb.stem(t[0], mode: .train) }
            )
        ]
        for stage in 0..<4 {
            parts.append(
                Part(
                    name: "layer\(stage + 1)", prefixes: [backbone + "layer\(stage + 1)."],
                    inputs: [acts[stage]], imageInput: false, flops: stageFLOPs[stage],
                    forward: { t, _ in bb.stage(stage, t[0], mode: .train) }))
        }
        let (height, width) = (h, w)
        parts += [
            Part(
                name: "aspp", prefixes: ["encoder.aspp."], inputs: [acts[4]], imageInput: false,
                flops: asppFLOPs, forward: { t, r in model.aspp(t[0], mode: .train, random: &r) }),
            Part(
                name: "decoder", prefixes: ["encoder.decoder."], inputs: [acts[5], acts[1]],
                imageInput: false, flops: decoderFLOPs,
                forward: { t, r in model.decoder(t[0], lowLevel: t[1], mode: .train, random: &r) }),
            Part(
                name: "head+loss", prefixes: ["classifier."], inputs: [acts[6]], imageInput: false,
                flops: headFLOPs,
                forward: { t, r in
                    let logits = model.logits(t[0], domain: 0, mode: .train, random: &r)
                    return crossEntropy(
                        resizeBilinear(logits, height: height, width: width, alignCorners: true),
                        labels)
                }),
        ]
        self.parts = parts
    }

    /// Output size of `conv` on an h x w input.
    static func output(_ conv: Conv2d, h: Int, w: Int) -> (Int, Int) {
        let k = conv.weight.value.shape[2]
        let span = conv.dilation * (k - 1) + 1
        return (
            (h + 2 * conv.padding - span) / conv.stride + 1,
            (w + 2 * conv.padding - span) / conv.stride + 1
        )
    }

    /// 2 * N * Cout * Ho * Wo * Cin * k * k of `conv` on an h x w input.
    static func flops(_ conv: Conv2d, n: Double, h: Int, w: Int) -> Double {
        let (ho, wo) = output(conv, h: h, w: w)
        return 2 * n * Double(conv.weight.value.count) * Double(ho * wo)
    }
}
