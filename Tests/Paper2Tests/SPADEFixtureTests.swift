import Data
import Models
import NN
import Paper2
import Storage
import Tensors
import Testing
import TestSupport

@Suite struct SPADEFixtureTests {
    // Tests/Fixtures/scripts/make_spade.py: the conditioning S = [one-hot; get_edges], the
    // instance index (ascending ids >= 1000) and the position map (float64 loops), computed in
    // Python from the same maps.
    @Test func conditioningMatchesPyTorch() throws {
        let c = try SmallCase()
        #expect(c.input.semantics == (try c.file.tensor("cond/semantics")))
        #expect(c.input.instanceIndex == (try c.file.labels("cond/index")))
        #expect(c.input.instanceCounts == [3, 2])
        let pe = try c.file.tensor("cond/position")
        #expect(mismatch(c.input.position!, pe, atol: 1e-6, rtol: 1e-6) == nil)
    }

    // make_spade.py: `g = copy.deepcopy(g0).eval(); g(sem, ctx["eval"])` and the same in train
    // mode with ctx["g"] (batch statistics; BN running stats and spectral u updated).
    @Test func generatorForwardMatchesPyTorch() throws {
        let c = try SmallCase()
        for mode in [Mode.eval, .train] {
            var random = RandomSource(seed: 1)
            let g = try SPADEGenerator(smallConfig().architecture, random: &random)
            try loadState(c.file, "G", into: g.store)
            let noise = try c.noise(mode == .eval ? "eval" : "g", modules: g.norms.count)
            let y = withoutGradient { g(c.input, noise: noise, mode: mode, random: &random) }
            let name = mode == .eval ? "g_eval" : "g_train"
            let problem = expectClose(y.value, try c.file.tensor("out/\(name)"), name, rtol: 1e-4)
            #expect(problem == nil, "\(problem ?? "")")
            guard mode == .train else { continue }
            let rv = g.head0.norm0.paramFreeNorm.runningVar.value
            let key = "out/g_train_state/head_0.norm_0.param_free_norm.running_var"
            #expect(expectClose(rv, try c.file.tensor(key), "running_var") == nil)
            let u = g.ups[1].conv0.norm.u.value
            let uKey = "out/g_train_state/up_1.conv_0.weight_u"
            #expect(expectClose(u, try c.file.tensor(uKey), "weight_u", rtol: 1e-4) == nil)
        }
    }

    // make_spade.py: `d(torch.cat([sem, real], 1))` in eval and in train mode, every layer of
    // both scales.
    @Test func discriminatorForwardMatchesPyTorch() throws {
        let c = try SmallCase()
        for mode in [Mode.eval, .train] {
            var random = RandomSource(seed: 2)
            let d = try MultiscaleDiscriminator(smallConfig().architecture, random: &random)
            try loadState(c.file, "D", into: d.store)
            let x = Variable(
                withoutGradient {
                    concatChannels([Variable(c.input.semantics), Variable(c.real)]).value
                })
            let outs = withoutGradient { d(x, mode: mode) }
            #expect(outs.count == 2 && outs.allSatisfy { $0.count == 5 })
            let tag = mode == .eval ? "eval" : "train"
            for (s, scale) in outs.enumerated() {
                for (j, t) in scale.enumerated() {
                    let name = "out/d_\(tag)/\(s)/\(j)"
                    let problem = expectClose(t.value, try c.file.tensor(name), name, rtol: 1e-4)
                    #expect(problem == nil, "\(problem ?? "")")
                }
            }
        }
    }

    // make_spade.py, one iteration: Adam(G, lr 1e-4, betas (0, 0.9)), Adam(D, 4e-4); G step
    // (`(gan + feat).backward()`, G step), then D step on `g(sem, ctx["d"])` under no_grad.
    // Saved: the four losses, every gradient and both networks' states after the updates.
    @Test func trainingIterationMatchesPyTorch() throws {
        let c = try SmallCase()
        let trainer = try SPADETrainer(smallConfig(), random: RandomSource(seed: 3))
        try loadState(c.file, "G", into: trainer.generator.store)
        try loadState(c.file, "D", into: trainer.discriminator.store)
        #expect(trainer.optimizerG.groups[0].lr == 1e-4)
        #expect(trainer.optimizerD.groups[0].lr == 4e-4)
        let batch = SPADEBatch(input: c.input, real: c.real)
        let modules = trainer.generator.norms.count
        var random = RandomSource(seed: 4)
        var problems: [String] = []
        let g = trainer.generatorStep(
            batch, noise: try c.noise("g", modules: modules), random: &random)
        problems += try compareUpdate(
            c.file, "G", trainer.generator.parameters, g.gradients, lr: 1e-4)
        let d = trainer.discriminatorStep(
            batch, noise: try c.noise("d", modules: modules), random: &random)
        problems += try compareUpdate(
            c.file, "D", trainer.discriminator.parameters, d.gradients, lr: 4e-4)
        let losses = try c.file.tensor("out/losses").data
        for (got, want) in zip([g.gan, g.feat, d.fake, d.real], losses) {
            #expect(isClose(got, want, atol: 1e-5, rtol: 1e-4), "loss \(got) vs \(want)")
        }
        for (prefix, store) in [
            ("after_G", trainer.generator.store), ("after_D", trainer.discriminator.store),
        ] {
            for entry in store.entries {
                let name = "\(prefix)/\(entry.key)"
                switch entry {
                case .parameter: continue
                case .buffer(let b):
                    problems += [expectClose(b.value, try c.file.tensor(name), name, rtol: 1e-4)]
                        .compactMap { $0 }
                case .counter(let k):
                    if k.value != (try c.file.int64s(name).values[0]) { problems.append(name) }
                }
            }
        }
        let shown = problems.map { $0.prefix(150) }
        #expect(problems.isEmpty, "\(problems.count) mismatches: \(shown)")
    }
}

/// Compares one network's gradients and Adam-updated parameters with the fixture.
///
/// A conv bias followed (through any path) by a batch norm has a zero gradient in exact
/// arithmetic: both frameworks return rounding noise there (~1e-7), which Adam's first step
/// (m / sqrt(v), beta1 = 0) turns into a move of +-lr with an arbitrary sign. So gradients get
/// an absolute floor of 1e-6 x the network's largest gradient (otherwise 1e-3 x the
/// tensor's own largest); a parameter whose whole
/// gradient lies under that floor may end up to 2 lr away from PyTorch's, and is then set to
/// PyTorch's value so that the next forward starts from the same weights. Every other updated
/// value is compared tightly.
func compareUpdate(
    _ file: HDF5File, _ prefix: String, _ params: [Parameter], _ grads: [Tensor], lr: Float
) throws -> [String] {
    let expected = try params.map { try file.tensor("grad_\(prefix)/\($0.key)") }
    let scale = expected.map { $0.data.reduce(0) { max($0, abs($1)) } }.max()!
    let floor = 1e-6 * scale
    var problems: [String] = []
    for (i, p) in params.enumerated() {
        let own = expected[i].data.reduce(0) { max($0, abs($1)) }
        if let m = mismatch(grads[i], expected[i], atol: max(floor, 1e-3 * own), rtol: 1e-3) {
            problems.append("grad \(prefix) \(p.key): \(m)")
        }
        let noise = expected[i].data.allSatisfy { abs($0) <= floor }
        let after = try file.tensor("after_\(prefix)/\(p.key)")
        if let m = mismatch(p.value, after, atol: noise ? 2.5 * lr : 1e-6, rtol: 1e-4) {
            problems.append("after \(prefix) \(p.key): \(m)")
        }
        if noise { p.value = after }
    }
    return problems
}
