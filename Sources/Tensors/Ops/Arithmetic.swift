// Elementwise arithmetic of Variables with PyTorch broadcasting (a per-channel (1, C, 1, 1) or
// (N, C, 1, 1) value against an (N, C, H, W) one, a bias (C) against (N, C), and so on),
// and arithmetic with a Float constant. Backward sums over the broadcast dimensions
// (`Broadcast.reduce`).

/// Elementwise a + b with broadcasting (PyTorch `torch.add`).
public func + (a: Variable, b: Variable) -> Variable {
    let plan = Broadcast(a.shape, b.shape, op: "+")
    let y = plan.apply(a.value, b.value) { $0 + $1 }
    return Variable.record(y, inputs: [a, b]) { g, needs in
        [
            needs[0] ? plan.reduce(g, to: .a) : nil,
            needs[1] ? plan.reduce(g, to: .b) : nil,
        ]
    }
}

/// Elementwise a - b with broadcasting (PyTorch `torch.sub`).
public func - (a: Variable, b: Variable) -> Variable {
    let plan = Broadcast(a.shape, b.shape, op: "-")
    let y = plan.apply(a.value, b.value) { $0 - $1 }
    return Variable.record(y, inputs: [a, b]) { g, needs in
        [
            needs[0] ? plan.reduce(g, to: .a) : nil,
            needs[1] ? plan.reduce(g.map { -$0 }, to: .b) : nil,
        ]
    }
}

/// Elementwise a * b with broadcasting (PyTorch `torch.mul`).
public func * (a: Variable, b: Variable) -> Variable {
    let plan = Broadcast(a.shape, b.shape, op: "*")
    let av = a.value
    let bv = b.value
    let y = plan.apply(av, bv) { $0 * $1 }
    return Variable.record(y, inputs: [a, b]) { g, needs in
        [
            needs[0] ? plan.reduce(g, to: .a, times: bv) : nil,
            needs[1] ? plan.reduce(g, to: .b, times: av) : nil,
        ]
    }
}

/// Elementwise a / b with broadcasting (PyTorch `torch.div`, true division).
public func / (a: Variable, b: Variable) -> Variable {
    let plan = Broadcast(a.shape, b.shape, op: "/")
    let av = a.value
    let bv = b.value
    let y = plan.apply(av, bv) { $0 / $1 }
    return Variable.record(y, inputs: [a, b]) { g, needs in
        // d(a/b)/da = 1/b; d(a/b)/db = -(a/b) / b, reusing the forward result.
        let gPlan = Broadcast(g.shape, bv.shape, op: "/ backward")
        return [
            needs[0] ? plan.reduce(gPlan.apply(g, bv) { $0 / $1 }, to: .a) : nil,
            needs[1]
                ? plan.reduce(gPlan.apply(g.map(y) { -$0 * $1 }, bv) { $0 / $1 }, to: .b) : nil,
        ]
    }
}

/// x * s for a constant s.
public func * (x: Variable, s: Float) -> Variable {
    Variable.record(x.value.map { $0 * s }, inputs: [x]) { g, _ in [g.map { $0 * s }] }
}

/// s * x for a constant s.
public func * (s: Float, x: Variable) -> Variable { x * s }

/// x / s for a constant s (true division, as PyTorch `x / s`).
public func / (x: Variable, s: Float) -> Variable {
    Variable.record(x.value.map { $0 / s }, inputs: [x]) { g, _ in [g.map { $0 / s }] }
}

/// x + s for a constant s.
public func + (x: Variable, s: Float) -> Variable {
    Variable.record(x.value.map { $0 + s }, inputs: [x]) { g, _ in [g] }
}

/// s + x for a constant s.
public func + (s: Float, x: Variable) -> Variable { x + s }

/// x - s for a constant s.
public func - (x: Variable, s: Float) -> Variable {
    Variable.record(x.value.map { $0 - s }, inputs: [x]) { g, _ in [g] }
}

/// s - x for a constant s (PyTorch `torch.rsub`).
public func - (s: Float, x: Variable) -> Variable {
    Variable.record(x.value.map { s - $0 }, inputs: [x]) { g, _ in [g.map { -$0 }] }
}

/// -x (PyTorch `torch.neg`).
public prefix func - (x: Variable) -> Variable {
    Variable.record(x.value.map { -$0 }, inputs: [x]) { g, _ in [g.map { -$0 }] }
}
