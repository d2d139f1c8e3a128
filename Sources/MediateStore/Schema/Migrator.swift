/// Applies the numbered migrations from Schema/ in order. Each one commits together
/// with its version bump (`PRAGMA user_version`) in one IMMEDIATE transaction, so a
/// failing migration rolls back alone.
enum Migrator {
    static var latestVersion: Int32 { embeddedMigrations.last?.version ?? 0 }

    static func version(_ db: Connection) throws -> Int32 {
        Int32(try db.int("PRAGMA user_version") ?? 0)
    }

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
