/// Which engine a database name means: a `postgresql://` or `postgres://` URI is a
/// PostgreSQL database (with the PostgreSQL trait), anything else an SQLite file.
enum Engine {
    static func isServerURI(_ name: String) -> Bool {
        name.hasPrefix("postgresql://") || name.hasPrefix("postgres://")
    }

    /// The URI as it may be shown in a message, or recorded: without a password, which
    /// libpq accepts in the user part (`postgresql://user:secret@host/db`) and as a
    /// parameter (`?password=secret`, in any case, any number of times).
    static func redacted(_ name: String) -> String {
        guard isServerURI(name), let colonSlash = name.firstIndex(of: ":") else { return name }
        let start = name.index(colonSlash, offsetBy: 3)
        var head = String(name[..<start])
        var rest = Substring(name[start...])
        var query: Substring? = nil
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
            head += authority[..<colon] + rest[at...]
        } else {
            head += rest
        }
        guard let query else { return head }
        let kept = query.split(separator: "&", omittingEmptySubsequences: false).filter { pair in
            percentDecoded(pair.prefix { $0 != "=" }).lowercased() != "password"
        }
        return kept.isEmpty ? head : head + "?" + kept.joined(separator: "&")
    }

    /// `%70assword` is `password` to libpq too.
    private static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
