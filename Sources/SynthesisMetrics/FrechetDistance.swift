/// Fréchet Inception Distance: statistics (FIDStatistics.swift), the distance (here) and the
/// pluggable feature extractors (FeatureExtractor.swift).
public enum FID {
    /// pytorch-fid's diagonal offset for a product whose square root is not finite.
    public static let offset = 1e-6
    /// pytorch-fid's tolerance on the imaginary part of the square root's diagonal.
    public static let imaginaryTolerance = 1e-3
}

/// The Fréchet distance between two Gaussians, with how it was obtained.
public struct FrechetDistance: Sendable, Equatable {
    /// ‖μ₁ − μ₂‖² + Tr Σ₁ + Tr Σ₂ − 2 Tr sqrtm(Σ₁Σ₂).
    public let value: Double
    /// Tr sqrtm(Σ₁Σ₂) (pytorch-fid's `tr_covmean`).
    public let traceSqrtProduct: Double
    /// 0, or `FID.offset` when the first attempt was not finite and pytorch-fid's retry with
    /// Σ + εI was used.
    public let offset: Double
    /// sqrt(-λ) of the most negative eigenvalue λ of Σ₁^½ Σ₂ Σ₁^½ (0 if none): the size of the
    /// imaginary part a complex square root would carry, rounding noise for PSD inputs.
    public let imaginaryPart: Double
}

extension FID {
    /// The Fréchet distance between `a` and `b`, as pytorch-fid's `calculate_frechet_distance`.
    ///
    /// pytorch-fid takes `scipy.linalg.sqrtm(Σ₁Σ₂)` (a Schur method on the non-symmetric
    /// product) and its trace. The same trace is computed here from symmetric problems only:
    /// Σ₁Σ₂ is similar to Σ₁^½ Σ₂ Σ₁^½, which is symmetric positive semi-definite, so
    /// Tr sqrtm(Σ₁Σ₂) = Σₖ sqrt(λₖ) over its eigenvalues. With Σ₁ = V diag(w) Vᵀ (LAPACK dsyevd)
    /// and B = V diag(sqrt(w)) restricted to the columns with w above the numerical-rank
    /// tolerance, Bᵀ Σ₂ B (r x r, r = rank of Σ₁) has the same non-zero eigenvalues, so a
    /// rank-deficient Σ₁ (fewer images than feature dimensions) makes the problem smaller
    /// instead of singular.
    ///
    /// Rank deficiency: eigenvalues that are zero in exact arithmetic come out as rounding
    /// noise ±ε‖Σ‖, and their square roots (√ε‖Σ‖, about 1e-8 relative) would add up in the
    /// trace. Both eigenvalue sets are therefore cut at numpy's `matrix_rank` tolerance,
    /// max(w) · n · ε: below it an eigenvalue counts as 0. This gives the exact value (checked
    /// against an SVD of the centred features' cross product to 1e-15, Tests/Fixtures/fid.h5);
    /// scipy's Schur sqrtm in pytorch-fid keeps that noise and differs by ~3e-8 relative on
    /// rank-deficient input. On full-rank input the two agree to ~1e-14. Negative eigenvalues
    /// are reported as `imaginaryPart` (sqrt of the most negative one).
    ///
    /// pytorch-fid's two safety rules are kept: a non-finite result (or an eigensolver failure)
    /// is retried once with `FID.offset` added to both diagonals; an imaginary part above
    /// `FID.imaginaryTolerance` is an error.
    ///
    /// - Throws: `MetricsError` for statistics of different dimensions, non-finite values, or
    ///   a square root that stays non-finite or has a large imaginary part.
    public static func distance(_ a: FIDStatistics, _ b: FIDStatistics) throws -> FrechetDistance {
        guard a.dimension == b.dimension else {
            throw MetricsError(
                "FID",
                "the two sets of statistics have different dimensions (\(a.dimension) "
                    + "and \(b.dimension)): were they made by the same feature extractor?")
        }
        for (name, s) in [("first", a), ("second", b)] {
            guard (s.mean + s.covariance).allSatisfy(\.isFinite) else {
                throw MetricsError("FID", "the \(name) statistics contain non-finite values")
            }
        }
        let d = a.dimension
        var offset = 0.0
        var root = traceSqrtProduct(a.covariance, b.covariance, d: d, offset: 0)
        if root == nil || !root!.trace.isFinite {
            offset = FID.offset
            root = traceSqrtProduct(a.covariance, b.covariance, d: d, offset: offset)
        }
        guard let (trace, imaginary) = root, trace.isFinite else {
            throw MetricsError(
                "FID",
                "the square root of the covariance product is not finite, even with "
                    + "\(FID.offset) added to the diagonals")
        }
        guard imaginary <= FID.imaginaryTolerance else {
            throw MetricsError(
                "FID",
                "the square root of the covariance product has an imaginary component "
                    + "\(imaginary) (above \(FID.imaginaryTolerance)): are the covariances PSD?")
        }
        var meanTerm = 0.0
        for j in 0..<d { meanTerm += (a.mean[j] - b.mean[j]) * (a.mean[j] - b.mean[j]) }
        var traces = 0.0
        for j in 0..<d { traces += a.covariance[j * d + j] }
        for j in 0..<d { traces += b.covariance[j * d + j] }
        let value = meanTerm + traces - 2 * trace
        return FrechetDistance(
            value: value, traceSqrtProduct: trace, offset: offset, imaginaryPart: imaginary)
    }

    /// Tr sqrtm((S1 + εI)(S2 + εI)) and the imaginary-part measure, or nil when an eigensolver
    /// fails. See `distance`.
    static func traceSqrtProduct(_ s1: [Double], _ s2: [Double], d: Int, offset: Double)
        -> (trace: Double, imaginary: Double)?
    {
        var s1 = s1
        var s2 = s2
        if offset != 0 {
            for j in 0..<d {
                s1[j * d + j] += offset
                s2[j * d + j] += offset
            }
        }
        guard let (w, v) = LAPACK.symmetricEigen(s1, n: d, vectors: true),
            w.allSatisfy(\.isFinite)
        else { return nil }
        let kept = (0..<d).filter { w[$0] > rankTolerance(w) }
        let r = kept.count
        if r == 0 { return (0, 0) }
        // B = V diag(sqrt(w)) on the kept columns, d x r.
        var bm = [Double](repeating: 0, count: d * r)
        for (c, k) in kept.enumerated() {
            let s = w[k].squareRoot()
            for i in 0..<d { bm[i * r + c] = v[i * d + k] * s }
        }
        let s2b = LAPACK.multiply(s2, bm, m: d, k: d, n: r)
        var m = LAPACK.multiply(bm, s2b, m: r, k: d, n: r, transposeA: true)
        for i in 0..<r {
            for j in (i + 1)..<r {
                let mean = (m[i * r + j] + m[j * r + i]) / 2
                m[i * r + j] = mean
                m[j * r + i] = mean
            }
        }
        guard let (lambda, _) = LAPACK.symmetricEigen(m, n: r, vectors: false) else { return nil }
        var trace = 0.0
        var imaginary = 0.0
        let tolerance = rankTolerance(lambda)
        for l in lambda {
            if !l.isFinite { return (.nan, 0) }
            if l > tolerance { trace += l.squareRoot() }
            if l < 0 { imaginary = max(imaginary, (-l).squareRoot()) }
        }
        return (trace, imaginary)
    }

    /// numpy `matrix_rank`'s default cut for symmetric eigenvalues: max |λ| · n · ε.
    static func rankTolerance(_ eigenvalues: [Double]) -> Double {
        let largest = eigenvalues.map { abs($0) }.max() ?? 0
        return largest * Double(eigenvalues.count) * Double.ulpOfOne
    }
}
