/// Feature vectors of a set of images: `count` rows of `dimension` values, row-major, Float64
/// (pytorch-fid keeps its activations in a float64 array).
public struct FeatureMatrix: Sendable, Equatable {
    public let count: Int
    public let dimension: Int
    /// `count * dimension` values, one image per row.
    public let values: [Double]

    public init(count: Int, dimension: Int, values: [Double]) {
        precondition(
            count >= 0 && dimension >= 0 && values.count == count * dimension,
            "FeatureMatrix: \(values.count) values do not fill \(count)x\(dimension)")
        self.count = count
        self.dimension = dimension
        self.values = values
    }

    /// Rows of equal length (an empty list gives 0 x 0).
    public init(rows: [[Double]]) {
        let d = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == d }, "FeatureMatrix: rows of unequal length")
        self.init(count: rows.count, dimension: d, values: rows.flatMap { $0 })
    }

    /// Float32 features (an extractor's output) widened to Float64.
    public init(count: Int, dimension: Int, float32 values: [Float]) {
        self.init(count: count, dimension: dimension, values: values.map { Double($0) })
    }
}

/// The Gaussian fitted to a set of features: mean and unbiased covariance in Float64, as
/// pytorch-fid's `np.mean(act, axis=0)` and `np.cov(act, rowvar=False)`.
public struct FIDStatistics: Sendable, Equatable {
    /// Number of feature vectors (images) the statistics were computed from.
    public let count: Int
    public let mean: [Double]
    /// `dimension` x `dimension`, row-major.
    public let covariance: [Double]

    public var dimension: Int { mean.count }

    public init(count: Int, mean: [Double], covariance: [Double]) {
        precondition(
            covariance.count == mean.count * mean.count,
            "FIDStatistics: covariance of \(covariance.count) values for dimension \(mean.count)")
        self.count = count
        self.mean = mean
        self.covariance = covariance
    }
}

extension FID {
    /// Mean and unbiased (N - 1) covariance of `features`, two-pass in Float64: the mean, then
    /// the centred rows' Gram matrix divided by N - 1.
    ///
    /// - Parameter source: the folder or set the features come from, named in errors.
    /// - Throws: `MetricsError` for fewer than two feature vectors (the covariance is then
    ///   undefined) or a non-finite feature value.
    public static func statistics(features: FeatureMatrix, source: String = "features") throws
        -> FIDStatistics
    {
        let (n, d) = (features.count, features.dimension)
        guard n >= 2 else {
            throw MetricsError(
                source, "FID needs at least two images, found \(n) (the covariance needs N - 1 > 0)"
            )
        }
        guard d >= 1 else { throw MetricsError(source, "features have dimension 0") }
        if let i = features.values.firstIndex(where: { !$0.isFinite }) {
            throw MetricsError(
                source, "feature \(i % d) of image \(i / d) is \(features.values[i]), not finite")
        }
        var mean = [Double](repeating: 0, count: d)
        for r in 0..<n {
            for j in 0..<d { mean[j] += features.values[r * d + j] }
        }
        for j in 0..<d { mean[j] /= Double(n) }
        var centred = features.values
        for r in 0..<n {
            for j in 0..<d { centred[r * d + j] -= mean[j] }
        }
        var cov = LAPACK.multiply(centred, centred, m: d, k: n, n: d, transposeA: true)
        let scale = 1 / Double(n - 1)
        for i in 0..<cov.count { cov[i] *= scale }
        return FIDStatistics(count: n, mean: mean, covariance: cov)
    }
}
