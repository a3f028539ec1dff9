// Concatenation and slicing along the batch dimension (dim 0). A sample is a contiguous block
// of the row-major storage, so both are block copies; backward copies the blocks back.

/// Concatenates (N_i, ...) tensors into (sum N_i, ...) (PyTorch `torch.cat(xs, dim=0)`).
public func concatBatch(_ xs: [Variable]) -> Variable {
    precondition(!xs.isEmpty, "concatBatch: no inputs")
    let inner = Array(xs[0].shape.dropFirst())
    for x in xs {
        precondition(
            x.shape.count >= 1 && Array(x.shape.dropFirst()) == inner,
            "concatBatch: shape \(x.shape) does not match \(xs[0].shape) outside dim 0")
    }
    let counts = xs.map { $0.value.count }
    var data: [Float] = []
    data.reserveCapacity(counts.reduce(0, +))
    for x in xs { data += x.value.data }
    let shape = [xs.map { $0.shape[0] }.reduce(0, +)] + inner
    let shapes = xs.map(\.shape)
    return Variable.record(Tensor(shape: shape, data: data), inputs: xs) { g, needs in
        var offset = 0
        return zip(shapes, counts).enumerated().map { i, sc in
            defer { offset += sc.1 }
            guard needs[i] else { return nil }
            return Tensor(shape: sc.0, data: Array(g.data[offset..<offset + sc.1]))
        }
    }
}

/// Samples `range` of x (N, ...) (PyTorch `x[a:b]`).
public func sliceBatch(_ x: Variable, _ range: Range<Int>) -> Variable {
    precondition(
        x.shape.count >= 1 && range.lowerBound >= 0 && range.upperBound <= x.shape[0],
        "sliceBatch: samples \(range) outside \(x.shape)")
    let sample = x.shape.dropFirst().reduce(1, *)
    let shape = x.shape
    var outShape = shape
    outShape[0] = range.count
    let y = Tensor(
        shape: outShape,
        data: Array(x.value.data[range.lowerBound * sample..<range.upperBound * sample]))
    return Variable.record(y, inputs: [x]) { g, _ in
        var dx = Tensor(zeros: shape)
        dx.data.replaceSubrange(
            range.lowerBound * sample..<range.upperBound * sample, with: g.data)
        return [dx]
    }
}
