import CPeak
import Dispatch

/// The machine's single-precision FMA peak, measured with throughput loops (Sources/CPeak).
public struct MachinePeak: Sendable, Codable {
    /// The instruction set of the loops: "avx512f", "avx2+fma" or "sse".
    public let isa: String
    /// GFLOP/s of one core running alone.
    public let perCore: Double
    /// GFLOP/s of `threads` cores running at once.
    public let total: Double
    public let threads: Int

    /// Runs the loops on one thread, then on `threads` threads at once, for `seconds` each.
    public static func measure(threads: Int, seconds: Double = 0.3) -> MachinePeak {
        let single = cpeak_gflops(seconds)
        let rates = UnsafeMutableBufferPointer<Double>.allocate(capacity: threads)
        defer { rates.deallocate() }
        let box = UncheckedSendableRates(rates)
        DispatchQueue.concurrentPerform(iterations: threads) { t in box.rates[t] = cpeak_gflops(seconds) }
        return MachinePeak(
            isa: String(cString: cpeak_isa()), perCore: single, total: rates.reduce(0, +),
            threads: threads)
    }
}

/// Each worker writes only its own slot.
private struct UncheckedSendableRates: @unchecked Sendable {
    let rates: UnsafeMutableBufferPointer<Double>
    init(_ rates: UnsafeMutableBufferPointer<Double>) { self.rates = rates }
}
