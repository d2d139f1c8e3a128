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
    /// version 1 predate the mark and are known by their event table.
    static func owner(_ db: Connection) throws -> Owner {
        let id = try db.int("PRAGMA application_id") ?? 0
        if id == applicationID { return .mediate }
        if id != 0 { return .foreign }
        if try db.int("SELECT count(*) FROM sqlite_master") == 0 { return .empty }
        let isVersion1 =
            try version(db) == 1
            && db.int("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'event'") == 1
        return isVersion1 ? .mediate : .foreign
    }

    enum Owner { case mediate, foreign, empty }

    static func migrate(_ db: Connection) throws {
        for migration in embeddedMigrations {
            try db.transaction(.immediate) {
                // Read inside the write lock: another process may have migrated meanwhile.
                guard try version(db) < migration.version else { return }
                try db.execute(migration.sql)
                try db.execute("PRAGMA user_version = \(migration.version)")
            }
        }
    }
}
