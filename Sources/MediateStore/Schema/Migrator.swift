/// Applies the numbered migrations from Schema/ in order. Each one commits together
/// with its version bump (`PRAGMA user_version`) in one IMMEDIATE transaction, so a
/// failing migration rolls back alone.
///
/// On PostgreSQL the same numbers from Schema/postgresql/, the version and mediate's
/// mark kept in the table `mediate_meta` (PostgreSQL has no file header to keep them in).
enum Migrator {
    static var latestVersion: Int32 { embeddedMigrations.last?.version ?? 0 }

    /// The migrations for `db`'s engine.
    static func migrations(_ db: Connection) -> [(version: Int32, name: String, sql: String)] {
        db.isPostgreSQL ? embeddedPostgreSQLMigrations : embeddedMigrations
    }

    static func version(_ db: Connection) throws -> Int32 {
        if db.isPostgreSQL {
            guard try hasMeta(db) else { return 0 }
            let value = try db.first("SELECT value FROM mediate_meta WHERE key = 'user_version'") { $0.text(0) }
            return value.flatMap { Int32($0) } ?? 0
        }
        return Int32(try db.int("PRAGMA user_version") ?? 0)
    }

    /// Whether the PostgreSQL database has mediate's table of marks, in the schema
    /// mediate uses (the first of the search path).
    static func hasMeta(_ db: Connection) throws -> Bool {
        try db.int("SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'mediate_meta'") != nil
    }

    /// mediate's mark in the file header, set by migration 002.
    static let applicationID: Int64 = 0x4D45_4449

    /// Whether the file is mediate's, some other program's, or empty. Files of schema
    /// version 1 predate the mark and are known by all of their tables and triggers.
    static func owner(_ db: Connection) throws -> Owner {
        if db.isPostgreSQL {
            // Empty: no table, view or sequence of anyone's in the schema. Mediate's:
            // its mark in mediate_meta. Anything else is another program's, never touched.
            let objects =
                try db.int(
                    """
                    SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v', 'm', 'S', 'f', 'p')
                    """) ?? 0
            if objects == 0 { return .empty }
            guard try hasMeta(db) else { return .foreign }
            let id = try db.first("SELECT value FROM mediate_meta WHERE key = 'application_id'") { $0.text(0) }
            return id == String(applicationID) ? .mediate : .foreign
        }
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
        for migration in migrations(db) { try apply(migration, db) }
    }

    private static func apply(_ migration: (version: Int32, name: String, sql: String), _ db: Connection) throws {
        try db.execute(migration.sql)
        if db.isPostgreSQL {
            try db.run(
                "UPDATE mediate_meta SET value = ? WHERE key = 'user_version'", [.text(String(migration.version))])
        } else {
            try db.execute("PRAGMA user_version = \(migration.version)")
        }
    }

    static func migrate(_ db: Connection) throws {
        for migration in migrations(db) {
            try db.transaction(.immediate) {
                // On PostgreSQL, one migrating process at a time (SQLite: the write lock).
                try db.lockAppends()
                // Read inside the write lock: another process may have migrated meanwhile.
                guard try version(db) < migration.version else { return }
                try apply(migration, db)
            }
        }
    }
}
