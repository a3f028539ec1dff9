import Foundation

/// Errors that stop a run, each naming what went wrong and where; nothing already written is
/// lost (the last checkpoint stays loadable).
public enum RunError: Error, CustomStringConvertible, Sendable {
    /// A loss was NaN or infinite; `losses` lists the values, `part` names the track or network.
    case nonFiniteLoss(cell: String, part: String, iteration: Int, losses: String)
    /// `stopAfter` was reached (a simulated kill, for resume tests).
    case interrupted(cell: String, iteration: Int)
    /// A stop signal (`StopSignal`: SIGTERM, SIGUSR1) arrived; a checkpoint at `iteration`
    /// was written first.
    case stopped(cell: String, iteration: Int, signal: Int32)

    public var description: String {
        switch self {
        case let .nonFiniteLoss(cell, part, iteration, losses):
            "cell \(cell), \(part): the loss is not finite at iteration \(iteration) (\(losses)); "
                + "the weights were not updated and the last checkpoint is kept"
        case let .interrupted(cell, iteration):
            "cell \(cell): stopped after iteration \(iteration) as requested; resume with --resume"
        case let .stopped(cell, iteration, signal):
            "cell \(cell): stopped by signal \(signal) (\(signal == SIGTERM ? "SIGTERM" : "SIGUSR1")) "
                + "at iteration \(iteration) after writing a checkpoint; resume with --resume"
        }
    }
}
