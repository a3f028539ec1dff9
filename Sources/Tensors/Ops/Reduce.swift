// Reductions of a whole tensor to a scalar. The summation order is fixed by the element count
// (`Summation`), so the bits do not depend on the thread count.

/// The sum of all elements as a scalar (PyTorch `torch.sum`).
public func sum(_ x: Variable) -> Variable {
    let shape = x.shape
    let y = Tensor(scalar: Float(Summation.sum(x.value)))
    return Variable.record(y, inputs: [x]) { g, _ in [Tensor(repeating: g.scalar, shape: shape)] }
}

/// The mean of all elements as a scalar (PyTorch `torch.mean`; NaN for an empty tensor).
public func mean(_ x: Variable) -> Variable {
    let shape = x.shape
    let n = x.value.count
    let y = Tensor(scalar: Float(Summation.sum(x.value) / Double(n)))
    return Variable.record(y, inputs: [x]) { g, _ in
        [Tensor(repeating: g.scalar / Float(n), shape: shape)]
    }
}
