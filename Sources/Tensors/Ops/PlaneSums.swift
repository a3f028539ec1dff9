// Contiguous-run reductions shared by the normalisation and pooling kernels.
//
// Each sum runs 16 lanes over the run in order, then adds the lanes and the tail: the order of
// additions depends only on the run length, never on threads or the CPU, so kernels built on
// these are bitwise repeatable.

enum PlaneSums {
    /// Σ p[i] over `count` elements.
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
        var acc = SIMD16<Float>()
        var i = 0
        while i + 16 <= count {
            acc += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
            i += 16
        }
        var s = acc.sum()
        while i < count {
            s += p[i]
            i += 1
        }
        return s
    }

    /// Σ (p[i] - center)² over `count` elements.
    @inline(__always)
    static func squaredDeviations(_ p: UnsafePointer<Float>, _ count: Int, from center: Float)
        -> Float
    {
        var acc = SIMD16<Float>()
        let c = SIMD16<Float>(repeating: center)
        var i = 0
        while i + 16 <= count {
            let d = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self) - c
            acc += d * d
            i += 16
        }
        var s = acc.sum()
        while i < count {
            let d = p[i] - center
            s += d * d
            i += 1
        }
        return s
    }

    /// (Σ g[i], Σ g[i] * (x[i] - center)) over `count` elements: the two sums of a
    /// normalisation backward.
    @inline(__always)
    static func gradientSums(
        _ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ count: Int, center: Float
    ) -> (sum: Float, dot: Float) {
        var accSum = SIMD16<Float>()
        var accDot = SIMD16<Float>()
        let c = SIMD16<Float>(repeating: center)
        var i = 0
        while i + 16 <= count {
            let gv = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD16<Float>.self)
            let xv = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
            accSum += gv
            accDot += gv * (xv - c)
            i += 16
        }
        var s = accSum.sum()
        var d = accDot.sum()
        while i < count {
            s += g[i]
            d += g[i] * (x[i] - center)
            i += 1
        }
        return (s, d)
    }

    /// Σ a[i] * b[i] over `count` elements.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        var acc = SIMD16<Float>()
        var i = 0
        while i + 16 <= count {
            acc +=
                UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
                * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<Float>.self)
            i += 16
        }
        var s = acc.sum()
        while i < count {
            s += a[i] * b[i]
            i += 1
        }
        return s
    }
}
