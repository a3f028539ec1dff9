import CMPI
import Foundation
import Results

/// The run's processes as an Open MPI world (`mpirun -np N repro run ... --mpi`). The only
/// Swift file that calls MPI.
///
/// Failures: MPI's default error handler stays in place, so a failed collective ends every
/// process; a rank that dies makes `mpirun` stop the others and name the dead rank. An error
/// one rank sees alone (a bad file) goes through `abort`, which prints it and ends the world.
public final class MPIWorld: Communicator, @unchecked Sendable {
    public let rank: Int
    public let size: Int

    /// True when this process was started by mpirun (Open MPI sets OMPI_COMM_WORLD_SIZE).
    public static var launchedByMPIRun: Bool {
        ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_SIZE"] != nil
    }

    /// Initialises MPI (once per process) and reads rank and size.
    public init() {
        var initialized: Int32 = 0
        MPI_Initialized(&initialized)
        if initialized == 0 { MPI_Init(nil, nil) }
        var r: Int32 = 0
        var s: Int32 = 0
        MPI_Comm_rank(repro_mpi_comm_world(), &r)
        MPI_Comm_size(repro_mpi_comm_world(), &s)
        rank = Int(r)
        size = Int(s)
    }

    public func allGather(_ values: [Float]) -> [Float] {
        allGather(values, type: repro_mpi_float())
    }

    public func allGather(_ values: [Double]) -> [Double] {
        allGather(values, type: repro_mpi_double())
    }

    private func allGather<T: Numeric>(_ values: [T], type: MPI_Datatype) -> [T] {
        precondition(values.count <= Int(Int32.max), "MPIWorld.allGather: too many values")
        var out = [T](repeating: 0, count: values.count * size)
        values.withUnsafeBufferPointer { send in
            out.withUnsafeMutableBufferPointer { receive in
                _ = MPI_Allgather(
                    send.baseAddress, Int32(values.count), type, receive.baseAddress,
                    Int32(values.count), type, repro_mpi_comm_world())
            }
        }
        return out
    }

    public func broadcast(_ values: [Float], root: Int) -> [Float] {
        var out = values
        out.withUnsafeMutableBufferPointer { buffer in
            _ = MPI_Bcast(
                buffer.baseAddress, Int32(buffer.count), repro_mpi_float(), Int32(root),
                repro_mpi_comm_world())
        }
        return out
    }

    /// Waits for every rank.
    public func barrier() { MPI_Barrier(repro_mpi_comm_world()) }

    /// Prints `message` on standard error and ends every process of the world with `code`.
    public func abort(_ message: String, code: Int32 = 1) -> Never {
        FileHandle.standardError.write(Data("error (rank \(rank) of \(size)): \(message)\n".utf8))
        MPI_Abort(repro_mpi_comm_world(), code)
        exit(code)
    }

    /// Ends MPI cleanly (after the last collective).
    public func finalize() {
        var finalized: Int32 = 0
        MPI_Finalized(&finalized)
        if finalized == 0 { MPI_Finalize() }
    }
}
