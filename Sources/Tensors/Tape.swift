/// A value on the active tape. `id == nil` means a constant: no gradient flows into it.
public struct Variable: Sendable {
    /// The forward value.
    public let value: Tensor
    /// The node index on the tape that recorded it, or nil for a constant.
    public let id: Int?

    /// A constant (never differentiated).
    public init(_ value: Tensor) {
        self.value = value
        self.id = nil
    }

    init(value: Tensor, id: Int?) {
        self.value = value
        self.id = id
    }

    /// The parameter's value: a tape leaf if its gradient was requested, a constant otherwise.
    public init(_ parameter: Parameter) {
        self.value = parameter.value
        self.id = Tape.current?.leafID(of: parameter)
    }

    /// The shape of the value.
    public var shape: [Int] { value.shape }

    /// The same value as a constant (PyTorch's `detach`).
    public func detached() -> Variable { Variable(value) }

    /// Whether a gradient will flow into this value.
    public var requiresGradient: Bool { id != nil }

    /// Records an operation on the active tape.
    ///
    /// `backward(outputGradient, needs)` returns one gradient per input, shaped like that input,
    /// or nil; `needs[i]` tells whether input i wants one, so unneeded work (a weight gradient
    /// of a frozen network) is skipped. Nothing is recorded when no input requires a gradient
    /// or no tape is active (evaluation).
    public static func record(
        _ value: Tensor, inputs: [Variable],
        backward: @escaping (_ gradient: Tensor, _ needs: [Bool]) -> [Tensor?]
    ) -> Variable {
        guard let tape = Tape.current, inputs.contains(where: { $0.id != nil }) else {
            return Variable(value)
        }
        return Variable(value: value, id: tape.append(inputs: inputs.map(\.id), backward: backward))
    }
}

/// The reverse-mode tape: nodes in execution order, walked backwards once.
///
/// Order is execution order, so there is no topological sort and no hashing on the gradient
/// path; gradient accumulation order is fixed, hence bitwise repeatable.
public final class Tape: @unchecked Sendable {
    struct Node {
        let inputs: [Int?]
        let backward: ((Tensor, [Bool]) -> [Tensor?])?
    }

    /// The tape that records operations in the current task (set by `valueAndGradient`).
    @TaskLocal public static var current: Tape?

    private var nodes: [Node] = []
    private var leaves: [ObjectIdentifier: Int] = [:]  // lookup only, never iterated

    init() {}

    /// Makes `parameter` a leaf of this tape.
    func addLeaf(_ parameter: Parameter) -> Int {
        if let id = leaves[ObjectIdentifier(parameter)] { return id }
        let id = append(inputs: [], backward: nil)
        leaves[ObjectIdentifier(parameter)] = id
        return id
    }

    func addLeaf() -> Int { append(inputs: [], backward: nil) }

    func leafID(of parameter: Parameter) -> Int? { leaves[ObjectIdentifier(parameter)] }

    func append(inputs: [Int?], backward: ((Tensor, [Bool]) -> [Tensor?])?) -> Int {
        nodes.append(Node(inputs: inputs, backward: backward))
        return nodes.count - 1
    }

    /// Back-propagates from `root` (seeded with ones) and returns the gradients of `wanted`
    /// node ids (zeros where no path exists).
    func gradients(from root: Variable, wanted: [(id: Int, shape: [Int])]) -> [Tensor] {
        guard let rootID = root.id else {
            return wanted.map { Tensor(zeros: $0.shape) }
        }
        // Which nodes lie on a path to the wanted leaves: only those run their backward.
        var needed = [Bool](repeating: false, count: nodes.count)
        for w in wanted { needed[w.id] = true }
        for i in 0..<nodes.count where !needed[i] {
            needed[i] = nodes[i].inputs.contains { $0.map { needed[$0] } ?? false }
        }
        var grads = [Tensor?](repeating: nil, count: nodes.count)
        grads[rootID] = Tensor(repeating: 1, shape: root.shape)
        for i in stride(from: rootID, through: 0, by: -1) {
            guard needed[i], let backward = nodes[i].backward, let g = grads[i] else { continue }
            let inputs = nodes[i].inputs
            let needs = inputs.map { $0.map { needed[$0] } ?? false }
            let inputGrads = backward(g, needs)
            if let log = GradientLog.current {
                for gi in inputGrads { if let gi { log.record(gi.shape) } }  // needed or not
            }
            grads[i] = nil
            nodes[i] = Node(inputs: inputs, backward: nil)  // frees saved activations early
            for (j, input) in inputs.enumerated() {
                guard let k = input, needs[j], let gi = inputGrads[j] else { continue }
                if grads[k] == nil { grads[k] = gi } else { grads[k]!.add(gi) }
            }
        }
        return wanted.map { grads[$0.id] ?? Tensor(zeros: $0.shape) }
    }
}

/// Runs `body` on a fresh tape and returns its scalar value and the gradients of `parameters`
/// (aligned with `parameters`). No other gradients are computed: a generator step never
/// computes discriminator weight gradients.
public func valueAndGradient(
    of parameters: [Parameter], _ body: () throws -> Variable
) rethrows -> (value: Float, gradients: [Tensor]) {
    let tape = Tape()
    let ids = parameters.map { tape.addLeaf($0) }
    let root = try Tape.$current.withValue(tape) { try body() }
    precondition(
        root.value.count == 1, "valueAndGradient: the body must return a scalar, got \(root.shape)")
    let grads = tape.gradients(from: root, wanted: zip(ids, parameters).map { ($0, $1.shape) })
    return (root.value.data[0], grads)
}

/// Runs `body` with `inputs` as differentiable leaves and returns its scalar value and the
/// gradients with respect to each input (gradient checks, loss tests).
public func valueAndGradient(
    at inputs: [Tensor], _ body: ([Variable]) throws -> Variable
) rethrows -> (value: Float, gradients: [Tensor]) {
    let tape = Tape()
    let leaves = inputs.map { Variable(value: $0, id: tape.addLeaf()) }
    let root = try Tape.$current.withValue(tape) { try body(leaves) }
    precondition(
        root.value.count == 1, "valueAndGradient: the body must return a scalar, got \(root.shape)")
    let grads = tape.gradients(from: root, wanted: leaves.map { ($0.id!, $0.shape) })
    return (root.value.data[0], grads)
}

/// Runs `body` with no tape: nothing is recorded (evaluation, pseudo-labels).
public func withoutGradient<R>(_ body: () throws -> R) rethrows -> R {
    try Tape.$current.withValue(nil) { try body() }
}
