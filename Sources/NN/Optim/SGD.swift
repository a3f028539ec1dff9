import Tensors

/// Stochastic gradient descent with momentum (PyTorch `torch.optim.SGD`, single-tensor path,
/// nesterov off): d = g + wd * p; buf = d on the first step, else momentum * buf +
/// (1 - dampening) * d; p -= lr * buf.
public final class SGD: Optimizer {
    public var groups: [ParameterGroup]
    public let momentum: Double
    public let dampening: Double
    public let weightDecay: Double
    private let slots: StateSlots
    /// `momentum_buffer` per parameter, created on its first step.
    private var buffers: [Tensor?]

    public init(
        groups: [ParameterGroup], momentum: Double = 0, dampening: Double = 0,
        weightDecay: Double = 0
    ) {
        self.groups = groups
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        let parameters = groups.flatMap(\.parameters)
        self.slots = StateSlots(parameters)
        self.buffers = [Tensor?](repeating: nil, count: parameters.count)
    }

    /// One group with learning rate `lr`.
    public convenience init(
        _ parameters: [Parameter], lr: Double, momentum: Double = 0, dampening: Double = 0,
        weightDecay: Double = 0
    ) {
        self.init(
            groups: [ParameterGroup(parameters, lr: lr)], momentum: momentum, dampening: dampening,
            weightDecay: weightDecay)
    }

    public func step(_ gradients: [Tensor]) {
        validateGradients(gradients, parameters, "SGD.step")
        let wd = Float(weightDecay)
        let mu = Float(momentum)
        let keep = Float(1 - dampening)
        var i = 0
        for group in groups {
            let lr = Float(group.lr)
            for p in group.parameters {
                // PyTorch's first step copies the (decayed) gradient into a new buffer.
                let first = buffers[i] == nil
                var buf = buffers[i] ?? Tensor(zeros: mu != 0 ? p.shape : [0])
                buffers[i] = nil  // leaves `buf` the only owner: updated in place, not copied
                withPointers(&p.value, gradients[i], &buf) { x, g, b, range in
                    for j in range {
                        let d = wd != 0 ? g[j] + wd * x[j] : g[j]
                        if mu == 0 {
                            x[j] = x[j] + (-lr) * d
                        } else {
                            b[j] = first ? d : b[j] * mu + keep * d
                            x[j] = x[j] + (-lr) * b[j]
                        }
                    }
                }
                if mu != 0 { buffers[i] = buf }
                i += 1
            }
        }
    }

    public var state: [OptimizerStateEntry] {
        zip(slots.keys, buffers).compactMap { key, buf in
            buf.map { OptimizerStateEntry(key: key, name: "momentum_buffer", value: $0) }
        }
    }

    public func restore(_ entries: [OptimizerStateEntry]) throws {
        var restored = [Tensor?](repeating: nil, count: buffers.count)
        for entry in entries {
            guard entry.name == "momentum_buffer" else {
                throw OptimizerStateError(
                    description: "SGD has no state \(entry.name) (for \(entry.key))",
                    key: "optimizer/\(entry.key).\(entry.name)")
            }
            restored[try slots.position(of: entry)] = entry.value
        }
        buffers = restored
    }
}

/// Runs `body(param, grad, state, range)` over parallel chunks of the elements; `states` are
/// per-element tensors shaped like the parameter (or empty when unused). Elementwise, so the
/// result does not depend on the thread count.
func withPointers(
    _ param: inout Tensor, _ grad: Tensor, _ state: inout Tensor,
    _ body: (
        UnsafeMutablePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Range<Int>
    ) -> Void
) {
    var none = Tensor(zeros: [0])
    withPointers(&param, grad, &state, &none) { x, g, a, _, range in body(x, g, a, range) }
}

/// As above with two state tensors (Adam's moments).
func withPointers(
    _ param: inout Tensor, _ grad: Tensor, _ s1: inout Tensor, _ s2: inout Tensor,
    _ body: (
        UnsafeMutablePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>,
        UnsafeMutablePointer<Float>, Range<Int>
    ) -> Void
) {
    let n = param.count
    param.withUnsafeMutableBufferPointer { pb in
        grad.withUnsafeBufferPointer { gb in
            s1.withUnsafeMutableBufferPointer { ab in
                s2.withUnsafeMutableBufferPointer { bb in
                    guard n > 0 else { return }
                    let x = pb.baseAddress!
                    let g = gb.baseAddress!
                    let a = ab.baseAddress ?? x
                    let b = bb.baseAddress ?? x
                    Parallel.forChunks(n, grain: 1 << 15) { range in body(x, g, a, b, range) }
                }
            }
        }
    }
}
