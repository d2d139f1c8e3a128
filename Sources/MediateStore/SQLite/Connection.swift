import CSQLite

#if PostgreSQL
    import CLibPQ
#endif

/// One database connection: an SQLite file, or (with the PostgreSQL trait) a
/// PostgreSQL database named by a `postgresql://` URI. The same methods serve both, so
/// nothing above this layer knows which engine it talks to. Not Sendable: it stays on
/// the thread that opened it.
final class Connection {
    /// The SQLite handle; nil on PostgreSQL.
    let handle: OpaquePointer?
    private var cache: [String: Statement] = [:]
    #if PostgreSQL
        /// The PostgreSQL connection; nil on SQLite.
        let server: Server?
        var isPostgreSQL: Bool { server != nil }
    #else
        var isPostgreSQL: Bool { false }
    #endif

    enum Mode: Sendable {
        case readWrite, readWriteCreate, readOnly
        /// Read-only media: the file cannot change while open, and SQLite keeps no
        /// -shm beside it (a WAL file could not otherwise be read where none can be made).
        case immutable
    }

    /// Opens `path` and sets it up in one ordered step: extended result codes, a busy
    /// timeout so that concurrent writers wait instead of failing, foreign keys, and a
    /// cheap read that fails early on a file that is not a database.
    init(path: String, mode: Mode, busyTimeoutMilliseconds: Int32 = 30_000) throws(SQLiteError) {
        if Engine.isServerURI(path) {
            #if PostgreSQL
                server = try Server(uri: path)
                handle = nil
                // A writer waits this long for a lock (a case row, the chain), then fails
                // as SQLite's busy writer does.
                // (0 is "wait forever" to PostgreSQL, "do not wait" to SQLite: 1 ms.)
                try server!.execute("SET lock_timeout = \(max(busyTimeoutMilliseconds, 1))")
                if mode == .readOnly || mode == .immutable { try execute("PRAGMA query_only = ON") }
                return
            #else
                var error = SQLiteError(code: SQLITE_CANTOPEN, message: "built without the PostgreSQL trait")
                error.engineNotBuilt = true
                throw error
            #endif
        }
        #if PostgreSQL
            server = nil
        #endif
        var handle: OpaquePointer?
        let flags: Int32 =
            switch mode {
            case .readWrite: SQLITE_OPEN_READWRITE
            case .readWriteCreate: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
            case .readOnly: SQLITE_OPEN_READONLY
            case .immutable: SQLITE_OPEN_READONLY | SQLITE_OPEN_URI
            }
        // "immutable=1: ... SQLite assumes that the database file cannot be changed, even
        // by a process with higher privilege, and so the database is opened read-only and
        // all locking and change detection is disabled."
        let name = mode == .immutable ? Self.uri(path) + "?immutable=1" : path
        let rc = sqlite3_open_v2(name, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let handle else {
            // "Whether or not an error occurs when it is opened, resources associated
            // with the database connection handle should be released by passing it to
            // sqlite3_close() when it is no longer required."
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            let code = handle.map { sqlite3_extended_errcode($0) } ?? rc
            sqlite3_close(handle)
            throw SQLiteError(code: code, message: message)
        }
        self.handle = handle
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        do {
            try execute("PRAGMA foreign_keys = ON")
            try execute("SELECT count(*) FROM sqlite_master")
        } catch {
            cache = [:]
            sqlite3_close(handle)
            throw error
        }
    }

    /// `path` as a `file:` URI: every byte that a URI would read otherwise escaped.
    static func uri(_ path: String) -> String {
        var out = "file:"
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                UInt8(ascii: "."):
                out.append(Character(UnicodeScalar(byte)))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }

    deinit {
        cache = [:]  // statements finalize before the connection closes
        if let handle { sqlite3_close(handle) }
    }

    func error(_ rc: Int32, sql: String? = nil) -> SQLiteError {
        let code = sqlite3_extended_errcode(handle)
        return SQLiteError(
            code: code == SQLITE_OK ? rc : code,
            message: String(cString: sqlite3_errmsg(handle)), sql: sql, systemErrno: sqlite3_system_errno(handle))
    }

    /// Runs one or more statements without parameters (schema, pragmas).
    func execute(_ sql: String) throws(SQLiteError) {
        #if PostgreSQL
            if let server { return try server.execute(sql) }
        #endif
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "error \(rc)"
            sqlite3_free(message)
            throw SQLiteError(
                code: sqlite3_extended_errcode(handle), message: text, sql: sql,
                systemErrno: sqlite3_system_errno(handle))
        }
    }

    /// A prepared statement for `sql`, kept for reuse by this connection.
    func statement(_ sql: String) throws(SQLiteError) -> Statement {
        if let cached = cache[sql] { return cached }
        let statement = try Statement(connection: self, sql: sql)
        cache[sql] = statement
        return statement
    }

    func run(_ sql: String, _ values: [SQLValue] = []) throws(SQLiteError) {
        #if PostgreSQL
            if let server { return PQclear(try server.run(sql, values)) }
        #endif
        try statement(sql).run(values)
    }

    func rows<T>(_ sql: String, _ values: [SQLValue] = [], _ map: (Row) throws -> T) throws -> [T] {
        #if PostgreSQL
            if let server {
                var result: [T] = []
                try server.query(sql, values) { result.append(try map($0)) }
                return result
            }
        #endif
        return try statement(sql).rows(values, map)
    }

    func first<T>(_ sql: String, _ values: [SQLValue] = [], _ map: (Row) throws -> T) throws -> T? {
        #if PostgreSQL
            if let server {
                var result: T? = nil
                try server.query(sql, values) { if result == nil { result = try map($0) } }
                return result
            }
        #endif
        return try statement(sql).first(values, map)
    }

    /// Streams the rows of `sql` through `body` without collecting them: on SQLite a
    /// step at a time, on PostgreSQL a batch of rows at a time (`Server.stream`).
    func each(_ sql: String, _ values: [SQLValue] = [], _ body: (Row) throws -> Void) throws {
        #if PostgreSQL
            if let server { return try server.stream(sql, values, body) }
        #endif
        try statement(sql).each(values, body)
    }

    func int(_ sql: String, _ values: [SQLValue] = []) throws -> Int64? {
        try first(sql, values) { $0.isNull(0) ? nil : $0.int(0) } ?? nil
    }

    /// Keeps the -wal and -shm files when the last connection closes, instead of
    /// deleting them: in a shared group's folder they stay the files `init --group`
    /// made, never recreated by (and so owned by) whichever user ran mediate first.
    func persistWAL() {
        guard let handle else { return }  // PostgreSQL has no side files
        // "Setting the persistent WAL mode causes the WAL file to persist after the
        // last database connection closes."
        var on: Int32 = 1
        sqlite3_file_control(handle, "main", SQLITE_FCNTL_PERSIST_WAL, &on)
    }

    var lastInsertRowID: Int64 {
        #if PostgreSQL
            // Schema/postgresql/001: a row's id, when not given, is SQLite's rowid (the
            // largest plus one), and the trigger that assigns it remembers it for the
            // transaction.
            if isPostgreSQL {
                return (try? int("SELECT current_setting('mediate.last_insert_id', true)::bigint")) ?? 0
            }
        #endif
        return sqlite3_last_insert_rowid(handle)
    }
    var changes: Int {
        #if PostgreSQL
            if let server { return server.changes }
        #endif
        return Int(sqlite3_changes(handle))
    }

    /// Serialises the appends to the one chain (and the numbering of new cases) on
    /// PostgreSQL: a transaction-level advisory lock, held until commit, taken by every
    /// writer just before it reads the chain's head. On SQLite, the write transaction
    /// (BEGIN IMMEDIATE) already serialises every writer: nothing to do.
    // What every writer must read whole, whatever the role may see: on a server, a role
    // sees only its subtree's rows, so these are functions of the owner (Schema/postgresql/009).

    /// The chain's last event: its id (its position) and hash; (0, []) before the first.
    func chainHead() throws -> (id: Int64, hash: [UInt8]) {
        let sql =
            isPostgreSQL ? "SELECT id, hash FROM mediate_chain_head()" : "SELECT id, hash FROM event ORDER BY id DESC LIMIT 1"
        return try first(sql) { ($0.int(0), $0.blob(1)) } ?? (0, [])
    }
    /// The last serial of the year bound to `?` (0 for none).
    var lastSerialSQL: String {
        isPostgreSQL
            ? "SELECT mediate_last_serial(?)" : "SELECT coalesce(max(serial), 0) FROM dispute WHERE year = ?"
    }
    /// The last case id of the database (0 for none).
    var lastCaseIDSQL: String {
        isPostgreSQL ? "SELECT mediate_last_case_id()" : "SELECT coalesce(max(id), 0) FROM dispute"
    }

    /// Whether a transaction is open on this connection (either engine).
    var inTransaction: Bool {
        #if PostgreSQL
            if let server { return server.inTransaction }
        #endif
        guard let handle else { return false }
        return sqlite3_get_autocommit(handle) == 0
    }

    func lockAppends() throws(SQLiteError) {
        #if PostgreSQL
            // The key is mediate's application id (0x4D454449, "MEDI").
            if let server { PQclear(try server.run("SELECT pg_advisory_xact_lock(1296385097)", [])) }
        #endif
    }

    /// Whether `error` asks for the transaction to be tried again: PostgreSQL's
    /// serialization failure or deadlock (SQLSTATE 40001, 40P01). A lock waited on past
    /// `lock_timeout` (55P03) is not: it is reported, as SQLite's busy timeout is.
    static func isRetryable(_ error: any Error) -> Bool {
        guard let e = error as? SQLiteError else { return false }
        return e.sqlstate == "40001" || e.sqlstate == "40P01"
    }

    enum TransactionKind: String, Sendable {
        case deferred = "DEFERRED"
        case immediate = "IMMEDIATE"
    }

    /// Runs `body` in one transaction: commits when it returns, rolls back on any error
    /// and rethrows that first error. Writers use `.immediate`, so that they wait for
    /// the write lock at BEGIN (where the busy timeout applies) rather than failing
    /// with SQLITE_BUSY when a read transaction tries to upgrade.
    func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        // Inside a transaction already (a batch): a savepoint, so that this part alone
        // rolls back on an error and the batch goes on or fails as its caller decides.
        if inTransaction {
            try execute("SAVEPOINT part")
            do {
                let result = try body()
                try execute("RELEASE part")
                return result
            } catch {
                try? execute("ROLLBACK TO part")
                try? execute("RELEASE part")
                throw error
            }
        }
        #if PostgreSQL
            if let server { return try serverTransaction(server, body) }
        #endif
        try execute("BEGIN \(kind.rawValue)")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if inTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// Copies the whole database into `path` with the online backup API: a consistent
    /// snapshot even while other processes keep writing.
    func backup(to path: String) throws(SQLiteError) {
        guard let handle else {
            var error = SQLiteError(code: SQLITE_MISUSE, message: "backup of a PostgreSQL database")
            error.sqlstate = "0A000"
            throw error
        }
        let target = try Connection(path: path, mode: .readWriteCreate)
        guard let backup = sqlite3_backup_init(target.handle, "main", handle, "main") else {
            throw target.error(sqlite3_errcode(target.handle))
        }
        // Copying everything in one step holds a read lock for the whole copy, so the
        // snapshot is consistent; in WAL mode writers go on meanwhile.
        var rc = sqlite3_backup_step(backup, -1)
        while rc == SQLITE_BUSY || rc == SQLITE_LOCKED {
            sqlite3_sleep(20)
            rc = sqlite3_backup_step(backup, -1)
        }
        sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE else { throw target.error(rc) }
    }
}

#if PostgreSQL
    #if canImport(Glibc)
        import Glibc
    #endif

    extension Connection {
        /// One transaction on PostgreSQL, at READ COMMITTED: each action locks what it
        /// decides on (the case row, `FOR UPDATE`) and the chain (`lockAppends`), so it
        /// decides against the current state. When the server reports a deadlock or a
        /// serialization failure, the whole transaction is tried again, here, up to 20
        /// times: callers never see it, as SQLite's writers wait instead of failing.
        func serverTransaction<T>(_ server: Server, _ body: () throws -> T) throws -> T {
            var attempt = 0
            while true {
                try execute("BEGIN")
                do {
                    let result = try body()
                    // A transaction that failed inside (an error caught and not rethrown)
                    // would "commit" as a rollback: PostgreSQL says so in the command tag.
                    let commit = PQexec(server.conn, "COMMIT")
                    defer { PQclear(commit) }
                    guard PQresultStatus(commit) == PGRES_COMMAND_OK else { throw server.error(commit, sql: "COMMIT") }
                    guard String(cString: PQcmdStatus(commit)) == "COMMIT" else {
                        throw SQLiteError(code: SQLITE_ABORT, message: "the transaction was rolled back", sql: "COMMIT")
                    }
                    return result
                } catch {
                    if server.inTransaction { try? execute("ROLLBACK") }
                    guard Self.isRetryable(error), attempt < 20 else { throw error }
                    attempt += 1
                    // Back off a little, more each time, so that the writers interleave.
                    usleep(UInt32(1_000 * attempt + Int.random(in: 0..<5_000)))
                }
            }
        }
    }
#endif
