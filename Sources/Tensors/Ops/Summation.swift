// The project's one fixed-order summation rule, used by every reduction (sums, means, norms,
// pooling, losses, dot products):
//
//   the elements are cut into blocks of `Summation.block` (4096); inside a block, 16 Float
//   lanes accumulate elements i, i+16, i+32, ... in order, the lanes are added (SIMD `sum()`),
//   then the block's tail in order; the blocks' Float partials are added in Double, in block
//   order.
//
// The order of additions depends only on the element count, never on threads or the CPU, so
// every kernel built on it is bitwise repeatable; the Double between blocks keeps large sums
// (whole tensors, batch-norm statistics over a batch) accurate.

enum Summation {
    /// Elements per block; partial sums are formed per block, in block order.
    static let block = 4096

    /// The fixed-order sum of `count` terms: `lane(i)` gives terms i..<i+16 as a vector,
    /// `term(i)` the single term i (for the tail).
    @inline(__always)
    static func reduce(
        _ count: Int, lane: (Int) -> SIMD16<Float>, term: (Int) -> Float
    ) -> Double {
        var total: Double = 0
        var start = 0
        while start < count {
            let end = min(start + block, count)
            var lanes = SIMD16<Float>()
            var i = start
            while i + 16 <= end {
                lanes += lane(i)
                i += 16
            }
            var partial = lanes.sum()
            while i < end {
                partial += term(i)
                i += 1
            }
            total += Double(partial)
            start = end
        }
        return total
    }

    /// Σ p[i] over `count` contiguous floats.
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, _ count: Int) -> Double {
        reduce(count, lane: { load(p, $0) }, term: { p[$0] })
    }

    /// Σ p[i] * q[i] over `count` contiguous floats.
    @inline(__always)
    static func dot(_ p: UnsafePointer<Float>, _ q: UnsafePointer<Float>, _ count: Int) -> Double {
        reduce(count, lane: { load(p, $0) * load(q, $0) }, term: { p[$0] * q[$0] })
    }

    /// Σ (p[i] - center)² over `count` contiguous floats.
    @inline(__always)
    static func squaredDeviations(_ p: UnsafePointer<Float>, _ count: Int, from center: Float)
        -> Double
    {
        let c = SIMD16<Float>(repeating: center)
        return reduce(
            count,
            lane: { i in
                let d = load(p, i) - c
                return d * d
            },
            term: { i in
                let d = p[i] - center
                return d * d
            })
    }

    /// (Σ g[i], Σ g[i] * (x[i] - center)): the two sums of a normalisation backward, each in
    /// the fixed order.
    @inline(__always)
    static func gradientSums(
        _ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ count: Int, center: Float
    ) -> (sum: Double, dot: Double) {
        let c = SIMD16<Float>(repeating: center)
        let s = sum(g, count)
        let d = reduce(
            count, lane: { i in load(g, i) * (load(x, i) - c) },
            term: { i in g[i] * (x[i] - center) })
        return (s, d)
    }

    /// The sum of a whole tensor: blocks summed in parallel, then added in block order (the
    /// same additions as `sum(_:_:)`).
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
        var total: Double = 0
        for p in partials { total += p }
        return total
    }

    @inline(__always)
    private static func load(_ p: UnsafePointer<Float>, _ i: Int) -> SIMD16<Float> {
        UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
    }
}
