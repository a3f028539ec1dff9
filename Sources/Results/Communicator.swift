/// The processes of one data-parallel run and the two collectives its training loops need.
/// `SingleProcess` is the one-process case; the MPI implementation lives in the Cluster target
/// (the only code that links Open MPI), so the papers' targets stay free of it.
///
/// A run's numbers depend on its shard count, never on how many processes share the shards:
/// every process gathers every shard's partial results and sums them in shard order.
public protocol Communicator: Sendable {
    /// This process's rank, 0..<size.
    var rank: Int { get }
    /// Number of processes.
    var size: Int { get }
    /// Every rank's `values` (the same count on every rank), concatenated in rank order.
    func allGather(_ values: [Float]) -> [Float]
    /// The same for Doubles (partial sums of synchronized batch norm).
    func allGather(_ values: [Double]) -> [Double]
    /// Rank `root`'s `values` (the same count on every rank) on every rank.
    func broadcast(_ values: [Float], root: Int) -> [Float]
}

extension Communicator {
    /// Rank 0 writes the run's files (manifest, losses, checkpoints, metrics); the others
    /// only compute.
    public var isWriter: Bool { rank == 0 }
}

/// One process: the collectives return their input.
public struct SingleProcess: Communicator {
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public func allGather(_ values: [Float]) -> [Float] { values }
    public func allGather(_ values: [Double]) -> [Double] { values }
    public func broadcast(_ values: [Float], root: Int) -> [Float] { values }
}
