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
        return text.withUTF8 { b -> Int64? in
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
    }

    static func unhex(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            default: nil
            }
        }
        var out: [UInt8] = []
        for i in stride(from: 0, to: chars.count, by: 2) {
            guard let h = value(chars[i]), let l = value(chars[i + 1]) else { return nil }
            out.append(h << 4 | l)
        }
        return out
    }

    // MARK: Writing

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
        case .kase(let k, let events):
            guard case .object(let fields) = view.json(k, reveal: true) else { return .null }
            var state: Case? = nil
            let typed: [JSON] = events.map { e in
                let next = state.map { $0.applying(e.event) } ?? Case(id: k.id, filed: e.event)
                defer { state = next }
                guard case .object(let f) = view.json(e, from: state, to: next, reveal: true) else { return .null }
                // An event an older mediate stored otherwise keeps its stored detail too.
                let stored: [(String, JSON)] =
                    e.storedDetail.map {
                        [("stored_detail", .object($0.map { ($0.0, .string($0.1)) }))]
                    } ?? []
                return .object(
                    [("id", .int(e.id))] + f + stored + [("os_login", text(e.osLogin)), ("hash", .string(hex(e.hash)))])
            }
            // The agreement and its follow-up, as the case row holds them (the replay of
            // the events must give the same).
            let followUp: [(String, JSON)] = [
                ("perform_by", text(k.performBy?.description)),
                ("agreement_form", text(k.agreementOral.map { ($0 ? AgreementForm.oral : .written).rawValue })),
                ("follow_up_by", text(k.followUpBy)), ("performance", text(k.performance?.rawValue)),
                ("confirm_applied", text(k.confirmApplied?.description)),
                ("confirm_ruling", text(k.confirmRuling?.rawValue)),
            ]
            return .object(
                [("kind", .string("case")), ("id", .int(k.id))] + fields + followUp + [("events", .array(typed))])
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

        /// The record of one line; nil for the header and the end.
        mutating func decode(_ text: String, line: Int) throws(RecordFault) -> Record? {
            guard let json = JSON.parse(text), case .object = json else { throw RecordFault(line: line, .notJSON) }
            let reader = FieldReader(json: json, line: line)
            let kind = try reader.string("kind")
            if !sawHeader {
                guard kind == "mediate-export", json["format"]?.int == RecordCodec.formatVersion else {
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
                var detail: [(String, String)] = []
                guard case .object(let members)? = json["detail"] else {
                    throw RecordFault(line: line, .badField("detail"))
                }
                for (key, value) in members {
                    guard let s = value.string else { throw RecordFault(line: line, .badField("detail")) }
                    detail.append((key, s))
                }
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

/// Typed fields of one JSON object, each failure naming the field and the line.
struct FieldReader {
    let json: JSON
    let line: Int

    private func bad(_ key: String) -> RecordFault { RecordFault(line: line, .badField(key)) }

    func string(_ key: String) throws(RecordFault) -> String {
        guard let s = json[key]?.string else { throw bad(key) }
        return s
    }
    func optionalString(_ key: String) throws(RecordFault) -> String? {
        guard let v = json[key], !v.isNull else { return nil }
        guard let s = v.string else { throw bad(key) }
        return s
    }
    func int64(_ key: String) throws(RecordFault) -> Int64 {
        guard let i = json[key]?.int else { throw bad(key) }
        return i
    }
    func optionalInt64(_ key: String) throws(RecordFault) -> Int64? {
        guard let v = json[key], !v.isNull else { return nil }
        guard let i = v.int else { throw bad(key) }
        return i
    }
    func int(_ key: String) throws(RecordFault) -> Int {
        let i = try int64(key)
        guard let small = Int(exactly: i) else { throw bad(key) }
        return small
    }
    func bool(_ key: String) throws(RecordFault) -> Bool {
        guard let b = json[key]?.bool else { throw bad(key) }
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
        guard let text = try optionalString(key) else { return nil }
        if let instant = RecordCodec.exportedInstant(text) { return instant }
        guard let written = LocalTime.parse(text), written.offset != nil else { throw bad(key) }
        return written.instant(in: .utc)
    }
    func hash(_ key: String = "hash") throws(RecordFault) -> [UInt8] {
        guard let bytes = RecordCodec.unhex(try string(key)), bytes.count == 32 else { throw bad(key) }
        return bytes
    }
    func object(_ key: String) throws(RecordFault) -> FieldReader {
        guard let o = try optionalObject(key) else { throw bad(key) }
        return o
    }
    func optionalObject(_ key: String) throws(RecordFault) -> FieldReader? {
        guard let v = json[key], !v.isNull else { return nil }
        guard case .object = v else { throw bad(key) }
        return FieldReader(json: v, line: line)
    }
    /// The object's members, every one a string: a stored detail.
    func flatStrings() throws(RecordFault) -> [(String, String)] {
        guard case .object(let members) = json else { throw RecordFault(line: line, .badField("stored_detail")) }
        var out: [(String, String)] = []
        for (key, value) in members {
            guard let s = value.string else { throw RecordFault(line: line, .badField("stored_detail")) }
            out.append((key, s))
        }
        return out
    }

    func objects(_ key: String) throws(RecordFault) -> [FieldReader] {
        guard let items = json[key]?.array else { throw bad(key) }
        var out: [FieldReader] = []
        for item in items {
            guard case .object = item else { throw bad(key) }
            out.append(FieldReader(json: item, line: line))
        }
        return out
    }
}
