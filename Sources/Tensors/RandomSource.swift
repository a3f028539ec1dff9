import Foundation

/// The project's only source of randomness: Philox-4x32-10 (Salmon et al., SC 2011), a
/// counter-based generator.
///
/// A source is `(seed, stream, counter)`. Block `counter` of stream `stream` under key `seed` is
/// `philox(key: seed, counter: (counter, stream))`, four 32-bit words. Streams split by name
/// (`split("data")`) are independent and reproducible without replaying any other stream, and
/// the whole state is three integers plus a word index, so it can be checkpointed exactly.
///
/// Transforms (all documented so that any implementation can reproduce them bit for bit):
/// - `nextUInt32`: the words of successive blocks, in order.
/// - `uniform()`: `Float(u >> 8) * 2^-24`, in [0, 1).
/// - `normal()`: Box-Muller on two words, `sqrt(-2 ln u1) * cos(2 pi u2)` computed in Double,
///   with `u1 = (u >> 8 + 1) * 2^-24` in (0, 1] and `u2 = (u >> 8) * 2^-24`.
/// - `int(below:)`: Lemire's multiply-shift with rejection on 32-bit words (unbiased).
/// - `permutation(_:)`: Fisher-Yates from the last index down, using `int(below:)`.
public struct RandomSource: RandomNumberGenerator, Sendable, Equatable {
    /// The 64-bit key (the master seed, or a key derived from it).
    public let seed: UInt64
    /// The stream id, the high 64 bits of the Philox counter.
    public let stream: UInt64
    /// The next block to generate, the low 64 bits of the Philox counter.
    public private(set) var counter: UInt64 = 0
    /// Position (0...4) inside `block`; 4 means the block is used up.
    public private(set) var index: Int = 4
    private var block: [UInt32] = [0, 0, 0, 0]

    /// A source on `stream` of key `seed`, at its first block.
    public init(seed: UInt64, stream: UInt64 = 0) {
        self.seed = seed
        self.stream = stream
    }

    /// Restores a source from `state` (see `state`); the state must be valid (a saved state
    /// read from a file goes through `init(validating:)`).
    public init(state: [UInt64]) {
        precondition(Self.problem(state) == nil, "RandomSource: bad saved state \(state)")
        self.seed = state[0]
        self.stream = state[1]
        self.counter = state[2]
        self.index = Int(state[3])
        if index < 4 {
            // The block in use was generated from counter - 1.
            block = Self.philox(seed: seed, stream: stream, counter: counter &- 1)
        }
    }

    /// Restores a source from a saved `state` (from a checkpoint, say), or throws a
    /// `RandomStateError` saying what is wrong with it.
    public init(validating state: [UInt64]) throws(RandomStateError) {
        if let problem = Self.problem(state) { throw RandomStateError(description: problem) }
        self.init(state: state)
    }

    /// What is wrong with a saved state, or nil: four words (seed, stream, counter, index),
    /// index at most 4, and a block in use (index < 4) was made from counter - 1, so counter > 0.
    static func problem(_ state: [UInt64]) -> String? {
        guard state.count == 4 else {
            return "a random-source state has 4 words (seed, stream, counter, index), "
                + "found \(state.count)"
        }
        guard state[3] <= 4 else { return "word index \(state[3]) is outside 0...4" }
        guard state[3] == 4 || state[2] > 0 else {
            return "word index \(state[3]) < 4 needs a block already generated (counter > 0)"
        }
        return nil
    }

    /// Two sources are equal when they will produce the same words from now on.
    public static func == (a: RandomSource, b: RandomSource) -> Bool { a.state == b.state }

    /// The whole state as four integers `(seed, stream, counter, index)`, for checkpoints.
    public var state: [UInt64] { [seed, stream, counter, UInt64(index)] }

    /// An independent source for the named sub-stream. Same name, same stream, on every machine.
    ///
    /// The child stream id mixes this stream id with the FNV-1a hash of the UTF-8 name, so
    /// `split("a").split("b")` differs from `split("b").split("a")`.
    public func split(_ name: String) -> RandomSource {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return RandomSource(seed: seed, stream: Self.mix(stream &+ 0x9e37_79b9_7f4a_7c15 ^ h))
    }

    /// An independent source for sub-stream number `index` (per item, per worker, per layer).
    public func split(_ index: Int) -> RandomSource {
        RandomSource(
            seed: seed, stream: Self.mix(stream ^ Self.mix(UInt64(truncatingIfNeeded: index) &+ 1)))
    }

    /// The next 32 random bits.
    public mutating func nextUInt32() -> UInt32 {
        if index == 4 {
            block = Self.philox(seed: seed, stream: stream, counter: counter)
            counter &+= 1
            index = 0
        }
        defer { index += 1 }
        return block[index]
    }

    /// The next 64 random bits (two words, the first in the high half).
    public mutating func next() -> UInt64 {
        let hi = UInt64(nextUInt32())
        return hi << 32 | UInt64(nextUInt32())
    }

    /// Uniform in [0, 1) with 24 random bits.
    public mutating func uniform() -> Float {
        Float(nextUInt32() >> 8) * 0x1p-24
    }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * uniform()
    }

    /// A standard normal draw (Box-Muller, cosine branch, two words per draw).
    public mutating func normal() -> Float {
        let u1 = (Double(nextUInt32() >> 8) + 1) * 0x1p-24
        let u2 = Double(nextUInt32() >> 8) * 0x1p-24
        return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
    }

    /// True with probability `p`.
    public mutating func bernoulli(_ p: Float) -> Bool {
        uniform() < p
    }

    /// Uniform integer in 0..<bound (Lemire's unbiased multiply-shift on 32-bit words).
    public mutating func int(below bound: Int) -> Int {
        precondition(
            bound > 0 && bound <= Int(UInt32.max), "RandomSource.int(below:): bound \(bound)")
        let b = UInt64(bound)
        var m = UInt64(nextUInt32()) * b
        if UInt32(truncatingIfNeeded: m) < UInt32(truncatingIfNeeded: b) {
            let threshold = UInt32(truncatingIfNeeded: (0 &- b) % b)
            while UInt32(truncatingIfNeeded: m) < threshold {
                m = UInt64(nextUInt32()) * b
            }
        }
        return Int(m >> 32)
    }

    /// Uniform integer in `range` (both ends included, like Python's `random.randint`).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(below: range.upperBound - range.lowerBound + 1)
    }

    /// A uniformly random permutation of 0..<n (Fisher-Yates).
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        var i = n - 1
        while i > 0 {
            let j = int(below: i + 1)
            p.swapAt(i, j)
            i -= 1
        }
        return p
    }

    /// Tensor of i.i.d. N(mean, std^2) draws.
    public mutating func normalTensor(_ shape: [Int], mean: Float = 0, std: Float = 1) -> Tensor {
        var t = Tensor(zeros: shape)
        for i in 0..<t.count { t.data[i] = mean + std * normal() }
        return t
    }

    /// Tensor of i.i.d. U[low, high) draws.
    public mutating func uniformTensor(_ shape: [Int], _ low: Float, _ high: Float) -> Tensor {
        var t = Tensor(zeros: shape)
        for i in 0..<t.count { t.data[i] = uniform(low, high) }
        return t
    }

    // MARK: - Philox-4x32-10

    /// One Philox-4x32-10 block for key `seed` and counter words (counter lo, counter hi,
    /// stream lo, stream hi).
    public static func philox(seed: UInt64, stream: UInt64, counter: UInt64) -> [UInt32] {
        philox(
            counter: (
                UInt32(truncatingIfNeeded: counter), UInt32(truncatingIfNeeded: counter >> 32),
                UInt32(truncatingIfNeeded: stream), UInt32(truncatingIfNeeded: stream >> 32)
            ),
            key: (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32)))
    }

    /// The raw Philox-4x32-10 bijection (Random123's `philox4x32_R(10, ctr, key)`).
    public static func philox(
        counter: (UInt32, UInt32, UInt32, UInt32), key: (UInt32, UInt32)
    ) -> [UInt32] {
        var (c0, c1, c2, c3) = counter
        var (k0, k1) = key
        for round in 0..<10 {
            let p0 = UInt64(0xD251_1F53) * UInt64(c0)
            let p1 = UInt64(0xCD9E_8D57) * UInt64(c2)
            let hi0 = UInt32(truncatingIfNeeded: p0 >> 32), lo0 = UInt32(truncatingIfNeeded: p0)
            let hi1 = UInt32(truncatingIfNeeded: p1 >> 32), lo1 = UInt32(truncatingIfNeeded: p1)
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
            if round < 9 {
                k0 &+= 0x9E37_79B9
                k1 &+= 0xBB67_AE85
            }
        }
        return [c0, c1, c2, c3]
    }

    /// SplitMix64's finaliser: a bijective 64-bit mixer used to derive stream ids.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// A saved random-source state that cannot be restored, and why.
public struct RandomStateError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
