// The confidence interval of a Swift/PyTorch speed ratio from paired samples, and the rule that
// decides when `repro bench conv` has sampled enough.

/// A distribution-free interval for the median of paired ratios (sample i of PyTorch's time over
/// sample i of ours): the order statistics x(k) and x(n+1-k), with k the largest index whose
/// two-sided binomial tail stays within `1 - confidence`. Fewer than 5 samples cannot reach 90%
/// confidence, so their interval is the full range, marked `confident == false`.
public struct RatioInterval: Sendable, Codable, Equatable {
    public let median: Double
    public let low: Double
    public let high: Double
    /// Whether [low, high] holds the median with at least the asked confidence.
    public let confident: Bool

    /// Half the interval's width over the median: 0.05 means +-5%.
    public var relativeHalfWidth: Double { (high - low) / 2 / median }

    /// The interval of the median of `ratios` (at least one value).
    public init(_ ratios: [Double], confidence: Double = 0.9) {
        precondition(!ratios.isEmpty, "RatioInterval: no samples")
        let sorted = ratios.sorted()
        let n = sorted.count
        median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        // P(Binomial(n, 1/2) < k) on each side; grow k while both tails fit.
        let alpha = (1 - confidence) / 2
        var k = 0
        var tail = 0.0
        var term = pow2(-n)  // C(n, 0) / 2^n
        while k < n / 2 {
            let next = tail + term
            if next > alpha { break }
            tail = next
            k += 1
            term = term * Double(n - k + 1) / Double(k)
        }
        confident = k >= 1
        let index = max(k, 1) - 1
        (low, high) = (sorted[index], sorted[n - 1 - index])
    }

    /// Whether the interval is confident and its half-width at most `tolerance` of the median.
    public func isTight(_ tolerance: Double) -> Bool {
        confident && relativeHalfWidth <= tolerance
    }
}

/// 2^e for an integer e (exact for the sample counts used here).
private func pow2(_ e: Int) -> Double {
    var value = 1.0
    for _ in 0..<abs(e) { value *= 2 }
    return e >= 0 ? value : 1 / value
}

/// Samples pairs with `sample` (it returns one Swift and one PyTorch time) until the ratio's
/// interval is tight within `tolerance`, at least `minimum` and at most `maximum` pairs.
/// Returns every pair taken, in order.
public func sampleUntilTight(
    minimum: Int, maximum: Int, tolerance: Double, _ sample: (Int) throws -> (Double, Double)
) rethrows -> [(swift: Double, torch: Double)] {
    var pairs: [(swift: Double, torch: Double)] = []
    while pairs.count < max(minimum, maximum, 1) {
        let (s, t) = try sample(pairs.count)
        pairs.append((s, t))
        if pairs.count >= max(minimum, 1),
            RatioInterval(pairs.map { $0.torch / $0.swift }).isTight(tolerance)
        {
            break
        }
    }
    return pairs
}
