import Tensors
import Testing

@testable import SynthesisMetrics

/// |a - b| <= 1e-9 * max(|a|, |b|) (the brief's relative tolerance for the spec vectors).
func relativeClose(_ a: Double, _ b: Double, _ rtol: Double = 1e-9) -> Bool {
    abs(a - b) <= rtol * max(abs(a), abs(b))
}

@Suite struct FIDTests {
    /// spade.md §10, vector 1: diagonal covariances, FID = 2 + 5 + 5 - 2 (2 + 2) = 4.
    @Test func diagonalVector() throws {
        let a = FIDStatistics(count: 2, mean: [0, 0], covariance: [1, 0, 0, 4])
        let b = FIDStatistics(count: 2, mean: [1, 1], covariance: [4, 0, 0, 1])
        let d = try FID.distance(a, b)
        #expect(relativeClose(d.value, 4.0), "\(d.value)")
        #expect(relativeClose(d.traceSqrtProduct, 4.0))
        #expect(d.offset == 0 && d.imaginaryPart == 0)
    }

    /// spade.md §10, vector 2: full 3x3 covariances; scipy sqrtm gives 5.702354558853246.
    @Test func fullCovarianceVector() throws {
        let a = FIDStatistics(count: 3, mean: [0, 1, 2], covariance: [2, 1, 0, 1, 2, 1, 0, 1, 2])
        let b = FIDStatistics(
            count: 3, mean: [1, 1, 0], covariance: [1, 0.5, 0, 0.5, 1, 0, 0, 0, 3])
        let d = try FID.distance(a, b)
        #expect(relativeClose(d.value, 5.702354558853246), "\(d.value)")
        // The distance is symmetric in its arguments.
        #expect(relativeClose(try FID.distance(b, a).value, 5.702354558853246))
    }

    /// spade.md §10, vector 3: statistics from samples (unbiased covariance),
    /// FID 2.208312416345464.
    @Test func samplesVector() throws {
        let x = FeatureMatrix(rows: [[0, 0], [1, 0], [0, 1], [1, 1], [2, 1]])
        let y = FeatureMatrix(rows: [[1, 2], [2, 1], [0, 0], [3, 3]])
        let sx = try FID.statistics(features: x)
        let sy = try FID.statistics(features: y)
        let expectX: [Double] = [0.7, 0.15, 0.15, 0.3]
        let expectY: [Double] = [5.0 / 3, 4.0 / 3, 4.0 / 3, 5.0 / 3]
        #expect(sx.count == 5 && sy.count == 4)
        #expect(zip(sx.mean, [0.8, 0.6]).allSatisfy { relativeClose($0, $1, 1e-15) })
        #expect(zip(sy.mean, [1.5, 1.5]).allSatisfy { relativeClose($0, $1, 1e-15) })
        #expect(zip(sx.covariance, expectX).allSatisfy { relativeClose($0, $1, 1e-14) })
        #expect(zip(sy.covariance, expectY).allSatisfy { relativeClose($0, $1, 1e-14) })
        let d = try FID.distance(sx, sy)
        #expect(relativeClose(d.value, 2.208312416345464), "\(d.value)")
    }

    /// Identical statistics are at distance 0 (up to rounding of the square root).
    @Test func identicalStatisticsAreAtZero() throws {
        let x = FeatureMatrix(rows: [[0, 0, 1], [1, 0, 2], [0, 1, 0], [1, 1, 1], [2, 1, 5]])
        let s = try FID.statistics(features: x)
        #expect(abs(try FID.distance(s, s).value) < 1e-12)
    }

    @Test func fewerThanTwoImagesIsAnErrorNamingTheSource() {
        let one = FeatureMatrix(rows: [[1, 2, 3]])
        #expect {
            try FID.statistics(features: one, source: "/data/generated")
        } throws: { error in
            let e = error as! MetricsError
            return e.subject == "/data/generated" && e.problem.contains("at least two images")
        }
    }

    @Test func mismatchedDimensionsAndNonFiniteValuesAreErrors() throws {
        let a = FIDStatistics(count: 2, mean: [0, 0], covariance: [1, 0, 0, 1])
        let b = FIDStatistics(count: 2, mean: [0, 0, 0], covariance: [1, 0, 0, 0, 1, 0, 0, 0, 1])
        #expect(throws: MetricsError.self) { try FID.distance(a, b) }
        let nan = FIDStatistics(count: 2, mean: [0, .nan], covariance: [1, 0, 0, 1])
        #expect(throws: MetricsError.self) { try FID.distance(a, nan) }
        let inf = FeatureMatrix(rows: [[0, 1], [.infinity, 2]])
        #expect(throws: MetricsError.self) { try FID.statistics(features: inf, source: "x") }
    }

    /// A covariance that is not PSD gives negative eigenvalues, i.e. an imaginary square root
    /// larger than pytorch-fid's 1e-3 tolerance: an error, as pytorch-fid raises one.
    @Test func largeImaginaryComponentIsAnError() {
        let a = FIDStatistics(count: 2, mean: [0, 0], covariance: [1, 0, 0, 1])
        let b = FIDStatistics(count: 2, mean: [0, 0], covariance: [1, 0, 0, -1])
        #expect {
            try FID.distance(a, b)
        } throws: { error in
            (error as! MetricsError).problem.contains("imaginary component")
        }
    }

    /// A product whose square root overflows is not finite; pytorch-fid's retry with 1e-6 on
    /// the diagonals cannot help, so it is an error instead of a silently wrong number.
    @Test func nonFiniteSquareRootIsAnError() {
        let a = FIDStatistics(count: 2, mean: [0, 0], covariance: [1e200, 0, 0, 1])
        #expect {
            try FID.distance(a, a)
        } throws: { error in
            (error as! MetricsError).problem.contains("not finite, even with 1e-06 added")
        }
    }

    /// The paper's shape: 500 images of 2048 features, so both covariances have rank 499.
    /// Y = X + δ has the same covariance, so FID = |δ|² exactly (Tr sqrtm(Σ²) = Tr Σ); the
    /// rank cut keeps the √ε noise of the 1549 null eigenvalues out (error < 1e-9 Tr Σ; scipy's
    /// sqrtm leaves ~1e-8 there).
    @Test func rankDeficientPaperShape() throws {
        let (n, d) = (500, 2048)
        var random = RandomSource(seed: 9).split("fid-rank-deficient")
        let x = (0..<(n * d)).map { _ in Double(random.normal()) }
        let delta = (0..<d).map { _ in 0.01 * Double(random.normal()) }
        let y = (0..<(n * d)).map { x[$0] + delta[$0 % d] }
        let sx = try FID.statistics(features: FeatureMatrix(count: n, dimension: d, values: x))
        let sy = try FID.statistics(features: FeatureMatrix(count: n, dimension: d, values: y))
        let trace = (0..<d).reduce(0.0) { $0 + sx.covariance[$1 * d + $1] }
        let expected = delta.reduce(0.0) { $0 + $1 * $1 }
        let fid = try FID.distance(sx, sy)
        #expect(abs(fid.value - expected) <= 1e-9 * trace, "\(fid.value) vs \(expected)")
        #expect(fid.offset == 0 && fid.imaginaryPart < FID.imaginaryTolerance)
    }
}
