import Tensors

/// The labeled / unlabeled partition of one domain's training images (spec: 1/8 labeled).
public struct SemiSupervisedSplit: Sendable, Equatable, Codable {
    /// Indices of labeled training images, ascending.
    public let labeled: [Int]
    /// Indices of the remaining (unlabeled) training images, ascending.
    public let unlabeled: [Int]

    /// Shuffles 0..<count with `RandomSource(seed:).split("split").split(domain)` and takes the
    /// first `max(1, count / denominator)` (rounded down, at least one) as labeled.
    public static func make(count: Int, domain: String, seed: UInt64, denominator: Int = 8)
        -> SemiSupervisedSplit
    {
        precondition(
            count >= 1 && denominator >= 1,
            "SemiSupervisedSplit: count \(count), denominator \(denominator)")
        var rng = RandomSource(seed: seed).split("split").split(domain)
        let order = rng.permutation(count)
        let n = max(1, count / denominator)
        return SemiSupervisedSplit(labeled: order[..<n].sorted(), unlabeled: order[n...].sorted())
    }
}
