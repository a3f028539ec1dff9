/// The exclusion rule, fixed before the analysis and stated in the report.
public struct ExclusionRule: Sendable, Equatable {
    /// Exclude a participant who answered catch trials and chose the intact image in fewer
    /// than this share of them (nil: exclude no one).
    public var minCatchAccuracy: Double?

    public init(minCatchAccuracy: Double?) { self.minCatchAccuracy = minCatchAccuracy }

    public var statement: String {
        guard let m = minCatchAccuracy else {
            return "No exclusion rule: every participant counts."
        }
        return "Participants who chose the intact image in fewer than \(Int((m * 100).rounded()))% "
            + "of their answered catch trials (real image beside itself upside down) are excluded "
            + "from every table; participants without answered catch trials are kept."
    }
}

/// Counts for one mode: wins[i][j] = answered trials of sources i and j in which i was chosen;
/// timeouts[i][j] (symmetric) = timed-out trials showing i and j.
public struct ModeTally: Sendable {
    public let mode: StudyMode
    public var wins: [[Int]]
    public var timeouts: [[Int]]
    public var participants: [Int64] = []
    public var excluded: [(participant: Int64, passed: Int, answered: Int)] = []
    public var catchPassed = 0
    public var catchAnswered = 0
    public var catchTimeouts = 0

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
            var keep: [Int64: Bool] = [:]
            for id in ids {
                let catches = js.filter { $0.participant == id && $0.broken != nil }
                let passed = catches.filter { $0.passedCatch == true }.count
                let answered = catches.filter { $0.passedCatch != nil }.count
                t.catchPassed += passed
                t.catchAnswered += answered
                t.catchTimeouts += catches.filter { $0.outcome == .timeout }.count
                var ok = true
                if let m = rule.minCatchAccuracy, answered > 0,
                    Double(passed) < m * Double(answered)
                {
                    ok = false
                    t.excluded.append((id, passed, answered))
                }
                keep[id] = ok
                if ok { t.participants.append(id) }
            }
            for j in js where keep[j.participant] == true && j.broken == nil {
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
