import CSQLite

/// An error reported by SQLite: the extended result code, SQLite's message and the
/// statement's SQL text. Never the bound values: they may be personal data.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The extended result code (`SQLITE_BUSY`, `SQLITE_CONSTRAINT_TRIGGER`, ...).
    public let code: Int32
    public let message: String
    public let sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code: the low byte of the extended one.
    public var primary: Int32 { code & 0xFF }

    public var isBusy: Bool { primary == SQLITE_BUSY || primary == SQLITE_LOCKED }
    public var isConstraint: Bool { primary == SQLITE_CONSTRAINT }

    public var description: String {
        "SQLite error \(code): \(message)" + (sql.map { " [\($0)]" } ?? "")
    }
}
