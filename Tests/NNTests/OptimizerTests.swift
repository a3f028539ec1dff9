import TestSupport
import Testing

@testable import NN
@testable import Tensors

@Suite struct OptimizerTests {
    static func parameter(_ key: String, _ values: [Float]) -> Parameter {
        Parameter(key: key, value: Tensor(shape: [values.count], data: values))
    }

    @Test func sgdFirstStepCopiesTheDecayedGradientIntoTheBuffer() {
        let p = Self.parameter("w", [1, -2])
        let sgd = SGD([p], lr: 0.1, momentum: 0.9, weightDecay: 0.5)
        sgd.step([Tensor(shape: [2], data: [0.5, 1])])
        // d = g + 0.5 p = (1, 0); p -= 0.1 d
        #expect(p.value.data == [Float(1) - Float(0.1) * 1, -2])
        #expect(
            sgd.state == [
                OptimizerStateEntry(
                    key: "w", name: "momentum_buffer", value: Tensor(shape: [2], data: [1, 0]))
            ])
        sgd.step([Tensor(shape: [2], data: [0, 0])])
        // buf = 0.9 * buf + 0.5 p
        let buf = sgd.state[0].value.data
        #expect(isClose(buf[0], 0.9 + 0.5 * 0.9) && isClose(buf[1], -1))
    }

    @Test func groupsHaveTheirOwnLearningRates() {
        let head = Self.parameter("head", [1])
        let backbone = Self.parameter("backbone", [1])
        let sgd = SGD(groups: [
            ParameterGroup([head], lr: 0.01), ParameterGroup([backbone], lr: 0.001),
        ])
        PolySchedule(totalIterations: 10).apply(to: sgd, iteration: 0)
        sgd.step([Tensor(shape: [1], data: [1]), Tensor(shape: [1], data: [1])])
        #expect(head.value.data == [1 - Float(0.01)])
        #expect(backbone.value.data == [1 - Float(0.001)])
    }

    @Test func adamFirstStepMovesByTheLearningRate() {
        let p = Self.parameter("w", [0, 0])
        let adam = Adam([p], lr: 0.01)
        adam.step([Tensor(shape: [2], data: [3, -0.5])])
        #expect(isClose(p.value.data[0], -0.01) && isClose(p.value.data[1], 0.01))
        #expect(adam.state.map(\.name) == ["step", "exp_avg", "exp_avg_sq"])
    }

    @Test func stateRestoresIntoAFreshOptimizer() throws {
        let p = Self.parameter("w", [1, 2])
        let q = Self.parameter("w", [1, 2])
        let a = Adam([p], lr: 0.1, beta1: 0, beta2: 0.9)
        let b = Adam([q], lr: 0.1, beta1: 0, beta2: 0.9)
        let g = Tensor(shape: [2], data: [0.3, -0.2])
        a.step([g])
        q.value = p.value
        try b.restore(a.state)
        a.step([g])
        b.step([g])
        #expect(p.value == q.value)
        #expect(throws: OptimizerStateError.self) {
            try b.restore([OptimizerStateEntry(key: "nope", name: "exp_avg", value: g)])
        }
    }

    /// CAC's Poly: t = 0 uses the full lr; (1 - t/T)^0.9 afterwards.
    @Test func polySchedule() {
        let poly = PolySchedule(totalIterations: 92_560)
        #expect(poly.factor(iteration: 0) == 1)
        #expect(isClose(Float(poly.factor(iteration: 46_280)), 0.535_886_731))
        #expect(poly.factor(iteration: 92_560) == 0)
        let warm = PolySchedule(totalIterations: 100, warmupIterations: 10)
        #expect(warm.factor(iteration: 5) == 0.5)
    }

    /// spade.md §10: niter = niter_decay = 100 gives factors 1 (epoch 101), 0.99 (102),
    /// 0.51 (150), 0.01 (200).
    @Test func linearDecaySchedule() {
        let decay = LinearDecaySchedule(niter: 100, niterDecay: 100)
        #expect(decay.factor(epoch: 1) == 1 && decay.factor(epoch: 101) == 1)
        #expect(isClose(Float(decay.factor(epoch: 102)), 0.99))
        #expect(isClose(Float(decay.factor(epoch: 150)), 0.51))
        #expect(isClose(Float(decay.factor(epoch: 200)), 0.01))
    }
}

/// Trajectories against torch.optim (make_optimizers.py, optimizers.h5): two parameters
/// (3x4 and 5), five steps on fixed standard-normal gradients; the parameters after each step.
/// Each trajectory's `lr` (steps x groups) is torch's learning rate per step: ours must agree.
@Suite struct OptimizerGoldenTests {
    func run(_ name: String, lrs: (Int) -> [Double], _ make: ([Parameter]) -> Optimizer) throws {
        let f = try Fixture.open("optimizers.h5")
        let params = try (0..<2).map {
            Parameter(key: "p\($0)", value: try f.tensor("\(name)/initial/p\($0)"))
        }
        let grads = try (0..<2).map { try f.tensor("\(name)/grads/p\($0)") }
        let after = try (0..<2).map { try f.tensor("\(name)/after/p\($0)") }
        let torchLRs = try f.tensor("\(name)/lr")
        let optimizer = make(params)
        for t in 0..<5 {
            let ours = Tensor(shape: [lrs(t).count], data: lrs(t).map { Float($0) })
            #expect(mismatch(ours, slice(torchLRs, t)) == nil, "\(name) lr at step \(t)")
            for (g, lr) in lrs(t).enumerated() { optimizer.groups[g].lr = lr }
            optimizer.step(grads.map { slice($0, t) })
            for i in 0..<2 {
                let m = mismatch(params[i].value, slice(after[i], t), atol: 1e-6, rtol: 1e-5)
                #expect(m == nil, "\(name) step \(t) param\(i): \(m ?? "")")
            }
        }
    }

    /// Row `t` of a stacked (steps, ...) tensor.
    func slice(_ x: Tensor, _ t: Int) -> Tensor {
        let shape = Array(x.shape.dropFirst())
        let n = shape.reduce(1, *)
        return Tensor(shape: shape, data: Array(x.data[t * n..<(t + 1) * n]))
    }

    /// CAC: SGD(momentum 0.9, weight_decay 1e-4), groups lr 0.1 and 0.01, Poly over T = 8 set
    /// before every step.
    @Test func sgdWithPolyMatchesTorch() throws {
        let poly = PolySchedule(totalIterations: 8)
        try run(
            "sgd",
            lrs: { t in [0.1 * poly.factor(iteration: t), 0.01 * poly.factor(iteration: t)] }
        ) { ps in
            SGD(
                groups: [ParameterGroup([ps[0]], lr: 0.1), ParameterGroup([ps[1]], lr: 0.01)],
                momentum: 0.9, weightDecay: 1e-4)
        }
    }

    /// SPADE: Adam(betas=(0, 0.9)), groups lr 1e-4 (G) and 4e-4 (D).
    @Test func adamSpadeMatchesTorch() throws {
        try run("adam_spade", lrs: { _ in [1e-4, 4e-4] }) { ps in
            Adam(
                groups: [ParameterGroup([ps[0]], lr: 1e-4), ParameterGroup([ps[1]], lr: 4e-4)],
                beta1: 0, beta2: 0.9)
        }
    }

    /// Adam(lr=1e-2, weight_decay=0.01), default betas, one group.
    @Test func adamWeightDecayMatchesTorch() throws {
        try run("adam_wd", lrs: { _ in [1e-2] }) { ps in Adam(ps, lr: 1e-2, weightDecay: 0.01) }
    }

    @Test func everyTrajectoryIsTested() throws {
        #expect(try Fixture.caseNames("optimizers.h5") == ["adam_spade", "adam_wd", "sgd"])
    }
}
