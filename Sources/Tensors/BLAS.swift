import COpenBLAS

/// The one door to OpenBLAS: single-precision GEMM, thread control and build facts.
public enum BLAS {
    /// C = alpha * op(A) * op(B) + beta * C, row-major, with leading dimensions.
    ///
    /// op(A) is m x k, op(B) is k x n, C is m x n.
    @inlinable
    public static func sgemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Sets OpenBLAS's own thread count.
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }

    /// OpenBLAS's current thread count.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// The kernel family OpenBLAS chose for this CPU (e.g. "Cooperlake"); it decides the bits.
    public static var coreName: String { String(cString: openblas_get_corename()) }

    /// OpenBLAS's build description (version, options).
    public static var config: String { String(cString: openblas_get_config()) }
}

/// Process-wide compute settings, set once at start-up and recorded in every run manifest.
public enum Runtime {
    /// Uses `n` threads for both OpenBLAS and the project's own parallel loops, and keeps freed
    /// tensor memory in the process (see `keepFreedMemory`).
    public static func setThreads(_ n: Int) {
        precondition(n >= 1, "Runtime.setThreads: \(n) threads")
        BLAS.setThreads(n)
        Parallel.threads = n
        keepFreedMemory()
    }

    /// Stops glibc from serving big tensors with mmap and returning them to the system on free:
    /// otherwise every fresh activation pays page faults (measured 4-10x slower backward passes
    /// on 2x256x64x128 tensors). The cost: the process keeps its peak memory.
    public static func keepFreedMemory() {
        #if os(Linux)
            _ = glibcMallopt(-4, 0)  // M_MMAP_MAX (glibc malloc.h)
            _ = glibcMallopt(-1, Int32.max)  // M_TRIM_THRESHOLD
        #endif
    }
}

#if os(Linux)
    /// glibc's `int mallopt(int param, int value)` (malloc.h is not part of Swift's Glibc module).
    @_silgen_name("mallopt")
    private func glibcMallopt(_ param: Int32, _ value: Int32) -> Int32
#endif
