// Concatenation along channels (dim 1). Each input is a block of C_i * inner elements per
// sample in the output; backward slices the same blocks back out.

/// Concatenates (N, C_i, ...) tensors into (N, sum C_i, ...) (PyTorch `torch.cat(xs, dim=1)`).
public func concatChannels(_ xs: [Variable]) -> Variable {
    precondition(!xs.isEmpty, "concatChannels: no inputs")
    let first = xs[0].shape
    precondition(first.count >= 2, "concatChannels: expected (N, C, ...) tensors, got \(first)")
    for x in xs {
        precondition(
            x.shape.count == first.count && x.shape[0] == first[0]
                && x.shape.dropFirst(2) == first.dropFirst(2),
            "concatChannels: shape \(x.shape) does not match \(first) outside dim 1")
    }
    let n = first[0]
    let inner = first.dropFirst(2).reduce(1, *)
    let blocks = xs.map { $0.shape[1] * inner }  // elements per sample of each input
    let offsets = blocks.reduce(into: [0]) { $0.append($0.last! + $1) }
    let width = offsets.last!  // elements per sample of the output
    var shape = first
    shape[1] = xs.reduce(0) { $0 + $1.shape[1] }

    var y = Tensor(zeros: shape)
    y.withUnsafeMutableBufferPointer { yb in
        guard let yp = yb.baseAddress else { return }
        for (k, x) in xs.enumerated() where blocks[k] > 0 {
            x.value.withUnsafeBufferPointer { xb in
                let xp = xb.baseAddress!
                Parallel.forEach(n) { s in
                    (yp + s * width + offsets[k]).update(from: xp + s * blocks[k], count: blocks[k])
                }
            }
        }
    }
    let shapes = xs.map(\.shape)
    return Variable.record(y, inputs: xs) { g, needs in
        (0..<shapes.count).map { k -> Tensor? in
            guard needs[k] else { return nil }
            return Tensor(shape: shapes[k]) { out in
                guard let op = out.baseAddress else { return }
                g.withUnsafeBufferPointer { gb in
                    let gp = gb.baseAddress!
                    for s in 0..<n {
                        (op + s * blocks[k]).update(
                            from: gp + s * width + offsets[k], count: blocks[k])
                    }
                }
            }
        }
    }
}
