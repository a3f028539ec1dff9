// Inverted dropout, PyTorch `F.dropout(training=True)`: y = x * mask with mask = 1 / (1 - p)
// for kept elements and 0 for dropped ones; the gradient is gy * mask.
//
// Draw order (reproducible by any implementation of `RandomSource`): in train mode with
// 0 < p < 1, exactly one `random.uniform()` per element, in row-major order of x; element i is
// kept when u_i >= p. Eval mode, p = 0 and p = 1 draw nothing (identity, identity, zeros).
// Philox is counter-based, so the whole blocks of that sequence are generated in parallel,
// bit for bit the words that sequential `uniform()` calls would return.

/// Inverted dropout (PyTorch `F.dropout`): zeroes with probability p, scales survivors by 1/(1-p).
public func dropout(_ x: Variable, p: Float, mode: Mode, random: inout RandomSource) -> Variable {
    precondition(p >= 0 && p <= 1, "dropout: probability \(p) is outside [0, 1] (input \(x.shape))")
    guard mode == .train, p > 0 else { return x }
    if p == 1 {
        let zeros = Tensor(zeros: x.shape)
        return Variable.record(zeros, inputs: [x]) { gy, _ in [Tensor(zeros: gy.shape)] }
    }
    let mask = dropoutMask(shape: x.shape, p: p, random: &random)
    let y = pointwise(x.value, mask) { x, m, y, count in
        for i in 0..<count { y[i] = x[i] * m[i] }
    }
    return Variable.record(y, inputs: [x]) { gy, _ in
        [
            pointwise(gy, mask) { g, m, dx, count in
                for i in 0..<count { dx[i] = g[i] * m[i] }
            }
        ]
    }
}

/// The dropout mask of `shape`: one uniform u per element in row-major order, 1 / (1 - p) where
/// u >= p, else 0. Leaves `random` exactly where `count` sequential `uniform()` calls would.
func dropoutMask(shape: [Int], p: Float, random: inout RandomSource) -> Tensor {
    let scale = 1 / (1 - p)
    let count = shape.reduce(1, *)
    return Tensor(shape: shape) { mp in
        // The rest of the block in use, one word at a time.
        var i = 0
        while i < count && random.index < 4 {
            mp[i] = random.uniform() >= p ? scale : 0
            i += 1
        }
        // Whole blocks: block k of the run is Philox block (counter + k) of this stream.
        let blocks = (count - i) / 4
        if blocks > 0 {
            let (seed, stream, first) = (random.seed, random.stream, random.counter)
            let start = i
            Parallel.forChunks(blocks, grain: pointwiseGrain / 4) { range in
                for k in range {
                    let words = RandomSource.philox(
                        seed: seed, stream: stream, counter: first &+ UInt64(k))
                    for j in 0..<4 {
                        // RandomSource.uniform(): Float(word >> 8) * 2^-24.
                        mp[start + 4 * k + j] = Float(words[j] >> 8) * 0x1p-24 >= p ? scale : 0
                    }
                }
            }
            random = RandomSource(state: [seed, stream, first &+ UInt64(blocks), 4])
            i += 4 * blocks
        }
        // The tail, one word at a time.
        for j in i..<count { mp[j] = random.uniform() >= p ? scale : 0 }
    }
}
