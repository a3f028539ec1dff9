import Results
import Tensors

/// A stream of item indices that visits every item once per epoch in a seeded random order.
///
/// Position p (0-based, counted over the whole run) is item `permutation(epoch p / n)[p % n]`,
/// where the epoch's permutation is drawn from `random.split(epoch)`. A pure function of the
/// position: resuming needs only the position, and no other stream is replayed.
public struct EpochOrder: Sendable {
    public let items: [Int]
    let random: RandomSource
    private var cachedEpoch = -1
    private var cachedOrder: [Int] = []

    /// Visits `items` (e.g. a domain's labeled image indices) in orders drawn from `random`.
    public init(items: [Int], random: RandomSource) {
        precondition(!items.isEmpty, "EpochOrder: no items to visit")
        self.items = items
        self.random = random
    }

    /// The item at run-wide position `position`.
    public mutating func item(at position: Int) -> Int {
        let n = items.count
        let epoch = position / n
        if epoch != cachedEpoch {
            var r = random.split(epoch)
            cachedOrder = r.permutation(n).map { items[$0] }
            cachedEpoch = epoch
        }
        return cachedOrder[position % n]
    }

    /// The `count` items starting at run-wide position `start`.
    public mutating func batch(at start: Int, count: Int) -> [Int] {
        (start..<start + count).map { item(at: $0) }
    }
}
