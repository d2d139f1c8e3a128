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
        let last = try db.chainHead()
        row.id = last.id + 1
        let digest = hash(row, previous: last.hash)
        try db.run(
            "INSERT INTO event (\(EventRow.columns), hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            row.values + [.blob(digest)])
        return row.id
    }
}

/// Renders an event's hashed content straight from its row's columns into one buffer
/// kept across rows: the bytes `EventRow(row).content` gives (the columns of
/// `EventRow.columns` are the content's elements, in order), without making a String of
/// each text or escaping through growing arrays. `verify` renders every event with one.
/// Text is rendered as stored: for a column of invalid UTF-8 (which mediate never
/// writes, so only an edit) `EventRow` would hash U+FFFD in its place, this the bytes
/// themselves, so such an edit fails the hash here where a repaired copy might not.
final class ContentWriter {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// How many bytes of `storage` the last `render` wrote.
    private(set) var count = 0

    init() {
        capacity = 4096
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    /// The content of the last row rendered; valid until the next `render`.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: storage, count: count) }

    /// Which of `EventRow.columns` are text (the others are integers).
    private static let isText: [Bool] = [
        false, false, false, true, true, false, false, true, false, false, false, true, true, false, false, true, true,
    ]
    /// Which may be null; the others read a NULL as `EventRow` does, as 0 or "".
    private static let isOptional: [Bool] = [
        false, true, true, false, false, false, false, true, true, true, true, true, true, true, false, false, true,
    ]

    /// Renders the content of the event in `row`, whose first 17 columns are `EventRow.columns`.
    func render(_ row: Row) {
        count = 0
        put(UInt8(ascii: "["))
        for column in 0..<Int32(17) {
            let isNull = Self.isOptional[Int(column)] && row.isNull(column)
            if column == 16 {
                // The OS login: a 17th element only when there is one.
                if isNull { break }
                put(UInt8(ascii: ","))
            } else if column > 0 {
                put(UInt8(ascii: ","))
            }
            if isNull {
                putNull()
            } else if Self.isText[Int(column)] {
                row.withText(column) { putString($0) }
            } else {
                putInt(row.int(column))
            }
        }
        put(UInt8(ascii: "]"))
    }

    /// Room for `extra` more bytes.
    @inline(__always)
    private func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let grown = max(2 * capacity, count + extra)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        moved.update(from: storage, count: count)
        storage.deallocate()
        storage = moved
        capacity = grown
    }

    @inline(__always)
    private func put(_ byte: UInt8) {
        reserve(1)
        storage[count] = byte
        count += 1
    }

    private func putNull() {
        reserve(4)
        for byte in "null".utf8 {
            storage[count] = byte
            count += 1
        }
    }

    /// As `JSON.append(_: Int64, to:)`.
    private func putInt(_ value: Int64) {
        reserve(41)
        if value < 0 {
            storage[count] = UInt8(ascii: "-")
            count += 1
        }
        // At most 19 digits, written from the right 40 bytes on (clear of where they go),
        // then copied down.
        let end = storage + count + 40
        var at = end
        var rest = value.magnitude
        repeat {
            at -= 1
            let quotient = rest / 10
            at.pointee = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest &- quotient &* 10)
            rest = quotient
        } while rest > 0
        let digits = end - at
        (storage + count).update(from: at, count: digits)
        count += digits
    }

    /// A JSON string, escaped as `JSON.append(_: String, to:)` escapes it: `"`, `\` and
    /// the control characters (`\n`, `\r`, `\t`, `\b`, `\f`, otherwise `\u00XX`); other
    /// bytes as they are.
    private func putString(_ text: UnsafeBufferPointer<UInt8>) {
        // At most six bytes for one (`\u00XX`), and the quotes.
        reserve(6 * text.count + 2)
        let out = storage
        var at = count
        out[at] = UInt8(ascii: "\"")
        at += 1
        guard var from = text.baseAddress else {
            out[at] = UInt8(ascii: "\"")
            count = at + 1
            return
        }
        let end = from + text.count
        while from < end {
            // Eight bytes at a time: stored whole, and taken up to the first that needs an
            // escape (a control byte, `"` or `\`). The lowest byte flagged is always one that
            // does: a borrow can only flag bytes above a true one. The room reserved covers
            // storing eight while at least eight remain.
            if end - from >= 8 {
                let word = UInt64(littleEndian: UnsafeRawPointer(from).loadUnaligned(as: UInt64.self))
                let lows: UInt64 = 0x0101_0101_0101_0101
                let highs: UInt64 = 0x8080_8080_8080_8080
                func zeroBytes(_ x: UInt64) -> UInt64 { (x &- lows) & ~x & highs }
                let flagged =
                    ((word &- 0x20 &* lows) & ~word & highs) | zeroBytes(word ^ (0x22 &* lows))
                    | zeroBytes(word ^ (0x5C &* lows))
                UnsafeMutableRawPointer(out + at).storeBytes(of: word.littleEndian, as: UInt64.self)
                let plain = flagged == 0 ? 8 : flagged.trailingZeroBitCount >> 3
                from += plain
                at += plain
                if plain == 8 { continue }
            }
            let byte = from.pointee
            from += 1
            if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                out[at] = byte
                at += 1
                continue
            }
            out[at] = UInt8(ascii: "\\")
            switch byte {
            case UInt8(ascii: "\""): out[at + 1] = UInt8(ascii: "\"")
            case UInt8(ascii: "\\"): out[at + 1] = UInt8(ascii: "\\")
            case UInt8(ascii: "\n"): out[at + 1] = UInt8(ascii: "n")
            case UInt8(ascii: "\r"): out[at + 1] = UInt8(ascii: "r")
            case UInt8(ascii: "\t"): out[at + 1] = UInt8(ascii: "t")
            case 0x08: out[at + 1] = UInt8(ascii: "b")
            case 0x0C: out[at + 1] = UInt8(ascii: "f")
            default:
                let hex: StaticString = "0123456789abcdef"
                out[at + 1] = UInt8(ascii: "u")
                out[at + 2] = UInt8(ascii: "0")
                out[at + 3] = UInt8(ascii: "0")
                hex.withUTF8Buffer { digits in
                    out[at + 4] = digits[Int(byte >> 4)]
                    out[at + 5] = digits[Int(byte & 0x0F)]
                }
                at += 4
            }
            at += 2
        }
        out[at] = UInt8(ascii: "\"")
        count = at + 1
    }
}
