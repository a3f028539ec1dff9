import Testing
import TestSupport
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
        #expect(sgd.state == [OptimizerStateEntry(key: "w", name: "momentum_buffer", value: Tensor(shape: [2], data: [1, 0]))])
        sgd.step([Tensor(shape: [2], data: [0, 0])])
        // buf = 0.9 * buf + 0.5 p
        let buf = sgd.state[0].value.data
        #expect(isClose(buf[0], 0.9 + 0.5 * 0.9) && isClose(buf[1], -1))
    }

    @Test func groupsHaveTheirOwnLearningRates() {
        let head = Self.parameter("head", [1]), backbone = Self.parameter("backbone", [1])
        let sgd = SGD(groups: [ParameterGroup([head], lr: 0.01), ParameterGroup([backbone], lr: 0.001)])
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
        let p = Self.parameter("w", [1, 2]), q = Self.parameter("w", [1, 2])
        let a = Adam([p], lr: 0.1, beta1: 0, beta2: 0.9), b = Adam([q], lr: 0.1, beta1: 0, beta2: 0.9)
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
