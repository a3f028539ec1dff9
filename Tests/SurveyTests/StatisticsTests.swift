import Foundation
import Tensors
import Testing

@testable import Survey

@Suite struct StatisticsTests {
    /// Reference values from the spec's formulas in exact (Python) arithmetic: Wilson
    /// intervals, and binomial tails summed over math.comb (equal to scipy's binomtest).
    @Test func wilsonInterval() {
        let w = SurveyStatistics.wilson(69, 100)!
        #expect(abs(w.low - 0.5937394428051057) < 1e-12 && abs(w.high - 0.7722030278762395) < 1e-12)
        let z = SurveyStatistics.wilson(0, 10)!
        #expect(abs(z.low) < 1e-15 && abs(z.high - 0.2775327998628892) < 1e-12)
        #expect(SurveyStatistics.wilson(0, 0) == nil)
    }

    @Test func exactBinomialTest() {
        #expect(abs(SurveyStatistics.binomialTwoSided(69, 100)! - 0.00018314322488235366) < 1e-12)
        #expect(abs(SurveyStatistics.binomialTwoSided(5, 10)! - 1) < 1e-12)
        #expect(abs(SurveyStatistics.binomialTwoSided(0, 10)! - 2.0 / 1024) < 1e-12)
        #expect(abs(SurveyStatistics.binomialTwoSided(8, 10)! - 112.0 / 1024) < 1e-12)
        #expect(SurveyStatistics.binomialTwoSided(3, 0) == nil)
        // Symmetric in k <-> n - k.
        #expect(
            SurveyStatistics.binomialTwoSided(30, 100) == SurveyStatistics.binomialTwoSided(70, 100)
        )
    }

    /// spec/survey.md: complementary entries sum to 1, and Bradley-Terry with equal pair
    /// counts fits Table 2 within 0.012 (timed) and 0.002 (unlimited).
    @Test func paperTable2IsBradleyTerry() {
        for (mode, tolerance) in [(StudyMode.timed, 0.012), (.unlimited, 0.002)] {
            let t = PaperTable2.table(mode)
            var wins = [[Int]](repeating: [0, 0, 0], count: 3)
            for i in 0..<3 {
                for j in 0..<3 where i != j {
                    #expect(abs(t[i][j] + t[j][i] - 1) < 1e-12)
                    wins[i][j] = Int((t[i][j] * 10_000).rounded())
                }
            }
            let bt = BradleyTerry(wins: wins, names: ["L", "L+I", "L+I+P"])
            var worst = 0.0
            for i in 0..<3 {
                for j in 0..<3 where i != j {
                    worst = max(worst, abs(bt.probability(i, over: j)! - t[i][j]))
                }
            }
            #expect(worst < tolerance, "mode \(mode): worst \(worst)")
            #expect(abs(bt.logStrength!.reduce(0, +)) < 1e-9)
        }
    }

    @Test func infiniteStrengthIsDetected() {
        let allWins = BradleyTerry(
            wins: [[0, 5, 3], [0, 0, 2], [0, 1, 0]], names: ["a", "b", "c"])
        #expect(allWins.logStrength == nil && allWins.infinite!.contains("a won every trial"))
        let allLoss = BradleyTerry(
            wins: [[0, 5, 3], [2, 0, 2], [0, 0, 0]], names: ["a", "b", "c"])
        #expect(allLoss.infinite!.contains("c lost every trial"))
        // {a, b} beat {c, d} in every trial, though each source won and lost somewhere.
        let split = BradleyTerry(
            wins: [[0, 3, 2, 2], [1, 0, 2, 2], [0, 0, 0, 4], [0, 0, 1, 0]],
            names: ["a", "b", "c", "d"])
        #expect(split.infinite != nil && split.logStrength == nil)
    }

    /// Counts drawn from a known Bradley-Terry model: the fit recovers every log-strength
    /// within its 95% interval, and the intervals have the right width.
    @Test func bradleyTerryRecoversStrengths() {
        let truth = [0.9, -0.5, -0.1, -0.3]
        var rng = RandomSource(seed: 11).split("bt")
        var wins = [[Int]](repeating: [0, 0, 0, 0], count: 4)
        for (a, b) in SurveySource.pairs {
            for _ in 0..<400 {
                let p = 1 / (1 + exp(truth[b.index] - truth[a.index]))
                if Double(rng.uniform()) < p {
                    wins[a.index][b.index] += 1
                } else {
                    wins[b.index][a.index] += 1
                }
            }
        }
        let bt = BradleyTerry(wins: wins, names: SurveySource.allCases.map(\.rawValue))
        for i in 0..<4 {
            let iv = bt.interval(i)!
            #expect(iv.low <= truth[i] && truth[i] <= iv.high, "source \(i): \(iv) vs \(truth[i])")
            #expect(bt.standardError![i] > 0.03 && bt.standardError![i] < 0.12)
        }
    }
}
