import Testing

@testable import Tensors

/// Counts the backward calls of a probe op and the `needs` flags each call received.
final class BackwardLog: @unchecked Sendable {
    var calls: [[Bool]] = []
}

/// `x * p`, elementwise, recorded with a backward that logs its calls and computes only the
/// gradients it is asked for (as every op of the library does).
func probe(_ x: Variable, _ p: Variable, _ log: BackwardLog) -> Variable {
    let y = Tensor(shape: x.shape, data: zip(x.value.data, p.value.data).map { $0 * $1 })
    return Variable.record(y, inputs: [x, p]) { g, needs in
        log.calls.append(needs)
        let gx =
            needs[0] ? Tensor(shape: g.shape, data: zip(g.data, p.value.data).map { $0 * $1 }) : nil
        let gp =
            needs[1] ? Tensor(shape: g.shape, data: zip(g.data, x.value.data).map { $0 * $1 }) : nil
        return [gx, gp]
    }
}

/// The tape's contract, which the GAN steps rely on (a generator step must compute no
/// discriminator weight gradients; a detached fake must stop gradients).
@Suite struct TapeTests {
    let x = Variable(Tensor(shape: [3], data: [1, 2, 3]))

    @Test func onlyRequestedParametersGetGradientsAndKernels() {
        let a = Parameter(key: "a", value: Tensor(shape: [3], data: [0.5, -1, 2]))
        let b = Parameter(key: "b", value: Tensor(shape: [3], data: [4, 5, 6]))
        let logA = BackwardLog()
        let logB = BackwardLog()
        let (value, grads) = valueAndGradient(of: [a]) {
            sum(probe(x, Variable(a), logA)) + sum(probe(x, Variable(b), logB))
        }
        let expected: Float = 0.5 - 2 + 6 + 4 + 10 + 18
        #expect(value == expected)
        #expect(grads.count == 1)
        #expect(grads[0].data == [1, 2, 3] as [Float])
        // b was not requested: its branch recorded nothing, so no backward kernel ran for it.
        #expect(logB.calls.isEmpty)
        // a's op ran once and was asked only for the parameter's gradient (x is a constant).
        #expect(logA.calls == [[false, true]])
    }

    @Test func anUnrequestedInputOfASharedOpGetsNoGradientBuffer() {
        let a = Parameter(key: "a", value: Tensor(shape: [3], data: [1, 1, 1]))
        let b = Parameter(key: "b", value: Tensor(shape: [3], data: [2, 2, 2]))
        let log = BackwardLog()
        // b enters the op as a constant (not requested): the op computes a's gradient only.
        let (_, grads) = valueAndGradient(of: [a]) { sum(probe(Variable(a), Variable(b), log)) }
        #expect(log.calls == [[true, false]])
        #expect(grads[0].data == [2, 2, 2])
    }

    @Test func requestedParametersTheLossNeverReachesGetZeros() {
        let a = Parameter(key: "a", value: Tensor(shape: [2, 2], data: [1, 2, 3, 4]))
        let unused = Parameter(
            key: "unused", value: Tensor(shape: [2, 3], data: Array(repeating: 7, count: 6)))
        let (_, grads) = valueAndGradient(of: [a, unused]) { sum(Variable(a) * Variable(a)) }
        #expect(grads[0].data == [2, 4, 6, 8])
        #expect(grads[1].shape == [2, 3] && grads[1].data.allSatisfy { $0 == 0 })
    }

    @Test func aDetachedValueStopsGradients() {
        let g = Parameter(key: "generator", value: Tensor(shape: [3], data: [1, 2, 3]))
        let d = Parameter(key: "discriminator", value: Tensor(shape: [3], data: [0.5, 0.5, 0.5]))
        let logG = BackwardLog()
        let logD = BackwardLog()
        // The discriminator step: the fake is made by G, detached, then judged by D.
        let (_, grads) = valueAndGradient(of: [g, d]) {
            let fake = probe(x, Variable(g), logG).detached()
            return sum(probe(fake, Variable(d), logD))
        }
        #expect(grads[0].data == [0, 0, 0])  // nothing flows back into G
        #expect(grads[1].data == [1, 4, 9])  // D's gradient is the fake itself
        #expect(logG.calls.isEmpty)
        #expect(logD.calls == [[false, true]])
    }

    @Test func withoutGradientRecordsNothing() {
        let a = Parameter(key: "a", value: Tensor(shape: [3], data: [1, 2, 3]))
        let log = BackwardLog()
        var inner: Variable?
        let (_, grads) = valueAndGradient(of: [a]) {
            inner = withoutGradient { probe(x, Variable(a), log) }
            return sum(Variable(a))
        }
        #expect(inner?.requiresGradient == false)
        #expect(log.calls.isEmpty)
        #expect(grads[0].data == [1, 1, 1])
        // Outside any valueAndGradient (evaluation), parameters are constants.
        #expect(!Variable(a).requiresGradient)
        #expect(!probe(x, Variable(a), log).requiresGradient)
    }

    @Test func accumulationAcrossBranchesIsInExecutionOrder() {
        let a = Parameter(key: "a", value: Tensor(shape: [1], data: [3]))
        let (value, grads) = valueAndGradient(of: [a]) {
            let v = Variable(a)
            return sum(v * v) + sum(v * 2) + sum(v)
        }
        #expect(value == Float(9 + 6 + 3))
        #expect(grads[0].data == [Float(2 * 3 + 2 + 1)])
    }
}
