import NN
import Results
import Tensors

/// Data-parallel iterations: the global batch in `shards` equal shards, each its own forward
/// and backward. Every process computes its ranks' shards, all partial results are gathered
/// and summed in shard order, so the bits depend on the shard count only, not on how many
/// processes share the shards (1 process with 2 shards = 2 processes with 1 shard each).
///
/// Batch norm, as in CAC's official training (PyTorch DDP, plain BatchNorm2d): each shard
/// normalises with its own batch statistics (no synchronisation); the running statistics are
/// those of shard 0's forward (DDP broadcasts rank 0's buffers), so other shards' forwards
/// leave them unchanged and rank 0's buffers are broadcast after every iteration.
extension SegmentationTrack {
    /// One iteration of the sharded Mix loss; plain `step` when there is one shard. `stop`
    /// is asked once, just before the gather; the log's `stopRequested` is true on every
    /// process when any process was asked to stop.
    func step(
        data: [DomainData], shards: Int, communicator: any Communicator, stop: () -> Bool
    ) throws -> StepLog {
        if shards == 1 {
            var log = try step(data: data)
            log.stopRequested = stop()
            return log
        }
        precondition(
            shards % communicator.size == 0 && config.batchLabeled % shards == 0
                && config.batchUnlabeled % shards == 0,
            "SegmentationTrack: \(shards) shards for \(communicator.size) processes")
        let t = iteration
        schedule.apply(to: optimizer, iteration: t)
        let lr = optimizer.groups[0].lr
        let stepRandom = random.split("step").split(t)
        let parameters = optimizer.parameters
        let heads = domains.count
        let perRank = shards / communicator.size
        let gradientCount = parameters.reduce(0) { $0 + $1.value.count }
        // gradients, CE, DC, selected, confident, overlap, loss
        let width = gradientCount + 5 * heads + 1
        var local: [Float] = []
        local.reserveCapacity(width * perRank + 1)
        for s in communicator.rank * perRank..<(communicator.rank + 1) * perRank {
            let saved = s == 0 ? nil : statistics()
            var shardLog = StepLog(iteration: t, lr: lr, domains: heads)
            let (value, grads) = try valueAndGradient(of: parameters) { () throws -> Variable in
                try loss(shard: s, of: shards, data: data, random: stepRandom, log: &shardLog)
                    * (1 / Float(shards))
            }
            if let saved { restoreStatistics(saved) }
            for g in grads { local += g.data }
            local += shardLog.ce + shardLog.dc
            for counts in [shardLog.selected, shardLog.confident, shardLog.overlap] {
                local += counts.map(Float.init)
            }
            local.append(value)
        }
        // One flag per rank: a stop signal seen by any rank stops every rank at this iteration.
        local.append(stop() ? 1 : 0)
        let all = communicator.allGather(local)

        var log = StepLog(iteration: t, lr: lr, domains: heads)
        var sums = [Float](repeating: 0, count: width)
        for s in 0..<shards {
            let start = (s / perRank) * (width * perRank + 1) + (s % perRank) * width
            for i in 0..<width { sums[i] = s == 0 ? all[start + i] : sums[i] + all[start + i] }
        }
        for h in 0..<heads {
            log.ce[h] = sums[gradientCount + h] / Float(shards)
            log.dc[h] = sums[gradientCount + heads + h] / Float(shards)
            log.selected[h] = Int(sums[gradientCount + 2 * heads + h])
            log.confident[h] = Int(sums[gradientCount + 3 * heads + h])
            log.overlap[h] = Int(sums[gradientCount + 4 * heads + h])
        }
        log.stopRequested = (0..<communicator.size).contains {
            all[($0 + 1) * (width * perRank + 1) - 1] != 0
        }
        if communicator.size > 1 {
            restoreStatistics(communicator.broadcast(statistics(), root: 0))
        }
        let total = sums[width - 1]
        guard total.isFinite else {
            log.nonFinite = true
            return log
        }
        var offset = 0
        let grads = parameters.map { p in
            defer { offset += p.value.count }
            return Tensor(shape: p.value.shape, data: Array(sums[offset..<offset + p.value.count]))
        }
        optimizer.step(grads)
        log.total = total
        iteration += 1
        return log
    }

    /// The batch-norm buffers and counters, flattened in state order.
    func statistics() -> [Float] {
        var out: [Float] = []
        for entry in store.entries {
            switch entry {
            case .parameter: continue
            case .buffer(let b): out += b.value.data
            case .counter(let c): out.append(Float(c.value))
            }
        }
        return out
    }

    /// Puts back what `statistics` returned.
    func restoreStatistics(_ values: [Float]) {
        var i = 0
        for entry in store.entries {
            switch entry {
            case .parameter: continue
            case .buffer(let b):
                b.value.data = Array(values[i..<i + b.value.count])
                i += b.value.count
            case .counter(let c):
                c.value = Int64(values[i])
                i += 1
            }
        }
    }
}
