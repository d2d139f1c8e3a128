#if PostgreSQL
    import CLibPQ
    import CSQLite

    #if canImport(Glibc)
        import Glibc
    #endif

    /// One connection to a PostgreSQL server through libpq: the other engine behind
    /// `Connection`. Not Sendable: it stays on the thread that opened it.
    ///
    /// It takes mediate's SQL as the SQLite layer does: `?` placeholders (rewritten to
    /// `$n`), values bound as parameters and never spliced into the text, and the few
    /// SQLite idioms the store uses translated once per statement (see `translate`).
    final class Server {
        let conn: OpaquePointer
        /// Rows the last INSERT, UPDATE or DELETE changed (`PQcmdTuples`).
        private(set) var changes = 0
        /// Each statement's text translated once: the store runs the same few hundred
        /// statements over and over.
        private var translated: [String: String] = [:]

        /// Connects with the URI as given, so that libpq's own parameters in it
        /// (`?sslmode=…`, `host=` a socket folder), `PGSERVICE`, `PGPASSFILE` and
        /// `~/.pgpass` all apply as in `psql`.
        init(uri: String) throws(SQLiteError) {
            guard let conn = PQconnectdb(uri) else {
                throw SQLiteError(code: SQLITE_CANTOPEN, message: "out of memory")
            }
            guard PQstatus(conn) == CONNECTION_OK else {
                let message = Self.firstLine(PQerrorMessage(conn))
                PQfinish(conn)
                // Not SQLITE_CANTOPEN, which the store reads as "no file yet": the server
                // was not reached, or refused (StorageProblem.cannotConnect).
                var error = SQLiteError(code: SQLITE_IOERR, message: message)
                error.sqlstate = "08006"
                throw error
            }
            self.conn = conn
            // NOTICEs ("relation … does not exist, skipping") are not the user's business:
            // libpq would print them on stderr, which a cron job must keep empty.
            PQsetNoticeProcessor(conn, { _, _ in }, nil)
            PQsetClientEncoding(conn, "UTF8")
        }

        deinit { PQfinish(conn) }

        static func firstLine(_ text: UnsafePointer<CChar>?) -> String {
            guard let text else { return "" }
            let all = String(cString: text)
            return String(all.split(separator: "\n", omittingEmptySubsequences: true).first ?? "")
        }

        var inTransaction: Bool { PQtransactionStatus(conn) != PQTRANS_IDLE }

        // MARK: - Errors

        /// The server's error as the store's error: SQLSTATE classes mapped to the SQLite
        /// result code of the same kind, so that one classification serves both engines.
        func error(_ result: OpaquePointer?, sql: String?) -> SQLiteError {
            guard let result else {
                var e = SQLiteError(code: SQLITE_IOERR, message: Self.firstLine(PQerrorMessage(conn)), sql: sql)
                e.sqlstate = "08006"
                return e
            }
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? "XX000"
            let message =
                PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
                ?? Self.firstLine(PQresultErrorMessage(result))
            var e = SQLiteError(code: Self.code(sqlstate: state), message: message, sql: sql)
            e.sqlstate = state
            return e
        }

        static func code(sqlstate: String) -> Int32 {
            switch sqlstate {
            // serialization_failure, deadlock_detected, lock_not_available: retried in
            // `Connection.transaction`, as SQLite's busy writer waits.
            case "40001", "40P01", "55P03": return SQLITE_BUSY
            // read_only_sql_transaction (a standby, or default_transaction_read_only)
            case "25006": return SQLITE_READONLY
            // disk_full, out of memory
            case "53100": return SQLITE_FULL
            // raise_exception: the append-only triggers
            case "P0001": return SQLITE_CONSTRAINT | (7 << 8)  // SQLITE_CONSTRAINT_TRIGGER
            default: break
            }
            switch sqlstate.prefix(2) {
            case "23": return SQLITE_CONSTRAINT  // integrity constraint violation
            case "08": return SQLITE_IOERR  // connection exception
            case "28": return SQLITE_AUTH  // invalid authorization
            case "42": return SQLITE_ERROR  // syntax error or access rule violation
            default: return SQLITE_ERROR
            }
        }

        // MARK: - Running statements

        /// Runs one or more statements without parameters.
        func execute(_ sql: String) throws(SQLiteError) {
            let text = translate(sql)
            guard !text.isEmpty else { return }
            let result = PQexec(conn, text)
            defer { PQclear(result) }
            try check(result, sql: sql)
        }

        private func check(_ result: OpaquePointer?, sql: String) throws(SQLiteError) {
            switch PQresultStatus(result) {
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                changes = Int(String(cString: PQcmdTuples(result))) ?? 0
            default:
                throw error(result, sql: sql)
            }
        }

        /// Runs `sql` with `values` and passes every row to `body`.
        func query(_ sql: String, _ values: [SQLValue], _ body: (Row) throws -> Void) throws {
            let result = try run(sql, values)
            defer { PQclear(result) }
            let count = PQntuples(result)
            var index: Int32 = 0
            while index < count {
                try body(Row(result: result, index: index))
                index += 1
            }
        }

        /// How many streams (`stream`) are open inside one another: each has its cursor.
        private var streams = 0
        /// Rows a stream holds at once: one batch, never the whole result.
        static let streamBatch = 1_000

        /// Runs `sql` with `values` and passes every row to `body`, holding at most
        /// `streamBatch` rows at a time: `verify`, `export` and the reports read whole
        /// tables through here, which `query` would hold in memory all at once.
        ///
        /// A cursor (`DECLARE … NO SCROLL CURSOR`, `FETCH FORWARD n`), not libpq's
        /// single-row mode: `body` may run other statements on this same connection
        /// (verify reads each case row while it streams the events), and a connection
        /// in single-row mode can run nothing else until the whole result is read. A
        /// cursor lives in a transaction: outside one, the stream runs in a (repeatable
        /// read) transaction of its own, committed when the rows are done (a read; `body` that writes
        /// would commit with it, a `body` that throws rolls it back).
        func stream(_ sql: String, _ values: [SQLValue], _ body: (Row) throws -> Void) throws {
            let own = !inTransaction
            // One snapshot, as SQLite's statement being stepped: what `body` reads
            // meanwhile agrees with the rows streamed.
            if own { try execute("BEGIN ISOLATION LEVEL REPEATABLE READ") }
            streams += 1
            let name = "mediate_stream_\(streams)"
            defer { streams -= 1 }
            do {
                PQclear(try run("DECLARE \(name) NO SCROLL CURSOR FOR " + sql, values))
                let fetch = "FETCH FORWARD \(Self.streamBatch) FROM \(name)"
                while true {
                    let batch = try run(fetch, [])
                    defer { PQclear(batch) }
                    let count = PQntuples(batch)
                    var index: Int32 = 0
                    while index < count {
                        try body(Row(result: batch, index: index))
                        index += 1
                    }
                    if count < Int32(Self.streamBatch) { break }
                }
                try execute("CLOSE \(name)")
                if own { try execute("COMMIT") }
            } catch {
                if own {
                    if inTransaction { try? execute("ROLLBACK") }
                } else if PQtransactionStatus(conn) == PQTRANS_INTRANS {
                    // The caller's transaction goes on (a Swift error from `body`, caught
                    // above): the cursor's name is free again for the next stream.
                    try? execute("CLOSE \(name)")
                }
                throw error
            }
        }

        /// Runs `sql` with `values`; the caller clears the result.
        func run(_ sql: String, _ values: [SQLValue]) throws(SQLiteError) -> OpaquePointer {
            let text = translate(sql)
            let expected = Self.parameterCount(text)
            guard values.count == expected else {
                throw SQLiteError(
                    code: SQLITE_MISUSE,
                    message: "wrong number of bound values: \(values.count) for \(expected) parameters", sql: sql)
            }
            // Types from the values, so that `? IS NULL` and the like need no cast; a
            // NULL leaves its type to the server (the column it goes into).
            var types: [UInt32] = []
            var lengths: [Int32] = []
            var formats: [Int32] = []
            var buffers: [UnsafeMutablePointer<CChar>?] = []
            defer { for buffer in buffers { free(buffer) } }
            for value in values {
                switch value {
                case .null:
                    types.append(0)
                    lengths.append(0)
                    formats.append(0)
                    buffers.append(nil)
                case .int(let v):
                    types.append(20)  // int8
                    lengths.append(0)
                    formats.append(0)
                    buffers.append(strdup(String(v)))
                case .double(let v):
                    types.append(701)  // float8
                    lengths.append(0)
                    formats.append(0)
                    buffers.append(strdup("\(v)"))
                case .text(let v):
                    types.append(25)  // text
                    lengths.append(0)
                    formats.append(0)
                    buffers.append(strdup(v))
                case .blob(let v):
                    // Binary format: the bytes as they are, with their length.
                    types.append(17)  // bytea
                    lengths.append(Int32(v.count))
                    formats.append(1)
                    let buffer = malloc(max(v.count, 1))!.assumingMemoryBound(to: CChar.self)
                    v.withUnsafeBytes { raw in
                        if let base = raw.baseAddress { memcpy(buffer, base, v.count) }
                    }
                    buffers.append(buffer)
                }
            }
            let pointers = buffers.map { UnsafePointer($0) }
            let result = PQexecParams(conn, text, Int32(values.count), types, pointers, lengths, formats, 0)
            switch PQresultStatus(result) {
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
                changes = Int(String(cString: PQcmdTuples(result))) ?? 0
                return result!
            default:
                let e = error(result, sql: sql)
                PQclear(result)
                throw e
            }
        }

        // MARK: - The dialect

        /// mediate's SQL (written for SQLite) as PostgreSQL takes it. Only what the store
        /// uses, each rewrite exact:
        /// - `?` and `?NNN` outside quotes and comments become `$1`, `$2`, … (`$NNN`);
        /// - `INDEXED BY name`, a planner hint, is dropped (PostgreSQL has none);
        /// - `IS NOT (subquery)`, SQLite's null-safe inequality, is `IS DISTINCT FROM (`;
        /// - `temp.` names the session's temporary schema, `pg_temp.`;
        /// - `BEGIN IMMEDIATE` is `BEGIN` (the store takes the locks it needs itself, see
        ///   `Connection.lockAppends`); `BEGIN DEFERRED`, a reader's, is REPEATABLE READ:
        ///   one snapshot for all its statements, as SQLite's read transaction;
        /// - the PRAGMAs the store sets have their PostgreSQL settings (`pragmas`).
        /// Functions SQLite has and PostgreSQL lacks (`json_extract`, `instr`,
        /// `json_each` over an array of ids) are defined by Schema/postgresql/001.
        func translate(_ sql: String) -> String {
            if let done = translated[sql] { return done }
            let result = Self.translate(sql)
            translated[sql] = result
            return result
        }

        static let pragmas: [String: String] = [
            // PostgreSQL always enforces foreign keys and always writes ahead.
            "PRAGMA foreign_keys = ON": "",
            "PRAGMA journal_mode = WAL": "",
            // Commits do not wait for the WAL flush: the same bargain as synchronous = OFF,
            // though a crash loses only the last commits, never the database.
            "PRAGMA synchronous = OFF": "SET synchronous_commit = off",
            "PRAGMA query_only = ON": "SET default_transaction_read_only = on",
            // The restore's page cache: the server's shared buffers are its own.
            "PRAGMA cache_size = -16384": "",
        ]

        static func translate(_ sql: String) -> String {
            let trimmed = sql.drop(while: { $0 == " " || $0 == "\n" })
            if let mapped = pragmas[String(trimmed)] { return mapped }
            if trimmed == "BEGIN IMMEDIATE" { return "BEGIN" }
            // SQLite's read transaction reads one snapshot throughout: so does this one.
            if trimmed == "BEGIN DEFERRED" { return "BEGIN ISOLATION LEVEL REPEATABLE READ" }
            let bytes = Array(sql.utf8)
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            var i = 0
            var next = 1
            func isWord(_ b: UInt8) -> Bool {
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
            }
            func matches(_ word: String, at j: Int) -> Bool {
                let w = Array(word.utf8)
                guard j + w.count <= bytes.count else { return false }
                for k in 0..<w.count where bytes[j + k] | 0x20 != w[k] | 0x20 { return false }
                // A whole word: not part of a longer name on either side.
                if j > 0 && isWord(bytes[j - 1]) { return false }
                return true
            }
            while i < bytes.count {
                let b = bytes[i]
                switch b {
                case UInt8(ascii: "'"), UInt8(ascii: "\""):
                    // A quoted literal or name, copied as it is ('' and "" stay inside).
                    out.append(b)
                    i += 1
                    while i < bytes.count {
                        out.append(bytes[i])
                        if bytes[i] == b {
                            if i + 1 < bytes.count && bytes[i + 1] == b {
                                out.append(b)
                                i += 2
                                continue
                            }
                            i += 1
                            break
                        }
                        i += 1
                    }
                case UInt8(ascii: "-") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "-"):
                    while i < bytes.count && bytes[i] != 0x0A {
                        out.append(bytes[i])
                        i += 1
                    }
                case UInt8(ascii: "?"):
                    i += 1
                    var digits: [UInt8] = []
                    while i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 {
                        digits.append(bytes[i])
                        i += 1
                    }
                    out.append(UInt8(ascii: "$"))
                    if digits.isEmpty {
                        out += String(next).utf8
                        next += 1
                    } else {
                        out += digits
                    }
                default:
                    if matches("INDEXED BY ", at: i) {
                        // Drop the hint and the index's name after it.
                        i += 11
                        while i < bytes.count && isWord(bytes[i]) { i += 1 }
                    } else if matches("IS NOT (", at: i) {
                        out += "IS DISTINCT FROM (".utf8
                        i += 8
                    } else if matches("temp.", at: i) {
                        out += "pg_temp.".utf8
                        i += 5
                    } else {
                        out.append(b)
                        i += 1
                    }
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        /// The largest `$n` in translated text: how many values it takes.
        static func parameterCount(_ text: String) -> Int {
            var largest = 0
            var inQuote: UInt8? = nil
            let bytes = Array(text.utf8)
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if let q = inQuote {
                    if b == q { inQuote = nil }
                } else if b == UInt8(ascii: "'") || b == UInt8(ascii: "\"") {
                    inQuote = b
                } else if b == UInt8(ascii: "$") {
                    var n = 0
                    var j = i + 1
                    while j < bytes.count && bytes[j] >= 0x30 && bytes[j] <= 0x39 {
                        n = n * 10 + Int(bytes[j] - 0x30)
                        j += 1
                    }
                    largest = max(largest, n)
                    i = j
                    continue
                }
                i += 1
            }
            return largest
        }
    }

    /// The current row of a result: from an SQLite statement, or from a PostgreSQL
    /// result (text format: every value arrives as its text). Valid only inside the
    /// mapping closure.
    struct Row {
        let statement: Statement?
        let result: OpaquePointer?
        let index: Int32

        init(statement: Statement) {
            self.statement = statement
            self.result = nil
            self.index = 0
        }

        init(result: OpaquePointer, index: Int32) {
            self.statement = nil
            self.result = result
            self.index = index
        }

        var count: Int32 {
            if let result { return PQnfields(result) }
            return sqlite3_column_count(statement!.handle)
        }

        func isNull(_ column: Int32) -> Bool {
            if let result { return PQgetisnull(result, index, column) != 0 }
            return sqlite3_column_type(statement!.handle, column) == SQLITE_NULL
        }

        func int(_ column: Int32) -> Int64 {
            if let result {
                guard let text = PQgetvalue(result, index, column) else { return 0 }
                // A boolean (`x IS NOT NULL`) reads as SQLite's 1 or 0.
                switch text.pointee {
                case CChar(UInt8(ascii: "t")): return 1
                case CChar(UInt8(ascii: "f")): return 0
                default: return strtoll(text, nil, 10)
                }
            }
            return sqlite3_column_int64(statement!.handle, column)
        }

        func optionalInt(_ column: Int32) -> Int64? { isNull(column) ? nil : int(column) }

        func double(_ column: Int32) -> Double {
            if let result {
                guard let text = PQgetvalue(result, index, column) else { return 0 }
                return strtod(text, nil)
            }
            return sqlite3_column_double(statement!.handle, column)
        }

        /// Text read with its byte length, not as a C string.
        func text(_ column: Int32) -> String {
            if let result {
                guard let bytes = PQgetvalue(result, index, column) else { return "" }
                // A boolean reads as SQLite's "1" or "0".
                if PQftype(result, column) == 16 { return bytes.pointee == CChar(UInt8(ascii: "t")) ? "1" : "0" }
                let count = Int(PQgetlength(result, index, column))
                return bytes.withMemoryRebound(to: UInt8.self, capacity: count) {
                    String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
                }
            }
            guard let bytes = sqlite3_column_text(statement!.handle, column) else { return "" }
            let count = Int(sqlite3_column_bytes(statement!.handle, column))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }

        func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

        /// The text's bytes in place, without making a String (a hot path reads a column
        /// it only renders or parses); valid only inside `body`.
        func withText<R>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
            if let result {
                guard PQftype(result, column) != 16, let bytes = PQgetvalue(result, index, column) else {
                    var text = self.text(column)  // a boolean reads as "1" or "0", as in `text`
                    return try text.withUTF8(body)
                }
                let count = Int(PQgetlength(result, index, column))
                return try bytes.withMemoryRebound(to: UInt8.self, capacity: count) {
                    try body(UnsafeBufferPointer(start: $0, count: count))
                }
            }
            guard let bytes = sqlite3_column_text(statement!.handle, column) else {
                return try body(UnsafeBufferPointer(start: nil, count: 0))
            }
            return try body(UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement!.handle, column))))
        }

        func blob(_ column: Int32) -> [UInt8] {
            if result != nil {
                // bytea in text format: "\x" and two hex digits a byte.
                let text = Array(self.text(column).utf8)
                guard text.count >= 2, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x") else { return [] }
                func nibble(_ c: UInt8) -> UInt8 {
                    switch c {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
                    case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
                    default: c - UInt8(ascii: "A") + 10
                    }
                }
                var out: [UInt8] = []
                out.reserveCapacity((text.count - 2) / 2)
                var i = 2
                while i + 1 < text.count {
                    out.append(nibble(text[i]) << 4 | nibble(text[i + 1]))
                    i += 2
                }
                return out
            }
            guard let bytes = sqlite3_column_blob(statement!.handle, column) else { return [] }
            let count = Int(sqlite3_column_bytes(statement!.handle, column))
            return Array(UnsafeRawBufferPointer(start: bytes, count: count))
        }
    }
#endif
