import MediateCore
import MediateStore

/// The JSONL shape of a whole database: one object a line, the header first and the
/// end last. Cases and their events have the typed shape of `show --format json`
/// (phone and ID numbers in full), with each event's place in the chain and its hash.
enum RecordCodec {
    static let formatVersion: Int64 = 1

    static func header() -> JSON {
        .object([
            ("kind", .string("mediate-export")), ("format", .int(formatVersion)),
            ("personal_data", .string(RecordsSaid.personalDataNotice.zh + " " + RecordsSaid.personalDataNotice.en)),
        ])
    }

    static func end(cases: Int, events: Int, head: [UInt8]) -> JSON {
        .object([
            ("kind", .string("end")), ("cases", .int(Int64(cases))), ("events", .int(Int64(events))),
            ("head", .string(hex(head))),
        ])
    }

    static func hex(_ bytes: [UInt8]) -> String {
        // Written as bytes into one buffer: a hash of every event goes through here.
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            digits.withUTF8Buffer { digit in
                for (i, byte) in bytes.enumerated() {
                    out[2 * i] = digit[Int(byte >> 4)]
                    out[2 * i + 1] = digit[Int(byte & 15)]
                }
            }
            return bytes.count * 2
        }
    }

    /// The instant of a time as an export writes it (2026-10-05T09:30:00+08:00, or with
    /// Z), read straight from its bytes: a restore reads several for every event. Nil
    /// for anything else, which `LocalTime.parse` then reads (or refuses) the long way.
    static func exportedInstant(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8(exportedInstant)
    }

    /// `exportedInstant` of a string's UTF-8 bytes.
    static func exportedInstant(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b.count == 25 || b.count == 20 else { return nil }
        func number(_ at: Int, _ width: Int) -> Int? {
            var value = 0
            for i in at..<at + width {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) else { return nil }
                value = value * 10 + Int(b[i] - UInt8(ascii: "0"))
            }
            return value
        }
        guard b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"), let year = number(0, 4),
            let month = number(5, 2), let d = number(8, 2), let hour = number(11, 2), let minute = number(14, 2),
            let second = number(17, 2), hour < 24, minute < 60, second < 60,
            let day = Day(year: year, month: month, day: d)
        else { return nil }
        var offset = 0
        if b.count == 20 {
            guard b[19] == UInt8(ascii: "Z") else { return nil }
        } else {
            guard b[19] == UInt8(ascii: "+") || b[19] == UInt8(ascii: "-"), b[22] == UInt8(ascii: ":"),
                let hours = number(20, 2), let minutes = number(23, 2), minutes < 60, hours * 100 + minutes <= 1400
            else { return nil }
            offset = (hours * 3600 + minutes * 60) * (b[19] == UInt8(ascii: "-") ? -1 : 1)
        }
        return LocalTime.utc(day) + Int64(hour * 3600 + minute * 60 + second - offset)
    }

    /// The bytes of a string of hex digits (lowercase, as `hex` writes them).
    static func unhex(_ chars: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard chars.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        for i in stride(from: 0, to: chars.count, by: 2) {
            guard let h = value(chars[i]), let l = value(chars[i + 1]) else { return nil }
            out.append(h << 4 | l)
        }
        return out
    }

    // MARK: Writing

    /// Writes one record as its line holds it (without the line end): a case straight
    /// into the sink, member by member, every other record through its `JSON` value.
    static func write<S: JSONSink>(_ record: Record, view: CaseView, zone: Zone, to s: inout S) {
        guard case .kase(let k, let events) = record else {
            s.value(encode(record, view: view, zone: zone))
            return
        }
        s.openObject()
        s.member("kind", "case")
        s.member("id", k.id)
        view.writeFields(k, reveal: true, to: &s)
        // The agreement and its follow-up, as the case row holds them (the replay of
        // the events must give the same).
        s.member("perform_by", k.performBy?.description)
        s.member("agreement_form", k.agreementOral.map { ($0 ? AgreementForm.oral : .written).rawValue })
        s.member("follow_up_by", k.followUpBy)
        s.member("performance", k.performance?.rawValue)
        s.member("confirm_applied", k.confirmApplied?.description)
        s.member("confirm_ruling", k.confirmRuling?.rawValue)
        s.key("events")
        s.openArray()
        var state: Case? = nil
        for e in events {
            let next = state.map { $0.applying(e.event) } ?? Case(id: k.id, filed: e.event)
            s.openObject()
            s.member("id", e.id)
            view.writeFields(e, from: state, to: next, reveal: true, to: &s)
            // An event an older mediate stored otherwise keeps its stored detail too.
            if let stored = e.storedDetail {
                s.key("stored_detail")
                s.openObject()
                for (key, value) in stored {
                    s.key(text: key)
                    s.string(value)
                }
                s.closeObject()
            }
            s.member("os_login", e.osLogin)
            s.key("hash")
            s.hex(e.hash)
            s.closeObject()
            state = next
        }
        s.closeArray()
        s.closeObject()
    }

    static func encode(_ record: Record, view: CaseView, zone: Zone) -> JSON {
        func text(_ s: String?) -> JSON { s.map(JSON.string) ?? .null }
        let org = view.machine.organisation
        switch record {
        case .setting(let key, let value):
            return .object([("kind", .string("setting")), ("key", .string(key)), ("value", .string(value))])
        case .policy(let p):
            return .object([
                ("kind", .string("policy")),
                (
                    "levels",
                    .array(
                        p.levels.map {
                            .object([
                                ("rank", .int(Int64($0.rank))), ("code", .string($0.code)), ("zh", .string($0.nameZh)),
                                ("en", .string($0.nameEn)), ("time_limit_days", .int(Int64($0.timeLimitDays))),
                            ])
                        })
                ),
                (
                    "severities",
                    .array(
                        p.severities.map { s in
                            .object([
                                ("code", .string(s.code)), ("rank", .int(Int64(s.rank))), ("zh", .string(s.nameZh)),
                                ("en", .string(s.nameEn)), ("ceiling", text(p.level(s.ceiling)?.code)),
                            ])
                        })
                ),
                ("categories", terms(p.categories)), ("sources", terms(p.sources)),
            ])
        case .unit(let u):
            return .object([
                ("kind", .string("unit")), ("id", .int(u.id)), ("code", .string(u.code)), ("name", .string(u.name)),
                ("level", text(view.machine.policy.level(u.level)?.code)),
                ("parent", text(u.parentID.flatMap { org[$0]?.code })),
            ])
        case .person(let a, let disabledAt):
            return .object([
                ("kind", .string("person")), ("login", .string(a.login)), ("name", .string(a.name)),
                ("role", .string(a.role.rawValue)), ("unit", text(a.unitID.flatMap { org[$0]?.code })),
                ("disabled_at", text(disabledAt.map(zone.iso))),
            ])
        case .kase:
            return JSONBuilder.build { write(record, view: view, zone: zone, to: &$0) }
        case .audit(let a):
            return .object([
                ("kind", .string("audit")), ("id", .int(a.id)), ("action", .string(a.action)),
                ("actor", .string(a.actor)), ("os_login", text(a.osLogin)),
                ("effective_at", .string(zone.iso(a.effectiveAt))),
                ("entered_at", .string(zone.iso(a.enteredAt))),
                ("detail", .object(a.detail.map { ($0.0, .string($0.1)) })), ("hash", .string(hex(a.hash))),
            ])
        }
    }

    private static func terms(_ list: [Term]) -> JSON {
        .array(
            list.map { .object([("code", .string($0.code)), ("zh", .string($0.nameZh)), ("en", .string($0.nameEn))]) })
    }

    // MARK: Reading

    /// Reads records back, keeping what later records refer to (units, levels).
    struct Decoder {
        var levels: [String: Int] = [:]
        var units: [String: Int64] = [:]
        var sawHeader = false
        var end: (cases: Int, events: Int, head: [UInt8])? = nil

        /// The tape every line is read into, its memory reused.
        private let tape = JSONTape()

        /// The record of one line (valid UTF-8); nil for the header and the end.
        mutating func decode(_ text: [UInt8], line: Int) throws(RecordFault) -> Record? {
            guard tape.read(text), let root = tape.root, tape.kind(root) == .object else {
                throw RecordFault(line: line, .notJSON)
            }
            let reader = FieldReader(tape: tape, at: root, line: line)
            let kind = try reader.string("kind")
            if !sawHeader {
                guard kind == "mediate-export", (try? reader.int64("format")) == RecordCodec.formatVersion else {
                    throw RecordFault(line: line, .notAnExport)
                }
                sawHeader = true
                return nil
            }
            guard end == nil else { throw RecordFault(line: line, .unknownKind(kind)) }
            switch kind {
            case "setting":
                return .setting(key: try reader.string("key"), value: try reader.string("value"))
            case "policy":
                let levels = try reader.objects("levels").map { o throws(RecordFault) in
                    Level(
                        rank: try o.int("rank"), code: try o.string("code"), nameZh: try o.string("zh"),
                        nameEn: try o.string("en"), timeLimitDays: try o.int("time_limit_days"))
                }
                for l in levels { self.levels[l.code] = l.rank }
                let severities = try reader.objects("severities").map { o throws(RecordFault) in
                    Severity(
                        code: try o.string("code"), rank: try o.int("rank"), nameZh: try o.string("zh"),
                        nameEn: try o.string("en"), ceiling: try level(o, "ceiling"))
                }
                func terms(_ key: String) throws(RecordFault) -> [Term] {
                    try reader.objects(key).map { o throws(RecordFault) in
                        Term(code: try o.string("code"), nameZh: try o.string("zh"), nameEn: try o.string("en"))
                    }
                }
                return .policy(
                    Policy(
                        levels: levels, severities: severities, categories: try terms("categories"),
                        sources: try terms("sources")))
            case "unit":
                let code = try reader.string("code")
                let unit = Unit(
                    id: try reader.int64("id"), code: code, name: try reader.string("name"),
                    level: try level(reader, "level"),
                    parentID: try reader.optionalString("parent").map { c throws(RecordFault) in try unitID(c, line) })
                units[code] = unit.id
                return .unit(unit)
            case "person":
                guard let role = Role(rawValue: try reader.string("role")) else {
                    throw RecordFault(line: line, .badField("role"))
                }
                return .person(
                    Actor(
                        login: try reader.string("login"), name: try reader.string("name"), role: role,
                        unitID: try reader.optionalString("unit").map { c throws(RecordFault) in try unitID(c, line) }),
                    disabledAt: try reader.optionalTime("disabled_at"))
            case "case":
                return try decodeCase(reader, line: line)
            case "audit":
                guard let members = try? reader.object("detail") else {
                    throw RecordFault(line: line, .badField("detail"))
                }
                let detail = try members.flatStrings("detail")
                return .audit(
                    AuditEvent(
                        id: try reader.int64("id"), action: try reader.string("action"),
                        actor: try reader.string("actor"),
                        effectiveAt: try reader.time("effective_at"), enteredAt: try reader.time("entered_at"),
                        detail: detail, hash: try reader.hash(), osLogin: try reader.optionalString("os_login")))
            case "end":
                end = (try reader.int("cases"), try reader.int("events"), try reader.hash("head"))
                return nil
            default:
                throw RecordFault(line: line, .unknownKind(kind))
            }
        }

        private func level(_ o: FieldReader, _ key: String) throws(RecordFault) -> Int {
            guard let rank = levels[try o.string(key)] else { throw RecordFault(line: o.line, .unknownReference(key)) }
            return rank
        }

        private func optionalLevel(_ o: FieldReader, _ key: String) throws(RecordFault) -> Int? {
            guard let code = try o.optionalString(key) else { return nil }
            guard let rank = levels[code] else { throw RecordFault(line: o.line, .unknownReference(code)) }
            return rank
        }

        private func unitID(_ code: String, _ line: Int) throws(RecordFault) -> Int64 {
            guard let id = units[code] else { throw RecordFault(line: line, .unknownReference(code)) }
            return id
        }

        private func parties(_ o: FieldReader) throws(RecordFault) -> [Party] {
            try o.objects("parties").map { p throws(RecordFault) in
                Party(
                    name: try p.string("name"), role: try p.string("role"), phone: try p.optionalString("phone"),
                    idNumber: try p.optionalString("id_number"), address: try p.optionalString("address"))
            }
        }

        private func decodeCase(_ o: FieldReader, line: Int) throws(RecordFault) -> Record {
            let numberText = try o.string("number")
            guard let number = CaseNumber(Substring(numberText)) else {
                throw RecordFault(line: line, .badField("number"))
            }
            let id = try o.int64("id")
            var events: [Store.StoredEvent] = []
            for e in try o.objects("events") {
                let kindText = try e.string("action")
                guard let kind = ActionKind(rawValue: kindText) else {
                    throw RecordFault(line: line, .badField("action"))
                }
                let change = try self.change(kind, try e.object("detail"))
                events.append(
                    Store.StoredEvent(
                        id: try e.int64("id"),
                        event: Event(
                            caseSeq: try e.int("seq"), actor: try e.string("actor"),
                            effectiveAt: try e.time("effective_at"), change: change),
                        enteredAt: try e.time("entered_at"), hash: try e.hash(),
                        storedDetail: try e.optionalObject("stored_detail").map { o throws(RecordFault) in
                            try o.flatStrings()
                        }, osLogin: try e.optionalString("os_login")))
            }
            guard let last = events.last else { throw RecordFault(line: line, .badField("events")) }
            guard let state = CaseState(rawValue: try o.string("state")) else {
                throw RecordFault(line: line, .badField("state"))
            }
            var k = Case(
                id: id, number: number, originUnitID: try unitID(try o.string("origin_grid"), line),
                unitID: try unitID(try o.string("unit"), line), level: try level(o, "level"),
                topLevel: try level(o, "top_level"), state: state, severity: try o.string("severity"),
                category: try o.string("category"), source: try o.string("source"),
                sourceRef: try o.optionalString("source_ref"), summary: try o.string("summary"),
                parties: try parties(o), assignee: try o.optionalString("assignee"), filedAt: try o.time("filed_at"),
                dueAt: try o.time("due_at"), resolvedAt: try o.optionalTime("resolved_at"),
                closedAt: try o.optionalTime("closed_at"), followUpAt: try o.optionalTime("follow_up_at"),
                supervisedAt: try o.optionalTime("supervised_at"), breaches: try o.int("breaches"),
                version: try o.int("version"), lastEventAt: last.event.effectiveAt)
            k.performBy = try o.optionalDay("perform_by")
            if let form = try o.optionalString("agreement_form") {
                guard let known = AgreementForm(rawValue: form) else {
                    throw RecordFault(line: line, .badField("agreement_form"))
                }
                k.agreementOral = known == .oral
            }
            k.followUpBy = try o.optionalString("follow_up_by")
            if let text = try o.optionalString("performance") {
                guard let known = Performance(rawValue: text) else {
                    throw RecordFault(line: line, .badField("performance"))
                }
                k.performance = known
            }
            k.confirmApplied = try o.optionalDay("confirm_applied")
            if let text = try o.optionalString("confirm_ruling") {
                guard let known = Ruling(rawValue: text) else {
                    throw RecordFault(line: line, .badField("confirm_ruling"))
                }
                k.confirmRuling = known
            }
            return .kase(k, events)
        }

        private func reason(_ d: FieldReader) throws(RecordFault) -> Reason {
            if let cause = try d.optionalString("cause") {
                switch cause {
                case "overdue": return .overdue
                case "follow_up_overdue": return .followUpOverdue
                default: throw RecordFault(line: d.line, .badField("cause"))
                }
            }
            return .said(try d.string("reason"))
        }

        /// The change an event's typed detail describes: the inverse of `CaseView.detail`.
        private func change(_ kind: ActionKind, _ d: FieldReader) throws(RecordFault) -> Change {
            let line = d.line
            switch kind {
            case .file:
                guard let number = CaseNumber(Substring(try d.string("number"))) else {
                    throw RecordFault(line: line, .badField("number"))
                }
                var origin: Origin? = nil
                if let o = try d.optionalObject("imported") {
                    origin = Origin(file: try o.string("file"), key: try o.string("key"), line: try o.int("line"))
                }
                let filing = Filing(
                    number: number, unitID: try unitID(try d.string("grid"), line), severity: try d.string("severity"),
                    category: try d.string("category"), source: try d.string("source"),
                    sourceRef: try d.optionalString("source_ref"), summary: try d.string("summary"),
                    parties: try parties(d), origin: origin)
                return .filed(filing, level: try level(d, "level"), dueAt: try d.time("due_at"))
            case .accept: return .accepted(mediator: try d.string("mediator"))
            case .assess:
                return .assessed(
                    severity: try d.optionalString("severity"), category: try d.optionalString("category"),
                    reason: try d.string("reason"))
            case .escalate:
                let breach = try d.bool("breach") ? (try optionalLevel(d, "breach_from_level") ?? 0) : 0
                return .escalated(
                    unitID: try unitID(try d.string("unit"), line), level: try level(d, "level"),
                    dueAt: try d.time("due_at"), reason: try reason(d), breach: breach)
            case .extend: return .extended(dueAt: try d.time("due_at"), reason: try d.string("reason"))
            case .resolve:
                guard let form = AgreementForm(rawValue: try d.string("form")) else {
                    throw RecordFault(line: line, .badField("form"))
                }
                return .resolved(
                    Agreement(
                        terms: try d.string("terms"), oral: form == .oral, amountFen: try d.optionalInt64("amount_fen"),
                        performBy: try d.string("perform_by"), followUpAt: try d.time("follow_up_at"),
                        facts: try d.optionalString("facts"), responsibility: try d.optionalString("responsibility")))
            case .reopen: return .reopened(reason: try d.string("reason"), dueAt: try d.time("due_at"))
            case .close:
                guard let s = Satisfaction(rawValue: try d.string("satisfaction")) else {
                    throw RecordFault(line: line, .badField("satisfaction"))
                }
                var performance: Performance? = nil
                if let p = try d.optionalString("performance") {
                    guard let known = Performance(rawValue: p) else {
                        throw RecordFault(line: line, .badField("performance"))
                    }
                    performance = known
                }
                return .closed(
                    note: try d.string("note"), satisfaction: s, performance: performance,
                    early: try d.optionalString("early"))
            case .assign: return .assigned(followUpBy: try d.string("follow_up_by"))
            case .confirm:
                let applied = try d.optionalDay("applied")
                var ruling: Ruling? = nil
                if let text = try d.optionalString("ruling") {
                    guard let known = Ruling(rawValue: text) else { throw RecordFault(line: line, .badField("ruling")) }
                    ruling = known
                }
                return .confirmed(applied: applied, ruling: ruling)
            case .refer:
                guard let to = ReferralTarget(rawValue: try d.string("to")) else {
                    throw RecordFault(line: line, .badField("to"))
                }
                return .referred(to: to, reason: try d.string("reason"))
            case .withdraw: return .withdrawn(reason: try d.string("reason"))
            case .note: return .noted(text: try d.string("text"))
            case .supervise: return .supervised(reason: try reason(d))
            }
        }
    }
}

/// Typed fields of one JSON object on a line's tape, each failure naming the field and
/// the line. Nothing is decoded but the fields asked for.
struct FieldReader {
    let tape: JSONTape
    /// The object's place on the tape.
    let at: Int
    let line: Int

    private func bad(_ key: String) -> RecordFault { RecordFault(line: line, .badField(key)) }

    /// The member's value, nil when it is missing or null.
    private func present(_ key: String) -> Int? {
        guard let v = tape.member(at, key), !tape.isNull(v) else { return nil }
        return v
    }

    func string(_ key: String) throws(RecordFault) -> String {
        guard let v = tape.member(at, key), let s = tape.string(v) else { throw bad(key) }
        return s
    }
    func optionalString(_ key: String) throws(RecordFault) -> String? {
        guard let v = present(key) else { return nil }
        guard let s = tape.string(v) else { throw bad(key) }
        return s
    }
    func int64(_ key: String) throws(RecordFault) -> Int64 {
        guard let v = tape.member(at, key), let i = tape.int(v) else { throw bad(key) }
        return i
    }
    func optionalInt64(_ key: String) throws(RecordFault) -> Int64? {
        guard let v = present(key) else { return nil }
        guard let i = tape.int(v) else { throw bad(key) }
        return i
    }
    func int(_ key: String) throws(RecordFault) -> Int {
        let i = try int64(key)
        guard let small = Int(exactly: i) else { throw bad(key) }
        return small
    }
    func bool(_ key: String) throws(RecordFault) -> Bool {
        guard let v = tape.member(at, key), let b = tape.bool(v) else { throw bad(key) }
        return b
    }
    /// An ISO 8601 time with its offset, as the export writes it.
    func time(_ key: String) throws(RecordFault) -> Int64 {
        guard let t = try optionalTime(key) else { throw bad(key) }
        return t
    }
    /// A calendar day, as YYYY-MM-DD.
    func optionalDay(_ key: String) throws(RecordFault) -> Day? {
        guard let text = try optionalString(key) else { return nil }
        guard let day = Day(Substring(text)) else { throw bad(key) }
        return day
    }
    func optionalTime(_ key: String) throws(RecordFault) -> Int64? {
        guard let v = present(key) else { return nil }
        // Read from the bytes as the export writes it; anything else the long way.
        guard let instant = tape.withStringBytes(v, RecordCodec.exportedInstant) else { throw bad(key) }
        if let instant { return instant }
        guard let text = tape.string(v), let written = LocalTime.parse(text), written.offset != nil else {
            throw bad(key)
        }
        return written.instant(in: .utc)
    }
    func hash(_ key: String = "hash") throws(RecordFault) -> [UInt8] {
        guard let v = tape.member(at, key), let bytes = tape.withStringBytes(v, RecordCodec.unhex) ?? nil,
            bytes.count == 32
        else { throw bad(key) }
        return bytes
    }
    func object(_ key: String) throws(RecordFault) -> FieldReader {
        guard let o = try optionalObject(key) else { throw bad(key) }
        return o
    }
    func optionalObject(_ key: String) throws(RecordFault) -> FieldReader? {
        guard let v = present(key) else { return nil }
        guard tape.kind(v) == .object else { throw bad(key) }
        return FieldReader(tape: tape, at: v, line: line)
    }
    /// The object's members, every one a string: a stored detail.
    func flatStrings(_ field: String = "stored_detail") throws(RecordFault) -> [(String, String)] {
        guard tape.kind(at) == .object else { throw RecordFault(line: line, .badField(field)) }
        var out: [(String, String)] = []
        for (key, value) in tape.members(at) {
            guard let k = tape.string(key), let s = tape.string(value) else {
                throw RecordFault(line: line, .badField(field))
            }
            out.append((k, s))
        }
        return out
    }

    func objects(_ key: String) throws(RecordFault) -> [FieldReader] {
        guard let v = tape.member(at, key), tape.kind(v) == .array else { throw bad(key) }
        var out: [FieldReader] = []
        for item in tape.elements(v) {
            guard tape.kind(item) == .object else { throw bad(key) }
            out.append(FieldReader(tape: tape, at: item, line: line))
        }
        return out
    }
}
