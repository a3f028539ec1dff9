import CPeak
import Dispatch
import Foundation

/// The machine's single-precision FMA peak, measured with throughput loops (Sources/CPeak).
public struct MachinePeak: Sendable, Codable {
    /// The instruction set of the loops: "avx512f", "avx2+fma" or "sse".
    public let isa: String
    /// GFLOP/s of one core running alone.
    public let perCore: Double
    /// GFLOP/s of `threads` cores running at once.
    public let total: Double
    public let threads: Int

    public init(isa: String, perCore: Double, total: Double, threads: Int) {
        (self.isa, self.perCore, self.total, self.threads) = (isa, perCore, total, threads)
    }

    /// The peak at `threads` threads: one core's alone, the measured total at the measured count,
    /// else one core's times `threads` (capped by the measured total when more are asked).
    public func gflops(threads n: Int) -> Double {
        if n <= 1 { return perCore }
        if n == threads { return total }
        return n > threads ? max(total, perCore) : perCore * Double(n)
    }

    /// The best of `runs` runs of the loops on one thread, then the best of `runs` runs on
    /// `threads` threads at once, `seconds` each. A peak is a maximum: on a shared machine the
    /// best run is the one least disturbed by other processes.
    public static func measure(threads: Int, seconds: Double = 0.1, runs: Int = 5) -> MachinePeak {
        let single = (0..<runs).map { _ in cpeak_gflops(seconds) }.max() ?? 0
        let rates = UnsafeMutableBufferPointer<Double>.allocate(capacity: threads)
        defer { rates.deallocate() }
        let box = UncheckedSendableRates(rates)
        var total = 0.0
        // One thread per loop. Through DispatchQueue.concurrentPerform the two loops measured
        // 175 GFLOP/s together here, one core's worth, against 338-351 from plain threads.
        for _ in 0..<runs {
            let done = DispatchSemaphore(value: 0)
            for t in 0..<threads {
                Thread {
                    box.rates[t] = cpeak_gflops(seconds)
                    done.signal()
                }.start()
            }
            for _ in 0..<threads { done.wait() }
            total = max(total, rates.reduce(0, +))
        }
        return MachinePeak(
            isa: String(cString: cpeak_isa()), perCore: single, total: total, threads: threads)
    }
}

/// Each worker writes only its own slot.
private struct UncheckedSendableRates: @unchecked Sendable {
    let rates: UnsafeMutableBufferPointer<Double>
    init(_ rates: UnsafeMutableBufferPointer<Double>) { self.rates = rates }
}
