import CLAPACKE

/// The door to LAPACK and its BLAS (Debian liblapacke / liblapack / libblas): the only Swift
/// file that imports `CLAPACKE`. Matrices are dense, row-major `[Double]`.
enum LAPACK {
    /// The eigenvalues (ascending) of the symmetric `n` x `n` matrix `a` and, with `vectors`,
    /// its orthonormal eigenvectors as the columns of a row-major `n` x `n` matrix
    /// (LAPACKE_dsyevd, upper triangle read). Nil when LAPACK reports a failure (a non-zero
    /// `info`: an illegal argument or an eigensolver that did not converge).
    static func symmetricEigen(_ a: [Double], n: Int, vectors: Bool)
        -> (values: [Double], vectors: [Double])?
    {
        precondition(a.count == n * n, "symmetricEigen: \(a.count) values for \(n)x\(n)")
        if n == 0 { return ([], []) }
        var m = a
        var w = [Double](repeating: 0, count: n)
        let info = m.withUnsafeMutableBufferPointer { mp in
            w.withUnsafeMutableBufferPointer { wp in
                LAPACKE_dsyevd(
                    LAPACK_ROW_MAJOR, CChar(UInt8(ascii: vectors ? "V" : "N")),
                    CChar(UInt8(ascii: "U")), Int32(n), mp.baseAddress, Int32(n),
                    wp.baseAddress)
            }
        }
        guard info == 0 else { return nil }
        return (w, vectors ? m : [])
    }

    /// The row-major `m` x `n` product op(A) * op(B), where op(A) is `m` x `k` and op(B) is
    /// `k` x `n` (BLAS dgemm). `a` is stored `m` x `k` (or `k` x `m` with `transposeA`), `b`
    /// is stored `k` x `n` (or `n` x `k` with `transposeB`).
    static func multiply(
        _ a: [Double], _ b: [Double], m: Int, k: Int, n: Int, transposeA: Bool = false,
        transposeB: Bool = false
    ) -> [Double] {
        precondition(a.count == m * k && b.count == k * n, "multiply: sizes \(m)x\(k)x\(n)")
        var c = [Double](repeating: 0, count: m * n)
        if m == 0 || n == 0 || k == 0 { return c }
        // Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T: swap the operands.
        var tb = CChar(UInt8(ascii: transposeB ? "T" : "N"))
        var ta = CChar(UInt8(ascii: transposeA ? "T" : "N"))
        var (mm, nn, kk) = (Int32(n), Int32(m), Int32(k))
        var ldb = Int32(transposeB ? k : n)
        var lda = Int32(transposeA ? m : k)
        var ldc = Int32(n)
        var alpha = 1.0
        var beta = 0.0
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    dgemm_(
                        &tb, &ta, &mm, &nn, &kk, &alpha, bp.baseAddress, &ldb, ap.baseAddress,
                        &lda, &beta, cp.baseAddress, &ldc)
                }
            }
        }
        return c
    }
}
