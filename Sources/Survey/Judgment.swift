import Foundation
import GRDB

/// One stored trial, as the report and the exports see it.
public struct Judgment: Sendable, Equatable {
    public var participant: Int64
    public var mode: StudyMode
    public var position: Int
    public var scene: String
    public var left: SurveySource
    public var right: SurveySource
    public var broken: Side?
    /// The kind of catch trial; nil for a pair.
    public var catchKind: CatchKind? = nil
    public var issued: Double
    public var displayed: Double?
    public var answered: Double?
    public var choice: Side?
    /// nil while the trial is still open.
    public var outcome: Outcome?
    public var reason: String?
    public var pageVersion: String
    /// The images' size on screen as the page reported it ("640x320@1x"), if it did.
    public var displaySize: String? = nil

    /// The chosen source (nil for timeouts, open and catch trials).
    public var winner: SurveySource? {
        guard outcome == .chosen, catchKind == nil, let c = choice else { return nil }
        return c == .left ? left : right
    }

    /// For a flipped catch trial that was answered: whether the upright image was chosen.
    public var passedCatch: Bool? {
        guard catchKind == .flipped, let b = broken, outcome == .chosen, let c = choice else {
            return nil
        }
        return c != b
    }

    /// The side chosen, for any answered trial (nil for timeouts and open trials).
    public var answeredSide: Side? { outcome == .chosen ? choice : nil }

    public static let csvHeader =
        "participant,mode,position,scene,left,right,catch_broken_side,issued,displayed,answered,"
        + "choice,outcome,reason,page_version,display_size,catch_kind"

    public var csvRow: String {
        func f(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "" }
        return [
            String(participant), mode.rawValue, String(position), Self.quote(scene), left.rawValue,
            right.rawValue, broken?.rawValue ?? "", f(issued), f(displayed), f(answered),
            choice?.rawValue ?? "", outcome?.rawValue ?? "", reason ?? "", Self.quote(pageVersion),
            displaySize ?? "", catchKind?.rawValue ?? "",
        ].joined(separator: ",")
    }

    static func quote(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

extension SurveyStore {
    /// Every trial, in (participant, position) order.
    public func judgments() throws -> [Judgment] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT t.*, p.mode FROM trials t JOIN participants p ON p.id = t.participant
                    ORDER BY t.participant, t.position
                    """)
            return rows.map { r in
                let broken = (r["broken"] as String?).flatMap(Side.init(rawValue:))
                // A store opened read-only before its v3 migration has no catchKind column.
                let kind =
                    (r["catchKind"] as String?).flatMap(CatchKind.init(rawValue:))
                    ?? (broken != nil ? .flipped : nil)
                return Judgment(
                    participant: r["participant"],
                    mode: StudyMode(rawValue: r["mode"]) ?? .unlimited,
                    position: r["position"], scene: r["scene"],
                    left: SurveySource(rawValue: r["left"]) ?? .real,
                    right: SurveySource(rawValue: r["right"]) ?? .real,
                    broken: broken, catchKind: kind, issued: r["issued"],
                    displayed: r["displayed"], answered: r["answered"],
                    choice: (r["choice"] as String?).flatMap(Side.init(rawValue:)),
                    outcome: (r["outcome"] as String?).flatMap(Outcome.init(rawValue:)),
                    reason: r["reason"], pageVersion: r["pageVersion"],
                    displaySize: r["displaySize"])
            }
        }
    }

    /// The number of participants.
    public func participantCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM participants") ?? 0 }
    }
}

extension SurveyStore {
    /// The sources a trial showed, left then right (for the admin API).
    public func sources(of trial: Int64) throws -> (SurveySource, SurveySource) {
        try read { db in
            guard
                let r = try Row.fetchOne(
                    db, sql: "SELECT left, right FROM trials WHERE id = ?", arguments: [trial])
            else { throw SurveyError.unknownTrial }
            return (
                SurveySource(rawValue: r["left"]) ?? .real,
                SurveySource(rawValue: r["right"]) ?? .real
            )
        }
    }
}
