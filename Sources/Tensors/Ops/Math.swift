import RealModule

// Elementwise exponential and logarithm.

/// e^x elementwise (PyTorch `torch.exp`); backward reuses the result.
public func exp(_ x: Variable) -> Variable {
    let y = x.value.map { Float.exp($0) }
    return Variable.record(y, inputs: [x]) { g, _ in [g.map(y) { $0 * $1 }] }
}

/// Natural logarithm elementwise (PyTorch `torch.log`): -inf at 0, NaN below.
public func log(_ x: Variable) -> Variable {
    let xv = x.value
    return Variable.record(xv.map { Float.log($0) }, inputs: [x]) { g, _ in
        [g.map(xv) { $0 / $1 }]
    }
}
