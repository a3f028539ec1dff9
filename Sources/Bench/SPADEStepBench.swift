import ImageCodecs
import Models
import NN
import Paper2
import Results
import Tensors

/// The label and instance maps of the SPADE step benchmark: six stuff classes in bands and
/// ten instances (cars and persons alternating, rectangles at fixed fractions of the size),
/// per image. scripts/bench_step_torch.py draws the same maps (`spade_scene`), so both sides
/// see the same instance counts and areas.
public enum SPADEBenchScene {
    static let stuff: [UInt8] = [7, 8, 11, 21, 23, 17]  // road, sidewalk, building, ...

    public static func maps(batch: Int, height h: Int, width w: Int)
        -> (labels: [LabelMap], instances: [InstanceMap])
    {
        var labels: [LabelMap] = []
        var instances: [InstanceMap] = []
        for b in 0..<batch {
            var label = LabelMap(width: w, height: h, repeating: 0)
            for y in 0..<h {
                for x in 0..<w { label[x, y] = stuff[(y * 4 / h + x * 8 / w + b) % 6] }
            }
            var instance = label.map { Int32($0) }
            for k in 0..<10 {
                let cls: UInt8 = k % 2 == 0 ? 26 : 24
                let (y0, x0) = (h * (2 + 5 * (k % 3)) / 16, w * (1 + 3 * k) / 32)
                for y in y0..<min(h, y0 + h / 5) {
                    for x in x0..<min(w, x0 + w / 10) {
                        label[x, y] = cls
                        instance[x, y] = Int32(cls) * 1000 + Int32(k)
                    }
                }
            }
            labels.append(label)
            instances.append(instance)
        }
        return (labels, instances)
    }
}

/// Measures the Swift side of the SPADE benchmark in this process: paper 2's `variant` at
/// `height` x `width` with ngf = ndf = 64 / widthDivisor; the step is one training iteration
/// in SPADE's order (generator step, then the discriminator step on a fresh fake) with both
/// Adam updates; the forward is the generator in eval mode without a tape. The same networks,
/// losses and optimizers as scripts/bench_step_torch.py --model spade.
public func runSPADEStepBench(_ options: StepBenchOptions) throws -> StepBenchSide {
    Runtime.setThreads(options.threads)
    guard let variant = SPADEVariant(rawValue: options.variant) else {
        throw BenchError("--variant \(options.variant): expected L, L+I or L+I+P")
    }
    var config = SPADEConfig(variant)
    config.architecture.ngf = 64 / options.widthDivisor
    config.architecture.ndf = 64 / options.widthDivisor
    config.architecture.cropSize = options.width
    config.architecture.aspectRatio = Double(options.width) / Double(options.height)
    let random = RandomSource(seed: 0).split("bench-spade")
    let trainer = try SPADETrainer(config, random: random.split("init"))
    let maps = SPADEBenchScene.maps(
        batch: options.batch, height: options.height, width: options.width)
    var data = random.split("data")
    let input = try config.makeInput(labels: maps.labels, instances: maps.instances)
    let real = data.uniformTensor([options.batch, 3, options.height, options.width], -1, 1)
    let batch = SPADEBatch(input: input, real: real)
    var noise = random.split("noise")

    let step = { _ = trainer.trainIteration(batch, random: &noise) }
    let forward = { _ = trainer.generate(input, random: &noise) }
    let stepSeconds = timeSamples(options, step)
    let forwardSeconds = timeSamples(options, forward)
    let rss = maxResidentMB()
    let profile = options.profile ? profileSPADE(trainer, batch, options) : nil
    return StepBenchSide(
        side: "Swift", threads: options.threads, stepSeconds: stepSeconds,
        forwardSeconds: forwardSeconds, maxRSSMB: rss, profile: profile,
        kernels: "OpenBLAS \(BLAS.coreName)")
}

/// The SPADE iteration by part: the generator (train mode; fwd+bwd with its parameter
/// gradients and a fixed random output gradient), the discriminator on [fake; real] (fwd+bwd
/// with its parameter gradients and the fake's gradient, which the generator step needs), and
/// the two Adam updates. The parts and their order match scripts/bench_step_torch.py.
func profileSPADE(_ trainer: SPADETrainer, _ batch: SPADEBatch, _ options: StepBenchOptions)
    -> [StepProfileRow]
{
    var random = RandomSource(seed: 0).split("bench-profile")
    let g = trainer.generator
    let noise = g.drawNoise(for: batch.input, random: &random)
    let gParams = g.parameters
    let fake = withoutGradient {
        g(batch.input, noise: noise, mode: .train, random: &random).value
    }
    let seed = Variable(random.normalTensor(fake.shape))
    let generatorRow = StepProfileRow(
        name: "generator",
        forward: median(
            timeSamples(options) {
                _ = withoutGradient { g(batch.input, noise: noise, mode: .train, random: &random) }
            }),
        forwardBackward: median(
            timeSamples(options) {
                _ = valueAndGradient(of: gParams) {
                    sum(g(batch.input, noise: noise, mode: .train, random: &random) * seed)
                }
            }))
    let fakeLeaf = Parameter(key: "input.fake", value: fake)
    let dParams = trainer.discriminator.parameters
    let outputs = withoutGradient {
        trainer.discriminate(batch.input, fake: Variable(fake), real: batch.real)
    }
    let seeds = (outputs.fake + outputs.real).flatMap { $0 }.map {
        Variable(random.normalTensor($0.shape))
    }
    let discriminatorRow = StepProfileRow(
        name: "discriminator",
        forward: median(
            timeSamples(options) {
                _ = withoutGradient {
                    trainer.discriminate(batch.input, fake: Variable(fake), real: batch.real)
                }
            }),
        forwardBackward: median(
            timeSamples(options) {
                _ = valueAndGradient(of: dParams + [fakeLeaf]) {
                    let out = trainer.discriminate(
                        batch.input, fake: Variable(fakeLeaf), real: batch.real)
                    let all = (out.fake + out.real).flatMap { $0 }
                    let terms = zip(all, seeds).map { sum($0 * $1) }
                    return terms.dropFirst().reduce(terms[0], +)
                }
            }))
    let adam = { (name: String, optimizer: Adam, params: [Parameter]) in
        let zeros = params.map { Tensor(zeros: $0.shape) }
        return StepProfileRow(
            name: name, forward: 0,
            forwardBackward: median(timeSamples(options) { optimizer.step(zeros) }))
    }
    return [
        generatorRow, discriminatorRow, adam("adam_g", trainer.optimizerG, gParams),
        adam("adam_d", trainer.optimizerD, dParams),
    ]
}
