/// Why a case was escalated or flagged: what a person wrote, or a code of the system's.
/// The domain keeps codes; the command line says them in words.
public enum Reason: Equatable, Sendable {
    case said(String)
    /// Past its level's time limit (the daily sweep).
    case overdue
    /// A resolved case's follow-up more than a week late (the daily sweep).
    case followUpOverdue
}

/// What an event changed, with everything needed to fold it into the case again.
public enum Change: Equatable, Sendable {
    case filed(Filing, level: Int, dueAt: Int64)
    case accepted(mediator: String)
    case assessed(severity: String?, category: String?, reason: String)
    /// `breach` is the rank of the level the case left above its ceiling, 0 for none.
    case escalated(unitID: Int64, level: Int, dueAt: Int64, reason: Reason, breach: Int)
    case extended(dueAt: Int64, reason: String)
    case resolved(Agreement)
    case reopened(reason: String, dueAt: Int64)
    /// `performance` is nil for a case closed before it was recorded; `early` is the
    /// reason for closing before the perform-by day.
    case closed(note: String, satisfaction: Satisfaction, performance: Performance?, early: String?)
    case referred(to: ReferralTarget, reason: String)
    case withdrawn(reason: String)
    case noted(text: String)
    case supervised(reason: Reason)
    case assigned(followUpBy: String)
    case confirmed(applied: Day?, ruling: Ruling?)

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
        case .assigned: .assign
        case .confirmed: .confirm
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

// MARK: - The stored form: a flat object of string fields

/// The keys of an event's stored detail: the one list that the codec, the report's
/// queries and every reader share. A party's fields are `party.N.KEY`.
public enum DetailKey: String, Sendable, CaseIterable {
    case number, unit, severity, category, source
    case sourceRef = "source_ref"
    case summary, level
    case dueAt = "due_at"
    case mediator, reason
    /// A reason given as a code of the system's (`overdue`), not as text.
    case cause
    case breach, consent, terms, form
    case amountFen = "amount_fen"
    case performBy = "perform_by"
    case followUpAt = "follow_up_at"
    case note, satisfaction, to, text
    // A party's fields, after `party.N.`.
    case name, role, phone
    case idNumber = "id_number"
    case address
    // The follow-up and judicial confirmation.
    case performance
    case early
    case followUpBy = "follow_up_by"
    case applied, ruling
    // Where an imported case came from (its ledger file, row key and line).
    case originFile = "origin_file"
    case originKey = "origin_key"
    case originLine = "origin_line"
    // What a written agreement states besides its terms (Art. 29).
    case facts, responsibility

    /// The JSON path of the key in the stored detail, for SQL's `json_extract`.
    public var path: String { "$." + rawValue }

    /// The stored key of a party's field: `party.2.phone`.
    public static func party(_ position: Int, _ key: DetailKey) -> String {
        // The first parties' keys made once: reading back a filing looks up a few of them
        // for every case (verify, a million times), each otherwise built anew.
        if (1...partyKeys.count).contains(position), let field = partyFields.firstIndex(of: key) {
            return partyKeys[position - 1][field]
        }
        return "party.\(position).\(key.rawValue)"
    }

    private static let partyFields: [DetailKey] = [.name, .role, .phone, .idNumber, .address]
    private static let partyKeys: [[String]] = (1...8).map { position in
        partyFields.map { "party.\(position).\($0.rawValue)" }
    }
}

/// The stored value of an agreement's form.
public enum AgreementForm: String, Sendable, CaseIterable {
    case written, oral
}

extension Reason {
    fileprivate var field: (DetailKey, String) {
        switch self {
        case .said(let text): (.reason, text)
        case .overdue: (.cause, "overdue")
        case .followUpOverdue: (.cause, "follow_up_overdue")
        }
    }

    /// Reads a reason back: a `cause` code, or text. The system's sweeps before the
    /// codes existed wrote `reason: overdue`, which reads as the code; a person's
    /// "overdue" stays what they wrote.
    fileprivate init?(_ map: FieldLookup, actor: String?) {
        if let cause = map[DetailKey.cause.rawValue] {
            switch cause {
            case "overdue": self = .overdue
            case "follow_up_overdue": self = .followUpOverdue
            default: return nil
            }
        } else if let text = map[DetailKey.reason.rawValue] {
            self = text == "overdue" && actor == Actor.system.login ? .overdue : .said(text)
        } else {
            return nil
        }
    }
}

extension Change {
    /// The fields stored as the event's detail, in a fixed order.
    public var detail: [(String, String)] {
        var fields: [(String, String)] = []
        forEachField { fields.append(($0, $1)) }
        return fields
    }

    /// Whether `stored` is exactly the detail this change writes (`detail`: the same
    /// keys and values in the same order), compared field by field as they are made,
    /// without building the detail (a reader asks this of every event it reads).
    public func writesDetail(_ stored: [(String, String)]) -> Bool {
        var i = 0
        var same = true
        forEachField { key, value in
            if same, i < stored.count, stored[i].0 == key, stored[i].1 == value {
                i += 1
            } else {
                same = false
            }
        }
        return same && i == stored.count
    }

    /// Each field of the stored detail, key and value, in the fixed order: the one
    /// description that `detail` and `writesDetail` share.
    private func forEachField(_ field: (String, String) -> Void) {
        func put(_ key: DetailKey, _ value: String) { field(key.rawValue, value) }
        func put(_ key: DetailKey, _ value: String?) { if let value { field(key.rawValue, value) } }
        switch self {
        case .filed(let f, let level, let dueAt):
            put(.number, f.number.description)
            put(.unit, String(f.unitID))
            put(.severity, f.severity)
            put(.category, f.category)
            put(.source, f.source)
            put(.sourceRef, f.sourceRef)
            put(.summary, f.summary)
            for (i, p) in f.parties.enumerated() {
                func add(_ key: DetailKey, _ value: String?) {
                    if let value { field(DetailKey.party(i + 1, key), value) }
                }
                add(.name, p.name)
                add(.role, p.role)
                add(.phone, p.phone)
                add(.idNumber, p.idNumber)
                add(.address, p.address)
            }
            put(.level, String(level))
            put(.dueAt, String(dueAt))
            if let o = f.origin {
                put(.originFile, o.file)
                put(.originKey, o.key)
                put(.originLine, String(o.line))
            }
        case .accepted(let mediator):
            put(.mediator, mediator)
        case .assessed(let severity, let category, let reason):
            put(.severity, severity)
            put(.category, category)
            put(.reason, reason)
        case .escalated(let unit, let level, let due, let reason, let breach):
            put(.unit, String(unit))
            put(.level, String(level))
            put(.dueAt, String(due))
            put(reason.field.0, reason.field.1)
            put(.breach, String(breach))
        case .extended(let due, let reason):
            put(.dueAt, String(due))
            put(.reason, reason)
            put(.consent, Self.bothParties)
        case .resolved(let a):
            put(.terms, a.terms)
            put(.form, (a.oral ? AgreementForm.oral : .written).rawValue)
            put(.amountFen, a.amountFen.map { String($0) })
            put(.performBy, a.performBy)
            put(.followUpAt, String(a.followUpAt))
            put(.facts, a.facts)
            put(.responsibility, a.responsibility)
        case .reopened(let reason, let due):
            put(.reason, reason)
            put(.dueAt, String(due))
        case .closed(let note, let satisfaction, let performance, let early):
            put(.note, note)
            put(.satisfaction, satisfaction.rawValue)
            put(.performance, performance?.rawValue)
            put(.early, early)
        case .referred(let to, let reason):
            put(.to, to.rawValue)
            put(.reason, reason)
        case .withdrawn(let reason):
            put(.reason, reason)
        case .noted(let text):
            put(.text, text)
        case .supervised(let reason):
            put(reason.field.0, reason.field.1)
        case .assigned(let login):
            put(.followUpBy, login)
        case .confirmed(let applied, let ruling):
            put(.applied, applied?.description)
            put(.ruling, ruling?.rawValue)
        }
    }

    /// The stored code of an extension's consent: an extension needs both parties'.
    static let bothParties = "both parties"

    /// Reads a change back from its kind and stored fields (and who wrote it, for the
    /// oldest stored forms); nil when they do not fit.
    public init?(kind: ActionKind, detail: [(String, String)], actor: String? = nil) {
        // A handful of fields: looked up in place (the last of a repeated key wins).
        let map = FieldLookup(detail)
        func text(_ key: DetailKey) -> String? { map[key.rawValue] }
        func int(_ key: DetailKey) -> Int64? { text(key).flatMap { Int64($0) } }

        switch kind {
        case .file:
            guard let number = text(.number).flatMap({ CaseNumber(Substring($0)) }), let unit = int(.unit),
                let severity = text(.severity), let category = text(.category), let source = text(.source),
                let summary = text(.summary), let level = int(.level), let due = int(.dueAt)
            else { return nil }
            var parties: [Party] = []
            var i = 1
            while let name = map[DetailKey.party(i, .name)], let role = map[DetailKey.party(i, .role)] {
                func field(_ key: DetailKey) -> String? { map[DetailKey.party(i, key)] }
                parties.append(
                    Party(
                        name: name, role: role, phone: field(.phone), idNumber: field(.idNumber),
                        address: field(.address)))
                i += 1
            }
            var origin: Origin? = nil
            if let file = text(.originFile) {
                guard let key = text(.originKey), let line = int(.originLine) else { return nil }
                origin = Origin(file: file, key: key, line: Int(line))
            }
            let filing = Filing(
                number: number, unitID: unit, severity: severity, category: category, source: source,
                sourceRef: text(.sourceRef), summary: summary, parties: parties, origin: origin)
            self = .filed(filing, level: Int(level), dueAt: due)
        case .accept:
            guard let mediator = text(.mediator) else { return nil }
            self = .accepted(mediator: mediator)
        case .assess:
            guard let reason = text(.reason) else { return nil }
            self = .assessed(severity: text(.severity), category: text(.category), reason: reason)
        case .escalate:
            guard let unit = int(.unit), let level = int(.level), let due = int(.dueAt),
                let reason = Reason(map, actor: actor),
                let breach = int(.breach)
            else { return nil }
            self = .escalated(unitID: unit, level: Int(level), dueAt: due, reason: reason, breach: Int(breach))
        case .extend:
            guard let due = int(.dueAt), let reason = text(.reason) else { return nil }
            self = .extended(dueAt: due, reason: reason)
        case .resolve:
            guard let terms = text(.terms), let form = text(.form).flatMap(AgreementForm.init),
                let performBy = text(.performBy), let followUp = int(.followUpAt)
            else { return nil }
            if text(.amountFen) != nil && int(.amountFen) == nil { return nil }
            self = .resolved(
                Agreement(
                    terms: terms, oral: form == .oral, amountFen: int(.amountFen), performBy: performBy,
                    followUpAt: followUp, facts: text(.facts), responsibility: text(.responsibility)))
        case .reopen:
            guard let reason = text(.reason), let due = int(.dueAt) else { return nil }
            self = .reopened(reason: reason, dueAt: due)
        case .close:
            guard let note = text(.note), let s = text(.satisfaction).flatMap(Satisfaction.init) else { return nil }
            let performance = text(.performance).flatMap(Performance.init)
            if text(.performance) != nil && performance == nil { return nil }
            self = .closed(note: note, satisfaction: s, performance: performance, early: text(.early))
        case .refer:
            guard let to = text(.to).flatMap(ReferralTarget.init), let reason = text(.reason) else { return nil }
            self = .referred(to: to, reason: reason)
        case .withdraw:
            guard let reason = text(.reason) else { return nil }
            self = .withdrawn(reason: reason)
        case .note:
            guard let body = text(.text) else { return nil }
            self = .noted(text: body)
        case .supervise:
            guard let reason = Reason(map, actor: actor) else { return nil }
            self = .supervised(reason: reason)
        case .assign:
            guard let login = text(.followUpBy) else { return nil }
            self = .assigned(followUpBy: login)
        case .confirm:
            let applied = text(.applied).flatMap { Day(Substring($0)) }
            let ruling = text(.ruling).flatMap(Ruling.init)
            guard applied != nil || ruling != nil, (text(.applied) == nil) == (applied == nil),
                (text(.ruling) == nil) == (ruling == nil)
            else { return nil }
            self = .confirmed(applied: applied, ruling: ruling)
        }
    }
}

/// The fields of a stored detail, by key: the last of a repeated key wins, as in a
/// dictionary built from them, without building one for a dozen fields.
struct FieldLookup {
    let fields: [(String, String)]

    init(_ fields: [(String, String)]) { self.fields = fields }

    subscript(key: String) -> String? {
        var i = fields.count
        while i > 0 {
            i -= 1
            if fields[i].0 == key { return fields[i].1 }
        }
        return nil
    }
}
