import Foundation
import GRDB

/// The study's database: one SQLite file (WAL journal, `synchronous = FULL`), so a write that
/// returned is on disk and survives `kill -9` or a power cut of the server process.
///
/// Tables: `meta` (the design: seed, scenes, catch rate, created), `participants` (a random
/// token, the mode and rules it ran under; no personal data) and `trials` (one row per shown
/// pair: scene, sources, sides, server times of issue, display and answer, the choice or the
/// timeout, the page version). Every operation is one transaction.
public final class SurveyStore: Sendable {
    public let path: String
    let pool: DatabasePool

    /// Opens (creating if needed) the store at `path`. `maxPageCount` caps the file's size in
    /// pages, which lets the tests provoke a full disk.
    public init(path: String, readOnly: Bool = false, maxPageCount: Int? = nil) throws {
        self.path = path
        if readOnly && !FileManager.default.fileExists(atPath: path) {
            throw SurveyError.database(path, "no such file (--db)")
        }
        var config = Configuration()
        config.readonly = readOnly
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            if let cap = maxPageCount { try db.execute(sql: "PRAGMA max_page_count = \(cap)") }
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            let check = try pool.read { db in try String.fetchOne(db, sql: "PRAGMA quick_check") }
            guard check == "ok" else {
                throw SurveyError.corruptDatabase(path, "integrity check: \(check ?? "no answer")")
            }
            if !readOnly { try Self.migrator.migrate(pool) }
        } catch let e as DatabaseError {
            throw Self.translate(e, path)
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.create(table: "meta") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
            try db.create(table: "participants") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("token", .text).notNull().unique()
                t.column("mode", .text).notNull()
                t.column("timeLimit", .double)
                t.column("target", .integer).notNull()
                t.column("timeoutsCount", .boolean).notNull()
                t.column("created", .double).notNull()
                t.column("finished", .double)
            }
            try db.create(table: "trials") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("participant", .integer).notNull().references("participants")
                t.column("position", .integer).notNull()
                t.column("scene", .text).notNull()
                t.column("left", .text).notNull()
                t.column("right", .text).notNull()
                t.column("broken", .text)
                t.column("issued", .double).notNull()
                t.column("displayed", .double)
                t.column("answered", .double)
                t.column("choice", .text)
                t.column("outcome", .text)
                t.column("reason", .text)
                t.column("pageVersion", .text).notNull()
                t.uniqueKey(["participant", "position"])
            }
        }
        m.registerMigration("v2: display size") { db in
            try db.alter(table: "trials") { t in t.add(column: "displaySize", .text) }
        }
        m.registerMigration("v3: catch kinds") { db in
            // NULL for a pair; "flipped" or "identical" for a catch trial. Rows of v2 stores
            // with `broken` set are flipped catch trials.
            try db.alter(table: "trials") { t in t.add(column: "catchKind", .text) }
            try db.execute(sql: "UPDATE trials SET catchKind = 'flipped' WHERE broken IS NOT NULL")
        }
        return m
    }

    /// Runs `body` in one write transaction, committed (and synced) before this returns.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch let e as DatabaseError {
            throw Self.translate(e, path)
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let e as DatabaseError {
            throw Self.translate(e, path)
        }
    }

    static func translate(_ e: DatabaseError, _ path: String) -> SurveyError {
        switch e.resultCode {
        case .SQLITE_FULL: return .diskFull(path)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: return .corruptDatabase(path, e.message ?? "\(e)")
        case .SQLITE_CANTOPEN:
            return .database(path, "cannot open (missing folder or no permission)")
        default: return .database(path, e.message ?? "\(e)")
        }
    }

    // MARK: - The design

    /// Records `design` in a new store, or checks that it is the design already recorded (a
    /// restart continues the same study). Returns the design in force.
    public func adopt(_ design: StudyDesign) async throws -> StudyDesign {
        let stored = try await write { db -> [String: String] in
            var rows: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM meta") {
                rows[row["key"]] = row["value"]
            }
            if rows.isEmpty {
                let values = [
                    ("seed", String(design.seed)),
                    ("scenes", design.scenes.joined(separator: "\n")),
                    ("catchEvery", String(design.catchEvery)),
                    ("catchKinds", design.catchKinds.map(\.rawValue).joined(separator: ",")),
                    ("created", String(Date().timeIntervalSince1970)),
                ]
                for (k, v) in values {
                    try db.execute(
                        sql: "INSERT INTO meta(key, value) VALUES (?, ?)", arguments: [k, v])
                }
            }
            return rows
        }
        if stored.isEmpty { return design }
        if stored["seed"] != String(design.seed) {
            throw SurveyError.studyMismatch(
                "seed \(stored["seed"] ?? "?") stored, --seed \(design.seed) given")
        }
        if stored["scenes"] != design.scenes.joined(separator: "\n") {
            throw SurveyError.studyMismatch("the stored scene list differs from --images")
        }
        if stored["catchEvery"] != String(design.catchEvery) {
            throw SurveyError.studyMismatch(
                "catch trials every \(stored["catchEvery"] ?? "?") blocks stored, "
                    + "--catch-every \(design.catchEvery) given"
            )
        }
        // Stores made before identical catch trials existed planned flipped ones only.
        let kinds = stored["catchKinds"] ?? CatchKind.flipped.rawValue
        if kinds != design.catchKinds.map(\.rawValue).joined(separator: ",") {
            if stored["catchKinds"] != nil {
                throw SurveyError.studyMismatch(
                    "catch kinds \(kinds) stored, --catch-kinds "
                        + design.catchKinds.map(\.rawValue).joined(separator: ",") + " given")
            }
            return try StudyDesign(
                seed: design.seed, scenes: design.scenes, catchEvery: design.catchEvery,
                catchKinds: [.flipped])
        }
        return design
    }

    /// Stores `value` under `key` unless the key is already set (facts of the first start,
    /// such as where the images came from).
    public func noteOnce(_ key: String, _ value: String) async throws {
        try await write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)",
                arguments: [key, value])
        }
    }

    /// The stored design's seed and catch rate, if any (the report states them).
    public func metaValue(_ key: String) throws -> String? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
        }
    }
}
