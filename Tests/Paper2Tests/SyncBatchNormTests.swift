import Foundation
import Models
import NN
import Results
import Tensors
import Testing
import TestSupport

@testable import Paper2

/// Synchronized batch norm (SPADE's generator norms in a data-parallel run): 2 shards on 2
/// lockstep threads give the statistics, outputs and gradients of plain batch norm over the
/// whole batch (to Float32 rounding), 1 shard gives plain batch norm's bits, and the sharded
/// backward agrees with central differences of the sharded forward.
@Suite struct SyncBatchNormTests {
    static let shape = [4, 3, 5, 6]

    static func input(seed: UInt64) -> Tensor {
        var r = RandomSource(seed: seed)
        return r.normalTensor(shape, mean: 0.5, std: 2)
    }

    /// Images `range` of `x` (N first).
    static func images(_ x: Tensor, _ range: Range<Int>) -> Tensor {
        let per = x.count / x.shape[0]
        return Tensor(
            shape: [range.count] + x.shape.dropFirst(),
            data: Array(x.data[range.lowerBound * per..<range.upperBound * per]))
    }

    struct ShardResult {
        var loss: Float
        var y: Tensor
        var dx: Tensor
        var runningMean: Tensor
        var runningVar: Tensor
    }

    /// Σ_s Σ syncBN(x_s) * r_s over `shards` shards of `x` (one thread each): per shard, its
    /// part of the loss, its output, the gradient of the whole loss with respect to x_s and
    /// its running statistics.
    static func sharded(_ x: Tensor, weights r: Tensor, shards: Int) -> [ShardResult] {
        let per = x.shape[0] / shards
        let group = ShardGroup(shards: shards, communicator: SingleProcess())
        return group.run { local, sync in
            let range = local * per..<(local + 1) * per
            var rm = Tensor(zeros: [3])
            var rv = Tensor(repeating: 1, shape: [3])
            var y = Tensor(zeros: [1])
            let (loss, grads) = valueAndGradient(at: [images(x, range)]) { v in
                let out = syncBatchNorm2d(v[0], runningMean: &rm, runningVar: &rv, sync: sync)
                y = out.value
                return weightedSum(out, images(r, range))
            }
            return ShardResult(loss: loss, y: y, dx: grads[0], runningMean: rm, runningVar: rv)
        }
    }

    @Test func twoShardsMatchPlainBatchNormOverTheWholeBatch() throws {
        let x = Self.input(seed: 1)
        let r = Self.input(seed: 2)
        var rm = Tensor(zeros: [3])
        var rv = Tensor(repeating: 1, shape: [3])
        var y = Tensor(zeros: [1])
        let (loss, grads) = valueAndGradient(at: [x]) { v in
            let out = batchNorm2d(
                v[0], weight: nil, bias: nil, runningMean: &rm, runningVar: &rv, training: true)
            y = out.value
            return weightedSum(out, r)
        }
        let shards = Self.sharded(x, weights: r, shards: 2)
        #expect(isClose(shards[0].loss + shards[1].loss, loss, atol: 1e-4, rtol: 1e-5))
        for (s, shard) in shards.enumerated() {
            let range = 2 * s..<2 * (s + 1)
            for (name, a, b) in [
                ("y", shard.y, Self.images(y, range)),
                ("dx", shard.dx, Self.images(grads[0], range)),
                ("running_mean", shard.runningMean, rm), ("running_var", shard.runningVar, rv),
            ] {
                #expect(mismatch(a, b, atol: 1e-5, rtol: 1e-4) == nil, "shard \(s) \(name)")
            }
        }
        // Every shard holds the same running statistics, bit for bit.
        #expect(shards[0].runningMean == shards[1].runningMean)
        #expect(shards[0].runningVar == shards[1].runningVar)
        // Without the synchronisation the shards' statistics would differ visibly.
        var m0 = Tensor(zeros: [3])
        var v0 = Tensor(repeating: 1, shape: [3])
        _ = batchNorm2d(
            Variable(Self.images(x, 0..<2)), weight: nil, bias: nil, runningMean: &m0,
            runningVar: &v0, training: true)
        #expect(mismatch(m0, rm, atol: 1e-3, rtol: 1e-3) != nil)
    }

    @Test func oneShardIsPlainBatchNormBitForBit() {
        let x = Self.input(seed: 3)
        let r = Self.input(seed: 4)
        var rm = Tensor(zeros: [3])
        var rv = Tensor(repeating: 1, shape: [3])
        var y = Tensor(zeros: [1])
        let (_, grads) = valueAndGradient(at: [x]) { v in
            let out = batchNorm2d(
                v[0], weight: nil, bias: nil, runningMean: &rm, runningVar: &rv, training: true)
            y = out.value
            return weightedSum(out, r)
        }
        let one = Self.sharded(x, weights: r, shards: 1)[0]
        #expect(one.y == y && one.dx == grads[0])
        #expect(one.runningMean == rm && one.runningVar == rv)
    }

    @Test func shardedBackwardMatchesCentralDifferences() {
        let x = Self.input(seed: 5)
        let r = Self.input(seed: 6)
        let analytic = Self.sharded(x, weights: r, shards: 2)
        let eps: Float = 1e-2
        var picks = RandomSource(seed: 7)
        var failures: [String] = []
        for i in picks.permutation(x.count).prefix(40) {
            var plus = x
            var minus = x
            plus.data[i] += eps
            minus.data[i] -= eps
            let fp = Self.sharded(plus, weights: r, shards: 2).reduce(0) { $0 + $1.loss }
            let fm = Self.sharded(minus, weights: r, shards: 2).reduce(0) { $0 + $1.loss }
            let numeric = (fp - fm) / (2 * eps)
            let per = x.count / 2
            let value = analytic[i / per].dx.data[i % per]
            if !isClose(value, numeric, atol: 2e-3, rtol: 2e-2) {
                failures.append("x[\(i)]: analytic \(value), numeric \(numeric)")
            }
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// The generator step of SPADE on 2 shards of 1 image each, with synchronized batch norm,
    /// sums to the gradients of the whole batch of 2 (same weights and per-instance noise);
    /// with batch norm per shard it would not.
    @Test func shardedGeneratorGradientsMatchTheWholeBatch() throws {
        let c = try SmallCase()
        let config = smallConfig()
        let whole = try SPADETrainer(config, random: RandomSource(seed: 3))
        var random = RandomSource(seed: 4)
        let noise = try #require(whole.generator.drawNoise(for: c.input, random: &random))
        let expected = whole.generatorGradients(
            SPADEBatch(input: c.input, real: c.real), noise: noise, random: &random)
        let counts = c.input.instanceCounts
        var batches: [SPADEBatch] = []
        var noises: [InstanceNoise] = []
        for s in 0..<2 {
            let input = try config.makeInput(
                labels: [c.labelMaps[s]], instances: [c.instanceMaps[s]])
            batches.append(SPADEBatch(input: input, real: Self.images(c.real, s..<s + 1)))
            let rows = counts[..<s].reduce(0, +)..<counts[...s].reduce(0, +)
            noises.append(InstanceNoise(z: noise.z.map { Self.images($0, rows) }))
        }
        func shardedSums(sync: Bool) throws -> (gan: Float, feat: Float, grads: [Tensor]) {
            let trainers = try (0..<2).map { _ in
                try SPADETrainer(config, random: RandomSource(seed: 3))
            }
            let parts = ShardGroup(shards: 2, communicator: SingleProcess()).run { local, s in
                var r = RandomSource(seed: 9)
                return trainers[local].generatorGradients(
                    batches[local], noise: noises[local], random: &r, scale: 0.5,
                    sync: sync ? s : nil)
            }
            let grads = zip(parts[0].gradients, parts[1].gradients).map { a, b in
                Tensor(shape: a.shape, data: zip(a.data, b.data).map { $0 + $1 })
            }
            return (
                (parts[0].gan + parts[1].gan) / 2, (parts[0].feat + parts[1].feat) / 2, grads
            )
        }
        let synced = try shardedSums(sync: true)
        #expect(isClose(synced.gan, expected.gan, atol: 1e-5, rtol: 1e-4))
        #expect(isClose(synced.feat, expected.feat, atol: 1e-5, rtol: 1e-4))
        // Biases ahead of a batch norm have a zero gradient up to rounding noise: the absolute
        // tolerance scales with the largest gradient of the network.
        let scale = expected.gradients.flatMap(\.data).reduce(0) { max($0, abs($1)) }
        let keys = whole.generator.parameters.map(\.key)
        func mismatches(_ grads: [Tensor]) -> [String] {
            zip(keys, zip(grads, expected.gradients)).compactMap { key, pair in
                mismatch(pair.0, pair.1, atol: 1e-5 * scale, rtol: 2e-3).map { "\(key): \($0)" }
            }
        }
        let bad = mismatches(synced.grads)
        #expect(bad.isEmpty, "\(bad.prefix(3))")
        let differs = mismatches(try shardedSums(sync: false).grads)
        #expect(!differs.isEmpty, "batch norm per shard should change the gradients")
    }
}
