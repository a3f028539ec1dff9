import Foundation
import Tensors

/// A simulated participant: Bradley-Terry preferences over the four sources, a lapse rate
/// (a random click), and log-normal response times at a chosen speed-up of human speed.
public struct ObserverModel: Sendable {
    /// Log-strength of each source, in `SurveySource.allCases` order.
    public var logStrength: [Double]
    /// Probability of clicking at random instead of by preference.
    public var lapse: Double = 0.02
    /// Median seconds from images on screen to the click, at human speed.
    public var medianSeconds: Double = 1.6
    /// Log-normal sigma of the response time.
    public var spread: Double = 0.45
    /// 1 = human speed; 50 = fifty times faster.
    public var speedup: Double = 1

    public init(logStrength: [Double]) throws {
        guard logStrength.count == 4, logStrength.allSatisfy(\.isFinite) else {
            throw SurveyError.badOption(
                "--strengths", "need four finite log-strengths (real, L, L+I, L+I+P)")
        }
        self.logStrength = logStrength
    }

    /// The side this observer clicks for `trial`.
    public func choose(
        left: SurveySource, right: SurveySource, flipped: Side?, _ rng: inout RandomSource
    ) -> Side {
        if Double(rng.uniform()) < lapse { return rng.int(below: 2) == 0 ? .left : .right }
        if let f = flipped { return f.other }
        let p = 1 / (1 + exp(logStrength[right.index] - logStrength[left.index]))
        return Double(rng.uniform()) < p ? .left : .right
    }

    /// Seconds until the click.
    public func responseTime(_ rng: inout RandomSource) -> Double {
        medianSeconds * exp(spread * Double(rng.normal())) / speedup
    }
}
