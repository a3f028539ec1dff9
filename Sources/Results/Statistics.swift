// Small-sample statistics for claims over a few seeds: mean, sample standard deviation and a
// two-sided 95% Student-t confidence interval of the mean.

/// Mean, spread and 95% confidence interval of a sample (values summed in the given order).
public struct SampleSummary: Codable, Sendable, Equatable {
    /// Sample size.
    public var n: Int
    /// Arithmetic mean (NaN when n = 0).
    public var mean: Double
    /// Sample standard deviation with n - 1 in the denominator (NaN when n < 2).
    public var std: Double
    /// Lower end of the 95% t interval of the mean (NaN when n < 2).
    public var ciLow: Double
    /// Upper end of the 95% t interval of the mean (NaN when n < 2).
    public var ciHigh: Double

    /// Summarises `values`: mean ± t(0.975, n-1) * std / sqrt(n).
    public init(_ values: [Double]) {
        n = values.count
        mean = n == 0 ? .nan : values.reduce(0, +) / Double(n)
        guard n >= 2 else {
            std = .nan
            ciLow = .nan
            ciHigh = .nan
            return
        }
        let m = mean
        let squares = values.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        std = (squares / Double(n - 1)).squareRoot()
        let half = studentT975(degreesOfFreedom: n - 1) * std / Double(n).squareRoot()
        ciLow = mean - half
        ciHigh = mean + half
    }
}

/// The 0.975 quantile of Student's t distribution (two-sided 95%) for `degreesOfFreedom` >= 1.
///
/// Table values (4 decimals) for df 1...30, 40, 60 and 120 (used for every df >= 120);
/// between table entries the value of the next smaller tabulated df is used, which is larger,
/// so intervals are never narrower than the exact ones.
public func studentT975(degreesOfFreedom df: Int) -> Double {
    precondition(df >= 1, "studentT975: degrees of freedom \(df) < 1")
    if df <= 30 { return tTable975[df - 1] }
    if df < 40 { return tTable975[29] }
    if df < 60 { return 2.0211 }
    if df < 120 { return 2.0003 }
    return 1.9799
}

/// t(0.975, df) for df = 1...30.
private let tTable975: [Double] = [
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
    2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
    2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
]

/// The median of `xs` (the mean of the two middle values for an even count); NaN when empty.
public func median(_ xs: [Double]) -> Double {
    guard !xs.isEmpty else { return .nan }
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}
