import Foundation

/// The per-pair statistics of the report (spec/survey.md, "Statistics for the report").
public enum SurveyStatistics {
    public static let z95 = 1.959963984540054

    /// Wilson score 95% interval for k successes in n trials; nil when n = 0.
    public static func wilson(_ k: Int, _ n: Int, z: Double = z95) -> (low: Double, high: Double)? {
        guard n > 0 else { return nil }
        let nn = Double(n)
        let p = Double(k) / nn
        let z2 = z * z
        let centre = (p + z2 / (2 * nn)) / (1 + z2 / nn)
        let half = z * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot() / (1 + z2 / nn)
        return (centre - half, centre + half)
    }

    /// Two-sided exact binomial test of k successes in n trials against p = 0.5:
    /// min(1, 2 min(P[X <= k], P[X >= k])). nil when n = 0.
    public static func binomialTwoSided(_ k: Int, _ n: Int) -> Double? {
        guard n > 0, k >= 0, k <= n else { return nil }
        let lower = halfCDF(k, n)
        let upper = halfCDF(n - k, n)  // P[X >= k] = P[X <= n - k] at p = 0.5
        return min(1, 2 * min(lower, upper))
    }

    /// P[X <= k] for X ~ Binomial(n, 1/2), summed in log space (exact to rounding).
    static func halfCDF(_ k: Int, _ n: Int) -> Double {
        guard k >= 0 else { return 0 }
        if k >= n { return 1 }
        let logHalfN = Double(n) * log(0.5)
        var terms: [Double] = []
        for i in 0...k { terms.append(logChoose(n, i) + logHalfN) }
        let m = terms.max()!
        let s = terms.reduce(0) { $0 + exp($1 - m) }
        return min(1, exp(m) * s)
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }
}
