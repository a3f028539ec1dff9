// Regression losses reduced to a scalar mean.

/// Mean absolute difference of same-shaped a and b (PyTorch `F.l1_loss`, mean reduction).
///
/// The gradient uses sign(a - b) with sign(0) = 0, as PyTorch does.
public func l1Loss(_ a: Variable, _ b: Variable) -> Variable {
    precondition(a.shape == b.shape, "l1Loss: shapes \(a.shape) and \(b.shape) differ")
    let diff = a.value.map(b.value) { $0 - $1 }
    let n = diff.count
    let total = Summation.sum(diff.map { abs($0) })
    let y = Tensor(scalar: Float(total / Double(n)))
    return Variable.record(y, inputs: [a, b]) { g, needs in
        let scale = g.scalar / Float(n)
        let ga = diff.map { d in d > 0 ? scale : (d < 0 ? -scale : 0) }
        return [needs[0] ? ga : nil, needs[1] ? ga.map { -$0 } : nil]
    }
}
