import Models
import NN
import Results
import Tensors

/// One part of the network for the profile: its parameters (by key prefix), its inputs and
/// its train-mode forward.
private struct ProfilePart {
    let name: String
    let prefixes: [String]
    let inputs: [Tensor]
    /// Whether the inputs get gradients (all but the image).
    let inputGradients: Bool
    let forward: ([Variable], inout RandomSource) -> Variable
}

/// Times each part of the training step alone, at its shapes inside the network: forward, and
/// forward + backward with input and parameter gradients (output gradient fixed and random),
/// then the SGD update. The parts and their order match scripts/bench_step_torch.py.
func profileStep(
    _ model: DeepLabV3Plus, x: Variable, labels: Labels, sgd: SGD, _ options: StepBenchOptions
) -> [StepProfileRow] {
    let (h, w) = (options.height, options.width)
    let bb = model.backbone
    var random = RandomSource(seed: 0).split("bench-profile")
    // The activations between the parts.
    let acts = model.partActivations(x, random: &random)
    let backbone = "encoder.backbone."
    var parts = [
        ProfilePart(
            name: "stem", prefixes: [backbone + "conv1.", backbone + "bn1."], inputs: [x.value],
            inputGradients: false, forward: { t, _ in bb.stem(t[0], mode: .train) })
    ]
    for stage in 0..<4 {
        parts.append(
            ProfilePart(
                name: "layer\(stage + 1)", prefixes: [backbone + "layer\(stage + 1)."],
                inputs: [acts[stage]], inputGradients: true,
                forward: { t, _ in bb.stage(stage, t[0], mode: .train) }))
    }
    parts += [
        ProfilePart(
            name: "aspp", prefixes: ["encoder.aspp."], inputs: [acts[4]], inputGradients: true,
            forward: { t, r in model.aspp(t[0], mode: .train, random: &r) }),
        ProfilePart(
            name: "decoder", prefixes: ["encoder.decoder."], inputs: [acts[5], acts[1]],
            inputGradients: true,
            forward: { t, r in model.decoder(t[0], lowLevel: t[1], mode: .train, random: &r) }),
        ProfilePart(
            name: "head", prefixes: ["classifier."], inputs: [acts[6]], inputGradients: true,
            forward: { t, r in
                let logits = model.logits(t[0], domain: 0, mode: .train, random: &r)
                return crossEntropy(
                    resizeBilinear(logits, height: h, width: w, alignCorners: true), labels)
            }),
    ]
    var rows = parts.map { part in
        let params = model.store.parameters.filter { p in
            part.prefixes.contains { p.key.hasPrefix($0) }
        }
        let leaves = part.inputs.enumerated().map {
            Parameter(key: "input.\($0.offset)", value: $0.element)
        }
        var seedSource = random.split(part.name)
        let outShape = withoutGradient {
            part.forward(part.inputs.map(Variable.init), &random).shape
        }
        let seed = Variable(seedSource.normalTensor(outShape))
        let forward = timeSamples(options) {
            _ = withoutGradient { part.forward(part.inputs.map(Variable.init), &random) }
        }
        let forwardBackward = timeSamples(options) {
            _ = valueAndGradient(of: params + (part.inputGradients ? leaves : [])) {
                let out = part.forward(leaves.map(Variable.init), &random)
                return out.value.count == 1 ? out : sum(out * seed)
            }
        }
        return StepProfileRow(
            name: part.name, forward: median(forward), forwardBackward: median(forwardBackward))
    }
    let params = model.store.parameters
    let zeros = params.map { Tensor(zeros: $0.shape) }
    rows.append(
        StepProfileRow(
            name: "sgd", forward: 0,
            forwardBackward: median(
                timeSamples(options) {
                    sgd.step(zeros)
                })))
    return rows
}
