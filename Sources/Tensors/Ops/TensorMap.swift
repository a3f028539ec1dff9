// Elementwise loops shared by the ops: map one or two same-shaped tensors, and a summation
// whose order is fixed by the data size alone (never by the thread count).

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

/// Deterministic sums: 16 float lanes within blocks of `block` elements, blocks added in Double.
enum Summation {
    /// Elements per block; partial sums are formed per block, in block order.
    static let block = 4096

    /// The sum of `count` contiguous floats starting at `p`, in a fixed order.
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, _ count: Int) -> Double {
        var total: Double = 0
        var start = 0
        while start < count {
            let end = min(start + block, count)
            var lanes = SIMD16<Float>()
            var i = start
            while i + 16 <= end {
                lanes += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
                i += 16
            }
            var partial = lanes.sum()
            while i < end {
                partial += p[i]
                i += 1
            }
            total += Double(partial)
            start = end
        }
        return total
    }

    /// The dot product of `count` contiguous floats at `p` and `q`, in the same fixed order.
    @inline(__always)
    static func dot(_ p: UnsafePointer<Float>, _ q: UnsafePointer<Float>, _ count: Int) -> Double {
        var total: Double = 0
        var start = 0
        while start < count {
            let end = min(start + block, count)
            var lanes = SIMD16<Float>()
            var i = start
            while i + 16 <= end {
                let x = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
                let y = UnsafeRawPointer(q + i).loadUnaligned(as: SIMD16<Float>.self)
                lanes += x * y
                i += 16
            }
            var partial = lanes.sum()
            while i < end {
                partial += p[i] * q[i]
                i += 1
            }
            total += Double(partial)
            start = end
        }
        return total
    }

    /// The sum of a whole tensor: blocks summed in parallel, then added in block order.
    static func sum(_ x: Tensor) -> Double {
        if x.count == 0 { return 0 }
        let blocks = (x.count + block - 1) / block
        var partials = [Double](repeating: 0, count: blocks)
        x.withUnsafeBufferPointer { xb in
            partials.withUnsafeMutableBufferPointer { pb in
                let xp = xb.baseAddress!
                let pp = pb.baseAddress!
                Parallel.forEach(blocks, grain: 16) { b in
                    let lo = b * block
                    pp[b] = sum(xp + lo, min(block, x.count - lo))
                }
            }
        }
        return partials.reduce(0, +)
    }
}
