// The papers' claims as rules over cells, judged from several seeds.
//
// Verdict rule (simple on purpose). For a claim "A > B", take the seeds present in both series,
// form the paired differences d_s = A_s - B_s (for "A < B", d_s = B_s - A_s, so d > 0 always
// supports the claim), and the two-sided 95% t interval [lo, hi] of their mean:
//   holds          lo > 0           (the whole interval supports the claim)
//   does not hold  hi <= 0          (no supporting value is plausible; this includes a mean
//                                    difference <= 0 whose interval excludes positive values)
//   inconclusive   otherwise, and whenever fewer than 2 paired seeds exist.
// A claim "A ≈ B" (close) uses d_s = A_s - B_s and the margin m = margin x |mean of B|:
//   holds          [lo, hi] inside [-m, m]     (an equivalence check at the 95% level)
//   does not hold  lo > m or hi < -m           (the interval lies outside the margin)
//   inconclusive   otherwise.
// Pairing by seed removes the seed-to-seed variation common to both cells (same data order
// and initialisation), which is what makes a few seeds informative.

/// Identifies one series of results: a matrix cell, an evaluation domain and a metric.
public struct SeriesKey: Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
    /// Full cell name, e.g. "p1/multi-semi" (`Cell.fullName`).
    public var cell: String
    /// Evaluation domain, e.g. "bdd".
    public var domain: String
    /// Metric name, e.g. "miou".
    public var metric: String

    /// The key of `metric` of `cell` on `domain`.
    public init(cell: String, domain: String, metric: String) {
        self.cell = cell
        self.domain = domain
        self.metric = metric
    }

    /// Orders by cell, then domain, then metric.
    public static func < (a: SeriesKey, b: SeriesKey) -> Bool {
        (a.cell, a.domain, a.metric) < (b.cell, b.domain, b.metric)
    }

    /// "cell/domain/metric".
    public var description: String { "\(cell)/\(domain)/\(metric)" }
}

/// One metric of one cell on one domain, measured once per seed.
public struct CellSeries: Codable, Sendable, Equatable {
    /// What was measured.
    public var key: SeriesKey
    /// The master seeds, one per value.
    public var seeds: [UInt64]
    /// The metric's value under each seed.
    public var values: [Double]

    /// A series of `values[i]` measured under master seed `seeds[i]`; seeds must be distinct.
    public init(cell: String, domain: String, metric: String, seeds: [UInt64], values: [Double]) {
        precondition(
            seeds.count == values.count,
            "CellSeries \(cell)/\(domain)/\(metric): \(seeds.count) seeds but \(values.count) values"
        )
        precondition(
            Set(seeds).count == seeds.count,
            "CellSeries \(cell)/\(domain)/\(metric): repeated seed in \(seeds)")
        self.key = SeriesKey(cell: cell, domain: domain, metric: metric)
        self.seeds = seeds
        self.values = values
    }

    /// Values in increasing seed order.
    public var summary: SampleSummary {
        SampleSummary(zip(seeds, values).sorted { $0.0 < $1.0 }.map(\.1))
    }
}

/// A claim "a > b" (or "a < b") between two series.
public struct Claim: Codable, Sendable, Equatable {
    /// Which way the claim goes.
    public enum Direction: String, Codable, Sendable {
        case greater = ">", less = "<"
        /// |a - b| within `margin` x |b| (an equivalence claim).
        case close = "≈"
    }

    /// Short stable id, e.g. "semi>supervised/single/bdd".
    public var id: String
    /// The claim in words.
    public var statement: String
    /// Left-hand side of the claim.
    public var a: SeriesKey
    /// Right-hand side of the claim.
    public var b: SeriesKey
    /// `a > b` or `a < b`.
    public var direction: Direction
    /// The paper's own value of `a`, when its table gives one.
    public var paperA: Double?
    /// The paper's own value of `b`, when its table gives one.
    public var paperB: Double?
    /// For `.close`: the largest |a - b| still called close, as a fraction of |mean of b|.
    public var margin: Double?

    /// The claim "`a` `direction` `b`", with the paper's values of both sides if known
    /// (`margin`: for `.close` only).
    public init(
        id: String, statement: String, a: SeriesKey, b: SeriesKey, direction: Direction,
        paperA: Double? = nil, paperB: Double? = nil, margin: Double? = nil
    ) {
        precondition(
            (direction == .close) == (margin != nil),
            "Claim \(id): a margin is given exactly for a close claim")
        self.margin = margin
        self.id = id
        self.statement = statement
        self.a = a
        self.b = b
        self.direction = direction
        self.paperA = paperA
        self.paperB = paperB
    }

    /// The paper's difference, signed so that > 0 supports the claim.
    public var paperDifference: Double? {
        guard let paperA, let paperB else { return nil }
        return direction == .less ? paperB - paperA : paperA - paperB
    }
}

/// The outcome of a claim.
public enum ClaimVerdict: String, Codable, Sendable {
    case holds
    case doesNotHold = "does not hold"
    case inconclusive
}

/// A claim judged on the data.
public struct ClaimResult: Codable, Sendable, Equatable {
    /// The claim judged.
    public var claim: Claim
    /// Summary of the paired differences (> 0 supports the claim); n = number of paired seeds.
    public var difference: SampleSummary
    /// Mean of `a` over the paired seeds.
    public var meanA: Double
    /// Mean of `b` over the paired seeds.
    public var meanB: Double
    /// holds / does not hold / inconclusive.
    public var verdict: ClaimVerdict
    /// Why the verdict is what it is, in a few words.
    public var note: String
}

/// The evaluation of claims (each paper states its own, `Experiment.claims()`).
public enum Claims {
    /// Judges each claim on `series` (see the verdict rule at the top of Claims.swift).
    public static func evaluate(_ claims: [Claim], on series: [CellSeries]) -> [ClaimResult] {
        var byKey: [SeriesKey: CellSeries] = [:]
        for s in series {
            precondition(byKey[s.key] == nil, "Claims.evaluate: series \(s.key) given twice")
            byKey[s.key] = s
        }
        return claims.map { evaluate($0, a: byKey[$0.a], b: byKey[$0.b]) }
    }

    static func evaluate(_ claim: Claim, a: CellSeries?, b: CellSeries?) -> ClaimResult {
        let aBySeed = Dictionary(uniqueKeysWithValues: zip(a?.seeds ?? [], a?.values ?? []))
        let bBySeed = Dictionary(uniqueKeysWithValues: zip(b?.seeds ?? [], b?.values ?? []))
        let seeds = aBySeed.keys.filter { bBySeed[$0] != nil }.sorted()
        let aValues = seeds.map { aBySeed[$0]! }
        let bValues = seeds.map { bBySeed[$0]! }
        let diffs = zip(aValues, bValues).map { claim.direction == .less ? $1 - $0 : $0 - $1 }
        let d = SampleSummary(diffs)
        let verdict: ClaimVerdict
        let note: String
        if a == nil || b == nil {
            verdict = .inconclusive
            note = "no data for \(a == nil ? claim.a : claim.b)"
        } else if seeds.count < 2 {
            verdict = .inconclusive
            note = "\(seeds.count) paired seed(s); at least 2 are needed for an interval"
        } else if d.ciLow.isNaN || d.ciHigh.isNaN {
            verdict = .inconclusive
            note = "non-finite values"
        } else if claim.direction == .close {
            let m = (claim.margin ?? 0) * abs(SampleSummary(bValues).mean)
            let margin = "margin ±\(String(format: "%.4g", m))"
            if d.ciLow >= -m && d.ciHigh <= m {
                verdict = .holds
                note = "95% interval inside the \(margin)"
            } else if d.ciLow > m || d.ciHigh < -m {
                verdict = .doesNotHold
                note = "95% interval outside the \(margin)"
            } else {
                verdict = .inconclusive
                note = "95% interval crosses the \(margin)"
            }
        } else if d.ciLow > 0 {
            verdict = .holds
            note = "95% interval above 0"
        } else if d.ciHigh <= 0 {
            verdict = .doesNotHold
            note =
                d.mean < 0 ? "95% interval below 0" : "no positive difference in the 95% interval"
        } else {
            verdict = .inconclusive
            note = "95% interval contains 0"
        }
        return ClaimResult(
            claim: claim, difference: d, meanA: SampleSummary(aValues).mean,
            meanB: SampleSummary(bValues).mean, verdict: verdict, note: note)
    }
}
