import MediateCore
import MediateStore

let viewCommands: [Command] = [
    Command(
        name: "show", zh: "显示案件及其时间线", en: "show a case and its timeline", usage: "CASE [--reveal]",
        options: [reveal], positionals: 1...1, run: showCase),
    Command(
        name: "list", zh: "按条件列出案件", en: "list cases by state, level, unit, severity, assignee, overdue",
        usage: "[--state S] [--level L] [--unit CODE] [--severity S] [--assignee LOGIN] [--overdue] [--reveal]",
        options: [
            OptionSpec(
                "state", "S", zh: "状态：open、mediating、resolved、closed、referred、withdrawn",
                en: "state: open, mediating, resolved, closed, referred, withdrawn"),
            OptionSpec("level", "L", zh: "当前层级", en: "current level"),
            OptionSpec("unit", "CODE", zh: "单位（含下属单位）", en: "unit, with everything below it"),
            OptionSpec("severity", "S", zh: "等级", en: "severity"),
            OptionSpec("assignee", "LOGIN", zh: "承办人", en: "assigned mediator"),
            OptionSpec("overdue", zh: "只列逾期案件", en: "only overdue cases"),
            OptionSpec("limit", "N", zh: "最多列出几件（默认 200）", en: "at most this many (default 200)"),
            reveal,
        ], positionals: 0...0, run: listCases),
]

private let reveal = OptionSpec("reveal", zh: "显示完整电话和身份证号", en: "show full phone and ID numbers")

/// `13812345678` → `138****5678`: enough to recognise, not to call.
/// `138****0000`: a mobile or an ID number keeps its first three and last four; a
/// shorter number (a landline without its area code) keeps only its last two.
func mask(_ value: String) -> String {
    let chars = Array(value)
    guard chars.count >= 11 else {
        return String(repeating: "*", count: max(0, chars.count - 2)) + String(chars.suffix(2))
    }
    return String(chars.prefix(3)) + String(repeating: "*", count: chars.count - 7) + String(chars.suffix(4))
}

func caseJSON(_ k: Case, _ m: Machine, reveal: Bool, now: Int64? = nil) -> JSON {
    func time(_ t: Int64?) -> JSON { t.map { .string(LocalTime.iso($0)) } ?? .null }
    func text(_ s: String?) -> JSON { s.map(JSON.string) ?? .null }
    var fields: [(String, JSON)] = [
        ("number", .string(k.number.description)), ("state", .string(k.state.rawValue)),
        ("severity", .string(k.severity)), ("category", .string(k.category)), ("source", .string(k.source)),
        ("source_ref", text(k.sourceRef)), ("origin_grid", text(m.organisation[k.originUnitID]?.code)),
        ("unit", text(m.organisation[k.unitID]?.code)), ("level", text(m.policy.level(k.level)?.code)),
        ("top_level", text(m.policy.level(k.topLevel)?.code)), ("assignee", text(k.assignee)),
        ("filed_at", time(k.filedAt)), ("due_at", time(k.dueAt)), ("resolved_at", time(k.resolvedAt)),
        ("closed_at", time(k.closedAt)), ("follow_up_at", time(k.followUpAt)), ("supervised_at", time(k.supervisedAt)),
        ("breaches", .int(Int64(k.breaches))), ("version", .int(Int64(k.version))), ("summary", .string(k.summary)),
    ]
    if let now { fields.append(("overdue", .bool(k.isOverdue(at: now)))) }
    fields.append(
        (
            "parties",
            .array(
                k.parties.map { p in
                    .object([
                        ("name", .string(p.name)), ("role", .string(p.role)),
                        ("phone", p.phone.map { .string(reveal ? $0 : mask($0)) } ?? .null),
                        ("id_number", p.idNumber.map { .string(reveal ? $0 : mask($0)) } ?? .null),
                        ("address", text(p.address)),
                    ])
                })
        ))
    return .object(fields)
}

private func showCase(_ c: Context) throws -> Int32 {
    let number = try Input.caseNumber(c.args.positionals[0])
    let store = try c.openStore()
    let m = try store.machine()
    let k = try store.requireCase(number)
    let events = try store.events(of: k.id)
    let now = try c.now()
    let reveal = try revealing(c, store, m.organisation, refusingOutside: [k])(k)
    let org = m.organisation
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
        guard case .object(var fields) = caseJSON(k, m, reveal: reveal, now: now) else { return Exit.ok }
        fields.append(
            (
                "events",
                .array(
                    steps.map { s in
                        .object([
                            ("seq", .int(Int64(s.0.event.caseSeq))),
                            ("action", .string(s.0.event.change.kind.rawValue)),
                            ("actor", .string(s.0.event.actor)),
                            ("effective_at", .string(LocalTime.iso(s.0.event.effectiveAt))),
                            ("entered_at", .string(LocalTime.iso(s.0.enteredAt))),
                            ("from", s.from.map { .string($0.state.rawValue) } ?? .null),
                            ("to", .string(s.to.state.rawValue)),
                            ("unit", .string(org[s.to.unitID]?.code ?? "")),
                            (
                                "detail",
                                .object(
                                    detailFields(s.0.event.change, reveal: reveal).map { ($0.0, JSON.string($0.1)) })
                            ),
                        ])
                    })
            ))
        c.printJSON(.object(fields))
        return Exit.ok
    }

    let p = m.policy
    func term(_ list: [Term], _ code: String) -> String {
        list.first { $0.code == code }.map { c.lang == .zh ? $0.nameZh : $0.nameEn } ?? code
    }
    let severityName = p.severity(k.severity).map { c.lang == .zh ? $0.nameZh : $0.nameEn } ?? k.severity
    c.print(
        c.t("案件 ", "Case ")
            + "\(k.number)  \(term(p.categories, k.category)) · \(severityName) · \(stateName(k.state, c.lang))")
    c.print(
        c.t("发生地：", "Origin: ") + unit(k.originUnitID) + c.t("    当前：", "    now at: ") + unit(k.unitID)
            + " (\(levelName(p, k.level, c.lang)))")
    c.print(c.t("来源：", "Source: ") + term(p.sources, k.source) + (k.sourceRef.map { " [\($0)]" } ?? ""))
    c.print(c.t("摘要：", "Summary: ") + k.summary)
    for party in k.parties {
        let role = c.lang == .zh ? (Input.partyRoles.first { $0.code == party.role }?.zh ?? party.role) : party.role
        var line = "  \(party.name) (\(role))"
        if let phone = party.phone { line += "  " + (reveal ? phone : mask(phone)) }
        if let id = party.idNumber { line += "  " + (reveal ? id : mask(id)) }
        if let address = party.address { line += "  " + address }
        c.print(c.t("当事人：", "Party: ") + line.trimmingWhitespace())
    }
    if let assignee = k.assignee { c.print(c.t("承办：", "Mediator: ") + assignee) }
    var dates = c.t("登记 ", "filed ") + LocalTime.minute(k.filedAt)
    if k.state.isActive {
        dates += c.t(" · 期限 ", " · due ") + LocalTime.minute(k.dueAt)
        if k.isOverdue(at: now) { dates += c.t("（逾期）", " (overdue)") }
    }
    if let t = k.resolvedAt { dates += c.t(" · 调解成功 ", " · resolved ") + LocalTime.minute(t) }
    if let t = k.followUpAt, k.state == .resolved {
        dates += c.t(" · 回访 ", " · follow-up ") + LocalTime.day(t).description
    }
    if let t = k.closedAt { dates += c.t(" · 结案 ", " · closed ") + LocalTime.minute(t) }
    if k.supervisedAt != nil { dates += c.t(" · 已督办", " · flagged for supervision") }
    c.print(dates)
    if k.breaches > 0 { c.print(c.t("违反层级规则：\(k.breaches) 次", "Breaches of the rule: \(k.breaches)")) }
    c.print()
    c.print(c.t("时间线：", "Timeline:"))
    var table = TextTable(
        headers: [
            c.t("时间", "when"), c.t("操作人", "who"), c.t("操作", "what"), c.t("状态", "from → to"), c.t("单位", "unit"),
            c.t("说明", "notes"),
        ],
        alignments: [.left, .left, .left, .left, .left, .left])
    for s in steps {
        let e = s.0.event
        let move = (s.from.map { stateName($0.state, c.lang) } ?? "—") + " → " + stateName(s.to.state, c.lang)
        var when = LocalTime.minute(e.effectiveAt)
        if s.0.enteredAt - e.effectiveAt > 3600 {
            when += c.t("（补录 ", " (entered ") + LocalTime.day(s.0.enteredAt).description + c.t("）", ")")
        }
        table.add([
            when, e.actor, actionName(e.change.kind, c.lang), move, org[s.to.unitID]?.code ?? "?", notes(e.change, c),
        ])
    }
    c.write(table.rendered())
    return Exit.ok
}

/// The human part of an event's detail.
private func notes(_ change: Change, _ c: Context) -> String {
    var parts: [String] = []
    switch change {
    case .filed: break
    case .accepted(let mediator): parts.append(c.t("承办人 ", "mediator ") + mediator)
    case .assessed(let severity, let category, let reason):
        if let severity { parts.append(c.t("等级→", "severity→") + severity) }
        if let category { parts.append(c.t("类别→", "category→") + category) }
        parts.append(reason)
    case .escalated(_, _, _, let reason, let breach):
        parts.append(reason)
        if breach > 0 { parts.append(c.t("【违反层级规则】", "[breach]")) }
    case .extended(let due, let reason):
        parts.append(c.t("期限至 ", "until ") + LocalTime.minute(due) + c.t("，双方同意；", ", both parties consent; ") + reason)
    case .resolved(let a):
        parts.append((a.oral ? c.t("口头协议：", "oral agreement: ") : c.t("书面协议：", "written agreement: ")) + a.terms)
        if let fen = a.amountFen { parts.append(c.t("金额 ", "amount ") + yuan(fen)) }
        parts.append(c.t("履行期限 ", "perform by ") + a.performBy)
    case .reopened(let reason, _): parts.append(reason)
    case .closed(let note, let s): parts.append(note + " (" + s.rawValue + ")")
    case .referred(let to, let reason): parts.append(to.rawValue + ": " + reason)
    case .withdrawn(let reason): parts.append(reason)
    case .noted(let text): parts.append(text)
    case .supervised(let reason): parts.append(c.t("督办：", "supervision: ") + reason)
    }
    return parts.joined(separator: "; ").split(whereSeparator: \.isNewline).joined(separator: " ")
}

/// Which cases to print phone and ID numbers of in full: none unless asked; when asked,
/// those a registered person's unit holds (all, for an admin of the whole tree). Cases
/// outside stay masked, or are refused when named one by one.
private func revealing(_ c: Context, _ store: Store, _ org: Organisation, refusingOutside named: [Case] = [])
    throws -> (Case) -> Bool
{
    guard c.args.has("reveal") else { return { _ in false } }
    let actor = try store.actor(c.login)
    guard let home = actor.unitID else { return { _ in true } }
    if let outside = named.first(where: { !org.contains(home, $0.unitID) }) {
        throw StoreError.rule(.outsideJurisdiction(unitCode: org[outside.unitID]?.code ?? "?"))
    }
    return { org.contains(home, $0.unitID) }
}

/// The detail as shown in JSON: personal data masked unless revealed.
private func detailFields(_ change: Change, reveal: Bool) -> [(String, String)] {
    change.detail.map { key, value in
        (!reveal && (key.hasSuffix(".phone") || key.hasSuffix(".id_number"))) ? (key, mask(value)) : (key, value)
    }
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
    if let s = c.args["state"] {
        guard let state = CaseState(rawValue: s) else {
            throw c.usage(
                "未知状态 '\(echo(s))'：可选 open、mediating、resolved、closed、referred、withdrawn。",
                "Unknown state '\(echo(s))': use open, mediating, resolved, closed, referred or withdrawn.")
        }
        filter.state = state
    }
    if let l = c.args["level"] {
        guard let level = p.level(code: l) ?? p.levels.first(where: { $0.nameZh == l }) else {
            throw c.usage(
                "未知层级 '\(l)'：可选 \(p.levels.map(\.code).joined(separator: "、"))。",
                "Unknown level '\(l)': use \(p.levels.map(\.code).joined(separator: ", ")).")
        }
        filter.level = level.rank
    }
    if let u = c.args["unit"] {
        guard let unit = m.organisation.unit(code: u) else { throw StoreError.noSuchUnit(u) }
        filter.units = m.organisation.subtree(of: unit.id)
    }
    if let s = c.args["severity"] {
        filter.severity = try term(
            s, p.severities.map { Term(code: $0.code, nameZh: $0.nameZh, nameEn: $0.nameEn) }, "severity", c)
    }
    filter.assignee = c.args["assignee"]
    let now = try c.now()
    if c.args.has("overdue") { filter.overdueAt = now }
    if let l = c.args["limit"] {
        guard let n = Int(l), (1...100_000).contains(n) else {
            throw c.usage("--limit 应为 1 到 100000 的整数。", "--limit takes a whole number from 1 to 100000.")
        }
        filter.limit = n
    }
    // One more than shown tells whether anything was cut off.
    let limit = filter.limit
    filter.limit += 1
    var cases = try store.cases(filter)
    let cutOff = cases.count > limit
    cases = Array(cases.prefix(limit))
    let reveal = try revealing(c, store, m.organisation)
    if c.format == .json {
        c.printJSON(.array(cases.map { caseJSON($0, m, reveal: reveal($0), now: now) }))
        return Exit.ok
    }
    if cases.isEmpty {
        c.print(c.t("没有符合条件的案件。", "No cases match."))
        return Exit.ok
    }
    var table = TextTable(
        headers: [
            c.t("编号", "number"), c.t("状态", "state"), c.t("单位", "unit"), c.t("等级", "severity"), c.t("类别", "category"),
            c.t("承办", "mediator"), c.t("期限", "due"), c.t("当事人", "parties"), c.t("摘要", "summary"),
        ],
        alignments: [.left, .left, .left, .left, .left, .left, .left, .left, .left])
    for k in cases {
        let severity = p.severity(k.severity).map { c.lang == .zh ? $0.nameZh : $0.nameEn } ?? k.severity
        let category =
            p.categories.first { $0.code == k.category }.map { c.lang == .zh ? $0.nameZh : $0.code } ?? k.category
        let due = k.state.isActive ? LocalTime.day(k.dueAt).description + (k.isOverdue(at: now) ? " !" : "") : ""
        var parties = k.parties.prefix(3).map { $0.name + ($0.phone.map { " " + (reveal(k) ? $0 : mask($0)) } ?? "") }
            .joined(separator: "; ")
        if k.parties.count > 3 { parties += c.t(" 等 \(k.parties.count) 人", " +\(k.parties.count - 3)") }
        table.add([
            k.number.description, stateName(k.state, c.lang), m.organisation[k.unitID]?.code ?? "?", severity, category,
            k.assignee ?? "", due, parties, clip(k.summary, 24),
        ])
    }
    c.write(table.rendered())
    c.print(
        c.t("共 \(cases.count) 件", cases.count == 1 ? "1 case" : "\(cases.count) cases")
            + (cutOff ? c.t("（还有更多，加大 --limit 可看到）", " (more match: raise --limit to see them)") : ""))
    return Exit.ok
}

/// At most `width` display columns of one line of `text`, with an ellipsis if cut.
func clip(_ text: String, _ width: Int) -> String {
    let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    guard line.displayWidth > width else { return line }
    var out = ""
    for ch in line {
        if (out + String(ch)).displayWidth > width - 1 { break }
        out.append(ch)
    }
    return out + "…"
}
