/// Applies the numbered migrations from Schema/ in order. Each one commits together
/// with its version bump (`PRAGMA user_version`) in one IMMEDIATE transaction, so a
/// failing migration rolls back alone.
enum Migrator {
    static var latestVersion: Int32 { embeddedMigrations.last?.version ?? 0 }

    static func version(_ db: Connection) throws -> Int32 {
        Int32(try db.int("PRAGMA user_version") ?? 0)
    }

    /// mediate's mark in the file header, set by migration 002.
    static let applicationID: Int64 = 0x4D45_4449

    /// Whether the file is mediate's, some other program's, or empty. Files of schema
    /// version 1 predate the mark and are known by all of their tables and triggers.
    static func owner(_ db: Connection) throws -> Owner {
        let id = try db.int("PRAGMA application_id") ?? 0
        if id == applicationID { return .mediate }
        if id != 0 { return .foreign }
        let objects = try db.int("SELECT count(*) FROM sqlite_master") ?? 0
        let version = try version(db)
        if objects == 0 && version == 0 { return .empty }
        let names = Set(try db.rows("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')") { $0.text(0) })
        return version == 1 && version1Objects.isSubset(of: names) ? .mediate : .foreign
    }

    /// What migration 001 creates, by name.
    static let version1Objects: Set<String> = [
        "level", "severity", "category", "source", "setting", "unit", "person", "dispute", "party", "event",
        "event_no_update", "event_no_delete",
    ]

    enum Owner { case mediate, foreign, empty }

    /// Every migration on an empty file, inside the caller's transaction.
    static func applyAll(_ db: Connection) throws {
        for migration in embeddedMigrations { try apply(migration, db) }
    }

    private static func apply(_ migration: (version: Int32, name: String, sql: String), _ db: Connection) throws {
        try db.execute(migration.sql)
        try db.execute("PRAGMA user_version = \(migration.version)")
    }

    static func migrate(_ db: Connection) throws {
        for migration in embeddedMigrations {
            try db.transaction(.immediate) {
                // Read inside the write lock: another process may have migrated meanwhile.
                guard try version(db) < migration.version else { return }
                try apply(migration, db)
            }
        }
    }
}
