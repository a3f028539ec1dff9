import Foundation
import NN
import Results
import Tensors
import Testing

@testable import Paper2

/// Rank-count invariance of data-parallel SPADE without mpirun: 2 "ranks" (threads joined by
/// an in-process communicator) with 1 shard each end 2 iterations with the same bits as 1
/// process computing both shards: weights, batch-norm and spectral-norm buffers, Adam steps and
/// losses. (`MPITrainingTests` checks the same with `mpirun -np 2` and the CLI.)
@Suite struct SPADEShardsTests {
    /// 2 iterations of `shards` over `world`'s rank `rank` (`world` nil: 1 process): the losses
    /// and the final state of both networks.
    static func train(
        _ batches: [SPADEBatch], rank: Int = 0, world: ThreadWorld? = nil
    ) throws -> (losses: [SPADELosses], state: [Float]) {
        let trainer = try SPADETrainer(smallConfig(), random: RandomSource(seed: 3))
        let communicator: any Communicator =
            world.map { ThreadRank(world: $0, rank: rank) } ?? SingleProcess()
        let shards = try SPADEShards(trainer, shards: 2, communicator: communicator)
        var losses: [SPADELosses] = []
        for t in 0..<2 {
            let mine = shards.localShards
            let step = shards.iteration(
                mine.map { batches[$0] },
                random: mine.map { RandomSource(seed: 9).split(t).split($0) }, stop: { false })
            losses.append(step.losses)
        }
        var state: [Float] = []
        for store in [trainer.generator.store, trainer.discriminator.store] {
            for entry in store.entries {
                switch entry {
                case .parameter(let p): state += p.value.data
                case .buffer(let b): state += b.value.data
                case .counter(let c): state.append(Float(c.value))
                }
            }
        }
        return (losses, state)
    }

    @Test func twoRanksOfOneShardEqualOneProcessWithTwoShards() throws {
        let c = try SmallCase()
        let config = smallConfig()
        let batches = try (0..<2).map { s in
            SPADEBatch(
                input: try config.makeInput(
                    labels: [c.labelMaps[s]], instances: [c.instanceMaps[s]]),
                real: SyncBatchNormTests.images(c.real, s..<s + 1))
        }
        let one = try Self.train(batches)
        let world = ThreadWorld(size: 2)
        let results = UncheckedSendable(Box<[Int: (losses: [SPADELosses], state: [Float])]>())
        let done = DispatchGroup()
        let box = UncheckedSendable(batches)
        for rank in 0..<2 {
            done.enter()
            let thread = Thread {
                let out = try? Self.train(box.value, rank: rank, world: world)
                world.condition.lock()
                results.value.value[rank] = out
                world.condition.unlock()
                done.leave()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        done.wait()
        for rank in 0..<2 {
            let two = try #require(results.value.value[rank], "rank \(rank) failed")
            #expect(two.losses == one.losses, "rank \(rank): losses")
            #expect(
                two.state.map(\.bitPattern) == one.state.map(\.bitPattern), "rank \(rank): state")
        }
        #expect(one.losses.allSatisfy { $0.isFinite })
    }
}

final class Box<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

extension Box where T: ExpressibleByDictionaryLiteral {
    convenience init() { self.init([:]) }
}

/// Processes simulated by threads: `allGather` blocks until every rank deposited its values.
final class ThreadWorld: @unchecked Sendable {
    let size: Int
    let condition = NSCondition()
    private var deposits: [[Double]?]
    private var result: [Double] = []
    private var round = 0

    init(size: Int) {
        self.size = size
        deposits = Array(repeating: nil, count: size)
    }

    func allGather(_ values: [Double], rank: Int) -> [Double] {
        condition.lock()
        defer { condition.unlock() }
        deposits[rank] = values
        let mine = round
        if deposits.allSatisfy({ $0 != nil }) {
            result = deposits.flatMap { $0! }
            deposits = Array(repeating: nil, count: size)
            round += 1
            condition.broadcast()
        }
        while round == mine { condition.wait() }
        return result
    }
}

struct ThreadRank: Communicator {
    let world: ThreadWorld
    let rank: Int
    var size: Int { world.size }

    func allGather(_ values: [Double]) -> [Double] { world.allGather(values, rank: rank) }
    func allGather(_ values: [Float]) -> [Float] {
        allGather(values.map(Double.init)).map(Float.init)
    }
    func broadcast(_ values: [Float], root: Int) -> [Float] {
        Array(allGather(values)[root * values.count..<(root + 1) * values.count])
    }
}
