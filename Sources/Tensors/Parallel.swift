import Dispatch

/// Data-parallel loops over disjoint index ranges.
///
/// Rule: a body writes only outputs owned by its own indices, so results never depend on
/// scheduling or thread count (unless a kernel's own summation order does, which it documents).
public enum Parallel {
    /// Worker count for kernel loops. Set with `Runtime.setThreads`, recorded in run manifests.
    nonisolated(unsafe) public static var threads: Int = 1

    /// Calls `body(range)` on contiguous chunks that cover 0..<count, in parallel.
    ///
    /// `grain` is the smallest chunk worth a thread; small loops run inline.
    @inlinable
    public static func forChunks(_ count: Int, grain: Int = 1, _ body: (Range<Int>) -> Void) {
        let workers = min(threads, max(1, count / max(grain, 1)))
        if workers <= 1 {
            if count > 0 { body(0..<count) }
            return
        }
        withoutActuallyEscaping(body) { escaping in
            let box = UncheckedSendable(escaping)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let lo = count * w / workers
                let hi = count * (w + 1) / workers
                if lo < hi { box.value(lo..<hi) }
            }
        }
    }

    /// Calls `body(i)` for every i in 0..<count, in parallel chunks.
    @inlinable
    public static func forEach(_ count: Int, grain: Int = 1, _ body: (Int) -> Void) {
        forChunks(count, grain: grain) { range in
            for i in range { body(i) }
        }
    }
}

/// Carries a value into a `@Sendable` closure. Sound only under `Parallel`'s rule: each worker
/// writes disjoint outputs, and the call returns after all workers finish.
public struct UncheckedSendable<T>: @unchecked Sendable {
    public let value: T
    @inlinable public init(_ value: T) { self.value = value }
}
