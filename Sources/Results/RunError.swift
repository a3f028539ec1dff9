/// Errors that stop a run, each naming what went wrong and where; nothing already written is
/// lost (the last checkpoint stays loadable).
public enum RunError: Error, CustomStringConvertible, Sendable {
    /// A loss was NaN or infinite; `losses` lists the values, `part` names the track or network.
    case nonFiniteLoss(cell: String, part: String, iteration: Int, losses: String)
    /// `stopAfter` was reached (a simulated kill, for resume tests).
    case interrupted(cell: String, iteration: Int)

    public var description: String {
        switch self {
        case let .nonFiniteLoss(cell, part, iteration, losses):
            "cell \(cell), \(part): the loss is not finite at iteration \(iteration) (\(losses)); "
                + "the weights were not updated and the last checkpoint is kept"
        case let .interrupted(cell, iteration):
            "cell \(cell): stopped after iteration \(iteration) as requested; resume with --resume"
        }
    }
}
