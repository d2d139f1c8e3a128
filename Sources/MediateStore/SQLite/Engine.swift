/// Which engine a database name means: a `postgresql://` or `postgres://` URI is a
/// PostgreSQL database (with the PostgreSQL trait), anything else an SQLite file.
enum Engine {
    static func isServerURI(_ name: String) -> Bool {
        name.hasPrefix("postgresql://") || name.hasPrefix("postgres://")
    }

    /// The URI as it may be shown in a message: without a password, which libpq
    /// accepts in it (`postgresql://user:secret@host/db`).
    static func redacted(_ name: String) -> String {
        guard isServerURI(name), let colonSlash = name.firstIndex(of: ":") else { return name }
        let start = name.index(colonSlash, offsetBy: 3)
        let rest = name[start...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return name }
        let userInfo = authority[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return name }
        return String(name[..<start]) + userInfo[..<colon] + String(rest[at...])
    }
}
