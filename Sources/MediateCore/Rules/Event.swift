/// What an event changed, with everything needed to fold it into the case again.
public enum Change: Equatable, Sendable {
    case filed(Filing, level: Int, dueAt: Int64)
    case accepted(mediator: String)
    case assessed(severity: String?, category: String?, reason: String)
    /// `breach` is the rank of the level the case left above its ceiling, 0 for none.
    case escalated(unitID: Int64, level: Int, dueAt: Int64, reason: String, breach: Int)
    case extended(dueAt: Int64, reason: String)
    case resolved(Agreement)
    case reopened(reason: String, dueAt: Int64)
    case closed(note: String, satisfaction: Satisfaction)
    case referred(to: ReferralTarget, reason: String)
    case withdrawn(reason: String)
    case noted(text: String)
    case supervised(reason: String)

    public var kind: ActionKind {
        switch self {
        case .filed: .file
        case .accepted: .accept
        case .assessed: .assess
        case .escalated: .escalate
        case .extended: .extend
        case .resolved: .resolve
        case .reopened: .reopen
        case .closed: .close
        case .referred: .refer
        case .withdrawn: .withdraw
        case .noted: .note
        case .supervised: .supervise
        }
    }

    public var breach: Int {
        if case .escalated(_, _, _, _, let breach) = self { return breach }
        return 0
    }
}

/// One event of a case: who did what, effective when.
public struct Event: Equatable, Sendable {
    /// 1 for the filing, then one more per event.
    public let caseSeq: Int
    public let actor: String
    public let effectiveAt: Int64
    public let change: Change

    public init(caseSeq: Int, actor: String, effectiveAt: Int64, change: Change) {
        self.caseSeq = caseSeq
        self.actor = actor
        self.effectiveAt = effectiveAt
        self.change = change
    }
}

// MARK: - The stored form: a flat list of string fields

extension Change {
    /// The fields stored as the event's detail, in a fixed order.
    public var detail: [(String, String)] {
        switch self {
        case .filed(let f, let level, let dueAt):
            var fields: [(String, String)] = [
                ("number", f.number.description), ("unit", String(f.unitID)),
                ("severity", f.severity), ("category", f.category), ("source", f.source),
            ]
            if let ref = f.sourceRef { fields.append(("source_ref", ref)) }
            fields.append(("summary", f.summary))
            for (i, p) in f.parties.enumerated() {
                let prefix = "party.\(i + 1)."
                fields.append((prefix + "name", p.name))
                fields.append((prefix + "role", p.role))
                if let v = p.phone { fields.append((prefix + "phone", v)) }
                if let v = p.idNumber { fields.append((prefix + "id_number", v)) }
                if let v = p.address { fields.append((prefix + "address", v)) }
            }
            fields.append(("level", String(level)))
            fields.append(("due_at", String(dueAt)))
            return fields
        case .accepted(let mediator):
            return [("mediator", mediator)]
        case .assessed(let severity, let category, let reason):
            return (severity.map { [("severity", $0)] } ?? []) + (category.map { [("category", $0)] } ?? [])
                + [("reason", reason)]
        case .escalated(let unit, let level, let due, let reason, let breach):
            return [
                ("unit", String(unit)), ("level", String(level)), ("due_at", String(due)),
                ("reason", reason), ("breach", String(breach)),
            ]
        case .extended(let due, let reason):
            return [("due_at", String(due)), ("reason", reason), ("consent", "both parties")]
        case .resolved(let a):
            return [("terms", a.terms), ("form", a.oral ? "oral" : "written")]
                + (a.amountFen.map { [("amount_fen", String($0))] } ?? [])
                + [("perform_by", a.performBy), ("follow_up_at", String(a.followUpAt))]
        case .reopened(let reason, let due):
            return [("reason", reason), ("due_at", String(due))]
        case .closed(let note, let satisfaction):
            return [("note", note), ("satisfaction", satisfaction.rawValue)]
        case .referred(let to, let reason):
            return [("to", to.rawValue), ("reason", reason)]
        case .withdrawn(let reason):
            return [("reason", reason)]
        case .noted(let text):
            return [("text", text)]
        case .supervised(let reason):
            return [("reason", reason)]
        }
    }

    /// Reads a change back from its kind and stored fields; nil when they do not fit.
    public init?(kind: ActionKind, detail: [(String, String)]) {
        var map: [String: String] = [:]
        for (key, value) in detail { map[key] = value }
        func text(_ key: String) -> String? { map[key] }
        func int(_ key: String) -> Int64? { map[key].flatMap { Int64($0) } }

        switch kind {
        case .file:
            guard let number = text("number").flatMap({ CaseNumber(Substring($0)) }), let unit = int("unit"),
                let severity = text("severity"), let category = text("category"), let source = text("source"),
                let summary = text("summary"), let level = int("level"), let due = int("due_at")
            else { return nil }
            var parties: [Party] = []
            var i = 1
            while let name = text("party.\(i).name"), let role = text("party.\(i).role") {
                let prefix = "party.\(i)."
                parties.append(
                    Party(
                        name: name, role: role, phone: text(prefix + "phone"),
                        idNumber: text(prefix + "id_number"), address: text(prefix + "address")))
                i += 1
            }
            let filing = Filing(
                number: number, unitID: unit, severity: severity, category: category, source: source,
                sourceRef: text("source_ref"), summary: summary, parties: parties)
            self = .filed(filing, level: Int(level), dueAt: due)
        case .accept:
            guard let mediator = text("mediator") else { return nil }
            self = .accepted(mediator: mediator)
        case .assess:
            guard let reason = text("reason") else { return nil }
            self = .assessed(severity: text("severity"), category: text("category"), reason: reason)
        case .escalate:
            guard let unit = int("unit"), let level = int("level"), let due = int("due_at"),
                let reason = text("reason"), let breach = int("breach")
            else { return nil }
            self = .escalated(unitID: unit, level: Int(level), dueAt: due, reason: reason, breach: Int(breach))
        case .extend:
            guard let due = int("due_at"), let reason = text("reason") else { return nil }
            self = .extended(dueAt: due, reason: reason)
        case .resolve:
            guard let terms = text("terms"), let form = text("form"), form == "oral" || form == "written",
                let performBy = text("perform_by"), let followUp = int("follow_up_at")
            else { return nil }
            if map["amount_fen"] != nil && int("amount_fen") == nil { return nil }
            self = .resolved(
                Agreement(
                    terms: terms, oral: form == "oral", amountFen: int("amount_fen"), performBy: performBy,
                    followUpAt: followUp))
        case .reopen:
            guard let reason = text("reason"), let due = int("due_at") else { return nil }
            self = .reopened(reason: reason, dueAt: due)
        case .close:
            guard let note = text("note"), let s = text("satisfaction").flatMap(Satisfaction.init) else { return nil }
            self = .closed(note: note, satisfaction: s)
        case .refer:
            guard let to = text("to").flatMap(ReferralTarget.init), let reason = text("reason") else { return nil }
            self = .referred(to: to, reason: reason)
        case .withdraw:
            guard let reason = text("reason") else { return nil }
            self = .withdrawn(reason: reason)
        case .note:
            guard let body = text("text") else { return nil }
            self = .noted(text: body)
        case .supervise:
            guard let reason = text("reason") else { return nil }
            self = .supervised(reason: reason)
        }
    }
}
