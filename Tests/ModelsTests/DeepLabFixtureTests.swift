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
                let label = Int32((i / 8 + 2 * (j / 8) + b) % classes)
                data.append((i + 2 * j) % 13 == 0 ? 255 : label)
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

/// Case `name` under cases/ of deeplab_small.h5 (the op-fixture layout).
func modelCase(_ name: String) throws -> FixtureCase {
    try Fixture.case("deeplab_small.h5", "cases/\(name)")
}

@Suite struct DeepLabFixtureTests {
    // Tests/Fixtures/scripts/make_models.py: the PyTorch mirror of CAC's model at 1/16 width,
    // blocks [1, 1, 1, 2], heads of 3 and 4 classes, input (2, 3, 128, 112), weights with random
    // batch-norm parameters and statistics; eval cases (attribute `expression`):
    // `feats = model.encoder(x)`, `model.logits(feats, 1)`,
    // `model.project(F.avg_pool2d(feats, 2, 2))`, `model(x, 0)[:, :, row, :]`.
    @Test func evalForwardMatchesPyTorch() throws {
        let (model, file) = try smallModel(smallConfig)
        let expected = try ["features", "logits_1", "projection", "output_0_row"].map {
            try modelCase("eval_\($0)")
        }
        let x = Variable(try expected[0].inputs["x"])
        var random = RandomSource(seed: 9)
        let (features, logits, projection, output) = withoutGradient {
            let f = model.features(x, mode: .eval, random: &random)
            return (
                f, model.logits(f, domain: 1, mode: .eval, random: &random),
                model.project(avgPool2d(f, kernel: 2, stride: 2)),
                model(x, domain: 0, mode: .eval, random: &random)
            )
        }
        expectClose(features.value, expected[0].output, "features")
        expectClose(logits.value, expected[1].output, "logits domain 1")
        expectClose(projection.value, expected[2].output, "projection")
        // One upsampled row (h = 128 / 3) per image and class: out[:, :, 42, :].
        let (n, k, h, w) = (2, 3, 128, 112)
        #expect(output.shape == [n, k, h, w])
        #expect(try expected[3].int("row") == h / 3)
        let row = Tensor(
            shape: [n, k, w],
            unsafeUninitialized: { out in
                for i in 0..<(n * k) {
                    for j in 0..<w { out[i * w + j] = output.value.data[(i * h + h / 3) * w + j] }
                }
            })
        expectClose(row, expected[3].output, "upsampled logits row")
        // Eval mode changes no state.
        let bn = model.backbone.bn1
        #expect(bn.numBatchesTracked.value == 7)
        #expect(bn.runningMean.value == (try file.tensor("encoder.backbone.bn1.running_mean")))
    }

    // make_models.py, case `train` (train mode, dropout 0): `feats = train.encoder(x)`,
    // `ce = F.cross_entropy(F.interpolate(train.logits(feats, 0), (H, W), bilinear,
    // align_corners=True), labels, ignore_index=255)`,
    // `loss = ce + 0.5 * (train.project(F.avg_pool2d(feats, 2, 2)) ** 2).mean()`, `backward()`;
    // output the loss, grad_inputs the gradients of 14 parameters (by state_dict key),
    // state_after the running statistics of 4 batch norms.
    @Test func trainForwardBackwardMatchesPyTorch() throws {
        let (model, _) = try smallModel(smallConfig.withoutDropout)
        let c = try modelCase("train")
        let x = Variable(try c.inputs["x"])
        let labels = try c.inputs.labels("labels")
        #expect(labels == fixtureLabels(n: 2, h: 128, w: 112, classes: 3))
        #expect(try c.gradOutput.data == [1])
        let names = c.gradInputs.names
        let keys = names + ["classifiers.1.1.weight"]
        let params = keys.map { key in model.store.parameters.first { $0.key == key }! }
        var random = RandomSource(seed: 9)
        let (loss, grads) = valueAndGradient(of: params) {
            let f = model.features(x, mode: .train, random: &random)
            let logits = model.logits(f, domain: 0, mode: .train, random: &random)
            let up = resizeBilinear(logits, height: 128, width: 112, alignCorners: true)
            let p = model.project(avgPool2d(f, kernel: 2, stride: 2))
            return crossEntropy(up, labels) + mean(p * p) * 0.5
        }
        let expectedLoss = c.output.data[0]
        #expect(
            isClose(loss, expectedLoss, atol: 1e-5, rtol: 1e-4), "loss \(loss) vs \(expectedLoss)")
        for (i, name) in names.enumerated() {
            expectClose(grads[i], try c.gradInputs[name], "grad \(name)", rtol: 1e-3)
        }
        // The other domain's head gets no gradient.
        #expect(grads.last!.data.allSatisfy { $0 == 0 })
        #expect(c.stateAfter.names.count == 4)
        for name in c.stateAfter.names {
            guard case .buffer(let b) = model.store.entry(name) else {
                Issue.record("no buffer for \(name)")
                continue
            }
            expectClose(b.value, try c.stateAfter[name], "state \(name)")
        }
        #expect(model.backbone.bn1.numBatchesTracked.value == 8)
    }
}
