import MediateCore
import MediateStore

private let reveal = Option("reveal", .optionReveal)

let viewCommands: [Command] = [
    Command(name: "show", help: .commandShow, positionals: [.caseNumber], options: [reveal], run: showCase),
    Command(
        name: "list", help: .commandList,
        options: [
            Option("state", .choice(.of(CaseState.self)), .optionState),
            Option("level", .term(.level), .optionLevel), Option("unit", .code(.unitCode), .optionUnitBelow),
            Option("severity", .term(.severity), .optionSeverityFilter), Option("assignee", .login, .optionAssignee),
            Option("overdue", .optionOverdue), Option("limit", .count(1...100_000), .optionLimit), reveal,
        ], run: listCases),
]

func mask(_ value: String) -> String { Privacy.mask(value) }

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
            ("version", .int(Int64(k.version))), ("summary", .string(k.summary)),
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
            case .said(let text): [("reason", .string(text)), ("cause", .null)]
            case .overdue: [("reason", .null), ("cause", .string("overdue"))]
            }
        }
        switch change {
        case .filed(let f, let lvl, let due):
            return .object([
                ("number", .string(f.number.description)), ("grid", unit(f.unitID)), ("severity", .string(f.severity)),
                ("category", .string(f.category)), ("source", .string(f.source)), ("source_ref", text(f.sourceRef)),
                ("summary", .string(f.summary)), ("parties", parties(f.parties, reveal: reveal)), ("level", level(lvl)),
                ("due_at", time(due)), ("imported", f.origin.map(Self.origin) ?? .null),
            ])
        case .accepted(let mediator): return .object([("mediator", .string(mediator))])
        case .assessed(let severity, let category, let why):
            return .object([("severity", text(severity)), ("category", text(category)), ("reason", .string(why))])
        case .escalated(let to, let lvl, let due, let why, let breach):
            return .object(
                [("unit", unit(to)), ("level", level(lvl)), ("due_at", time(due))] + reason(why) + [
                    ("breach", .bool(breach > 0)), ("breach_from_level", breach > 0 ? level(breach) : .null),
                ])
        case .extended(let due, let why):
            return .object([("due_at", time(due)), ("reason", .string(why)), ("both_parties_consent", .bool(true))])
        case .resolved(let a):
            return .object([
                ("terms", .string(a.terms)), ("form", .string((a.oral ? AgreementForm.oral : .written).rawValue)),
                ("amount_fen", a.amountFen.map { .int($0) } ?? .null), ("perform_by", .string(a.performBy)),
                ("follow_up_at", time(a.followUpAt)), ("facts", text(a.facts)),
                ("responsibility", text(a.responsibility)),
            ])
        case .reopened(let why, let due): return .object([("reason", .string(why)), ("due_at", time(due))])
        case .closed(let note, let s): return .object([("note", .string(note)), ("satisfaction", .string(s.rawValue))])
        case .referred(let to, let why): return .object([("to", .string(to.rawValue)), ("reason", .string(why))])
        case .withdrawn(let why): return .object([("reason", .string(why))])
        case .noted(let body): return .object([("text", .string(body))])
        case .supervised(let why): return .object(reason(why))
        }
    }
}

private func showCase(_ c: Context) throws -> Int32 {
    let number = try Input.caseNumber(c.args.positionals[0])
    let store = try c.openStore()
    let m = try store.machine()
    let k = try store.requireCase(number)
    let events = try store.events(of: k.id)
    let now = try c.now()
    let reveal = try revealing(c, store, m, refusingOutside: [k])(k)
    let org = m.organisation
    let z = c.zone
    func unit(_ id: Int64) -> String { org[id].map { "\($0.code) \($0.name)" } ?? "?" }

    // Replay to know each event's from → to.
    var steps: [(Store.StoredEvent, from: Case?, to: Case)] = []
    var state: Case? = nil
    for e in events {
        let next = state.map { $0.applying(e.event) } ?? Case(id: k.id, filed: e.event)
        steps.append((e, state, next))
        state = next
    }

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
    c.print(Said.caseSummary(k.summary))
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
    if let t = k.closedAt { dates += " · " + c.say(Label.closedOn) + " " + z.minute(t) }
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
            when, e.actor, c.say(e.change.kind), move, org[s.to.unitID]?.code ?? "?", notes(e.change, c, names),
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
        return person.name == login ? login : lang == .zh ? "\(person.name)（\(login)）" : "\(person.name) (\(login))"
    }
}

/// The human part of an event's detail, in the user's language.
private func notes(_ change: Change, _ c: Context, _ names: Names) -> String {
    var parts: [String] = []
    func reason(_ r: Reason) -> String {
        switch r {
        case .said(let text): text
        case .overdue: c.say(Label.overdue)
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
    case .closed(let note, let s): parts.append(note + c.say(Said.bracketed(c.say(s))))
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
private func revealing(_ c: Context, _ store: Store, _ machine: Machine, refusingOutside named: [Case] = [])
    throws -> (Case) -> Bool
{
    guard c.args.has("reveal") else { return { _ in false } }
    let actor = try store.actor(c.login)
    if let outside = named.first(where: { !machine.mayReveal($0, to: actor) }) {
        throw StoreError.rule(.outsideJurisdiction(unitCode: machine.organisation[outside.unitID]?.code ?? "?"))
    }
    return { machine.mayReveal($0, to: actor) }
}

func yuan(_ fen: Int64) -> String {
    let cents = fen % 100
    return "\(fen / 100)." + (cents < 10 ? "0" : "") + String(cents)
}

private func listCases(_ c: Context) throws -> Int32 {
    let store = try c.openStore()
    let m = try store.machine()
    let p = m.policy
    var filter = Store.CaseFilter()
    filter.state = c.args.choice("state", CaseState.self)
    if let l = c.args.text("level") {
        let code = try c.term(.level, l, p)
        filter.level = p.level(code: code)?.rank
    }
    if let u = c.args.text("unit") {
        guard let unit = m.organisation.unit(code: u) else { throw StoreError.noSuchUnit(u) }
        filter.units = m.organisation.subtree(of: unit.id)
    }
    if let s = c.args.text("severity") { filter.severity = try c.term(.severity, s, p) }
    filter.assignee = c.args.text("assignee")
    let now = try c.now()
    if c.args.has("overdue") { filter.overdueAt = now }
    if let n = c.args.count("limit") { filter.limit = n }
    // One more than shown tells whether anything was cut off.
    let limit = filter.limit
    filter.limit += 1
    var cases = try store.cases(filter)
    let cutOff = cases.count > limit
    cases = Array(cases.prefix(limit))
    let reveal = try revealing(c, store, m)
    if c.format == .json {
        let view = CaseView(c, m)
        c.printJSON(.array(cases.map { view.json($0, reveal: reveal($0), now: now) }))
        return Exit.ok
    }
    if cases.isEmpty {
        c.print(Said.noCasesMatch)
        return Exit.ok
    }
    let names = Names(policy: p, lang: c.lang)
    var table = TextTable(
        headers: [Label.number, .state, .unit, .severity, .category, .mediator, .due, .parties, .summary].map(c.say),
        alignments: [.left, .left, .left, .left, .left, .left, .left, .left, .left])
    for k in cases {
        let category = c.lang == .zh ? names.category(k.category) : k.category
        let due = k.state.isActive ? c.zone.day(k.dueAt).description + (k.isOverdue(at: now) ? " !" : "") : ""
        var parties = k.parties.prefix(3).map { $0.name + ($0.phone.map { " " + (reveal(k) ? $0 : mask($0)) } ?? "") }
            .joined(separator: "; ")
        if k.parties.count > 3 { parties += c.say(Said.moreParties(k.parties.count)) }
        table.add([
            k.number.description, c.say(k.state), m.organisation[k.unitID]?.code ?? "?", names.severity(k.severity),
            category, k.assignee ?? "", due, parties, clip(k.summary, 24),
        ])
    }
    c.write(table.rendered())
    c.print(Said.listed(cases.count, more: cutOff))
    return Exit.ok
}

/// At most `width` display columns of one line of `text`, with an ellipsis if cut.
func clip(_ text: String, _ width: Int) -> String {
    let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    guard line.displayWidth > width else { return line }
    var out = ""
    var used = 0
    for ch in line {
        let w = String(ch).displayWidth
        if used + w > width - 1 { break }
        out.append(ch)
        used += w
    }
    return out + "…"
}
