import Data
import Foundation
import Models
import NN
import Paper2
import Tensors

extension LayerProfile {
    /// Profiles a paper-2 cell's training iteration in SPADE's order on one batch of
    /// synthetic city scenes at the cell's size.
    ///
    /// G step: each generator part (fc, head_0, G_middle_0/1, up_k, conv_img) forward and
    /// backward into its weights and its input; each discriminator scale on [fake; real],
    /// backward into its input only (the G step takes no D weight gradient); Adam on G.
    /// D step: the generator forward without gradients; each discriminator scale with its
    /// weight gradients; Adam on D. The losses and the average pools between scales are left
    /// out (elementwise, small). The whole iteration is also timed as it runs.
    public static func spade(
        cell: String, config: Paper2RunConfig, samples: Int, threads: Int, peak: Double
    ) throws -> LayerProfile {
        Runtime.setThreads(threads)
        let n = config.batchSize
        let scenes = (0..<n).map { i in
            SceneGenerator.generate(
                domain: .city, split: "train", index: i, seed: 0, height: config.imageHeight,
                width: config.imageWidth, supersampling: 1)
        }
        let input = try config.spade.makeInput(
            labels: scenes.map(\.labelIds), instances: scenes.map(\.instanceIds))
        let batch = SPADEBatch(
            input: input, real: SPADEPreprocess.imageTensor(scenes.map(\.image)))
        let trainer = try SPADETrainer(config.spade, random: RandomSource(seed: 0).split("init"))
        let (g, d) = (trainer.generator, trainer.discriminator)
        var random = RandomSource(seed: 0).split("profile")
        let noise = g.drawNoise(for: input, random: &random)
        let ctx = g.context(for: input, noise: noise)
        let inputs = g.partInputs(ctx, mode: .train)
        let fake = withoutGradient { g(input, noise: noise, mode: .train, random: &random) }
        let image = [n, 3, config.imageHeight, config.imageWidth]
        var rows: [Row] = []
        var generatorFLOPs = 0.0
        for k in 0..<g.partCount {
            let out = k + 1 < g.partCount ? inputs[k + 1].shape : image
            let flops = SPADEFLOPs.generatorPart(g, k, n: n, h: out[2], w: out[3])
            generatorFLOPs += flops.forward
            let params = g.parameters.filter { $0.key.hasPrefix(g.partNames[k] + ".") }
            rows.append(
                timePart(
                    "G \(g.partNames[k])", phase: "G step", input: inputs[k],
                    inputGradient: k > 0, params: params, flops: flops, samples: samples,
                    random: &random
                ) { x in [g.part(k, x, ctx, mode: .train)] })
        }
        // D's input, [fake; real], and its average-pooled copies for the coarser scales.
        var scaleInputs = [
            withoutGradient {
                concatBatch([
                    trainer.discriminatorInput(input, fake),
                    trainer.discriminatorInput(input, Variable(batch.real)),
                ]).value
            }
        ]
        for _ in 1..<d.scales.count {
            scaleInputs.append(
                withoutGradient {
                    avgPool2d(
                        Variable(scaleInputs.last!), kernel: 3, stride: 2, padding: 1,
                        countIncludePad: false
                    ).value
                })
        }
        var dStep: [Row] = []
        for (k, scale) in d.scales.enumerated() {
            let x = scaleInputs[k]
            let f = SPADEFLOPs.discriminatorScale(
                scale, n: x.shape[0], h: x.shape[2], w: x.shape[3])
            let forward = { (v: Variable) in scale(v, mode: .train) }
            rows.append(
                timePart(
                    "D scale \(k)", phase: "G step", input: x, inputGradient: true, params: [],
                    flops: (f.forward, f.inputGradient), samples: samples, random: &random,
                    forward))
            let params = d.parameters.filter { $0.key.hasPrefix("discriminator_\(k).") }
            dStep.append(
                timePart(
                    "D scale \(k)", phase: "D step", input: x, inputGradient: false,
                    params: params, flops: (f.forward, f.weightGradient), samples: samples,
                    random: &random, forward))
        }
        var noiseRandom = random
        let generatorForward = time(samples) {
            _ = withoutGradient { g(input, noise: noise, mode: .train, random: &noiseRandom) }
        }
        rows.append(
            Row(
                name: "G forward (no gradient)", phase: "D step", forward: generatorForward,
                backward: 0, forwardFLOPs: generatorFLOPs, backwardFLOPs: 0))
        rows += dStep
        let zerosG = g.parameters.map { Tensor(zeros: $0.shape) }
        let zerosD = d.parameters.map { Tensor(zeros: $0.shape) }
        let updates = [
            Update(
                name: "adam G", phase: "G step",
                seconds: time(samples) { trainer.optimizerG.step(zerosG) }),
            Update(
                name: "adam D", phase: "D step",
                seconds: time(samples) { trainer.optimizerD.step(zerosD) }),
        ]
        var stepRandom = random.split("step")
        let step = time(samples) { _ = trainer.trainIteration(batch, random: &stepRandom) }
        var profile = LayerProfile(
            cell: cell,
            input: [n, input.semantics.shape[1], config.imageHeight, config.imageWidth],
            threads: threads, rows: rows, updates: updates, peak: peak)
        profile.measuredStep = step
        return profile
    }

    /// One part timed: forward without gradients, and forward + backward into `params` (and
    /// the input when `inputGradient`), the outputs seeded with fixed random gradients.
    static func timePart(
        _ name: String, phase: String, input: Tensor, inputGradient: Bool, params: [Parameter],
        flops: (forward: Double, backward: Double), samples: Int, random: inout RandomSource,
        _ forward: @escaping (Variable) -> [Variable]
    ) -> Row {
        let outs = withoutGradient { forward(Variable(input)) }
        let seeds = outs.map { random.normalTensor($0.shape) }
        let leaf = Parameter(key: "input", value: input)
        let fwd = time(samples) { _ = withoutGradient { forward(Variable(input)) } }
        let both = time(samples) {
            _ = valueAndGradient(of: params + (inputGradient ? [leaf] : [])) {
                let x = inputGradient ? Variable(leaf) : Variable(input)
                let terms = zip(forward(x), seeds).map { o, seed in sum(o * Variable(seed)) }
                return terms.dropFirst().reduce(terms[0], +)
            }
        }
        return Row(
            name: name, phase: phase, forward: fwd, backward: max(0, both - fwd),
            forwardFLOPs: flops.forward, backwardFLOPs: flops.backward)
    }
}
