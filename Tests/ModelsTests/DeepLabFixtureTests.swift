import NN
import Storage
import Testing
import Tensors
import TestSupport

@testable import Models

/// make_models.py's `labels`: class blocks of 8x8 pixels, pixels with (h + 2w) % 13 == 0 ignored.
func fixtureLabels(n: Int, h: Int, w: Int, classes: Int) -> Labels {
    var data: [Int32] = []
    for b in 0..<n {
        for i in 0..<h {
            for j in 0..<w {
                data.append((i + 2 * j) % 13 == 0 ? 255 : Int32((i / 8 + 2 * (j / 8) + b) % classes))
            }
        }
    }
    return Labels(shape: [n, h, w], data: data)
}

/// The small model with the fixture's weights (a strict checkpoint load of PyTorch's
/// state_dict), and the fixture file.
func smallModel(_ config: DeepLabConfig) throws -> (DeepLabV3Plus, HDF5File) {
    let model = DeepLabV3Plus(config, random: RandomSource(seed: 0))
    try Checkpoint.load(Fixture.path("deeplab_small.h5"), into: model.store, strict: true)
    return (model, try Fixture.open("deeplab_small.h5"))
}

/// `actual` against `expected` with a tolerance scaled by the expected magnitude.
func expectClose(_ actual: Tensor, _ expected: Tensor, _ name: String, rtol: Float = 1e-5) {
    let scale = expected.data.reduce(0) { max($0, abs($1)) }
    let problem = mismatch(actual, expected, atol: max(scale, 1e-6) * rtol, rtol: rtol)
    #expect(problem == nil, "\(name): \(problem ?? "")")
}

@Suite struct DeepLabFixtureTests {
    // Tests/Fixtures/scripts/make_models.py: the PyTorch mirror of CAC's model at 1/16 width,
    // blocks [1, 1, 1, 2], heads of 3 and 4 classes, input (2, 3, 128, 112), weights with random
    // batch-norm parameters and statistics; eval: `feats = model.encoder(x)`,
    // `model.logits(feats, 1)`, `model.project(F.avg_pool2d(feats, 2, 2))`, `model(x, 0)`.
    @Test func evalForwardMatchesPyTorch() throws {
        let (model, file) = try smallModel(smallConfig)
        let x = Variable(try file.tensor("outputs/input"))
        var random = RandomSource(seed: 9)
        let (features, logits, projection, output) = withoutGradient {
            let f = model.features(x, mode: .eval, random: &random)
            return (
                f, model.logits(f, domain: 1, mode: .eval, random: &random),
                model.project(avgPool2d(f, kernel: 2, stride: 2)),
                model(x, domain: 0, mode: .eval, random: &random)
            )
        }
        expectClose(features.value, try file.tensor("outputs/eval_features"), "features")
        expectClose(logits.value, try file.tensor("outputs/eval_logits_1"), "logits domain 1")
        expectClose(projection.value, try file.tensor("outputs/eval_projection"), "projection")
        // One upsampled row (h = 128 / 3) per image and class: out[:, :, 42, :].
        let (n, k, h, w) = (2, 3, 128, 112)
        #expect(output.shape == [n, k, h, w])
        let row = Tensor(shape: [n, k, w], unsafeUninitialized: { out in
            for i in 0..<(n * k) {
                for j in 0..<w { out[i * w + j] = output.value.data[(i * h + h / 3) * w + j] }
            }
        })
        expectClose(row, try file.tensor("outputs/eval_output_0_row"), "upsampled logits row")
        // Eval mode changes no state.
        let bn = model.backbone.bn1
        #expect(bn.numBatchesTracked.value == 7)
        #expect(bn.runningMean.value == (try file.tensor("encoder.backbone.bn1.running_mean")))
    }

    // make_models.py, train mode with dropout 0: `feats = train.encoder(x)`,
    // `ce = F.cross_entropy(F.interpolate(train.logits(feats, 0), (H, W), bilinear,
    // align_corners=True), labels, ignore_index=255)`,
    // `loss = ce + 0.5 * (train.project(F.avg_pool2d(feats, 2, 2)) ** 2).mean()`, `backward()`;
    // saved: loss, gradients of 14 parameters, running statistics of 4 batch norms.
    @Test func trainForwardBackwardMatchesPyTorch() throws {
        let (model, file) = try smallModel(smallConfig.withoutDropout)
        let x = Variable(try file.tensor("outputs/input"))
        let labels = fixtureLabels(n: 2, h: 128, w: 112, classes: 3)
        let names = try file.names(in: "outputs").filter { $0.hasPrefix("grad.") }.sorted()
        let keys = names.map { String($0.dropFirst("grad.".count)) } + ["classifiers.1.1.weight"]
        let params = keys.map { key in model.store.parameters.first { $0.key == key }! }
        var random = RandomSource(seed: 9)
        let (loss, grads) = valueAndGradient(of: params) {
            let f = model.features(x, mode: .train, random: &random)
            let logits = model.logits(f, domain: 0, mode: .train, random: &random)
            let up = resizeBilinear(logits, height: 128, width: 112, alignCorners: true)
            let p = model.project(avgPool2d(f, kernel: 2, stride: 2))
            return crossEntropy(up, labels) + mean(p * p) * 0.5
        }
        let expectedLoss = try file.tensor("outputs/train_loss").data[0]
        #expect(isClose(loss, expectedLoss, atol: 1e-5, rtol: 1e-4), "loss \(loss) vs \(expectedLoss)")
        for (i, name) in names.enumerated() {
            expectClose(grads[i], try file.tensor("outputs/\(name)"), name, rtol: 1e-3)
        }
        // The other domain's head gets no gradient.
        #expect(grads.last!.data.allSatisfy { $0 == 0 })
        for name in try file.names(in: "outputs").filter({ $0.hasPrefix("stat.") }).sorted() {
            guard case .buffer(let b) = model.store.entry(String(name.dropFirst("stat.".count))) else {
                Issue.record("no buffer for \(name)")
                continue
            }
            expectClose(b.value, try file.tensor("outputs/\(name)"), name)
        }
        #expect(model.backbone.bn1.numBatchesTracked.value == 8)
    }
}
