import MediateCore
import MediateStore

private let reason = OptionSpec("reason", "TEXT", zh: "理由", en: "the reason")

let caseCommands: [Command] = [
    Command(
        name: "file", zh: "登记新案件（打印案件编号）", en: "file a new case (prints its number)",
        usage: "--grid CODE --category C --severity S --source S --summary TEXT|- --party \"姓名,角色,电话\"...",
        options: [
            OptionSpec("grid", "CODE", zh: "发生地网格", en: "the grid where it arose"),
            OptionSpec(
                "category", "C", zh: "类别（代码或中文名，如 邻里）", en: "category (code or Chinese name, e.g. neighbour or 邻里)"),
            OptionSpec("severity", "S", zh: "等级：minor 一般、major 较大、critical 重大", en: "severity: minor, major, critical"),
            OptionSpec("source", "S", zh: "来源，如 patrol 网格排查", en: "source, e.g. patrol"),
            OptionSpec("ref", "REF", zh: "外部编号（如 12345 工单号）", en: "outside reference number (e.g. the 12345 ticket)"),
            OptionSpec("summary", "TEXT", zh: "案情摘要；写 - 则从标准输入读", en: "summary; '-' reads it from standard input"),
            OptionSpec(
                "party", "P", repeatable: true, zh: "当事人：\"姓名,角色[,电话[,身份证号[,地址]]]\"",
                en: "a party: \"name,role[,phone[,id number[,address]]]\""),
        ], positionals: 0...0, run: fileCase),
    Command(
        name: "accept", zh: "受理：由调解员接手", en: "accept: a mediator takes the case", usage: "CASE [--mediator LOGIN]",
        options: [OptionSpec("mediator", "LOGIN", zh: "承办人（默认自己）", en: "who mediates (default: you)")],
        positionals: 1...1,
        run: { c in
            try act(c) { store, _ in
                guard let login = c.args["mediator"] else { return .accept(mediator: try store.actor(c.login)) }
                guard let mediator = try store.person(login) else { throw StoreError.noSuchPerson(login) }
                return .accept(mediator: mediator)
            }
        }),
    Command(
        name: "assess", zh: "研判：改等级或类别", en: "assess: change severity or category",
        usage: "CASE [--severity S] [--category C] --reason TEXT",
        options: [
            OptionSpec("severity", "S", zh: "新等级", en: "new severity"),
            OptionSpec("category", "C", zh: "新类别", en: "new category"), reason,
        ], positionals: 1...1,
        run: { c in
            try act(c) { _, machine in
                guard c.args.has("severity") || c.args.has("category") else {
                    throw c.usage(
                        "请说明改什么：--severity、--category 或两者。", "Say what changes: --severity, --category or both.")
                }
                let severity = try c.args["severity"].map {
                    try term(
                        $0, machine.policy.severities.map { Term(code: $0.code, nameZh: $0.nameZh, nameEn: $0.nameEn) },
                        "severity", c)
                }
                let category = try c.args["category"].map { try term($0, machine.policy.categories, "category", c) }
                return .assess(severity: severity, category: category, reason: try text(c, "reason"))
            }
        }),
    Command(
        name: "escalate", zh: "上报到上一级", en: "escalate one level up", usage: "CASE --reason TEXT", options: [reason],
        positionals: 1...1, run: { c in try act(c) { _, _ in .escalate(reason: try text(c, "reason")) } }),
    Command(
        name: "extend", zh: "延期（须双方当事人同意）", en: "extend the time limit (both parties consent)",
        usage: "CASE --until DATE --reason TEXT --consent",
        options: [
            OptionSpec("until", "DATE", zh: "新期限（含当天）", en: "new due date (inclusive)"), reason,
            OptionSpec("consent", zh: "双方当事人已同意延期", en: "both parties agreed to the extension"),
        ], positionals: 1...1,
        run: { c in
            try act(c) { _, _ in
                let until = LocalTime.endOfDay(try Input.day(try c.required("until"), field: "until"))
                guard c.args.has("consent") else {
                    throw c.usage(
                        "延期须双方当事人同意：同意后加 --consent。",
                        "An extension needs both parties' consent: add --consent once they have agreed.")
                }
                return .extend(until: until, reason: try text(c, "reason"))
            }
        }),
    Command(
        name: "resolve", zh: "调解成功：记录协议", en: "resolve: record the agreement",
        usage: "CASE --agreement TEXT [--oral] [--amount YUAN] --perform-by DATE [--follow-up DATE]",
        options: [
            OptionSpec("agreement", "TEXT", zh: "协议内容：各方义务、履行方式", en: "the terms: who does what, and how"),
            OptionSpec("oral", zh: "口头协议（默认书面）", en: "an oral agreement (default: written)"),
            OptionSpec("amount", "YUAN", zh: "协议金额（元）", en: "agreed amount in yuan"),
            OptionSpec("perform-by", "DATE", zh: "履行期限", en: "performed by this day"),
            OptionSpec(
                "follow-up", "DATE", zh: "回访日期（默认履行期限次日）", en: "follow-up day (default: the day after perform-by)"),
        ], positionals: 1...1,
        run: { c in
            try act(c) { _, _ in
                let performBy = try Input.day(try c.required("perform-by"), field: "perform-by")
                let today = LocalTime.day(try c.now())
                guard performBy >= today else {
                    throw c.usage(
                        "履行期限 \(performBy) 早于调解成功之日 \(today)：请写今天或以后的日期。",
                        "--perform-by \(performBy) is before the day of the agreement, \(today): give that day or a later one."
                    )
                }
                // A follow-up may come before the agreement is fully due (instalments), not
                // before the agreement itself.
                let followUpDay = try c.args["follow-up"].map { try Input.day($0, field: "follow-up") }
                if let day = followUpDay, day < today {
                    throw c.usage(
                        "回访日期 \(day) 早于调解成功之日 \(today)：请写今天或以后的日期。",
                        "--follow-up \(day) is before the day of the agreement, \(today): give that day or a later one."
                    )
                }
                let followUp = followUpDay.map { LocalTime.instant($0) }
                return .resolve(
                    Agreement(
                        terms: try text(c, "agreement", limit: 4000), oral: c.args.has("oral"),
                        amountFen: try c.args["amount"].map(Input.amount), performBy: performBy.description,
                        followUpAt: followUp ?? LocalTime.endOfDay(performBy)))
            }
        }),
    Command(
        name: "reopen", zh: "反悔或未履行：重新调解", en: "reopen: a party went back on it, or it was not performed",
        usage: "CASE --reason TEXT", options: [reason], positionals: 1...1,
        run: { c in try act(c) { _, _ in .reopen(reason: try text(c, "reason")) } }),
    Command(
        name: "close", zh: "结案（须写结案意见）", en: "close with a note",
        usage: "CASE --note TEXT --satisfaction satisfied|basic|unsatisfied",
        options: [
            OptionSpec("note", "TEXT", zh: "结案意见", en: "the closing note"),
            OptionSpec(
                "satisfaction", "S", zh: "群众满意度：satisfied 满意、basic 基本满意、unsatisfied 不满意",
                en: "residents' satisfaction: satisfied, basic, unsatisfied"),
        ], positionals: 1...1,
        run: { c in
            try act(c) { _, _ in
                let s = try c.required("satisfaction")
                guard
                    let satisfaction = Satisfaction(rawValue: s)
                        ?? ["满意": .satisfied, "基本满意": .basic, "不满意": .unsatisfied][s]
                else {
                    throw c.usage(
                        "满意度应为 satisfied、basic 或 unsatisfied。", "--satisfaction takes satisfied, basic or unsatisfied.")
                }
                return .close(note: try text(c, "note", limit: 4000), satisfaction: satisfaction)
            }
        }),
    Command(
        name: "refer", zh: "移交法院、仲裁、公安或部门", en: "refer to a court, arbitration, police or a department",
        usage: "CASE --to court|arbitration|police|department --reason TEXT",
        options: [OptionSpec("to", "WHERE", zh: "移交去向", en: "where to"), reason], positionals: 1...1,
        run: { c in
            try act(c) { _, _ in
                guard let to = ReferralTarget(rawValue: try c.required("to")) else {
                    throw c.usage(
                        "--to 应为 court、arbitration、police 或 department。",
                        "--to takes court, arbitration, police or department.")
                }
                return .refer(to: to, reason: try text(c, "reason"))
            }
        }),
    Command(
        name: "withdraw", zh: "撤回或不予受理", en: "withdraw, or decline as unsuitable", usage: "CASE --reason TEXT",
        options: [reason], positionals: 1...1,
        run: { c in try act(c) { _, _ in .withdraw(reason: try text(c, "reason")) } }),
    Command(
        name: "note", zh: "添加记录", en: "add a note", usage: "CASE --text TEXT",
        options: [OptionSpec("text", "TEXT", zh: "记录内容；写 - 则从标准输入读", en: "the note; '-' reads it from standard input")],
        positionals: 1...1, run: { c in try act(c) { _, _ in .note(text: try text(c, "text", limit: 4000)) } }),
]

/// A required free-text option; `-` reads it from standard input.
func text(_ c: Context, _ name: String, limit: Int = 2000) throws -> String {
    var value = try c.required(name)
    if value == "-" {
        // Enough for `limit` characters of any script, and not a byte more.
        let bytes = c.invocation.readInput(limit * 8 + 1)
        guard bytes.count <= limit * 8 else {
            throw DataError(
                zh: "标准输入太长：--\(name) 最多 \(limit) 个字。",
                en: "Standard input is too long: --\(name) holds at most \(limit) characters.")
        }
        guard var input = String(validating: bytes, as: UTF8.self) else {
            throw DataError(
                zh: "标准输入不是有效的 UTF-8 文本：请另存为 UTF-8 后重试。",
                en: "Standard input is not valid UTF-8 text: save it as UTF-8 and try again.")
        }
        // Text saved on Windows: a byte-order mark and CRLF line ends are not content.
        if input.hasPrefix("\u{FEFF}") { input.removeFirst() }
        value = input.replacing("\r\n", with: "\n")
    }
    return try Input.text(value, field: name, limit: limit)
}

/// A category, source or severity by code or name.
func term(_ value: String, _ terms: [Term], _ kind: String, _ c: Context) throws -> String {
    guard let found = terms.first(where: { $0.code == value || $0.nameZh == value || $0.nameEn == value }) else {
        throw c.usage(
            "未知的\(["category": "类别", "source": "来源", "severity": "等级"][kind] ?? kind) '\(echo(value))'：可选 \(terms.map { "\($0.code) \($0.nameZh)" }.joined(separator: "、"))。",
            "Unknown \(kind) '\(echo(value))': use one of \(terms.map(\.code).joined(separator: ", ")).")
    }
    return found.code
}

private func fileCase(_ c: Context) throws -> Int32 {
    let store = try c.openStore()
    let machine = try store.machine()
    let policy = machine.policy
    let gridCode = try c.required("grid")
    guard let grid = machine.organisation.unit(code: gridCode) else { throw StoreError.noSuchUnit(gridCode) }
    let category = try term(try c.required("category"), policy.categories, "category", c)
    let severity = try term(
        try c.required("severity"), policy.severities.map { Term(code: $0.code, nameZh: $0.nameZh, nameEn: $0.nameEn) },
        "severity", c)
    let source = try term(try c.required("source"), policy.sources, "source", c)
    let ref = try c.args["ref"].map { try Input.text($0, field: "ref", limit: 64, multiline: false) }
    let summary = try text(c, "summary", limit: 4000)
    let parties = try c.args.all("party").map { p throws -> Party in try Input.party(p) }
    guard !parties.isEmpty else {
        throw c.usage(
            "至少要有一位当事人：加 --party \"姓名,applicant,电话\"。",
            "A case needs at least one party: add --party \"name,applicant,phone\".")
    }
    // A dispute of more households than this is a collective one, handled otherwise.
    guard parties.count <= 50 else {
        throw c.usage(
            "当事人太多（\(parties.count) 位，上限 50）：群体性纠纷请另行登记。",
            "Too many parties (\(parties.count), at most 50): register a collective dispute otherwise.")
    }
    let actor = try store.actor(c.login)
    let filed = try store.file(
        { number in
            Filing(
                number: number, unitID: grid.id, severity: severity, category: category, source: source, sourceRef: ref,
                summary: summary, parties: parties)
        }, by: actor, at: try c.now(), entered: c.entered, machine: machine)
    if c.format == .json {
        c.printJSON(caseJSON(filed, machine, reveal: false))
    } else {
        c.print(filed.number.description)
    }
    return Exit.ok
}

/// The shared flow of every case action: read the case, let the rules decide, write
/// the event and the case in one transaction, and say what happened.
private func act(_ c: Context, _ build: (Store, Machine) throws -> Action) throws -> Int32 {
    let number = try Input.caseNumber(c.args.positionals[0])
    let store = try c.openStore()
    let machine = try store.machine()
    let actor = try store.actor(c.login)
    let action = try build(store, machine)
    let (after, event) = try store.perform(
        action, on: number, by: actor, at: try c.now(), entered: c.entered, machine: machine)
    if c.format == .json {
        c.printJSON(caseJSON(after, machine, reveal: false))
        return Exit.ok
    }
    let unit = machine.organisation[after.unitID]
    let place = unit.map { "\($0.code) \($0.name)" } ?? "?"
    c.print(
        c.t(
            "案件 \(after.number)：已\(actionName(event.change.kind, .zh))；现为「\(stateName(after.state, .zh))」，在 \(place)。",
            "Case \(after.number): \(event.change.kind.rawValue) done; now \(after.state.rawValue) at \(place)."))
    if event.change.breach > 0 {
        let left = levelName(machine.policy, event.change.breach, c.lang)
        c.print(
            c.t(
                "注意：此案件等级的上限是\(levelName(machine.policy, machine.policy.ceiling(after.severity), .zh))，离开\(left)已记为一次违反「小事不出网格、大事不出社区」。",
                "Note: this severity belongs at the \(levelName(machine.policy, machine.policy.ceiling(after.severity), .en)) level; leaving the \(left) is recorded as a breach of the rule."
            ))
    }
    return Exit.ok
}
