/// An error reported by SQLite: the extended result code, SQLite's message and the
/// statement's SQL text. Never the bound values: they may be personal data.
/// On PostgreSQL, the server's error in the same shape: its SQLSTATE, and the SQLite
/// result code of the same kind (see `init(sqlstate:message:sql:)`), so that the store
/// classifies both engines' errors alike.
struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The extended result code (`SQLITE_BUSY`, `SQLITE_CONSTRAINT_TRIGGER`, ...).
    let code: Int32
    let message: String
    let sql: String?
    /// The operating system's errno behind an I/O error (`sqlite3_system_errno`), or 0.
    let systemErrno: Int32
    /// PostgreSQL's five-character SQLSTATE, or nil for an error of SQLite's.
    var sqlstate: String? = nil
    /// A `postgresql://` URI given to a build without the PostgreSQL trait.
    var engineNotBuilt = false

    init(code: Int32, message: String, sql: String? = nil, systemErrno: Int32 = 0) {
        self.code = code
        self.message = message
        self.sql = sql
        self.systemErrno = systemErrno
    }

    /// The primary result code: the low byte of the extended one.
    var primary: Int32 { code & 0xFF }

    var description: String {
        "SQLite error \(code): \(message)" + (sql.map { " [\($0)]" } ?? "")
    }
}
