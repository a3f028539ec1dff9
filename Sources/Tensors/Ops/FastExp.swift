import RealModule

// A vectorised e^x for the softmax family and `exp`: 16 lanes of Cody-Waite range reduction
// and Cephes' expf polynomial (within 2 ulp, checked in MathTests), written in plain SIMD
// arithmetic so the portable (SSE2) build vectorises it. Inputs outside the range where
// 2^round(x / ln 2) is a normal float (and NaN) are recomputed with libm afterwards.
enum FastExp {
    static let log2e: Float = 1.442_695_04
    static let ln2Hi: Float = 0.693_359_375
    static let ln2Lo: Float = -2.121_944_4e-4
    /// 1.5 * 2^23: adding and subtracting it rounds to the nearest integer.
    static let roundMagic: Float = 12_582_912
    static let lowest: Float = -87.3
    static let highest: Float = 88.3  // keeps round(x / ln 2) <= 127
    /// Elements per pass: the saved inputs of one pass live on the stack.
    static let chunk = 256

    /// e^x per lane, for lanes in lowest...highest.
    @inline(__always)
    static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let shifted = x * log2e + roundMagic
        let n = shifted - roundMagic  // round(x / ln 2)
        let r = x - n * ln2Hi - n * ln2Lo
        var p = SIMD16<Float>(repeating: 1.987_569_150_0e-4)
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        let y = p * (r * r) + r + 1
        // 2^n, built from the integer in the low mantissa bits of `shifted`.
        let bits =
            unsafeBitCast(shifted, to: SIMD16<Int32>.self)
            &- unsafeBitCast(roundMagic, to: Int32.self)
        return y * unsafeBitCast((bits &+ 127) &<< 23, to: SIMD16<Float>.self)
    }

    /// p[i] = e^p[i] for i in 0..<count.
    static func apply(_ p: UnsafeMutablePointer<Float>, _ count: Int) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: chunk) { buffer in
            let saved = buffer.baseAddress!
            var start = 0
            while start < count {
                let n = min(chunk, count - start)
                let q = p + start
                saved.update(from: q, count: n)
                var outside: Int32 = 0  // lanes clamped or NaN, fixed below with libm
                for i in 0..<n {
                    let c = min(max(q[i], lowest), highest)
                    outside &+= c == q[i] ? 0 : 1
                    q[i] = c
                }
                var i = 0
                while i + 16 <= n {
                    let raw = UnsafeMutableRawPointer(q + i)
                    raw.storeBytes(
                        of: exp(raw.loadUnaligned(as: SIMD16<Float>.self)), as: SIMD16<Float>.self)
                    i += 16
                }
                if i < n {
                    var tail = SIMD16<Float>()
                    for j in i..<n { tail[j - i] = q[j] }
                    let y = exp(tail)
                    for j in i..<n { q[j] = y[j - i] }
                }
                if outside > 0 {
                    for j in 0..<n where !(saved[j] >= lowest && saved[j] <= highest) {
                        q[j] = Float.exp(saved[j])
                    }
                }
                start += n
            }
        }
    }
}
