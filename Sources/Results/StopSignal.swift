import Foundation
import Synchronization

/// A request to stop a run cleanly, raised by SIGTERM (what Slurm sends before it cancels,
/// preempts or requeues a job) or SIGUSR1 (what `#SBATCH --signal` sends before the time
/// limit). The runners poll it after every iteration: they write a checkpoint and stop with
/// `RunError.interrupted`, so the run resumes bit for bit on restart.
public enum StopSignal {
    private static let raised = Atomic<Int32>(0)

    /// Routes SIGTERM and SIGUSR1 to the flag (instead of ending the process) and unblocks
    /// them on the calling thread: a parent may start us with them blocked (a blocked mask is
    /// inherited, e.g. from a Foundation `Process` launched off a worker thread). Idempotent.
    public static func install() {
        var set = sigset_t()
        sigemptyset(&set)
        for s in [SIGTERM, SIGUSR1] {
            signal(s) { number in StopSignal.raised.store(number, ordering: .relaxed) }
            sigaddset(&set, s)
        }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// The signal that asked to stop, or nil.
    public static var requested: Int32? {
        let s = raised.load(ordering: .relaxed)
        return s == 0 ? nil : s
    }
}
