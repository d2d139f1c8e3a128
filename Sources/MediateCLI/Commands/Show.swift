import MediateCore
import MediateStore

private let reveal = Option("reveal", .optionReveal)

let viewCommands: [Command] = [
    Command(name: "show", help: .commandShow, positionals: [.caseNumber], options: [reveal], run: showCase)
]

func mask(_ value: String) -> String { Privacy.mask(value) }

/// Free text as shown: with its phone and ID numbers masked unless `reveal`.
func freeText(_ text: String, reveal: Bool) -> String { reveal ? text : Privacy.maskingNumbers(text) }

/// A value a person typed, as an error quotes it: a phone or ID number typed in the
/// wrong place masked as `list` masks it, then cut to at most 40 characters.
func echo(_ value: String) -> String {
    let masked = Privacy.maskingNumbers(value)
    return masked.count <= 40 ? masked : String(masked.prefix(40)) + "…"
}

/// The stable machine shape of cases and events: codes for units, levels and lists,
/// ISO 8601 times with the zone's offset, numbers as numbers, booleans as booleans,
/// parties as an array. `show`, `list`, `file`, every case action and the sweep print it.
struct CaseView {
    let machine: Machine
    let zone: Zone

    init(_ c: Context, _ machine: Machine) {
        self.machine = machine
        self.zone = c.zone
    }

    private var org: Organisation { machine.organisation }
    private func unitCode(_ id: Int64) -> String? { org[id]?.code }
    private func levelCode(_ rank: Int) -> String? { machine.policy.level(rank)?.code }

    // The shape is described once, against a sink: built into a `JSON` value where a
    // command prints one, streamed as bytes where `export` writes a million.

    func parties(_ parties: [Party], reveal: Bool) -> JSON {
        JSONBuilder.build { writeParties(parties, reveal: reveal, to: &$0) }
    }

    func writeParties<S: JSONSink>(_ parties: [Party], reveal: Bool, to s: inout S) {
        s.openArray()
        for p in parties {
            s.openObject()
            s.member("name", p.name)
            s.member("role", p.role)
            s.member("phone", p.phone.map { reveal ? $0 : mask($0) })
            s.member("id_number", p.idNumber.map { reveal ? $0 : mask($0) })
            s.member("address", p.address)
            s.closeObject()
        }
        s.closeArray()
    }

    func json(_ k: Case, reveal: Bool, now: Int64? = nil) -> JSON {
        JSONBuilder.build {
            $0.openObject()
            writeFields(k, reveal: reveal, now: now, to: &$0)
            $0.closeObject()
        }
    }

    /// The members of a case's object, without its braces.
    func writeFields<S: JSONSink>(_ k: Case, reveal: Bool, now: Int64? = nil, to s: inout S) {
        s.member("number", k.number.description)
        s.member("state", k.state.rawValue)
        s.member("severity", k.severity)
        s.member("category", k.category)
        s.member("source", k.source)
        s.member("source_ref", k.sourceRef)
        s.member("origin_grid", unitCode(k.originUnitID))
        s.member("unit", unitCode(k.unitID))
        s.member("level", levelCode(k.level))
        s.member("top_level", levelCode(k.topLevel))
        s.member("assignee", k.assignee)
        s.member("filed_at", k.filedAt, in: zone)
        s.member("due_at", k.dueAt, in: zone)
        s.member("resolved_at", k.resolvedAt, in: zone)
        s.member("closed_at", k.closedAt, in: zone)
        s.member("follow_up_at", k.followUpAt, in: zone)
        s.member("supervised_at", k.supervisedAt, in: zone)
        s.member("breaches", Int64(k.breaches))
        s.member("version", Int64(k.version))
        s.member("summary", freeText(k.summary, reveal: reveal))
        if let now {
            s.key("overdue")
            s.bool(k.isOverdue(at: now))
        }
        s.key("parties")
        writeParties(k.parties, reveal: reveal, to: &s)
    }

    /// One event: who, when (effective and entered), from which state to which, where,
    /// and what it changed, typed.
    func json(_ e: Store.StoredEvent, from: Case?, to: Case, reveal: Bool) -> JSON {
        JSONBuilder.build {
            $0.openObject()
            writeFields(e, from: from, to: to, reveal: reveal, to: &$0)
            $0.closeObject()
        }
    }

    /// The members of an event's object, without its braces.
    func writeFields<S: JSONSink>(_ e: Store.StoredEvent, from: Case?, to: Case, reveal: Bool, to s: inout S) {
        s.member("seq", Int64(e.event.caseSeq))
        s.member("action", e.event.change.kind.rawValue)
        s.member("actor", e.event.actor)
        s.member("effective_at", e.event.effectiveAt, in: zone)
        s.member("entered_at", e.enteredAt, in: zone)
        s.member("from", from?.state.rawValue)
        s.member("to", to.state.rawValue)
        s.member("unit", unitCode(to.unitID))
        s.key("detail")
        writeDetail(e.event.change, reveal: reveal, to: &s)
    }

    /// The ledger row an imported case came from.
    static func origin(_ o: Origin) -> JSON {
        JSONBuilder.build { writeOrigin(o, to: &$0) }
    }

    static func writeOrigin<S: JSONSink>(_ o: Origin, to s: inout S) {
        s.openObject()
        s.member("file", o.file)
        s.member("key", o.key)
        s.member("line", Int64(o.line))
        s.closeObject()
    }

    func detail(_ change: Change, reveal: Bool) -> JSON {
        JSONBuilder.build { writeDetail(change, reveal: reveal, to: &$0) }
    }

    func writeDetail<S: JSONSink>(_ change: Change, reveal: Bool, to s: inout S) {
        /// Free text (summaries, reasons, terms, notes): phone and ID numbers typed into it
        /// are masked unless revealed, as the parties' own fields are.
        func free(_ key: StaticString, _ text: String?) { s.member(key, text.map { freeText($0, reveal: reveal) }) }
        func time(_ key: StaticString, _ t: Int64) {
            s.key(key)
            s.time(t, in: zone)
        }
        func reason(_ r: Reason) {
            switch r {
            case .said(let text):
                free("reason", text)
                s.member("cause", nil)
            case .overdue:
                s.member("reason", nil)
                s.member("cause", "overdue")
            case .followUpOverdue:
                s.member("reason", nil)
                s.member("cause", "follow_up_overdue")
            }
        }
        s.openObject()
        switch change {
        case .filed(let f, let lvl, let due):
            s.member("number", f.number.description)
            s.member("grid", unitCode(f.unitID))
            s.member("severity", f.severity)
            s.member("category", f.category)
            s.member("source", f.source)
            s.member("source_ref", f.sourceRef)
            free("summary", f.summary)
            s.key("parties")
            writeParties(f.parties, reveal: reveal, to: &s)
            s.member("level", levelCode(lvl))
            time("due_at", due)
            s.key("imported")
            if let o = f.origin { Self.writeOrigin(o, to: &s) } else { s.null() }
        case .accepted(let mediator): s.member("mediator", mediator)
        case .assessed(let severity, let category, let why):
            s.member("severity", severity)
            s.member("category", category)
            free("reason", why)
        case .escalated(let to, let lvl, let due, let why, let breach):
            s.member("unit", unitCode(to))
            s.member("level", levelCode(lvl))
            time("due_at", due)
            reason(why)
            s.key("breach")
            s.bool(breach > 0)
            s.member("breach_from_level", breach > 0 ? levelCode(breach) : nil)
        case .extended(let due, let why):
            time("due_at", due)
            free("reason", why)
            s.key("both_parties_consent")
            s.bool(true)
        case .resolved(let a):
            free("terms", a.terms)
            s.member("form", (a.oral ? AgreementForm.oral : .written).rawValue)
            s.key("amount_fen")
            if let amount = a.amountFen { s.int(amount) } else { s.null() }
            s.member("perform_by", a.performBy)
            time("follow_up_at", a.followUpAt)
            s.member("facts", a.facts)
            s.member("responsibility", a.responsibility)
        case .reopened(let why, let due):
            free("reason", why)
            time("due_at", due)
        case .closed(let note, let satisfaction, let performance, let early):
            free("note", note)
            s.member("satisfaction", satisfaction.rawValue)
            s.member("performance", performance?.rawValue)
            free("early", early)
        case .assigned(let login): s.member("follow_up_by", login)
        case .confirmed(let applied, let ruling):
            s.member("applied", applied?.description)
            s.member("ruling", ruling?.rawValue)
        case .referred(let to, let why):
            s.member("to", to.rawValue)
            free("reason", why)
        case .withdrawn(let why): free("reason", why)
        case .noted(let body): free("text", body)
        case .supervised(let why): reason(why)
        }
        s.closeObject()
    }
}

private func showCase(_ c: Context) throws -> Int32 {
    let number = try Input.caseNumber(c.args.positionals[0])
    // Reading never writes; a reveal is recorded, so it opens the file for writing.
    let store = try c.openStore(readOnly: !c.args.has("reveal"))
    let k = try store.requireCase(number)
    let events = try store.events(of: k.id)
    let now = try c.now()

    // Replay to know each event's from → to.
    var steps: [(Store.StoredEvent, from: Case?, to: Case)] = []
    var state: Case? = nil
    for e in events {
        let next = state.map { $0.applying(e.event) } ?? Case(id: k.id, filed: e.event)
        steps.append((e, state, next))
        state = next
    }
    // Only the units this case names, unless a reveal asks whose subtree holds it.
    let named = Set([k.originUnitID, k.unitID] + steps.map(\.to.unitID))
    let m = c.args.has("reveal") ? try store.machine() : try store.machine(naming: named)
    let reveal = try revealing(c, store, m, refusingOutside: [k])(k)
    if reveal { try c.recordAccess(store, .reveal([k.number])) }
    let org = m.organisation
    let z = c.zone
    func unit(_ id: Int64) -> String { org[id].map { "\($0.code) \($0.name)" } ?? "?" }

    if c.format == .json {
        let view = CaseView(c, m)
        guard case .object(var fields) = view.json(k, reveal: reveal, now: now) else { return Exit.ok }
        fields.append(("events", .array(steps.map { view.json($0.0, from: $0.from, to: $0.to, reveal: reveal) })))
        c.printJSON(.object(fields))
        return Exit.ok
    }

    let p = m.policy
    let names = Names(policy: p, lang: c.lang)
    c.print(Said.caseHeading(k.number, names.category(k.category), names.severity(k.severity), k.state))
    c.print(Said.caseWhere(origin: unit(k.originUnitID), now: unit(k.unitID), level: names.level(k.level)))
    c.print(Said.caseSource(names.source(k.source), ref: k.sourceRef))
    c.print(Said.caseSummary(freeText(k.summary, reveal: reveal)))
    if let first = events.first, case .filed(let f, _, _) = first.event.change, let o = f.origin {
        c.print(RecordsSaid.importedFrom(file: o.file, key: o.key, line: o.line, on: z.minute(first.enteredAt)))
    }
    for party in k.parties {
        var line = "\(party.name)" + c.say(Said.bracketed(PartyRole(rawValue: party.role).map(c.say) ?? party.role))
        if let phone = party.phone { line += "  " + (reveal ? phone : mask(phone)) }
        if let id = party.idNumber { line += "  " + (reveal ? id : mask(id)) }
        if let address = party.address { line += "  " + address }
        c.print(Said.party(line))
    }
    if let assignee = k.assignee { c.print(Said.mediator(names.person(assignee, store))) }
    var dates = c.say(Label.filed) + " " + z.minute(k.filedAt)
    if k.state.isActive {
        dates += " · " + c.say(Label.due) + " " + z.minute(k.dueAt)
        if k.isOverdue(at: now) { dates += c.say(Said.bracketed(c.say(Label.overdue))) }
    }
    if let t = k.resolvedAt { dates += " · " + c.say(Label.resolvedOn) + " " + z.minute(t) }
    if let t = k.followUpAt, k.state == .resolved {
        dates += " · " + c.say(Label.followUp) + " " + z.day(t).description
    }
    if let who = k.followUpBy, k.state == .resolved {
        dates += " · " + c.say(DeskLabel.followUpBy) + " " + names.person(who, store)
    }
    if let t = k.closedAt { dates += " · " + c.say(Label.closedOn) + " " + z.minute(t) }
    if let day = k.confirmApplied {
        dates += " · " + c.say(DeskSaid.confirmApplied(day)) + (k.confirmRuling.map { " " + c.say($0) } ?? "")
    }
    if k.supervisedAt != nil { dates += " · " + c.say(Label.supervised) }
    c.print(dates)
    if k.breaches > 0 { c.print(Said.breaches(k.breaches)) }
    c.print()
    c.print(Label.timeline)
    var table = TextTable(
        headers: [Label.when, .who, .what, .fromTo, .unit, .notes].map(c.say),
        alignments: [.left, .left, .left, .left, .left, .left])
    for s in steps {
        let e = s.0.event
        let move = (s.from.map { c.say($0.state) } ?? "—") + " → " + c.say(s.to.state)
        var when = z.minute(e.effectiveAt)
        if s.0.enteredAt - e.effectiveAt > 3600 { when += c.say(Said.enteredLate(z.day(s.0.enteredAt))) }
        table.add([
            when, e.actor == Actor.system.login ? c.say(Label.system) : e.actor, c.say(e.change.kind), move,
            org[s.to.unitID]?.code ?? "?", freeText(notes(e.change, c, names, store), reveal: reveal),
        ])
    }
    c.write(utf8: table.renderedUTF8())
    return Exit.ok
}

/// Names of the deployment's list entries in the user's language.
struct Names {
    let policy: Policy
    let lang: Lang

    private func pick(_ zh: String, _ en: String) -> String { lang == .zh ? zh : en }
    func category(_ code: String) -> String {
        policy.categories.first { $0.code == code }.map { pick($0.nameZh, $0.nameEn) } ?? code
    }
    func source(_ code: String) -> String {
        policy.sources.first { $0.code == code }.map { pick($0.nameZh, $0.nameEn) } ?? code
    }
    func severity(_ code: String) -> String { policy.severity(code).map { pick($0.nameZh, $0.nameEn) } ?? code }
    func level(_ rank: Int) -> String { policy.level(rank).map { pick($0.nameZh, $0.nameEn) } ?? String(rank) }
    /// 李明 (li) rather than a bare login, where the person is registered.
    func person(_ login: String, _ store: Store) -> String {
        guard let person = try? store.person(login) else { return login }
        return person.name == login ? login : person.name + Said.bracketed(login).text(lang)
    }
}

/// The human part of an event's detail, in the user's language.
private func notes(_ change: Change, _ c: Context, _ names: Names, _ store: Store) -> String {
    var parts: [String] = []
    func reason(_ r: Reason) -> String {
        switch r {
        case .said(let text): text
        case .overdue: c.say(Label.overdue)
        case .followUpOverdue: c.say(DeskSaid.followUpLate)
        }
    }
    switch change {
    case .filed: break
    case .accepted(let mediator): parts.append(c.say(Said.mediatorIs(mediator)))
    case .assessed(let severity, let category, let why):
        if let severity { parts.append(c.say(Said.severityBecomes(names.severity(severity)))) }
        if let category { parts.append(c.say(Said.categoryBecomes(names.category(category)))) }
        parts.append(why)
    case .escalated(_, _, _, let why, let breach):
        parts.append(reason(why))
        if breach > 0 { parts.append(c.say(Said.breachMark)) }
    case .extended(let due, let why): parts.append(c.say(Said.extendedUntil(c.zone.minute(due), why)))
    case .resolved(let a):
        parts.append(c.say(Said.agreement(oral: a.oral, a.terms)))
        if let fen = a.amountFen { parts.append(c.say(Said.amount(yuan(fen)))) }
        parts.append(c.say(Said.performBy(a.performBy)))
    case .reopened(let why, _): parts.append(why)
    case .closed(let note, let s, let performance, let early):
        parts.append(note + c.say(Said.bracketed(c.say(s))))
        if let performance { parts.append(c.say(DeskSaid.performance(performance))) }
        if let early { parts.append(c.say(DeskSaid.closedEarly(early))) }
    case .assigned(let login): parts.append(names.person(login, store))
    case .confirmed(let applied, let ruling):
        if let applied { parts.append(c.say(DeskSaid.confirmApplied(applied))) }
        if let ruling { parts.append(c.say(ruling)) }
    case .referred(let to, let why): parts.append(c.say(Said.referredTo(c.say(to), why)))
    case .withdrawn(let why): parts.append(why)
    case .noted(let text): parts.append(text)
    case .supervised(let why): parts.append(c.say(Said.supervision(reason(why))))
    }
    return parts.joined(separator: c.say(Said.semicolon)).split(whereSeparator: \.isNewline).joined(separator: " ")
}

/// Which cases to print phone and ID numbers of in full: none unless asked; when asked,
/// those the machine lets the acting person see. Cases outside stay masked, or are
/// refused when named one by one.
func revealing(_ c: Context, _ store: Store, _ machine: Machine, refusingOutside named: [Case] = [])
    throws -> (Case) -> Bool
{
    guard c.args.has("reveal") else { return { _ in false } }
    let actor = try c.actor(store)
    if let outside = named.first(where: { !machine.mayReveal($0, to: actor) }) {
        throw StoreError.rule(.outsideJurisdiction(unitCode: machine.organisation[outside.unitID]?.code ?? "?"))
    }
    return { machine.mayReveal($0, to: actor) }
}

func yuan(_ fen: Int64) -> String {
    let cents = fen % 100
    return "\(fen / 100)." + (cents < 10 ? "0" : "") + String(cents)
}

/// At most `width` display columns of the first line of `text`, with an ellipsis if cut.
func clip(_ text: String, _ width: Int) -> String {
    (text.split(whereSeparator: \.isNewline).first.map(String.init) ?? "").clipped(toWidth: width)
}
