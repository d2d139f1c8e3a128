import MediateCore
import MediateStore

#if canImport(Glibc)
    import Glibc
#endif

private let name = ValueKind.text(limit: 50, multiline: false, stdin: false)

let setupCommands: [Command] = [
    Command(
        name: "init", help: .commandInit,
        options: [
            Option("admin", .login, .optionAdmin), Option("name", name, .optionAdminName),
            Option("timezone", .zone, .optionTimezoneInit),
            Option("group", .code(.login), help: TrustHelp.optionGroup),
        ],
        run: initDatabase),
    Command(
        name: "unit add", help: .commandUnitAdd,
        options: [
            Option("code", .code(.unitCode), required: true, .optionUnitCode),
            Option("name", .text(limit: 100, multiline: false, stdin: false), required: true, .optionUnitName),
            Option("level", .term(.level), required: true, .optionUnitLevel),
            Option("parent", .code(.unitCode), .optionParent),
        ], run: addUnit),
    Command(
        name: "unit attach", help: .commandUnitAttach,
        options: [
            Option("code", .code(.unitCode), required: true, .optionUnitCode),
            Option("parent", .code(.unitCode), required: true, .optionParent),
        ], run: attachUnit),
    Command(name: "unit list", help: .commandUnitList, run: listUnits),
    Command(
        name: "units import", spoken: DeskHelp.commandUnitsImport,
        positionals: [Positional(name: "FILE.csv", kind: .file)],
        run: importUnits),
    Command(
        name: "person add", help: .commandPersonAdd,
        options: [
            Option("login", .login, required: true, .optionLogin),
            Option("name", name, required: true, .optionPersonName),
            Option("role", .choice(.of(Role.self)), required: true, .optionRole),
            Option("unit", .code(.unitCode), .optionPersonUnit),
            Option("create-role", .optionCreateRole),
        ], run: addPerson),
    Command(name: "person list", help: .commandPersonList, run: listPeople),
    Command(name: "policy show", help: .commandPolicyShow, run: showPolicy),
    Command(
        name: "policy set", help: .commandPolicySet,
        options: [
            Option("level", .term(.level), .optionPolicyLevel), Option("days", .count(1...365), .optionDays),
            Option("severity", .term(.severity), .optionPolicySeverity),
            Option("ceiling", .term(.level), .optionCeiling),
            Option("timezone", .zone, .optionTimezone), Option("add-category", .code(.code), .optionAddCategory),
            Option("add-source", .code(.code), .optionAddSource),
            Option("add-level", .code(.code), .optionAddLevel),
            Option("zh", .text(limit: 30, multiline: false, stdin: false), .optionZhName),
            Option("en", .text(limit: 60, multiline: false, stdin: false), .optionEnName),
        ],
        validate: checkPolicyChange, run: setPolicy),
]

private func initDatabase(_ c: Context) throws -> Int32 {
    if c.dbPath.isEmpty && !c.args.has("db") { throw DeskProblem.noDatabasePath }
    // Running setgid, a new database is root's to make: anyone else would make
    // themselves the admin of a file of the group.
    if c.invocation.setgidGroup != nil && c.invocation.realUID() != 0 { throw TrustRefusal.initNeedsRoot }
    let path = try c.checkedDBPath()
    let group = try c.args.text("group").map { name throws(GroupProblem) in
        guard let gid = GroupModel.groupID(named: name) else { throw GroupProblem.noSuchGroup(name) }
        return (name, gid)
    }
    // `init --group` on a database that exists checks it and says what is wrong.
    if let (name, gid) = group, case .regular = Files.kind(path) {
        if let wrong = GroupModel.findings(database: path, group: gid).first { throw wrong }
        c.print(TrustSaid.groupInPlace(path, group: name))
        return Exit.ok
    }
    // The first admin: --admin, else the real user running init.
    let admin = try Input.code(c.args.text("admin") ?? c.invocation.osLogin() ?? c.login, .login)
    try Actor.checkLogin(admin)
    let adminName = c.args.text("name") ?? admin
    // The deployment's zone reads MEDIATE_NOW from the first event on.
    if let name = c.args.text("timezone"), let zone = Zone.named(name) { c.use(zone) }
    // Make the default data folder on first use; a named --db folder must exist.
    if !c.args.has("db") && c.environment["MEDIATE_DB"] == nil { makeDirectories(parent(of: path)) }
    let now = try c.now()
    if let (_, gid) = group { try GroupModel.prepareFolder(of: path, group: gid) }
    let store = try Store.create(
        at: path, admin: admin, adminName: adminName, now: now, entered: c.entered, osLogin: c.invocation.osLogin())
    if let (_, gid) = group {
        // The side files too, kept from now on: never recreated by the first user to run.
        store.keepSideFiles()
        try GroupModel.share(database: path, group: gid)
    }
    if let zone = c.args.text("timezone") {
        try store.setPolicy(.timezone(zone), by: try store.actor(admin), at: now, entered: c.entered)
    }
    if c.format == .json {
        c.printJSON(
            .object([
                ("database", .string(Store.displayName(path))), ("admin", .string(admin)),
                ("group", group.map { .string($0.0) } ?? .null),
            ]))
    } else {
        c.print(Said.created(Store.displayName(path), admin: admin))
        if let (name, _) = group { c.print(TrustSaid.sharedWith(group: name)) }
        c.print(Said.nextStep)
    }
    return Exit.ok
}

private func addUnit(_ c: Context) throws -> Int32 {
    let store = try c.openStore()
    let unit = Store.NewUnit(
        code: c.args.text("code")!, name: c.args.text("name")!, level: c.args.text("level")!,
        parent: c.args.text("parent"))
    try store.addUnits([unit], by: try c.actor(store), at: try c.now(), entered: c.entered)
    c.done(.addedUnit(unit.code, unit.name), [("unit", .string(unit.code))])
    return Exit.ok
}

private func importUnits(_ c: Context) throws -> Int32 {
    let file = c.args.positionals[0]
    // Ten megabytes is some hundred thousand units: more than any city has.
    let bytes = try Files.read(file, limit: 10 << 20, what: .csvFile)
    guard let text = String(validating: bytes, as: UTF8.self) else {
        throw Problem.badRow(line: firstInvalidLine(bytes), .notUTF8)
    }
    let records: [(line: Int, fields: [String])]
    do {
        records = try CSV.parse(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
    } catch {
        throw Problem.badRow(line: error.line, .csv(error.problem))
    }
    // Header: code,name,level,parent (the header row is optional; 代码,名称,层级,上级 too).
    var rows = records
    if let first = rows.first?.fields.first?.lowercased(), first == "code" || first == "代码" { rows.removeFirst() }
    var units: [Store.NewUnit] = []
    for row in rows {
        guard (3...4).contains(row.fields.count) else { throw Problem.badRow(line: row.line, .columns) }
        let f = row.fields.map { $0.trimmingWhitespace() }
        guard Code.isValid(f[0]) else { throw Problem.badRow(line: row.line, .code(f[0])) }
        // The same check as `unit add`: what one command refuses, the other does too.
        do {
            _ = try Input.text(f[1], field: "name", limit: 100, multiline: false)
        } catch {
            throw Problem.badRow(line: row.line, .name(error))
        }
        units.append(Store.NewUnit(code: f[0], name: f[1], level: f[2], parent: f.count > 3 ? f[3].nilIfEmpty : nil))
    }
    let store = try c.openStore()
    try store.addUnits(units, by: try c.actor(store), at: try c.now(), entered: c.entered) { rows[$0].line }
    c.done(.importedUnits(units.count), [("imported", .int(Int64(units.count)))])
    return Exit.ok
}

private func attachUnit(_ c: Context) throws -> Int32 {
    let store = try c.openStore()
    let code = c.args.text("code")!
    let parent = c.args.text("parent")!
    try store.attachUnit(code, to: parent, by: try c.actor(store), at: try c.now(), entered: c.entered)
    c.done(.attachedUnit(code, parent: parent), [("unit", .string(code)), ("parent", .string(parent))])
    return Exit.ok
}

private func listUnits(_ c: Context) throws -> Int32 {
    let store = try c.openStore(readOnly: true)
    let policy = try store.policy()
    let org = try store.organisation()
    let ordered = org.treeOrder()
    if c.format == .json {
        c.printJSON(
            .array(
                ordered.map { u in
                    .object([
                        ("code", .string(u.code)), ("name", .string(u.name)),
                        ("level", .string(policy.level(u.level)?.code ?? "")),
                        ("parent", u.parentID.flatMap { org[$0]?.code }.map(JSON.string) ?? .null),
                    ])
                }))
        return Exit.ok
    }
    let names = Names(policy: policy, lang: c.lang)
    var table = TextTable(headers: [Label.code, .name, .level].map(c.say), alignments: [.left, .left, .left])
    for u in ordered {
        let depth = policy.topRank - u.level
        table.add([String(repeating: "  ", count: max(0, depth)) + u.code, u.name, names.level(u.level)])
    }
    c.write(utf8: table.renderedUTF8())
    return Exit.ok
}

private func addPerson(_ c: Context) throws -> Int32 {
    let login = c.args.text("login")!
    try Actor.checkLogin(login)
    let role = c.args.choice("role", Role.self)!
    let name = c.args.text("name")!
    let unit = c.args.text("unit")
    if role != .admin && unit == nil { throw Problem.missingOption("unit", "CODE") }
    let store = try c.openStore()
    try store.addPerson(
        login: login, name: name, role: role, unit: role == .admin ? unit : unit, createRole: c.args.has("create-role"),
        by: try c.actor(store), at: try c.now(), entered: c.entered)
    c.done(.registered(name, login: login, role), [("login", .string(login))])
    return Exit.ok
}

private func listPeople(_ c: Context) throws -> Int32 {
    let store = try c.openStore(readOnly: true)
    let people = try store.people()
    let disabled = try Set(people.map(\.actor.login).filter { login throws(StoreError) in try store.isDisabled(login) })
    if c.format == .json {
        c.printJSON(
            .array(
                people.map { p in
                    .object([
                        ("login", .string(p.actor.login)), ("name", .string(p.actor.name)),
                        ("role", .string(p.actor.role.rawValue)),
                        ("unit", p.unitCode.map(JSON.string) ?? .null),
                        ("disabled", .bool(disabled.contains(p.actor.login))),
                    ])
                }))
        return Exit.ok
    }
    var table = TextTable(
        headers: [Label.login, .name, .role, .unit].map(c.say), alignments: [.left, .left, .left, .left])
    for p in people {
        let name = p.actor.name + (disabled.contains(p.actor.login) ? c.say(TrustSaid.disabledMark) : "")
        table.add([p.actor.login, name, c.say(p.actor.role), p.unitCode ?? c.say(Label.all)])
    }
    c.write(utf8: table.renderedUTF8())
    return Exit.ok
}

private func showPolicy(_ c: Context) throws -> Int32 {
    let store = try c.openStore(anyZone: true, readOnly: true)
    let policy = try store.policy()
    let zone = try store.setting("timezone")
    if c.format == .json {
        func terms(_ list: [Term]) -> JSON {
            .array(
                list.map {
                    .object([("code", .string($0.code)), ("zh", .string($0.nameZh)), ("en", .string($0.nameEn))])
                })
        }
        c.printJSON(
            .object([
                ("timezone", zone.map(JSON.string) ?? .null),
                (
                    "levels",
                    .array(
                        policy.levels.map {
                            .object([
                                ("rank", .int(Int64($0.rank))), ("code", .string($0.code)), ("zh", .string($0.nameZh)),
                                ("en", .string($0.nameEn)), ("time_limit_days", .int(Int64($0.timeLimitDays))),
                            ])
                        })
                ),
                (
                    "severities",
                    .array(
                        policy.severities.map { s in
                            .object([
                                ("code", .string(s.code)), ("zh", .string(s.nameZh)), ("en", .string(s.nameEn)),
                                ("ceiling", .string(policy.level(s.ceiling)?.code ?? "")),
                            ])
                        })
                ),
                ("categories", terms(policy.categories)), ("sources", terms(policy.sources)),
            ]))
        return Exit.ok
    }
    let names = Names(policy: policy, lang: c.lang)
    c.print(c.say(Label.timeZone) + (zone ?? c.say(Label.systemZone)))
    c.print()
    var levels = TextTable(
        headers: [Label.code, .name, .timeLimitDays].map(c.say), alignments: [.left, .left, .right])
    for l in policy.levels { levels.add([l.code, l.nameZh, String(l.timeLimitDays)]) }
    c.write(utf8: levels.renderedUTF8())
    c.print()
    var severities = TextTable(
        headers: [Label.code, .name, .ceiling].map(c.say), alignments: [.left, .left, .left])
    for s in policy.severities { severities.add([s.code, s.nameZh, names.level(s.ceiling)]) }
    c.write(utf8: severities.renderedUTF8())
    c.print()
    let separator = c.say(Said.listSeparator)
    c.print(c.say(Label.categories) + policy.categories.map { "\($0.code) \($0.nameZh)" }.joined(separator: separator))
    c.print(c.say(Label.sources) + policy.sources.map { "\($0.code) \($0.nameZh)" }.joined(separator: separator))
    let changes = try store.policyChanges()
    if !changes.isEmpty {
        c.print()
        c.print(Label.changes)
        for change in changes {
            c.print("  \(c.zone.minute(change.at))  \(change.actor)  " + c.say(PolicyChangeLine(change.detail, names)))
        }
    }
    return Exit.ok
}

/// The policy changes and the options each takes: one change per run, so that each is
/// one audited event; stray options are refused, not ignored.
private let policyGroups: [(main: String, with: [String])] = [
    ("level", ["days"]), ("severity", ["ceiling"]), ("timezone", []), ("add-category", ["zh", "en"]),
    ("add-source", ["zh", "en"]), ("add-level", ["zh", "en", "days"]),
]

@Sendable private func checkPolicyChange(_ args: Arguments) throws(Problem) {
    let chosen = policyGroups.filter { args.has($0.main) }
    if chosen.count > 1 { throw .twoChanges(chosen[0].main, chosen[1].main) }
    guard let group = chosen.first else { throw .sayWhatToChange(.policyChange) }
    if let stray = Set(policyGroups.flatMap(\.with)).subtracting(group.with).sorted().first(where: { args.has($0) }) {
        throw .oneChangeAtATime(stray, group.main)
    }
    for needed in group.with where !args.has(needed) {
        throw .missingOption(needed, needed == "days" ? "N" : needed == "ceiling" ? "LEVEL" : "NAME")
    }
}

private func setPolicy(_ c: Context) throws -> Int32 {
    let change: Store.PolicyChange
    if let level = c.args.text("level") {
        change = .timeLimit(level: level, days: c.args.count("days")!)
    } else if let severity = c.args.text("severity") {
        change = .ceiling(severity: severity, level: c.args.text("ceiling")!)
    } else if let zone = c.args.text("timezone") {
        change = .timezone(zone)
    } else if let code = c.args.text("add-level") {
        change = .addLevel(
            Term(code: code, nameZh: c.args.text("zh")!, nameEn: c.args.text("en")!), days: c.args.count("days")!)
    } else {
        let code = c.args.text("add-category") ?? c.args.text("add-source")!
        let term = Term(code: code, nameZh: c.args.text("zh")!, nameEn: c.args.text("en")!)
        change = c.args.has("add-category") ? .addCategory(term) : .addSource(term)
    }
    let store = try c.openStore(anyZone: true)
    try store.setPolicy(change, by: try c.actor(store), at: try c.now(), entered: c.entered)
    c.done(.policyChanged, [])
    return Exit.ok
}
