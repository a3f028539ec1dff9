// Inverted dropout, PyTorch `F.dropout(training=True)`: y = x * mask with mask = 1 / (1 - p)
// for kept elements and 0 for dropped ones; the gradient is gy * mask.
//
// Draw order (reproducible by any implementation of `RandomSource`): in train mode with
// 0 < p < 1, exactly one `random.uniform()` per element, in row-major order of x; element i is
// kept when u_i >= p. Eval mode, p = 0 and p = 1 draw nothing (identity, identity, zeros).
// The words are drawn sequentially; only the arithmetic afterwards runs in parallel.

/// Inverted dropout (PyTorch `F.dropout`): zeroes with probability p, scales survivors by 1/(1-p).
public func dropout(_ x: Variable, p: Float, mode: Mode, random: inout RandomSource) -> Variable {
    precondition(p >= 0 && p <= 1, "dropout: probability \(p) is outside [0, 1] (input \(x.shape))")
    guard mode == .train, p > 0 else { return x }
    if p == 1 {
        let zeros = Tensor(zeros: x.shape)
        return Variable.record(zeros, inputs: [x]) { gy, _ in [Tensor(zeros: gy.shape)] }
    }
    let mask = dropoutMask(shape: x.shape, p: p, random: &random)
    let y = zipElements(x.value, mask) { $0 * $1 }
    return Variable.record(y, inputs: [x]) { gy, _ in [zipElements(gy, mask) { $0 * $1 }] }
}

/// The dropout mask of `shape`: one uniform u per element in row-major order, 1 / (1 - p) where
/// u >= p, else 0.
func dropoutMask(shape: [Int], p: Float, random: inout RandomSource) -> Tensor {
    let scale = 1 / (1 - p)
    return Tensor(shape: shape) { mp in
        for i in 0..<mp.count { mp[i] = random.uniform() >= p ? scale : 0 }
    }
}
