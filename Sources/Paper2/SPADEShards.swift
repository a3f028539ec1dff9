import NN
import Results
import Tensors

/// Data-parallel SPADE iterations: the global batch in `shards` equal shards, each with its
/// own forward and backward, in SPADE's order (generator step, then discriminator step).
/// Every process computes its ranks' shards, all partial gradients and losses are gathered and
/// summed in shard order, and every process makes the same Adam step, so the bits depend on
/// the shard count only: 1 process with N shards equals N processes with 1 shard each.
///
/// Batch norm, as in NVlabs/SPADE: the generator's param-free norms are synchronized batch
/// norms (`SynchronizedBatchNorm2d`): statistics over the whole global batch from every
/// shard's partial sums (`syncBatchNorm2d`, shards added in shard order, forward and
/// backward), so all shards normalise alike and update identical running statistics (the ones
/// the eval-mode forward uses). The discriminator's instance norms are per image and need no
/// synchronization. A sharded step computes the gradients of the unsharded step of the same
/// batch up to Float32 rounding, not bit for bit (sums are grouped by shard, each shard's
/// losses are means over its own images, GEMMs see other batch sizes), so long sharded and
/// unsharded runs drift apart; a sharded run is bitwise invariant to the process count.
///
/// Each local shard computes on its own copy of both networks (this process's trainer for
/// local shard 0, replicas for the others), so the in-place updates of a train-mode forward
/// (batch-norm running statistics, spectral-norm vectors) never race; they are the same in
/// every copy, and the copies are refreshed from the trainer before each step.
final class SPADEShards {
    let trainer: SPADETrainer
    let group: ShardGroup
    private let replicas: [SPADETrainer]

    init(_ trainer: SPADETrainer, shards: Int, communicator: any Communicator) throws {
        self.trainer = trainer
        group = ShardGroup(shards: shards, communicator: communicator)
        let config = trainer.config
        replicas = try (1..<max(group.perRank, 1)).map { _ in
            try SPADETrainer(config, random: RandomSource(seed: 0).split("replica"))
        }
    }

    var shards: Int { group.shards }

    /// The global shard index of each local shard.
    var localShards: [Int] { (0..<group.perRank).map(group.shard) }

    /// One iteration on the local shards' `batches` (in local order), each drawing its noise
    /// from its `random` (G step, then D step). `stop` is asked once, before the last
    /// gather; the result's `stopRequested` is true on every process when any was asked.
    func iteration(
        _ batches: [SPADEBatch], random: [RandomSource], stop: () -> Bool
    ) -> (losses: SPADELosses, stopRequested: Bool) {
        precondition(
            batches.count == group.perRank && random.count == group.perRank,
            "SPADEShards: \(batches.count) batches for \(group.perRank) local shards")
        let copies = [trainer] + replicas
        let scale = 1 / Float(shards)
        var streams = random
        refreshReplicas()
        let g = group.run { local, sync in
            var r = streams[local]
            let out = copies[local].generatorGradients(
                batches[local], random: &r, scale: scale, sync: sync)
            return (out, r)
        }
        streams = g.map(\.1)
        let gSums = gatherAndSum(g.map { $0.0.gradients }, terms: g.map { [$0.0.gan, $0.0.feat] })
        trainer.optimizerG.step(gSums.gradients(like: trainer.generator.parameters))
        refreshReplicas()
        let d = group.run { local, sync in
            var r = streams[local]
            return copies[local].discriminatorGradients(
                batches[local], random: &r, scale: scale, sync: sync)
        }
        let dSums = gatherAndSum(
            d.map(\.gradients), terms: d.map { [$0.fake, $0.real] }, flag: stop())
        trainer.optimizerD.step(dSums.gradients(like: trainer.discriminator.parameters))
        let losses = SPADELosses(
            generatorGAN: gSums.terms[0] / Float(shards),
            generatorFeat: gSums.terms[1] / Float(shards),
            discriminatorFake: dSums.terms[0] / Float(shards),
            discriminatorReal: dSums.terms[1] / Float(shards))
        return (losses, dSums.flagged)
    }

    /// Sums over all shards, in shard order, of the gradients and loss terms of the local
    /// shards; `flagged` is true when any process passed `flag`.
    private func gatherAndSum(_ gradients: [[Tensor]], terms: [[Float]], flag: Bool = false)
        -> ShardSums
    {
        let perRank = group.perRank
        var local: [Float] = []
        for (grads, t) in zip(gradients, terms) {
            for g in grads { local += g.data }
            local += t
        }
        let width = local.count / perRank
        local.append(flag ? 1 : 0)
        let all = group.communicator.allGather(local)
        let rankWidth = width * perRank + 1
        var sums = [Float](repeating: 0, count: width)
        for s in 0..<shards {
            let start = (s / perRank) * rankWidth + (s % perRank) * width
            for i in 0..<width { sums[i] = s == 0 ? all[start + i] : sums[i] + all[start + i] }
        }
        let flagged = (0..<group.communicator.size).contains { all[($0 + 1) * rankWidth - 1] != 0 }
        let termCount = terms.first?.count ?? 0
        return ShardSums(
            values: Array(sums[0..<(width - termCount)]),
            terms: Array(sums[(width - termCount)...]), flagged: flagged)
    }

    /// Copies weights, buffers and counters of both networks into every replica.
    private func refreshReplicas() {
        for replica in replicas {
            Self.copyState(from: trainer.generator.store, to: replica.generator.store)
            Self.copyState(from: trainer.discriminator.store, to: replica.discriminator.store)
        }
    }

    static func copyState(from source: ParameterStore, to target: ParameterStore) {
        precondition(
            source.entries.count == target.entries.count, "SPADEShards: stores differ")
        for (a, b) in zip(source.entries, target.entries) {
            switch (a, b) {
            case (.parameter(let p), .parameter(let q)): q.value = p.value
            case (.buffer(let p), .buffer(let q)): q.value = p.value
            case (.counter(let p), .counter(let q)): q.value = p.value
            default: preconditionFailure("SPADEShards: \(a.key) vs \(b.key)")
            }
        }
    }
}

/// Gradients (flattened, in parameter order) and loss terms summed over the shards.
private struct ShardSums {
    var values: [Float]
    var terms: [Float]
    var flagged: Bool

    func gradients(like parameters: [Parameter]) -> [Tensor] {
        var offset = 0
        return parameters.map { p in
            defer { offset += p.value.count }
            return Tensor(
                shape: p.value.shape, data: Array(values[offset..<offset + p.value.count]))
        }
    }
}
