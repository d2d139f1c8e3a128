import MediateCore

/// An event as stored: its place in the chain, its times, the case as it left it.
struct EventRow {
    var id: Int64 = 0
    var caseID: Int64?
    var caseSeq: Int64?
    var action: String
    var actor: String
    var effectiveAt: Int64
    var enteredAt: Int64
    var state: String?
    var unitID: Int64?
    var level: Int64?
    var topLevel: Int64?
    var severity: String?
    var category: String?
    var dueAt: Int64?
    var breach: Int64
    /// The detail as stored: a flat JSON object of strings.
    var detail: String
    /// The OS login of the real user that ran the command (nil in events from before
    /// schema 5, whose hashes do not cover it).
    var osLogin: String?

    init(
        caseID: Int64?, caseSeq: Int64?, action: String, actor: String, effectiveAt: Int64, enteredAt: Int64,
        snapshot c: Case?, breach: Int64, detail: [(String, String)]
    ) {
        self.caseID = caseID
        self.caseSeq = caseSeq
        self.action = action
        self.actor = actor
        self.effectiveAt = effectiveAt
        self.enteredAt = enteredAt
        self.state = c?.state.rawValue
        self.unitID = c?.unitID
        self.level = c.map { Int64($0.level) }
        self.topLevel = c.map { Int64($0.topLevel) }
        self.severity = c?.severity
        self.category = c?.category
        self.dueAt = c?.dueAt
        self.breach = breach
        self.detail = JSON.object(detail.map { ($0.0, JSON.string($0.1)) }).rendered()
        self.osLogin = nil
    }

    static let columns =
        "id, case_id, case_seq, action, actor, effective_at, entered_at, state, unit_id, level, top_level, severity, category, due_at, breach, detail, os_login"

    /// Reads the columns above, in order.
    init(_ r: Row) {
        id = r.int(0)
        caseID = r.optionalInt(1)
        caseSeq = r.optionalInt(2)
        action = r.text(3)
        actor = r.text(4)
        effectiveAt = r.int(5)
        enteredAt = r.int(6)
        state = r.optionalText(7)
        unitID = r.optionalInt(8)
        level = r.optionalInt(9)
        topLevel = r.optionalInt(10)
        severity = r.optionalText(11)
        category = r.optionalText(12)
        dueAt = r.optionalInt(13)
        breach = r.int(14)
        detail = r.text(15)
        osLogin = r.optionalText(16)
    }

    var values: [SQLValue] {
        [
            .int(id), SQLValue(caseID), SQLValue(caseSeq), .text(action), .text(actor), .int(effectiveAt),
            .int(enteredAt), SQLValue(state), SQLValue(unitID), SQLValue(level), SQLValue(topLevel),
            SQLValue(severity), SQLValue(category), SQLValue(dueAt), .int(breach), .text(detail), SQLValue(osLogin),
        ]
    }

    /// Everything the hash covers, as one unambiguous JSON array. The OS login is a
    /// 17th element when there is one: events written before it was recorded keep the
    /// 16 elements they were hashed with.
    var content: String {
        var out: [UInt8] = []
        writeContent(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Everything the hash covers, as one unambiguous JSON array, written into `out`
    /// (cleared first): the bytes `JSON.array([...]).rendered()` gives, without building
    /// the values, so that `verify` can hash a million events with one buffer.
    func writeContent(into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        out.append(UInt8(ascii: "["))
        func comma() { out.append(UInt8(ascii: ",")) }
        func int(_ v: Int64?) {
            if let v { JSON.append(v, to: &out) } else { out += "null".utf8 }
            comma()
        }
        func text(_ v: String?) {
            if let v { JSON.append(v, to: &out) } else { out += "null".utf8 }
            comma()
        }
        int(id)
        int(caseID)
        int(caseSeq)
        text(action)
        text(actor)
        int(effectiveAt)
        int(enteredAt)
        text(state)
        int(unitID)
        int(level)
        int(topLevel)
        text(severity)
        text(category)
        int(dueAt)
        int(breach)
        JSON.append(detail, to: &out)
        if let osLogin {
            comma()
            JSON.append(osLogin, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }
}

/// The one hash chain over all events: each event's hash is SHA-256 over the previous
/// event's hash and this event's content, so that an edit anywhere shows.
enum Chain {
    static func hash(_ row: EventRow, previous: [UInt8]) -> [UInt8] {
        var scratch: [UInt8] = []
        return hash(row, previous: previous, scratch: &scratch)
    }

    /// The hash, writing the content into `scratch` (reused across calls).
    static func hash(_ row: EventRow, previous: [UInt8], scratch: inout [UInt8]) -> [UInt8] {
        row.writeContent(into: &scratch)
        var sha = SHA256()
        sha.update(previous)
        sha.update(scratch)
        return sha.finalize()
    }

    /// Appends `row` as the next event; must run inside a write transaction.
    @discardableResult
    static func append(_ db: Connection, _ row: EventRow) throws -> Int64 {
        try Clock.check(effective: row.effectiveAt, entered: row.enteredAt)
        var row = row
        try db.lockAppends()  // PostgreSQL: one appender at a time, until commit
        let last = try db.first(db.chainHeadSQL) { ($0.int(0), $0.blob(1)) }
        row.id = (last?.0 ?? 0) + 1
        let digest = hash(row, previous: last?.1 ?? [])
        try db.run(
            "INSERT INTO event (\(EventRow.columns), hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            row.values + [.blob(digest)])
        return row.id
    }
}
