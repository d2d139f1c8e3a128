import MediateCore
import MediateStore

// The daily desk: assigning and recording follow-ups (回访), judicial confirmation
// (司法确认), and the list people work from.

private let reveal = Option("reveal", .optionReveal)
private let limit = Option("limit", .count(1...100_000), help: DeskHelp.optionLimit)
private let assignee = Option("assignee", .login, help: DeskHelp.optionAssignee)
private let mine = Option("mine", help: DeskHelp.optionMine)

let deskCommands: [Command] = [
    Command(
        name: "list", help: .commandList,
        options: [
            Option("state", .choice(.of(CaseState.self)), repeatable: true, help: DeskHelp.optionStates),
            Option("all", help: DeskHelp.optionAll),
            Option("level", .term(.level), .optionLevel), Option("unit", .code(.unitCode), .optionUnitBelow),
            Option("severity", .term(.severity), .optionSeverityFilter),
            Option("category", .term(.category), help: DeskHelp.optionCategory),
            Option("source", .term(.source), help: DeskHelp.optionSource),
            Option("since", .day, help: DeskHelp.optionSince), Option("until", .day, help: DeskHelp.optionUntil),
            Option("party", .text(limit: 200, multiline: false, stdin: false), help: DeskHelp.optionParty),
            Option("text", .text(limit: 200, multiline: false, stdin: false), help: DeskHelp.optionText),
            Option("breach", help: DeskHelp.optionBreach), Option("supervised", help: DeskHelp.optionSupervised),
            assignee, mine, Option("overdue", help: DeskHelp.optionOverdue),
            Option("follow-up-due", help: DeskHelp.optionFollowUpDue),
            Option("confirm-window", help: DeskHelp.optionConfirmWindow),
            Option("sort", .choice(.of(Store.CaseFilter.Sort.self)), help: DeskHelp.optionSort),
            Option("reverse", help: DeskHelp.optionReverse), limit, reveal,
        ], formats: [.text, .json, .csv],
        validate: { args throws(Problem) in
            if args.has("all") && args.has("state") { throw .notTogether("all", "state") }
            if args.has("mine") && args.has("assignee") { throw .notTogether("mine", "assignee") }
            if let since = args.day("since"), let until = args.day("until"), until < since {
                throw .fromAfterTo(from: "since", to: "until")
            }
        },
        run: { c in try listCases(c) }),
    Command(
        name: "followups", spoken: DeskHelp.commandFollowups,
        options: [Option("unit", .code(.unitCode), help: DeskHelp.optionFollowupsUnit), assignee, mine, limit, reveal],
        formats: [.text, .json, .csv],
        validate: { args throws(Problem) in
            if args.has("mine") && args.has("assignee") { throw .notTogether("mine", "assignee") }
        },
        run: { c in try listCases(c, followUps: true) }),
    Command(
        name: "assign", spoken: DeskHelp.commandAssign, positionals: [.caseNumber],
        options: [Option("to", .login, required: true, help: DeskHelp.optionAssignTo)],
        run: { c in
            try act(c) { store, _ in
                let login = c.args.text("to")!
                guard let person = try store.person(login) else { throw StoreError.noSuchPerson(login) }
                return .assign(followUpBy: person)
            }
        }),
    Command(
        name: "confirm", spoken: DeskHelp.commandConfirm, positionals: [.caseNumber],
        options: [
            Option("applied", .day, help: DeskHelp.optionApplied),
            Option("ruling", .choice(.of(Ruling.self)), help: DeskHelp.optionRuling),
        ],
        validate: { args throws(Problem) in
            guard args.has("applied") || args.has("ruling") else { throw .sayWhatChanges(.appliedOrRuling) }
        },
        run: { c in
            try act(c) { _, _ in .confirm(applied: c.args.day("applied"), ruling: c.args.choice("ruling", Ruling.self))
            }
        }),
]

extension Context {
    /// The login `--assignee` names (`me`: the acting person; `--mine` too), checked
    /// against the people: an unknown login is an error, never an empty list.
    func assignee(_ store: Store) throws -> String? {
        let named = args.has("mine") ? "me" : args.text("assignee")
        guard let named else { return nil }
        let login = named == "me" ? self.login : named
        guard try store.person(login) != nil else {
            throw named == "me" ? StoreError.unknownActor(login) : StoreError.noSuchPerson(login)
        }
        return login
    }

    /// The width text output may take: COLUMNS when set, else the terminal's; nil when
    /// the output goes to a pipe or a file (full text, so that grep finds it).
    var outputWidth: Int? {
        if let text = environment["COLUMNS"], let n = Int(text), n > 0 { return n }
        return invocation.terminalWidth()
    }
}

/// `list` and `followups`: the cases to work from, in a table that fits the terminal,
/// JSON with the total, or CSV.
private func listCases(_ c: Context, followUps: Bool = false) throws -> Int32 {
    // A plain list only reads; a revealing one records that it was seen.
    let store = try c.openStore(readOnly: !c.args.has("reveal"))
    let p = try store.policy()
    let now = try c.now()
    let today = c.zone.day(now)
    var filter = Store.CaseFilter()
    filter.assignee = try c.assignee(store)
    if let u = c.args.text("unit") {
        guard let units = try store.subtree(ofCode: u) else { throw StoreError.noSuchUnit(u) }
        filter.units = units
    }
    let confirmWindow = c.args.has("confirm-window")
    if followUps || c.args.has("follow-up-due") {
        // Due today or before: before the end of today.
        filter.followUpDueBefore = c.zone.endOfDay(today)
        filter.sort = .due
    }
    if followUps {
        // The acting person's units, unless a unit is named.
        let actor = try c.actor(store)
        if filter.units == nil, let home = actor.unitID { filter.units = try store.subtree(of: home) }
    } else {
        let states = c.args.choices("state", CaseState.self)
        if !states.isEmpty {
            filter.states = Set(states)
        } else if !c.args.has("all") && !confirmWindow {
            filter.states = Store.workingStates
        }
        if let l = c.args.text("level") { filter.level = p.level(code: try c.term(.level, l, p))?.rank }
        if let s = c.args.text("severity") { filter.severity = try c.term(.severity, s, p) }
        if let s = c.args.text("category") { filter.category = try c.term(.category, s, p) }
        if let s = c.args.text("source") { filter.source = try c.term(.source, s, p) }
        if let d = c.args.day("since") { filter.filedFrom = c.zone.instant(d) }
        if let d = c.args.day("until") { filter.filedBefore = c.zone.endOfDay(d) }
        filter.party = c.args.text("party")
        filter.text = c.args.text("text")
        filter.breach = c.args.has("breach")
        filter.supervised = c.args.has("supervised")
        if c.args.has("overdue") {
            filter.overdueAt = now
            // A follow-up is late from the day after its day.
            filter.followUpLateBefore = c.zone.instant(today)
        }
        if confirmWindow {
            // Agreed on the day 30 days ago or later: the window includes its last day.
            filter.confirmWindowFrom = c.zone.instant(today.adding(days: -Case.confirmWindowDays))
        }
        if let sort = c.args.choice("sort", Store.CaseFilter.Sort.self) { filter.sort = sort }
        filter.reverse = c.args.has("reverse")
    }
    filter.limit = c.args.count("limit") ?? filter.limit
    // The plain text page reads only what its table shows.
    if c.format == .text && !followUps && !confirmWindow && !c.args.has("reveal") {
        return try listedPage(c, store, filter, p, now: now)
    }
    let cap = countedUpTo(filter)
    let (cases, total) = try pageAndTotal(store, filter, cap: cap, store.cases)
    // The tree whole only for a reveal (whose subtree holds each case); else the page's units.
    let m =
        c.args.has("reveal")
        ? Machine(policy: p, organisation: try store.organisation(), zone: store.zone)
        : Machine(
            policy: p, organisation: try store.units(Set(cases.flatMap { [$0.unitID, $0.originUnitID] })),
            zone: store.zone)
    let org = m.organisation
    let reveal = try revealing(c, store, m)
    let revealed = cases.filter(reveal).map(\.number)
    if !revealed.isEmpty { try c.recordAccess(store, .reveal(revealed)) }
    // The names of the people on this page only, not of everyone registered.
    let people = try store.names(of: Set(cases.flatMap { [$0.assignee, $0.followUpBy].compactMap { $0 } }))
    func person(_ login: String?) -> String { login.map { people[$0] ?? $0 } ?? "" }
    func partyNames(_ k: Case) -> String {
        partiesCell(c, count: k.parties.count, reveal: reveal(k)) { (k.parties[$0].name, k.parties[$0].phone) }
    }
    func due(_ k: Case) -> String { dueCell(c, state: k.state, dueAt: k.dueAt, followUpAt: k.followUpAt, now: now) }
    /// Days left to apply for judicial confirmation; nil when the window is shut.
    func daysLeft(_ k: Case) -> Int? {
        k.confirmWindowEnd(in: c.zone).map { today.days(to: $0) }.flatMap { $0 >= 0 ? $0 : nil }
    }
    var terms: [Int64: String] = [:]
    if followUps || confirmWindow {
        let agreed = try store.agreementTerms(of: cases.map(\.id))
        for k in cases { terms[k.id] = freeText(agreed[k.id] ?? "", reveal: reveal(k)) }
    }

    switch c.format {
    case .json:
        let view = CaseView(c, m)
        c.printJSON(
            .object([
                // Past the count's cap: no total, and how many there are more than.
                ("total", total.map { .int(Int64($0)) } ?? .null), ("truncated", .bool((total ?? .max) > cases.count)),
            ] + (total == nil ? [("more_than", .int(Int64(cap)))] : []) + [
                (
                    "cases",
                    .array(
                        cases.map { k in
                            guard case .object(var fields) = view.json(k, reveal: reveal(k), now: now) else {
                                return .null
                            }
                            fields += [
                                ("perform_by", k.performBy.map { .string($0.description) } ?? .null),
                                ("follow_up_by", k.followUpBy.map(JSON.string) ?? .null),
                                ("follow_up_overdue", .bool(k.followUpOverdue(at: now, in: c.zone))),
                                ("confirm_days_left", daysLeft(k).map { .int(Int64($0)) } ?? .null),
                            ]
                            if let t = terms[k.id] { fields.append(("terms", .string(t))) }
                            return .object(fields)
                        })
                ),
            ]))
        return Exit.ok
    case .csv:
        let names = Names(policy: p, lang: c.lang)
        var headers = [Label.number, .state, .unit, .severity, .category, .mediator, .due].map(c.say)
        headers += [DeskLabel.performBy, .followUpBy].map(c.say)
        headers += [Label.parties, .summary].map(c.say)
        var out = CSV.safeRecord(headers)
        for k in cases {
            out += CSV.safeRecord([
                k.number.description, c.say(k.state), org[k.unitID]?.code ?? "", names.severity(k.severity),
                names.category(k.category), person(k.assignee), String(due(k).prefix(10)),
                k.performBy?.description ?? "", person(k.followUpBy), k.parties.map(\.name).joined(separator: "; "),
                freeText(k.summary, reveal: reveal(k)),
            ])
        }
        c.write(out)
        return Exit.ok
    case .text, .jsonl, .html:  // only text, JSON and CSV are offered: see the declaration
        break
    }

    if cases.isEmpty {
        if followUps {
            c.print(DeskSaid.noFollowUpsDue)
        } else if confirmWindow {
            c.print(DeskSaid.noConfirmWindow)
        } else {
            c.print(Said.noCasesMatch)
        }
        return Exit.ok
    }
    let names = Names(policy: p, lang: c.lang)
    let headers: [String]
    var rows: [[String]] = []
    if followUps || confirmWindow {
        let middle: [String] =
            followUps
            ? [DeskLabel.followUpDay, .performBy, .followUpBy].map(c.say)
            : [DeskLabel.lastDay, .daysLeft].map(c.say)
        headers = [c.say(Label.number), c.say(Label.unit)] + middle + [c.say(Label.parties), c.say(DeskLabel.terms)]
        for k in cases {
            let mid: [String] =
                followUps
                ? [due(k), k.performBy?.description ?? "", person(k.followUpBy)]
                : [k.confirmWindowEnd(in: c.zone)?.description ?? "", daysLeft(k).map(String.init) ?? ""]
            rows.append([k.number.description, org[k.unitID]?.code ?? "?"] + mid + [partyNames(k), terms[k.id] ?? ""])
        }
    } else {
        headers = listHeaders(c)
        for k in cases {
            rows.append([
                k.number.description, c.say(k.state), org[k.unitID]?.code ?? "?", names.severity(k.severity),
                names.category(k.category), person(k.followUpBy ?? k.assignee), due(k), partyNames(k),
                freeText(k.summary, reveal: reveal(k)),
            ])
        }
    }
    printTable(c, headers: headers, rows: rows, total: total, cap: cap, followUps: followUps)
    return Exit.ok
}

/// `list`'s text page without `--reveal`, the common one: the lean rows of
/// `Store.listed` (only what the table shows), in the table `listCases` prints from whole
/// cases.
private func listedPage(_ c: Context, _ store: Store, _ filter: Store.CaseFilter, _ p: Policy, now: Int64) throws
    -> Int32
{
    let cap = countedUpTo(filter)
    let (page, total) = try pageAndTotal(store, filter, cap: cap, store.listed)
    guard !page.isEmpty else {
        c.print(Said.noCasesMatch)
        return Exit.ok
    }
    let names = Names(policy: p, lang: c.lang)
    var rows: [[String]] = []
    rows.reserveCapacity(page.count)
    for k in page {
        rows.append([
            k.number.description, c.say(k.state), k.unitCode ?? "?", names.severity(k.severity),
            names.category(k.category), k.worker ?? "",
            dueCell(c, state: k.state, dueAt: k.dueAt, followUpAt: k.followUpAt, now: now),
            partiesCell(c, count: k.parties.count, reveal: false) { i in
                let party = k.parties[k.parties.startIndex + i]
                return (party.name, party.phone)
            },
            freeText(k.summary, reveal: false),
        ])
    }
    printTable(c, headers: listHeaders(c), rows: rows, total: total, cap: cap, followUps: false)
    return Exit.ok
}

/// The headers of `list`'s table.
private func listHeaders(_ c: Context) -> [String] {
    [Label.number, .state, .unit, .severity, .category, .mediator, .due, .parties, .summary].map(c.say)
}

/// The list's "due" cell: the follow-up day of a resolved case, the due day of an active
/// one, each marked " !" when late; empty for a final case.
private func dueCell(_ c: Context, state: CaseState, dueAt: Int64, followUpAt: Int64?, now: Int64) -> String {
    if state == .resolved, let at = followUpAt {
        let day = c.zone.day(at).description
        return Case.followUpOverdue(state: state, followUpAt: at, at: now, in: c.zone) ? day + " !" : day
    }
    guard state.isActive else { return "" }
    let day = c.zone.day(dueAt).description
    return Case.isOverdue(state: state, dueAt: dueAt, at: now) ? day + " !" : day
}

/// The list's parties cell: the first three (`party(i)`, of `count`), each with the phone
/// masked unless revealed, then how many there are when more.
private func partiesCell(
    _ c: Context, count: Int, reveal: Bool, _ party: (Int) -> (name: String, phone: String?)
) -> String {
    // Bytes, made a String once.
    var bytes: [UInt8] = []
    bytes.reserveCapacity(64)
    for i in 0..<min(count, 3) {
        let (name, phone) = party(i)
        if i > 0 {
            bytes.append(UInt8(ascii: ";"))
            bytes.append(UInt8(ascii: " "))
        }
        bytes.append(utf8Of: name)
        if let phone {
            bytes.append(UInt8(ascii: " "))
            bytes.append(utf8Of: reveal ? phone : mask(phone))
        }
    }
    if count > 3 { bytes.append(utf8Of: c.say(Said.moreParties(count))) }
    return String(decoding: bytes, as: UTF8.self)
}

/// `filter`'s page as `read` reads it and how many match (nil: more than `cap`), as of
/// one moment.
private func pageAndTotal<Row>(
    _ store: Store, _ filter: Store.CaseFilter, cap: Int,
    _ read: (Store.CaseFilter) throws(StoreError) -> [Row]
) throws(StoreError) -> ([Row], Int?) {
    try store.snapshot { () throws(StoreError) in
        let page = try read(filter)
        return (page, page.count < filter.limit ? page.count : try store.countCases(filter, upTo: cap))
    }
}

/// How many matching cases a list counts at most, beyond its page: a count of every case
/// a filter keeps would grow with the street (the tally counts states and units whole).
private func countedUpTo(_ filter: Store.CaseFilter) -> Int { max(1_000, 5 * filter.limit) }

/// Prints the list's table, then how many it shows of how many (past `cap`, of more
/// than `cap`). The last column takes the width the others leave; the whole of it when
/// piped.
private func printTable(
    _ c: Context, headers: [String], rows: [[String]], total: Int?, cap: Int, followUps: Bool
) {
    var rows = rows
    let last = headers.count - 1
    let oneLine: (String) -> String = { text in
        // Text without a line break is one line already.
        guard text.utf8.hasLineBreak else { return text }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
    if let width = c.outputWidth {
        var used = 0
        for column in 0..<last {
            used += max(headers[column].displayWidth, rows.map { $0[column].displayWidth }.max() ?? 0) + 2
        }
        let room = max(width - used, 12)
        for i in rows.indices { rows[i][last] = fit(oneLine(rows[i][last]), room) }
    } else {
        for i in rows.indices { rows[i][last] = oneLine(rows[i][last]) }
    }
    var table = TextTable(headers: headers, alignments: headers.map { _ in .left })
    for row in rows { table.add(row) }
    c.write(utf8: table.renderedUTF8())
    guard let total else { return c.print(DeskSaid.listedOfMoreThan(shown: rows.count, cap: cap)) }
    if total > rows.count {
        c.print(DeskSaid.listedOf(shown: rows.count, total: total))
    } else if followUps {
        c.print(DeskSaid.followUpsDue(total))
    } else {
        c.print(Said.listed(rows.count, more: false))
    }
}

/// At most `width` display columns of `text`, cut with "..." (three columns on any
/// terminal, where "…" is one or two depending on the font).
func fit(_ text: String, _ width: Int) -> String { text.clipped(toWidth: width, mark: "...") }

extension String.UTF8View {
    /// Whether this UTF-8 holds a line break (`Character.isNewline`): U+000A–U+000D,
    /// U+0085 (C2 85), U+2028 or U+2029 (E2 80 A8, E2 80 A9). Read in place.
    var hasLineBreak: Bool {
        withContiguousStorageIfAvailable(\.hasLineBreak) ?? Array(self).withUnsafeBufferPointer(\.hasLineBreak)
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Whether this UTF-8 holds a line break: see `String.UTF8View.hasLineBreak`.
    var hasLineBreak: Bool {
        var i = 0
        while i < count {
            let b = self[i]
            // Most bytes start none: a control below 0x0E, or the lead byte C2 or E2.
            if b > 0x0D && b != 0xC2 && b != 0xE2 {
                i += 1
                continue
            }
            if b >= 0x0A && b <= 0x0D { return true }
            if b == 0xC2 && i + 1 < count && self[i + 1] == 0x85 { return true }
            if b == 0xE2 && i + 2 < count && self[i + 1] == 0x80 && (self[i + 2] == 0xA8 || self[i + 2] == 0xA9) {
                return true
            }
            i += 1
        }
        return false
    }
}
