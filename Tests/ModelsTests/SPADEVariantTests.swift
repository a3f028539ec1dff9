import NN
import Testing
import Tensors

@testable import Models

@Suite struct SPADEVariantTests {
    /// A small architecture: 3 labels + edge, ngf 1, 32x64 images.
    func arch(mimlp: Bool) -> SPADEArchitecture {
        var a = SPADEArchitecture()
        a.labelNC = 3
        a.ngf = 1
        a.ndf = 2
        a.nhidden = 8
        a.noiseDim = 4
        a.cropSize = 64
        a.mimlp = mimlp
        return a
    }

    func input() -> SPADEInput {
        var s = Tensor(zeros: [2, 4, 32, 64])
        var index = [Int32](repeating: -1, count: 2 * 32 * 64)
        for b in 0..<2 {
            for y in 0..<32 {
                for x in 0..<64 {
                    s.data[((b * 4) + (x / 8 + y / 8 + b) % 3) * 2048 + y * 64 + x] = 1
                    if (8..<24).contains(y) && (10 + 20 * b..<30 + 20 * b).contains(x) {
                        index[(b * 32 + y) * 64 + x] = 0
                    }
                }
            }
        }
        return SPADEInput(
            semantics: s, instanceIndex: Labels(shape: [2, 32, 64], data: index),
            instanceCounts: [1, 1])
    }

    /// L is L+I with a silent MIMLP: with every MIMLP weight zero, the L+I generator (additive)
    /// gives the L generator's output bit for bit, in train mode.
    @Test func silentMIMLPIsPlainSPADE() throws {
        var random = RandomSource(seed: 1)
        let plain = try SPADEGenerator(arch(mimlp: false), random: &random)
        let li = try SPADEGenerator(arch(mimlp: true), random: &random)
        // The L generator's state is the L+I state without the MIMLP entries.
        let liKeys = li.store.entries.map(\.key).filter { !$0.contains(".mimlp.") }
        #expect(plain.store.entries.map(\.key) == liKeys)
        for entry in li.store.entries {
            switch (entry, plain.store.entry(entry.key)) {
            case (.parameter(let p), .parameter(let q)?): p.value = q.value
            case (.parameter(let p), nil): p.value = Tensor(zeros: p.shape)  // mimlp.*
            case (.buffer(let b), .buffer(let c)?): b.value = c.value
            default: continue
            }
        }
        let x = input()
        let a = withoutGradient { plain(x, mode: .train, random: &random) }
        let b = withoutGradient { li(x, mode: .train, random: &random) }
        #expect(a.value == b.value)
    }

    /// In one SPADE module: background pixels get plain SPADE in every mode; inside an
    /// instance, replace mode with the literal gain gives x̂ γ_i + β_i.
    @Test func mimlpModesInOneModule() throws {
        var a = arch(mimlp: true)
        var random = RandomSource(seed: 2)
        var x = random.normalTensor([2, 2, 32, 64])
        x.data = x.data.map { $0 * 3 + 1 }
        let inp = input()
        let noise = InstanceNoise(z: [random.normalTensor([2, 4])])
        let ctx = SPADEContext(
            seg: Variable(inp.semantics), position: nil, index: inp.instanceIndex,
            counts: inp.instanceCounts, noise: noise)
        var outs: [Tensor] = []
        for (mode, literal) in [(MIMLPMode.additive, false), (.replace, true)] {
            a.mimlpMode = mode
            a.literalGain = literal
            var r = RandomSource(seed: 3)
            let norm = SPADENorm(
                2, arch: a, moduleIndex: 0, at: Scope(ParameterStore()), random: &r)
            for l in [norm.mimlp!.mlpShared, norm.mimlp!.mlpGamma, norm.mimlp!.mlpBeta] {
                l.weight.value.data = l.weight.value.data.map { $0 * 200 }
                l.bias!.value = Tensor(repeating: 0.3, shape: l.bias!.shape)
            }
            outs.append(withoutGradient { norm(Variable(x), ctx, mode: .eval) }.value)
            if mode == .replace {
                // Inside: x̂ γ + β with x̂ = x / sqrt(1 + eps) (eval, running stats 0 and 1).
                let (g, b) = withoutGradient { norm.mimlp!(Variable(noise.z[0])) }
                let p = 12 * 64 + 15  // inside image 0's instance
                for ch in 0..<2 {
                    let xh = x.data[ch * 2048 + p] / (1 + 1e-5).squareRoot()
                    let want = xh * g.value.data[ch] + b.value.data[ch]
                    #expect(abs(outs[1].data[ch * 2048 + p] - want) < 1e-4 * max(1, abs(want)))
                }
            }
        }
        let background = 2 * 64 + 2
        #expect(outs[0].data[background] == outs[1].data[background])
        let inside = 12 * 64 + 15
        #expect(outs[0].data[inside] != outs[1].data[inside])
    }

    /// Images without any instance (no car, no person) still run through L+I, train and eval.
    @Test func noInstances() throws {
        var random = RandomSource(seed: 4)
        let g = try SPADEGenerator(arch(mimlp: true), random: &random)
        var x = input()
        x.instanceIndex = Labels(repeating: -1, shape: [2, 32, 64])
        x.instanceCounts = [0, 0]
        let params = g.parameters
        let (value, grads) = valueAndGradient(of: params) {
            mean(g(x, mode: .train, random: &random))
        }
        #expect(value.isFinite)
        let mimlp = params.indices.filter { params[$0].key.contains("mimlp") }
        #expect(!mimlp.isEmpty && mimlp.allSatisfy { grads[$0].data.allSatisfy { $0 == 0 } })
        let y = withoutGradient { g(x, mode: .eval, random: &random) }
        #expect(y.shape == [2, 3, 32, 64])
    }
}
