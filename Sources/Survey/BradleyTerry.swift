import Foundation

/// The Bradley-Terry model P(i beats j) = pi_i / (pi_i + pi_j), fitted by maximum likelihood
/// with Hunter's (2004) MM algorithm, with 95% intervals for the log-strengths from the
/// observed Fisher information under the constraint sum(log pi) = 0.
public struct BradleyTerry: Sendable {
    /// Log-strengths, summing to zero (nil when the MLE does not exist).
    public let logStrength: [Double]?
    /// Standard errors of `logStrength`.
    public let standardError: [Double]?
    /// Why there is no finite MLE (a source won or lost every trial...), if so.
    public let infinite: String?
    public let iterations: Int

    /// Fits `wins[i][j]` = trials in which item i was chosen over item j. `names` label the
    /// items in messages. Every item must take part in some trial.
    public init(wins: [[Int]], names: [String]) {
        let k = wins.count
        var n = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        var w = [Double](repeating: 0, count: k)
        for i in 0..<k {
            for j in 0..<k where i != j {
                n[i][j] = Double(wins[i][j] + wins[j][i])
                w[i] += Double(wins[i][j])
            }
        }
        if let why = Self.noFiniteMLE(wins: wins, names: names) {
            (logStrength, standardError, infinite, iterations) = (nil, nil, why, 0)
            return
        }
        var theta = [Double](repeating: 0, count: k)
        var sweeps = 0
        while sweeps < 1_000_000 {
            sweeps += 1
            var next = theta
            for i in 0..<k {
                var denom = 0.0
                for j in 0..<k where j != i && n[i][j] > 0 {
                    denom += n[i][j] / (exp(theta[i]) + exp(theta[j]))
                }
                next[i] = log(w[i] / denom)
            }
            let mean = next.reduce(0, +) / Double(k)
            next = next.map { $0 - mean }
            let change = zip(next, theta).map { abs($0 - $1) }.max() ?? 0
            theta = next
            if change < 1e-10 { break }
        }
        // Observed information of the log-likelihood in theta (Laplacian-like, rank k - 1).
        var info = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for i in 0..<k {
            for j in 0..<k where j != i && n[i][j] > 0 {
                let p = 1 / (1 + exp(theta[j] - theta[i]))
                info[i][j] -= n[i][j] * p * (1 - p)
                info[i][i] += n[i][j] * p * (1 - p)
            }
        }
        // Covariance under sum(theta) = 0: the pseudo-inverse, (I + J/k)^-1 - J/k.
        let jk = 1 / Double(k)
        let shifted = info.map { $0.map { $0 + jk } }
        let cov = Self.invert(shifted).map { row in row.map { $0 - jk } }
        logStrength = theta
        standardError = (0..<k).map { max(0, cov[$0][$0]).squareRoot() }
        infinite = nil
        iterations = sweeps
    }

    /// 95% interval of item i's log-strength.
    public func interval(_ i: Int) -> (low: Double, high: Double)? {
        guard let t = logStrength, let se = standardError else { return nil }
        return (t[i] - SurveyStatistics.z95 * se[i], t[i] + SurveyStatistics.z95 * se[i])
    }

    /// The model's P(i chosen over j).
    public func probability(_ i: Int, over j: Int) -> Double? {
        guard let t = logStrength else { return nil }
        return 1 / (1 + exp(t[j] - t[i]))
    }

    /// Ford's condition: the MLE is finite iff, for every split of the items into two groups,
    /// each group beat the other at least once, i.e. the "beat" graph is strongly connected.
    static func noFiniteMLE(wins: [[Int]], names: [String]) -> String? {
        let k = wins.count
        for i in 0..<k {
            let won = (0..<k).reduce(0) { $0 + ($1 == i ? 0 : wins[i][$1]) }
            let lost = (0..<k).reduce(0) { $0 + ($1 == i ? 0 : wins[$1][i]) }
            if won + lost == 0 { return "\(names[i]) was never compared" }
            if lost == 0 {
                return "\(names[i]) won every trial it was in (its strength is +infinity)"
            }
            if won == 0 {
                return "\(names[i]) lost every trial it was in (its strength is -infinity)"
            }
        }
        func reach(_ start: Int, forward: Bool) -> Set<Int> {
            var seen: Set<Int> = [start]
            var stack = [start]
            while let a = stack.popLast() {
                for b in 0..<k where b != a && !seen.contains(b) {
                    if (forward ? wins[a][b] : wins[b][a]) > 0 {
                        seen.insert(b)
                        stack.append(b)
                    }
                }
            }
            return seen
        }
        if reach(0, forward: true).count < k || reach(0, forward: false).count < k {
            return "one group of sources won every trial against the others (the MLE is infinite)"
        }
        return nil
    }

    /// Gauss-Jordan inverse with partial pivoting (small, well-conditioned matrices only).
    static func invert(_ m: [[Double]]) -> [[Double]] {
        let k = m.count
        var a = m
        var inv = (0..<k).map { i in (0..<k).map { $0 == i ? 1.0 : 0.0 } }
        for c in 0..<k {
            let p = (c..<k).max { abs(a[$0][c]) < abs(a[$1][c]) }!
            a.swapAt(c, p)
            inv.swapAt(c, p)
            let d = a[c][c]
            for j in 0..<k {
                a[c][j] /= d
                inv[c][j] /= d
            }
            for r in 0..<k where r != c {
                let f = a[r][c]
                if f == 0 { continue }
                for j in 0..<k {
                    a[r][j] -= f * a[c][j]
                    inv[r][j] -= f * inv[c][j]
                }
            }
        }
        return inv
    }
}
