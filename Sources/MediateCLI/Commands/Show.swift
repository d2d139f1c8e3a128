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
    private func time(_ t: Int64?) -> JSON { t.map { .string(zone.iso($0)) } ?? .null }
    private func text(_ s: String?) -> JSON { s.map(JSON.string) ?? .null }
    private func unit(_ id: Int64) -> JSON { text(org[id]?.code) }
    private func level(_ rank: Int) -> JSON { text(machine.policy.level(rank)?.code) }
    /// Free text (summaries, reasons, terms, notes): phone and ID numbers typed into it
    /// are masked unless revealed, as the parties' own fields are.
    private func free(_ s: String, _ reveal: Bool) -> JSON { .string(freeText(s, reveal: reveal)) }

    func parties(_ parties: [Party], reveal: Bool) -> JSON {
        .array(
            parties.map { p in
                .object([
                    ("name", .string(p.name)), ("role", .string(p.role)),
                    ("phone", p.phone.map { .string(reveal ? $0 : mask($0)) } ?? .null),
                    ("id_number", p.idNumber.map { .string(reveal ? $0 : mask($0)) } ?? .null),
                    ("address", text(p.address)),
                ])
            })
    }

    func json(_ k: Case, reveal: Bool, now: Int64? = nil) -> JSON {
        var fields: [(String, JSON)] = [
            ("number", .string(k.number.description)), ("state", .string(k.state.rawValue)),
            ("severity", .string(k.severity)), ("category", .string(k.category)), ("source", .string(k.source)),
            ("source_ref", text(k.sourceRef)), ("origin_grid", unit(k.originUnitID)), ("unit", unit(k.unitID)),
            ("level", level(k.level)), ("top_level", level(k.topLevel)), ("assignee", text(k.assignee)),
            ("filed_at", time(k.filedAt)), ("due_at", time(k.dueAt)), ("resolved_at", time(k.resolvedAt)),
            ("closed_at", time(k.closedAt)), ("follow_up_at", time(k.followUpAt)),
            ("supervised_at", time(k.supervisedAt)), ("breaches", .int(Int64(k.breaches))),
            ("version", .int(Int64(k.version))), ("summary", free(k.summary, reveal)),
        ]
        if let now { fields.append(("overdue", .bool(k.isOverdue(at: now)))) }
        fields.append(("parties", parties(k.parties, reveal: reveal)))
        return .object(fields)
    }

    /// One event: who, when (effective and entered), from which state to which, where,
    /// and what it changed, typed.
    func json(_ e: Store.StoredEvent, from: Case?, to: Case, reveal: Bool) -> JSON {
        .object([
            ("seq", .int(Int64(e.event.caseSeq))), ("action", .string(e.event.change.kind.rawValue)),
            ("actor", .string(e.event.actor)), ("effective_at", time(e.event.effectiveAt)),
            ("entered_at", time(e.enteredAt)), ("from", text(from?.state.rawValue)), ("to", .string(to.state.rawValue)),
            ("unit", unit(to.unitID)), ("detail", detail(e.event.change, reveal: reveal)),
        ])
    }

    /// The ledger row an imported case came from.
    static func origin(_ o: Origin) -> JSON {
        .object([("file", .string(o.file)), ("key", .string(o.key)), ("line", .int(Int64(o.line)))])
    }

    func detail(_ change: Change, reveal: Bool) -> JSON {
        func reason(_ r: Reason) -> [(String, JSON)] {
            switch r {
            case .said(let text): [("reason", free(text, reveal)), ("cause", .null)]
            case .overdue: [("reason", .null), ("cause", .string("overdue"))]
            case .followUpOverdue: [("reason", .null), ("cause", .string("follow_up_overdue"))]
            }
        }
        switch change {
        case .filed(let f, let lvl, let due):
            return .object([
                ("number", .string(f.number.description)), ("grid", unit(f.unitID)), ("severity", .string(f.severity)),
                ("category", .string(f.category)), ("source", .string(f.source)), ("source_ref", text(f.sourceRef)),
                ("summary", free(f.summary, reveal)), ("parties", parties(f.parties, reveal: reveal)),
                ("level", level(lvl)), ("due_at", time(due)), ("imported", f.origin.map(Self.origin) ?? .null),
            ])
        case .accepted(let mediator): return .object([("mediator", .string(mediator))])
        case .assessed(let severity, let category, let why):
            return .object([("severity", text(severity)), ("category", text(category)), ("reason", free(why, reveal))])
        case .escalated(let to, let lvl, let due, let why, let breach):
            return .object(
                [("unit", unit(to)), ("level", level(lvl)), ("due_at", time(due))] + reason(why) + [
                    ("breach", .bool(breach > 0)), ("breach_from_level", breach > 0 ? level(breach) : .null),
                ])
        case .extended(let due, let why):
            return .object([
                ("due_at", time(due)), ("reason", free(why, reveal)), ("both_parties_consent", .bool(true)),
            ])
        case .resolved(let a):
            return .object([
                ("terms", free(a.terms, reveal)), ("form", .string((a.oral ? AgreementForm.oral : .written).rawValue)),
                ("amount_fen", a.amountFen.map { .int($0) } ?? .null), ("perform_by", .string(a.performBy)),
                ("follow_up_at", time(a.followUpAt)), ("facts", text(a.facts)),
                ("responsibility", text(a.responsibility)),
            ])
        case .reopened(let why, let due): return .object([("reason", free(why, reveal)), ("due_at", time(due))])
        case .closed(let note, let s, let performance, let early):
            return .object([
                ("note", free(note, reveal)), ("satisfaction", .string(s.rawValue)),
                ("performance", performance.map { .string($0.rawValue) } ?? .null),
                ("early", early.map { free($0, reveal) } ?? .null),
            ])
        case .assigned(let login): return .object([("follow_up_by", .string(login))])
        case .confirmed(let applied, let ruling):
            return .object([("applied", text(applied?.description)), ("ruling", text(ruling?.rawValue))])
        case .referred(let to, let why): return .object([("to", .string(to.rawValue)), ("reason", free(why, reveal))])
        case .withdrawn(let why): return .object([("reason", free(why, reveal))])
        case .noted(let body): return .object([("text", free(body, reveal))])
        case .supervised(let why): return .object(reason(why))
        }
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
    c.write(table.rendered())
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
