/// The exclusion rules, fixed before the analysis and stated in the report.
public struct ExclusionRule: Sendable, Equatable {
    /// Exclude a participant who answered flipped catch trials and chose the upright image in
    /// fewer than this share of them (nil: no such rule).
    public var minCatchAccuracy: Double?
    /// Exclude a participant who chose the same side (left or right) in more than this share
    /// of their answered trials, pairs and catch trials together, once they answered at least
    /// `minAnswersForSideRule` (nil: no such rule). Placement is random, so an attentive
    /// participant is near one half whatever they prefer.
    public var maxSameSide: Double?
    public static let minAnswersForSideRule = 10

    public init(minCatchAccuracy: Double?, maxSameSide: Double? = nil) {
        self.minCatchAccuracy = minCatchAccuracy
        self.maxSameSide = maxSameSide
    }

    public var statement: String {
        var rules: [String] = []
        if let m = minCatchAccuracy {
            rules.append(
                "Participants who chose the upright image in fewer than "
                    + "\(Int((m * 100).rounded()))% of their answered flipped catch trials (the "
                    + "real image beside itself upside down) are excluded from every table; "
                    + "participants without answered flipped catch trials are kept.")
        }
        if let m = maxSameSide {
            rules.append(
                "Participants who chose the same side in more than \(Int((m * 100).rounded()))% "
                    + "of their answered trials (once they answered at least "
                    + "\(Self.minAnswersForSideRule)) are excluded from every table.")
        }
        return rules.isEmpty
            ? "No exclusion rule: every participant counts." : rules.joined(separator: " ")
    }

    /// Why participant's answers `js` are excluded, or nil if they count.
    func violation(_ js: [Judgment]) -> String? {
        let catches = js.compactMap(\.passedCatch)
        let passed = catches.filter { $0 }.count
        if let m = minCatchAccuracy, !catches.isEmpty, Double(passed) < m * Double(catches.count) {
            return "\(passed) of \(catches.count) flipped catch trials passed"
        }
        let sides = js.compactMap(\.answeredSide)
        let left = sides.filter { $0 == .left }.count
        let most = max(left, sides.count - left)
        if let m = maxSameSide, sides.count >= Self.minAnswersForSideRule,
            Double(most) > m * Double(sides.count)
        {
            return "\(most) of \(sides.count) answers on the \(most == left ? "left" : "right")"
        }
        return nil
    }
}

/// Counts for one mode: wins[i][j] = answered trials of sources i and j in which i was chosen;
/// timeouts[i][j] (symmetric) = timed-out trials showing i and j.
public struct ModeTally: Sendable {
    public let mode: StudyMode
    public var wins: [[Int]]
    public var timeouts: [[Int]]
    public var participants: [Int64] = []
    /// Excluded participants and why.
    public var excluded: [(participant: Int64, why: String)] = []
    /// Flipped catch trials (all participants): upright chosen, answered, timed out.
    public var catchPassed = 0
    public var catchAnswered = 0
    public var catchTimeouts = 0
    /// Identical catch trials (all participants): left chosen, answered, timed out.
    public var identicalLeft = 0
    public var identicalAnswered = 0
    public var identicalTimeouts = 0
    /// Per counted participant, the share of answered trials (all kinds) on the left.
    public var leftShares: [Double] = []

    public init(mode: StudyMode) {
        self.mode = mode
        let zero = [[Int]](repeating: [Int](repeating: 0, count: 4), count: 4)
        (wins, timeouts) = (zero, zero)
    }

    /// Answered trials between i and j.
    public func n(_ i: Int, _ j: Int) -> Int { wins[i][j] + wins[j][i] }

    public var answered: Int { (0..<4).reduce(0) { s, i in s + wins[i].reduce(0, +) } }
    public var timedOut: Int {
        (0..<4).reduce(0) { s, i in s + (i + 1..<4).reduce(0) { $0 + timeouts[i][$1] } }
    }

    /// Tallies `judgments` per mode (in StudyMode order, modes without data left out).
    public static func make(_ judgments: [Judgment], rule: ExclusionRule) -> [ModeTally] {
        var out: [ModeTally] = []
        for mode in StudyMode.allCases {
            let js = judgments.filter { $0.mode == mode }
            if js.isEmpty { continue }
            var t = ModeTally(mode: mode)
            var ids: [Int64] = []
            for j in js where ids.last != j.participant { ids.append(j.participant) }
            var keep: [Int64: Bool] = [:]  // lookup only, never iterated
            for id in ids {
                let own = js.filter { $0.participant == id }
                let catches = own.filter { $0.catchKind == .flipped }
                t.catchPassed += catches.filter { $0.passedCatch == true }.count
                t.catchAnswered += catches.filter { $0.passedCatch != nil }.count
                t.catchTimeouts += catches.filter { $0.outcome == .timeout }.count
                let identical = own.filter { $0.catchKind == .identical }
                t.identicalLeft += identical.filter { $0.answeredSide == .left }.count
                t.identicalAnswered += identical.filter { $0.answeredSide != nil }.count
                t.identicalTimeouts += identical.filter { $0.outcome == .timeout }.count
                if let why = rule.violation(own) {
                    t.excluded.append((id, why))
                    keep[id] = false
                    continue
                }
                keep[id] = true
                t.participants.append(id)
                let sides = own.compactMap(\.answeredSide)
                if !sides.isEmpty {
                    t.leftShares.append(
                        Double(sides.filter { $0 == .left }.count) / Double(sides.count))
                }
            }
            for j in js where keep[j.participant] == true && j.catchKind == nil {
                let (a, b) = (j.left.index, j.right.index)
                if let w = j.winner {
                    let loser = w == j.left ? b : a
                    t.wins[w.index][loser] += 1
                } else if j.outcome == .timeout {
                    t.timeouts[a][b] += 1
                    t.timeouts[b][a] += 1
                }
            }
            out.append(t)
        }
        return out
    }
}

/// Paper 2's Table 2: share of trials in which the row source was chosen over the column
/// source, for the generated sources L, L+I, L+I+P (index 0, 1, 2).
public enum PaperTable2 {
    public static func share(_ mode: StudyMode, row: SurveySource, column: SurveySource) -> Double?
    {
        guard let r = SurveySource.generated.firstIndex(of: row),
            let c = SurveySource.generated.firstIndex(of: column), r != c
        else { return nil }
        return table(mode)[r][c]
    }

    public static func table(_ mode: StudyMode) -> [[Double]] {
        switch mode {
        case .timed: return [[0.5, 0.44, 0.31], [0.56, 0.5, 0.40], [0.69, 0.60, 0.5]]
        case .unlimited: return [[0.5, 0.40, 0.34], [0.60, 0.5, 0.43], [0.66, 0.57, 0.5]]
        }
    }
}
