import COpenBLAS
import Foundation

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
        _ = coreChoice
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Sets OpenBLAS's own thread count.
    public static func setThreads(_ n: Int) {
        _ = coreChoice
        openblas_set_num_threads(Int32(n))
    }

    /// Cuts 0..<count into `workers` contiguous shares and calls `body(share, alone)` for each,
    /// in parallel with OpenBLAS at one thread, so each worker's GEMMs run single-threaded
    /// beside the others'. With one worker, `body(0..<count, true)` runs on the calling thread
    /// and OpenBLAS keeps its threads (`alone`: the body may parallelise inside).
    public static func forEachShare(
        _ count: Int, workers: Int, _ body: (Range<Int>, Bool) -> Void
    ) {
        let w = max(1, min(workers, count))
        if w == 1 { return body(0..<count, true) }
        let n = threads
        setThreads(1)
        defer { setThreads(n) }
        Parallel.forEach(w) { i in body((count * i / w)..<(count * (i + 1) / w), false) }
    }

    /// OpenBLAS's current thread count.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// The variable that sets how long OpenBLAS's idle worker threads spin (2^N clock ticks,
    /// sched_yield in a loop) before they sleep; OpenBLAS reads it once, when it loads.
    public static let spinVariable = "OPENBLAS_THREAD_TIMEOUT"

    /// The value the harness runs with when the user did not set `spinVariable`: 2^4 ticks,
    /// i.e. the worker sleeps as soon as its GEMM share is done. With OpenBLAS's default
    /// (2^28 ticks, about 0.1 s) its worker spun beside the harness's own workers through every
    /// Winograd chunk, batch norm and elementwise loop that followed a threaded GEMM: perf of a
    /// 2-thread DeepLab step put 16% of all CPU samples in sched_yield / schedule (0.7% at
    /// 1 thread), the worker thread spinning longer than it computed; with 2^4 the step took
    /// 0.80-0.88x the time in 4 of 4 interleaved pairs on a quiet machine
    /// (results/bench/conv-2026-11-30-phases-padded.md).
    public static let shortSpin = "4"

    /// The spin setting OpenBLAS runs with: the variable's value, or nil for OpenBLAS's default.
    public static var spinSetting: String? {
        getenv(spinVariable).map { String(cString: $0) }
    }

    /// Runs this program again, as the same process, with `spinVariable` = `shortSpin` unless
    /// the user set it (OpenBLAS reads it only when it loads). Returns when no new image was
    /// started: the variable was set, or exec failed (then it is unset again, so the manifests
    /// keep telling the truth). Call first thing in `main`, before any thread exists.
    public static func restartWithShortSpinUnlessSet() {
        #if os(Linux)
            guard getenv(spinVariable) == nil else { return }
            setenv(spinVariable, shortSpin, 1)
            execv("/proc/self/exe", CommandLine.unsafeArgv)
            unsetenv(spinVariable)
        #endif
    }

    /// The kernel family OpenBLAS chose for this CPU (e.g. "Cooperlake"); it decides the bits.
    public static var coreName: String {
        _ = coreChoice
        return String(cString: openblas_get_corename())
    }

    /// OpenBLAS's build description (version, options, core name).
    public static var config: String {
        _ = coreChoice
        return String(cString: openblas_get_config())
    }

    /// Who chose the kernel family, made once before the first BLAS call (`BLASCore.choose`).
    public static let coreChoice: String = BLASCore.choose()
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

/// The kernel family OpenBLAS runs on this CPU.
///
/// OpenBLAS 0.3.21 (Debian 12) does not know CPUs newer than itself, such as Sapphire Rapids:
/// its detection falls back to the Prescott (SSE3) kernels, which measured 3-4x slower here than
/// the AVX-512 ones on the same GEMMs. When the user did not choose (`OPENBLAS_CORETYPE` unset)
/// and the detected family uses fewer vector extensions than /proc/cpuinfo says the CPU (and its
/// kernel) supports, the harness asks OpenBLAS to choose again with the family it would pick on
/// a CPU it knows: Cooperlake with AVX-512 BF16, SkylakeX with AVX-512, Haswell with AVX2+FMA.
/// The choice is recorded in every manifest (`blasCoreChoice`); the core name enters the
/// machine fingerprint, so it decides which goldens compare bit for bit.
enum BLASCore {
    static func choose() -> String {
        let detected = String(cString: openblas_get_corename())
        if let forced = getenv("OPENBLAS_CORETYPE").map({ String(cString: $0) }) {
            return "OPENBLAS_CORETYPE=\(forced) (environment)"
        }
        let flags = cpuFlags()
        guard let better = preferred(detected: detected, flags: flags) else {
            return "detected by OpenBLAS"
        }
        setenv("OPENBLAS_CORETYPE", better, 1)
        gotoblas_dynamic_quit()
        gotoblas_dynamic_init()
        unsetenv("OPENBLAS_CORETYPE")  // children (PyTorch side of the benchmarks) detect anew
        let now = String(cString: openblas_get_corename())
        return "chosen by the harness: OpenBLAS detected \(detected), the CPU has "
            + "\(tierName(tier(flags: flags))); switched to \(now)"
    }

    /// The family to switch to, or nil to keep what OpenBLAS detected.
    static func preferred(detected: String, flags: Set<String>) -> String? {
        let cpu = tier(flags: flags)
        guard cpu > tier(core: detected) else { return nil }
        switch cpu {
        case 3: return flags.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX"
        case 2: return "Haswell"
        default: return nil
        }
    }

    /// 3: AVX-512 (F, BW, DQ, VL), 2: AVX2 + FMA, 1: AVX, 0: less.
    static func tier(flags: Set<String>) -> Int {
        if ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains) { return 3 }
        if flags.contains("avx2") && flags.contains("fma") { return 2 }
        return flags.contains("avx") ? 1 : 0
    }

    /// The vector tier an OpenBLAS core family's kernels use.
    static func tier(core: String) -> Int {
        switch core.lowercased() {
        case "skylakex", "cooperlake", "sapphirerapids": return 3
        case "haswell", "zen", "excavator": return 2
        case "sandybridge", "bulldozer", "piledriver", "steamroller": return 1
        default: return 0
        }
    }

    static func tierName(_ tier: Int) -> String {
        ["no AVX", "AVX", "AVX2 and FMA", "AVX-512"][tier]
    }

    /// The `flags` line of /proc/cpuinfo (empty elsewhere: nothing is switched).
    static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
            let colon = line.firstIndex(of: ":")
        else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }
}
