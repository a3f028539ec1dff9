import Results
import Tensors

/// Whether B is faster or slower than A for one benchmark.
public enum Change: String, Codable, Sendable {
    case faster
    case slower
    case noChange = "no change"
}

/// The statistical comparison of two sets of timing samples.
///
/// The ratio of medians (B / A) with a 95% percentile-bootstrap interval: `resamples` times,
/// each side is resampled with replacement (draws from the project's seeded Philox generator,
/// so the interval is the same on every run) and the ratio of the resampled medians kept.
/// B is slower when the ratio exceeds 1 + threshold and the whole interval lies above 1;
/// faster when the ratio is below 1 / (1 + threshold) and the whole interval lies below 1;
/// otherwise there is no change (a difference smaller than the threshold, or one the samples
/// cannot tell from noise).
public struct TimingVerdict: Sendable, Equatable {
    /// median(B) / median(A).
    public var ratio: Double
    /// 2.5% and 97.5% bootstrap quantiles of the ratio.
    public var low: Double
    public var high: Double
    /// The verdict.
    public var change: Change

    /// Compares samples `a` (before) with `b` (after); both need at least 2 samples.
    public init(
        _ a: [Double], _ b: [Double], threshold: Double, resamples: Int = 2000, seed: UInt64 = 0
    ) {
        precondition(a.count >= 2 && b.count >= 2, "TimingVerdict: need >= 2 samples per side")
        ratio = median(b) / median(a)
        var random = RandomSource(seed: seed).split("bootstrap-ratio-of-medians")
        var ratios: [Double] = []
        ratios.reserveCapacity(resamples)
        for _ in 0..<resamples {
            let ra = (0..<a.count).map { _ in a[random.int(below: a.count)] }
            let rb = (0..<b.count).map { _ in b[random.int(below: b.count)] }
            ratios.append(median(rb) / median(ra))
        }
        ratios.sort()
        low = ratios[Int(0.025 * Double(resamples - 1))]
        high = ratios[Int((0.975 * Double(resamples - 1)).rounded(.up))]
        change = Self.verdict(ratio: ratio, low: low, high: high, threshold: threshold)
    }

    /// The verdict rule on a ratio and its interval.
    static func verdict(ratio: Double, low: Double, high: Double, threshold: Double) -> Change {
        if ratio > 1 + threshold && low > 1 { return .slower }
        if ratio < 1 / (1 + threshold) && high < 1 { return .faster }
        return .noChange
    }

    /// Instruction counts are deterministic up to a few instructions: the ratio alone decides.
    public static func instructions(_ a: Double, _ b: Double, threshold: Double) -> Change {
        let ratio = b / a
        if ratio > 1 + threshold { return .slower }
        if ratio < 1 / (1 + threshold) { return .faster }
        return .noChange
    }
}
