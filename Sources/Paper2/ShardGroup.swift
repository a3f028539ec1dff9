import Foundation
import Results
import Tensors

/// The shards of a data-parallel run that this process computes, run in lockstep: synchronized
/// batch norm needs every shard's partial sums at every batch-norm layer, forward and
/// backward, so each local shard runs on its own thread and blocks in `allGather` until all
/// shards have reached the same layer. The calling thread serves the collectives: it waits
/// until every local shard has deposited its values, makes one `communicator.allGather` of
/// them (the only MPI call, always from the calling thread) and hands the result back.
///
/// Shards are contiguous per process (rank r holds shards r * perRank ..< (r + 1) * perRank),
/// so the communicator's rank order is shard order: 1 process with N shards and N processes
/// with 1 shard each gather the same values in the same order.
final class ShardGroup: @unchecked Sendable {
    let shards: Int
    let communicator: any Communicator
    var perRank: Int { shards / communicator.size }
    /// The global index of local shard `local`.
    func shard(_ local: Int) -> Int { communicator.rank * perRank + local }

    private let condition = NSCondition()
    private var deposits: [[Double]?] = []
    private var result: [Double] = []
    private var round = 0
    private var finished = 0

    init(shards: Int, communicator: any Communicator) {
        precondition(
            shards >= 1 && shards % communicator.size == 0,
            "ShardGroup: \(shards) shards for \(communicator.size) processes")
        self.shards = shards
        self.communicator = communicator
    }

    /// Runs `body(local, sync)` for every local shard on a thread of its own and returns the
    /// results in local shard order. `body` must make the same `sync.allGather` calls (same
    /// counts) in every shard.
    func run<R>(_ body: @escaping (Int, ShardSync) -> R) -> [R] {
        let count = perRank
        deposits = Array(repeating: nil, count: count)
        finished = 0
        let slots = Slots<R>(count)
        let box = UncheckedSendable(body)
        for local in 0..<count {
            let thread = Thread { [self] in
                let value = box.value(local, ShardSync(group: self, local: local))
                condition.lock()
                slots.values[local] = value
                finished += 1
                condition.broadcast()
                condition.unlock()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        serve(count)
        condition.lock()
        defer { condition.unlock() }
        return slots.values.map { $0! }
    }

    /// The calling thread's loop: one gathered round per time every local shard deposited,
    /// until every shard's body returned.
    private func serve(_ count: Int) {
        condition.lock()
        while true {
            let ready = deposits.allSatisfy { $0 != nil }
            if ready {
                let local = deposits.flatMap { $0! }
                condition.unlock()
                let all = communicator.allGather(local)
                condition.lock()
                deposits = Array(repeating: nil, count: count)
                result = all
                round += 1
                condition.broadcast()
            } else if finished > 0 {
                // Shards make the same gathers: one that ended while another waits is a bug.
                precondition(
                    deposits.allSatisfy { $0 == nil },
                    "ShardGroup: a shard ended while another waits in allGather")
                if finished == count { break }
                condition.wait()
            } else {
                condition.wait()
            }
        }
        condition.unlock()
    }

    /// Local shard `local`'s part of a round: deposit, wait for the gathered values.
    fileprivate func allGather(_ values: [Double], local: Int) -> [Double] {
        condition.lock()
        defer { condition.unlock() }
        precondition(deposits[local] == nil, "ShardGroup: shard \(local) gathered twice")
        if let other = deposits.first(where: { $0 != nil }), let other {
            precondition(
                other.count == values.count,
                "ShardGroup: shards gather \(other.count) and \(values.count) values")
        }
        let mine = round
        deposits[local] = values
        condition.broadcast()
        while round == mine { condition.wait() }
        return result
    }
}

/// The shards' results, written under the group's lock.
private final class Slots<R>: @unchecked Sendable {
    var values: [R?]
    init(_ count: Int) { values = Array(repeating: nil, count: count) }
}

/// One local shard's handle on its group: the `BatchNormSync` its batch norms use.
struct ShardSync: BatchNormSync {
    let group: ShardGroup
    let local: Int

    var shards: Int { group.shards }
    /// The global index of this shard.
    var shard: Int { group.shard(local) }

    func allGather(_ values: [Double]) -> [Double] { group.allGather(values, local: local) }
}
