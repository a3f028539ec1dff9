// Synchronized batch normalisation (PyTorch `nn.SyncBatchNorm`, the `SynchronizedBatchNorm2d`
// of NVlabs/SPADE) for one shard of a data-parallel forward: the statistics are those of the
// whole global batch, every shard holding a part of it.
//
// Training, affine-free (SPADE's param-free norm). Per channel, over the shard's (N, H, W):
//   forward:  1. gather (M_s, Σx) of every shard; M = Σ_s M_s, mean = Σ_s Σx / M
//             2. gather Σ(x - mean)² of every shard; var = Σ_s / M (biased)
//             y = (x - mean) * invstd, invstd = 1 / sqrt(var + eps); running statistics as
//             `batchNorm2d` with M (unbiased var * M / (M - 1))
//   backward: gather (Σgy, Σgy(x - mean)) of every shard, summed over shards (`sum`, `dot`);
//             dx = (gy - (x - mean) * dot * invstd² / M - sum / M) * invstd
// A shard's sums are Doubles accumulated plane by plane in batch order (as `batchNorm2d`);
// the shards' sums are added in shard order, so every shard gets the same bits no matter how
// the shards are spread over threads or processes. One shard gives exactly `batchNorm2d`'s
// bits; several shards sum the same planes in another grouping, so their statistics can
// differ from one unsharded batch in the last bit (they agree within Float32 rounding).
// Eval mode needs no synchronisation: use `batchNorm2d` with the running statistics.

/// The shards of one data-parallel forward and backward that share batch-norm statistics.
/// Every shard calls `allGather` the same number of times with the same counts.
public protocol BatchNormSync: Sendable {
    /// Number of shards.
    var shards: Int { get }
    /// Every shard's `values` (the same count in every shard), concatenated in shard order.
    func allGather(_ values: [Double]) -> [Double]
}

extension BatchNormSync {
    /// Gathers `values` (`width` per shard) and adds the shards' rows in shard order.
    func sumOverShards(_ values: [Double]) -> [Double] {
        let width = values.count
        let all = allGather(values)
        precondition(
            all.count == width * shards,
            "BatchNormSync: gathered \(all.count) values of \(shards) shards x \(width)")
        var total = Array(all[0..<width])
        for s in 1..<max(shards, 1) {
            for i in 0..<width { total[i] += all[s * width + i] }
        }
        return total
    }
}

/// Affine-free synchronized batch norm 2d in training mode: normalises this shard's `x` with
/// the statistics of every shard of `sync` and updates the running statistics in place
/// (momentum 0.1, unbiased running variance over the global batch).
public func syncBatchNorm2d(
    _ x: Variable, runningMean: inout Tensor, runningVar: inout Tensor, sync: any BatchNormSync,
    momentum: Float = 0.1, eps: Float = 1e-5
) -> Variable {
    let (n, c, h, w) = x.value.nchw()
    precondition(
        runningMean.shape == [c] && runningVar.shape == [c],
        "syncBatchNorm2d: x \(x.shape) needs running statistics of shape [\(c)]; got "
            + "\(runningMean.shape), \(runningVar.shape)")
    let input = x.value
    let firsts = sync.sumOverShards([Double(n * h * w)] + channelSums(input))
    let m = firsts[0]
    precondition(
        m > 1, "syncBatchNorm2d: expected more than 1 value per channel over all shards")
    let mean = (0..<c).map { Float(firsts[1 + $0] / m) }
    let squares = sync.sumOverShards(channelSquaredDeviations(input, mean: mean))
    let variance = squares.map { Float($0 / m) }
    let invstd = variance.map { 1 / ($0 + eps).squareRoot() }
    let unbias = Float(m) / Float(m - 1)
    for ch in 0..<c {
        runningMean.data[ch] = momentum * mean[ch] + (1 - momentum) * runningMean.data[ch]
        runningVar.data[ch] =
            momentum * variance[ch] * unbias + (1 - momentum) * runningVar.data[ch]
    }
    let shift = (0..<c).map { 0 - mean[$0] * invstd[$0] }
    let y = channelAffine(input, scale: invstd, shift: shift)
    return Variable.record(y, inputs: [x]) { gy, _ in
        // Every shard gathers here, needed or not, so the shards' collectives stay paired.
        let local = channelGradientSums(gy, input, mean: mean)
        let sums = sync.sumOverShards(local)
        let grads = syncBatchNormInputGradient(
            gy, input, mean: mean, invstd: invstd, sum: (0..<c).map { Float(sums[$0]) },
            dot: (0..<c).map { Float(sums[c + $0]) }, count: Float(m))
        return [grads]
    }
}

/// Per-channel Σx over (N, H, W): Doubles, plane by plane in batch order.
func channelSums(_ x: Tensor) -> [Double] {
    channelTotals(x) { plane, count, _ in Summation.sum(plane, count) }
}

/// Per-channel Σ(x - mean)² over (N, H, W), in the order of `channelSums`.
func channelSquaredDeviations(_ x: Tensor, mean: [Float]) -> [Double] {
    channelTotals(x) { plane, count, ch in
        Summation.squaredDeviations(plane, count, from: mean[ch])
    }
}

/// Per channel, the sum over the batch (in batch order) of `plane(pointer, count, channel)`
/// over each of the channel's H x W planes; channels in parallel.
private func channelTotals(
    _ x: Tensor, _ plane: (UnsafePointer<Float>, Int, Int) -> Double
) -> [Double] {
    let (n, c, h, w) = x.nchw()
    let hw = h * w
    var out = [Double](repeating: 0, count: c)
    x.withUnsafeBufferPointer { xp in
        out.withUnsafeMutableBufferPointer { op in
            let op = op
            Parallel.forEach(c, grain: planeGrain(n * hw)) { ch in
                var total: Double = 0
                for b in 0..<n { total += plane(xp.baseAddress! + (b * c + ch) * hw, hw, ch) }
                op[ch] = total
            }
        }
    }
    return out
}

/// dx of synchronized batch norm from the global `sum` and `dot` and global value count.
func syncBatchNormInputGradient(
    _ gy: Tensor, _ x: Tensor, mean: [Float], invstd: [Float], sum: [Float], dot: [Float],
    count m: Float
) -> Tensor {
    let (_, c, h, w) = x.nchw()
    let hw = h * w
    return Tensor(shape: x.shape) { dxp in
        x.withUnsafeBufferPointer { xp in
            gy.withUnsafeBufferPointer { gp in
                Parallel.forEach(x.count / max(hw, 1), grain: planeGrain(hw)) { plane in
                    let ch = plane % c
                    let mu = mean[ch]
                    let a = invstd[ch]
                    let k = dot[ch] * invstd[ch] * invstd[ch] / m
                    let gradMean = sum[ch] / m
                    let offset = plane * hw
                    let g = gp.baseAddress! + offset
                    let xs = xp.baseAddress! + offset
                    let d = dxp.baseAddress! + offset
                    for i in 0..<hw { d[i] = (g[i] - (xs[i] - mu) * k - gradMean) * a }
                }
            }
        }
    }
}
