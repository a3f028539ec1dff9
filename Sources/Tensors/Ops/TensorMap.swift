// Elementwise loops shared by the ops: map one or two same-shaped tensors.

extension Tensor {
    /// `f` applied to every element, in parallel chunks.
    @inline(__always)
    func map(_ f: (Float) -> Float) -> Tensor {
        Tensor(shape: shape) { out in
            guard let op = out.baseAddress else { return }
            withUnsafeBufferPointer { x in
                let xp = x.baseAddress!
                Parallel.forChunks(x.count, grain: 1 << 15) { range in
                    for i in range { op[i] = f(xp[i]) }
                }
            }
        }
    }

    /// `f` applied to matching elements of `self` and `other` (same shape).
    @inline(__always)
    func map(_ other: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        precondition(shape == other.shape, "map: shapes \(shape) and \(other.shape) differ")
        return Tensor(shape: shape) { out in
            guard let op = out.baseAddress else { return }
            withUnsafeBufferPointer { x in
                other.withUnsafeBufferPointer { y in
                    let xp = x.baseAddress!
                    let yp = y.baseAddress!
                    Parallel.forChunks(x.count, grain: 1 << 15) { range in
                        for i in range { op[i] = f(xp[i], yp[i]) }
                    }
                }
            }
        }
    }
}
