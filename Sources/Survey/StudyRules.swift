import Foundation

/// Timed ("instant impression", answer within the limit) or unlimited ("careful look").
public enum StudyMode: String, Sendable, Codable, CaseIterable {
    case timed, unlimited
}

/// The rules a participant runs under, stored with the participant.
public struct StudyRules: Sendable {
    public var mode: StudyMode
    /// Seconds from the moment both images are on screen (timed mode).
    public var timeLimit: Double
    /// Pairs per participant (catch trials come on top).
    public var trials: Int
    /// Whether a timed-out pair counts toward `trials` (the paper does not say).
    public var timeoutsCount: Bool
    /// Recorded with every trial, so a change of the page can be told apart in the data.
    public var pageVersion: String

    public init(
        mode: StudyMode, timeLimit: Double = 5, trials: Int = 100, timeoutsCount: Bool = true,
        pageVersion: String = "1"
    ) throws {
        guard timeLimit > 0, timeLimit <= 600 else {
            throw SurveyError.badOption("--time-limit", "\(timeLimit) s is not in (0, 600]")
        }
        guard trials > 0, trials <= 10_000 else {
            throw SurveyError.badOption("--trials", "\(trials) is not in 1...10000")
        }
        self.mode = mode
        self.timeLimit = timeLimit
        self.trials = trials
        self.timeoutsCount = timeoutsCount
        self.pageVersion = pageVersion
    }
}

/// What the page is told about a trial. Source names are withheld: the page knows sides only.
public struct TrialView: Codable, Sendable, Equatable {
    public var trial: Int64
    /// 1-based place among this participant's counted pairs (catch trials share the number).
    public var number: Int
    public var total: Int
    public var mode: StudyMode
    public var timeLimitMs: Int?
    /// Milliseconds left when the page was told; nil until the images were reported on screen.
    public var remainingMs: Int?
    /// The side shown upside down (a catch trial), so the page can draw it that way.
    public var flipped: Side?
}

/// A participant's state: the open trial, or finished.
public struct StudyState: Codable, Sendable, Equatable {
    public var finished: Bool
    public var done: Int
    public var total: Int
    public var trial: TrialView?
}

/// How an answer was recorded.
public enum Outcome: String, Codable, Sendable {
    case chosen, timeout
}
