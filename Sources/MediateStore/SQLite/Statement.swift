import CSQLite
#if PostgreSQL
    import CLibPQ
#endif

/// A value bound to, or read from, an SQL statement.
enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    init(stringLiteral value: String) { self = .text(value) }
    init(integerLiteral value: Int64) { self = .int(value) }
    init(nilLiteral: ()) { self = .null }
}

extension SQLValue {
    init(_ text: String?) { self = text.map { .text($0) } ?? .null }
    init(_ int: Int64?) { self = int.map { .int($0) } ?? .null }
    init(_ int: Int?) { self = int.map { .int(Int64($0)) } ?? .null }
}

/// A prepared statement: bind, step until done, finalize on deinit. Every run resets
/// the statement when it ends, by error or not: a cached statement is never left
/// mid-step, holding its read snapshot, when a row closure throws.
///
/// On PostgreSQL (no SQLite handle) the same statement is the SQL the server runs each
/// time, with the connection's own translation: so a path that prepares its statements
/// once (the bulk path, the restore) runs on either engine.
final class Statement {
    /// nil on PostgreSQL.
    let handle: OpaquePointer?
    /// Unowned: the connection caches its statements, and a strong reference back
    /// would keep both alive forever, so the handle would never close (and a WAL
    /// database would never be checkpointed on close).
    unowned let connection: Connection
    let sql: String

    init(connection: Connection, sql: String) throws(SQLiteError) {
        #if PostgreSQL
            if connection.server != nil {
                self.handle = nil
                self.connection = connection
                self.sql = sql
                return
            }
        #endif
        var handle: OpaquePointer?
        let rc = sqlite3_prepare_v2(connection.handle, sql, -1, &handle, nil)
        guard rc == SQLITE_OK, let handle else {
            throw connection.error(rc, sql: sql)
        }
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Clears the previous run and binds `values` to the parameters, in order. As many
    /// values as the SQL has parameters, or none is bound: a missing value would run as
    /// NULL, an extra one be dropped.
    func bind(_ values: [SQLValue]) throws(SQLiteError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        // "This routine actually returns the index of the largest (rightmost) parameter."
        // mediate's SQL uses either only `?` or every `?NNN` up to the largest.
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard values.count == expected else {
            // A programming error: the counts are told, never the values.
            throw SQLiteError(
                code: SQLITE_MISUSE,
                message: "wrong number of bound values: \(values.count) for \(expected) parameters",
                sql: sql)
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .int(let v): rc = sqlite3_bind_int64(handle, index, v)
            case .double(let v): rc = sqlite3_bind_double(handle, index, v)
            case .text(let v):
                // Bound by byte length: an embedded NUL must not cut the text.
                var utf8 = Array(v.utf8)
                if utf8.isEmpty { utf8 = [0] }  // a non-null pointer for ""
                rc = utf8.withUnsafeBufferPointer {
                    sqlite3_bind_text(
                        handle, index, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self),
                        Int32(v.utf8.count), mediate_sqlite_transient())
                }
            case .blob(let v):
                let bytes = v.isEmpty ? [0] : v
                rc = bytes.withUnsafeBytes {
                    sqlite3_bind_blob(handle, index, $0.baseAddress, Int32(v.count), mediate_sqlite_transient())
                }
            }
            guard rc == SQLITE_OK else { throw connection.error(rc, sql: sql) }
        }
    }

    /// Advances one row: true when a row is ready to read, false when done.
    func step() throws(SQLiteError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let rc:
            sqlite3_reset(handle)
            throw connection.error(rc, sql: sql)
        }
    }

    /// Runs the statement to completion, ignoring rows.
    func run(_ values: [SQLValue] = []) throws(SQLiteError) {
        #if PostgreSQL
            if let server = connection.server { return PQclear(try server.run(sql, values)) }
        #endif
        try bind(values)
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    /// Runs the statement and passes every row to `body`, without collecting them.
    func each(_ values: [SQLValue] = [], _ body: (Row) throws -> Void) throws {
        #if PostgreSQL
            if let server = connection.server { return try server.query(sql, values, body) }
        #endif
        try bind(values)
        // Also when `body` throws: the statement must not stay mid-step.
        defer { sqlite3_reset(handle) }
        while try step() { try body(Row(statement: self)) }
    }

    /// Runs the statement and maps every row.
    func rows<T>(_ values: [SQLValue] = [], _ map: (Row) throws -> T) throws -> [T] {
        var result: [T] = []
        try each(values) { result.append(try map($0)) }
        return result
    }

    /// Runs the statement and maps its first row, if any.
    func first<T>(_ values: [SQLValue] = [], _ map: (Row) throws -> T) throws -> T? {
        #if PostgreSQL
            if connection.server != nil {
                var found: T?
                try each(values) { row in if found == nil { found = try map(row) } }
                return found
            }
        #endif
        try bind(values)
        defer { sqlite3_reset(handle) }
        return try step() ? try map(Row(statement: self)) : nil
    }

    /// Whether the statement has stepped without reaching its end or a reset.
    var isMidStep: Bool { handle.map { sqlite3_stmt_busy($0) != 0 } ?? false }
}

#if !PostgreSQL
/// The current row of a stepping statement; valid only inside the mapping closure.
struct Row {
    let statement: Statement

    /// How many columns the row has.
    var count: Int32 { sqlite3_column_count(statement.handle) }

    func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(statement.handle, column) == SQLITE_NULL
    }
    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(statement.handle, column) }
    func optionalInt(_ column: Int32) -> Int64? { isNull(column) ? nil : int(column) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(statement.handle, column) }

    /// Text read with its byte length, not as a C string.
    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(statement.handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement.handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

    /// The text's bytes in place, without making a String (a hot path reads a column
    /// it only renders or parses); valid only inside `body`.
    func withText<R>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        guard let bytes = sqlite3_column_text(statement.handle, column) else {
            return try body(UnsafeBufferPointer(start: nil, count: 0))
        }
        return try body(UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement.handle, column))))
    }

    func blob(_ column: Int32) -> [UInt8] {
        guard let bytes = sqlite3_column_blob(statement.handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(statement.handle, column))
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }
}
#endif  // With the PostgreSQL trait, Row reads either engine's row: PostgreSQL/Server.swift.
