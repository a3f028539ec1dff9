import Foundation
import GRDB

/// The running study: hands out pairs, records display and answer times and decides, on the
/// server's clock, whether a timed answer came in time.
///
/// Every call is one transaction, committed before it returns, so what the page was told
/// (an acknowledged answer, an issued pair) is on disk. A participant's schedule is planned
/// by `StudyDesign` from the participant's number; the pair is stored when first issued and
/// reissued unchanged after a reload until it is answered or times out.
public final class Study: Sendable {
    public let store: SurveyStore
    public let design: StudyDesign
    public let rules: StudyRules
    let now: @Sendable () -> Double

    public init(
        store: SurveyStore, design: StudyDesign, rules: StudyRules,
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.store = store
        self.design = design
        self.rules = rules
        self.now = clock
    }

    /// A new participant with an unguessable token (256 bits from the system's generator:
    /// the seeded generator must not make secrets).
    public func register() async throws -> String {
        var g = SystemRandomNumberGenerator()
        let token = (0..<4).map { _ in String(format: "%016llx", g.next() as UInt64) }.joined()
        let r = rules
        let t = now()
        try await store.write { db in
            try db.execute(
                sql: """
                    INSERT INTO participants(token, mode, timeLimit, target, timeoutsCount, created)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    token, r.mode.rawValue, r.mode == .timed ? r.timeLimit : nil, r.trials,
                    r.timeoutsCount, t,
                ])
        }
        return token
    }

    /// The participant's open pair (issuing the next one if none is open), or finished.
    public func state(token: String) async throws -> StudyState {
        let (design, t, page) = (self.design, now(), rules.pageVersion)
        return try await store.write { db in
            let p = try Participant.find(db, token: token)
            if let open = try Row.fetchOne(
                db, sql: "SELECT * FROM trials WHERE participant = ? AND outcome IS NULL",
                arguments: [p.id])
            {
                if let shown = open["displayed"] as Double?, let limit = p.timeLimit,
                    t - shown > limit
                {
                    try Self.close(
                        db, open["id"], choice: nil, outcome: .timeout, reason: "expired", t)
                } else {
                    return try p.state(db, open: open, t)
                }
            }
            if try p.done(db) >= p.target {
                try db.execute(
                    sql: "UPDATE participants SET finished = coalesce(finished, ?) WHERE id = ?",
                    arguments: [t, p.id])
                return StudyState(finished: true, done: p.target, total: p.target, trial: nil)
            }
            let position =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM trials WHERE participant = ?", arguments: [p.id])
                ?? 0
            let plan = design.trial(participant: Int(p.id), position: position)
            try db.execute(
                sql: """
                    INSERT INTO trials(participant, position, scene, left, right, broken,
                    catchKind, issued, pageVersion) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    p.id, position, plan.scene, plan.left.rawValue, plan.right.rawValue,
                    plan.broken?.rawValue, plan.catchKind?.rawValue, t, page,
                ])
            let row = try Row.fetchOne(
                db, sql: "SELECT * FROM trials WHERE id = ?", arguments: [db.lastInsertedRowID])!
            return try p.state(db, open: row, t)
        }
    }

    /// The page reports both images of `trial` on screen: the time limit starts now. Repeated
    /// reports keep the first time (a reload does not restart the clock).
    /// `displaySize` is what the page drew, "<width>x<height>@<device pixel ratio>x" in CSS
    /// pixels (the paper does not give its display size, so it is recorded).
    public func shown(token: String, trial: Int64, displaySize: String? = nil) async throws
        -> StudyState
    {
        let t = now()
        let pattern = #"^\d{1,5}x\d{1,5}@[0-9.]{1,6}x$"#
        if let s = displaySize,
            s.count > 32 || s.range(of: pattern, options: .regularExpression) == nil
        {
            throw SurveyError.badRequest("size must look like 640x320@1x")
        }
        return try await store.write { db in
            let p = try Participant.find(db, token: token)
            _ = try Self.openTrial(db, p, trial)
            try db.execute(
                sql: """
                    UPDATE trials SET displayed = coalesce(displayed, ?),
                    displaySize = coalesce(displaySize, ?) WHERE id = ?
                    """,
                arguments: [t, displaySize, trial])
            let now = try Row.fetchOne(
                db, sql: "SELECT * FROM trials WHERE id = ?", arguments: [trial])!
            return try p.state(db, open: now, t)
        }
    }

    /// Records the answer to `trial`: `choice` nil means the page's countdown ran out. A choice
    /// that reaches the server after the limit is stored as a timeout.
    public func answer(token: String, trial: Int64, choice: Side?) async throws -> Outcome {
        let t = now()
        return try await store.write { db in
            let p = try Participant.find(db, token: token)
            let row = try Self.openTrial(db, p, trial)
            guard let shown = row["displayed"] as Double? else { throw SurveyError.notShownYet }
            let late = p.timeLimit.map { t - shown > $0 } ?? false
            switch (choice, late) {
            case (nil, _):
                guard p.timeLimit != nil else {
                    throw SurveyError.badRequest("no timeouts in unlimited mode")
                }
                try Self.close(db, trial, choice: nil, outcome: .timeout, reason: "page", t)
                return .timeout
            case (.some(let side), true):
                try Self.close(db, trial, choice: side, outcome: .timeout, reason: "late", t)
                return .timeout
            case (.some(let side), false):
                try Self.close(db, trial, choice: side, outcome: .chosen, reason: nil, t)
                return .chosen
            }
        }
    }

    /// Which image the page may load for `side` of `trial`: only for the participant's own
    /// open trial.
    public func image(token: String, trial: Int64, side: Side) throws -> (SurveySource, String) {
        try store.read { db in
            let p = try Participant.find(db, token: token)
            let row = try Self.openTrial(db, p, trial)
            let name: String = row[side.rawValue]
            return (SurveySource(rawValue: name) ?? .real, row["scene"])
        }
    }

    static func openTrial(_ db: Database, _ p: Participant, _ trial: Int64) throws -> Row {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT * FROM trials WHERE id = ? AND participant = ?",
                arguments: [trial, p.id])
        else { throw SurveyError.unknownTrial }
        guard row["outcome"] as String? == nil else { throw SurveyError.alreadyAnswered }
        return row
    }

    static func close(
        _ db: Database, _ trial: Int64, choice: Side?, outcome: Outcome, reason: String?,
        _ t: Double
    ) throws {
        try db.execute(
            sql:
                """
                UPDATE trials SET answered = ?, choice = ?, outcome = ?, reason = ?
                WHERE id = ? AND outcome IS NULL
                """,
            arguments: [t, choice?.rawValue, outcome.rawValue, reason, trial])
        guard db.changesCount == 1 else { throw SurveyError.alreadyAnswered }
    }
}

/// A participant row and the counts that drive its progress.
struct Participant {
    var id: Int64
    var timeLimit: Double?
    var target: Int
    var timeoutsCount: Bool
    var mode: StudyMode

    static func find(_ db: Database, token: String) throws -> Participant {
        guard token.utf8.count == 64,
            let row = try Row.fetchOne(
                db, sql: "SELECT * FROM participants WHERE token = ?", arguments: [token])
        else { throw SurveyError.unknownParticipant }
        return Participant(
            id: row["id"], timeLimit: row["timeLimit"], target: row["target"],
            timeoutsCount: row["timeoutsCount"],
            mode: StudyMode(rawValue: row["mode"]) ?? .unlimited)
    }

    /// Counted pairs so far: closed non-catch pairs, or only the chosen ones.
    func done(_ db: Database) throws -> Int {
        let answered = timeoutsCount ? "outcome IS NOT NULL" : "outcome = 'chosen'"
        return try Int.fetchOne(
            db,
            sql:
                "SELECT count(*) FROM trials WHERE participant = ? AND catchKind IS NULL AND "
                + answered,
            arguments: [id]) ?? 0
    }

    func state(_ db: Database, open: Row, _ t: Double) throws -> StudyState {
        let done = try self.done(db)
        let shown = open["displayed"] as Double?
        var remaining: Int?
        if let s = shown, let l = timeLimit {
            remaining = max(0, Int(((s + l - t) * 1000).rounded()))
        }
        let view = TrialView(
            trial: open["id"], number: min(done + 1, target), total: target, mode: mode,
            timeLimitMs: timeLimit.map { Int(($0 * 1000).rounded()) }, remainingMs: remaining,
            flipped: (open["broken"] as String?).flatMap(Side.init(rawValue:)))
        return StudyState(finished: false, done: done, total: target, trial: view)
    }
}

extension Study {
    /// Opens (or continues) the study in the store at `db` for the images in `images`.
    public static func open(
        images: ImageSet, db: String, seed: UInt64, catchEvery: Int,
        catchKinds: [CatchKind] = CatchKind.allCases, rules: StudyRules
    ) async throws -> Study {
        let store = try SurveyStore(path: db)
        let design = try await store.adopt(
            StudyDesign(
                seed: seed, scenes: images.scenes, catchEvery: catchEvery,
                catchKinds: catchKinds))
        try await store.noteOnce("images", images.origins.joined(separator: "\n"))
        return Study(store: store, design: design, rules: rules)
    }
}
