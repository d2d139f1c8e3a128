import MediateCore
import MediateStore

#if canImport(Glibc)
    import Glibc
#endif

let setupCommands: [Command] = [
    Command(
        name: "init", zh: "新建数据库并登记第一位管理员", en: "create the database and register the first admin",
        usage: "[--admin LOGIN] [--name NAME] [--timezone ZONE]",
        options: [
            OptionSpec(
                "admin", "LOGIN", zh: "第一位管理员的登录名（默认当前登录名）",
                en: "login of the first admin (default: the login running it)"),
            OptionSpec("name", "NAME", zh: "管理员姓名", en: "the admin's name"),
            OptionSpec(
                "timezone", "ZONE", zh: "所在时区，如 Asia/Shanghai（默认系统时区）",
                en: "the deployment's time zone, e.g. Asia/Shanghai (default: the system's)"),
        ], positionals: 0...0, run: initDatabase),
    Command(
        name: "unit add", zh: "添加单位（街道、社区、网格）", en: "add a unit (street, community, grid)",
        usage: "--code CODE --name NAME --level LEVEL [--parent CODE]",
        options: [
            OptionSpec("code", "CODE", zh: "单位代码，如 G03", en: "unit code, e.g. G03"),
            OptionSpec("name", "NAME", zh: "单位名称", en: "unit name"),
            OptionSpec("level", "LEVEL", zh: "层级：grid、community、street", en: "level: grid, community, street"),
            OptionSpec("parent", "CODE", zh: "上级单位代码", en: "code of the parent unit"),
        ], positionals: 0...0, run: addUnit),
    Command(
        name: "unit list", zh: "列出单位树", en: "list the unit tree", usage: "", options: [], positionals: 0...0,
        run: listUnits),
    Command(
        name: "units import", zh: "从 CSV 批量导入单位（全部或全不）", en: "import units from CSV (all rows or none)",
        usage: "FILE.csv", options: [], positionals: 1...1, run: importUnits),
    Command(
        name: "person add", zh: "登记人员", en: "register a person",
        usage: "--login LOGIN --name NAME --role ROLE --unit CODE",
        options: [
            OptionSpec("login", "LOGIN", zh: "登录名", en: "login name"),
            OptionSpec("name", "NAME", zh: "姓名", en: "full name"),
            OptionSpec(
                "role", "ROLE", zh: "角色：grid_worker、mediator、legal_volunteer、admin",
                en: "role: grid_worker, mediator, legal_volunteer, admin"),
            OptionSpec("unit", "CODE", zh: "所属单位代码", en: "code of their unit"),
        ], positionals: 0...0, run: addPerson),
    Command(
        name: "person list", zh: "列出人员", en: "list people", usage: "", options: [], positionals: 0...0, run: listPeople),
    Command(
        name: "policy show", zh: "显示层级上限、时限、类别和来源", en: "show ceilings, time limits, categories and sources",
        usage: "", options: [], positionals: 0...0, run: showPolicy),
    Command(
        name: "policy set", zh: "修改一条规则（留痕）", en: "change one rule (audited)",
        usage:
            "--level LEVEL --days N | --severity S --ceiling LEVEL | --timezone ZONE | --add-category CODE --zh NAME --en NAME | --add-source CODE --zh NAME --en NAME",
        options: [
            OptionSpec("level", "LEVEL", zh: "要改时限的层级", en: "the level whose time limit to change"),
            OptionSpec("days", "N", zh: "新时限（天）", en: "the new time limit in days"),
            OptionSpec("severity", "S", zh: "要改上限的等级", en: "the severity whose ceiling to change"),
            OptionSpec("ceiling", "LEVEL", zh: "新上限层级", en: "the new ceiling level"),
            OptionSpec("timezone", "ZONE", zh: "时区，如 Asia/Shanghai", en: "time zone, e.g. Asia/Shanghai"),
            OptionSpec("add-category", "CODE", zh: "新增案件类别", en: "add a category"),
            OptionSpec("add-source", "CODE", zh: "新增案件来源", en: "add a source"),
            OptionSpec("zh", "NAME", zh: "中文名称", en: "Chinese name"),
            OptionSpec("en", "NAME", zh: "英文名称", en: "English name"),
        ], positionals: 0...0, run: setPolicy),
]

private func initDatabase(_ c: Context) throws -> Int32 {
    let path = c.dbPath
    try Files.checkDatabasePath(path, option: c.args.has("db") ? "--db" : "MEDIATE_DB")
    let admin = try Input.login(c.args["admin"] ?? c.login)
    let adminName = try c.args["name"].map { try Input.text($0, field: "name", limit: 50, multiline: false) } ?? admin
    if let zone = c.args["timezone"], !LocalTime.isInstalled(zone) { throw StoreError.unknownZone(zone) }
    // Make the default data folder on first use; a named --db folder must exist.
    if c.args["db"] == nil && c.environment["MEDIATE_DB"] == nil { makeDirectories(parent(of: path)) }
    let store = try Store.create(
        at: path, admin: admin, adminName: adminName, now: try c.now(), entered: c.entered)
    if let zone = c.args["timezone"] {
        try store.setPolicy(.timezone(zone), by: try store.actor(admin), at: try c.now(), entered: c.entered)
    }
    if c.format == .json {
        c.printJSON(.object([("database", .string(path)), ("admin", .string(admin))]))
    } else {
        c.print(c.t("已新建数据库 \(path)，管理员 \(admin)。", "Created the database \(path) with admin \(admin)."))
        c.print(
            c.t(
                "下一步：mediate unit add --code S1 --name 某街道 --level street",
                "Next: mediate unit add --code S1 --name 'Donghu Street' --level street"))
    }
    return Exit.ok
}

private func addUnit(_ c: Context) throws -> Int32 {
    let store = try c.openStore()
    let unit = Store.NewUnit(
        code: try c.required("code"),
        name: try Input.text(try c.required("name"), field: "name", limit: 100, multiline: false),
        level: try c.required("level"), parent: c.args["parent"])
    _ = try Input.code(unit.code, ("单位代码", "The unit code"))
    try store.addUnits([unit], by: try store.actor(c.login), at: try c.now(), entered: c.entered)
    c.done("已添加单位 \(unit.code) \(unit.name)。", "Added unit \(unit.code) \(unit.name).", [("unit", .string(unit.code))])
    return Exit.ok
}

private func importUnits(_ c: Context) throws -> Int32 {
    let file = c.args.positionals[0]
    // Ten megabytes is some hundred thousand units: more than any city has.
    let bytes = try Files.read(file, limit: 10 << 20, what: ("CSV 文件", "a CSV file"))
    guard let text = String(validating: bytes, as: UTF8.self) else {
        throw StoreError.badRow(
            line: firstInvalidLine(bytes),
            message: c.t("不是有效的 UTF-8 文本，请另存为 UTF-8", "not valid UTF-8 text, save the file as UTF-8"))
    }
    let records: [(line: Int, fields: [String])]
    do {
        records = try CSV.parse(text)
    } catch {
        throw StoreError.badRow(line: error.line, message: csvClause(error, c.lang))
    }
    // Header: code,name,level,parent (the header row is optional).
    var rows = records
    if let first = rows.first, first.fields.first?.lowercased() == "code" { rows.removeFirst() }
    var units: [Store.NewUnit] = []
    for row in rows {
        guard (3...4).contains(row.fields.count) else {
            throw StoreError.badRow(
                line: row.line,
                message: c.t("应有 3 或 4 列：code,name,level,parent", "expected 3 or 4 columns: code,name,level,parent"))
        }
        let f = row.fields.map { $0.trimmingWhitespace() }
        guard Store.isCode(f[0]) else {
            throw StoreError.badRow(
                line: row.line,
                message: c.t(
                    "单位代码 '\(echo(f[0]))' 只能用字母、数字、- 和 _",
                    "the code '\(echo(f[0]))' may use only letters, digits, '-' and '_'"))
        }
        // The same check as `unit add`: what one command refuses, the other does too.
        do {
            _ = try Input.text(f[1], field: "name", limit: 100, multiline: false)
        } catch {
            // The same reason as `unit add` gives, as a clause.
            var reason = c.t(error.zh, error.en)
            while reason.last == "." || reason.last == "。" { reason.removeLast() }
            throw StoreError.badRow(line: row.line, message: c.t("名称：", "name: ") + reason)
        }
        units.append(Store.NewUnit(code: f[0], name: f[1], level: f[2], parent: f.count > 3 ? f[3].nilIfEmpty : nil))
    }
    let store = try c.openStore()
    try store.addUnits(units, by: try store.actor(c.login), at: try c.now(), entered: c.entered) { rows[$0].line }
    c.done("已导入 \(units.count) 个单位。", "Imported \(units.count) units.", [("imported", .int(Int64(units.count)))])
    return Exit.ok
}

private func listUnits(_ c: Context) throws -> Int32 {
    let store = try c.openStore()
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
    var table = TextTable(
        headers: [c.t("代码", "code"), c.t("名称", "name"), c.t("层级", "level")], alignments: [.left, .left, .left])
    for u in ordered {
        let depth = policy.topRank - u.level
        table.add([String(repeating: "  ", count: max(0, depth)) + u.code, u.name, levelName(policy, u.level, c.lang)])
    }
    c.write(table.rendered())
    return Exit.ok
}

private func addPerson(_ c: Context) throws -> Int32 {
    let login = try Input.login(try c.required("login"))
    let roleText = try c.required("role")
    guard let role = Role(rawValue: roleText) ?? Role.allCases.first(where: { roleName($0, .zh) == roleText }) else {
        throw c.usage(
            "未知角色 '\(echo(roleText))'：请用 grid_worker、mediator、legal_volunteer 或 admin。",
            "Unknown role '\(echo(roleText))': use grid_worker, mediator, legal_volunteer or admin.")
    }
    let name = try Input.text(try c.required("name"), field: "name", limit: 50, multiline: false)
    let store = try c.openStore()
    try store.addPerson(
        login: login, name: name, role: role, unit: role == .admin ? c.args["unit"] : try c.required("unit"),
        by: try store.actor(c.login), at: try c.now(), entered: c.entered)
    c.done(
        "已登记 \(name)（\(login)，\(roleName(role, .zh))）。", "Registered \(name) (\(login), \(role.rawValue)).",
        [("login", .string(login))])
    return Exit.ok
}

private func listPeople(_ c: Context) throws -> Int32 {
    let store = try c.openStore()
    let people = try store.people()
    if c.format == .json {
        c.printJSON(
            .array(
                people.map { p in
                    .object([
                        ("login", .string(p.actor.login)), ("name", .string(p.actor.name)),
                        ("role", .string(p.actor.role.rawValue)),
                        ("unit", p.unitCode.map(JSON.string) ?? .null),
                    ])
                }))
        return Exit.ok
    }
    var table = TextTable(
        headers: [c.t("登录名", "login"), c.t("姓名", "name"), c.t("角色", "role"), c.t("单位", "unit")],
        alignments: [.left, .left, .left, .left])
    for p in people {
        table.add([p.actor.login, p.actor.name, roleName(p.actor.role, c.lang), p.unitCode ?? c.t("（全部）", "(all)")])
    }
    c.write(table.rendered())
    return Exit.ok
}

private func showPolicy(_ c: Context) throws -> Int32 {
    let store = try c.openStore(anyZone: true)
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
    c.print(c.t("时区：", "Time zone: ") + (zone ?? c.t("系统时区", "the system's")))
    c.print()
    var levels = TextTable(
        headers: [c.t("层级", "level"), c.t("名称", "name"), c.t("时限（天）", "time limit (days)")],
        alignments: [.left, .left, .right])
    for l in policy.levels { levels.add([l.code, l.nameZh, String(l.timeLimitDays)]) }
    c.write(levels.rendered())
    c.print()
    var severities = TextTable(
        headers: [c.t("等级", "severity"), c.t("名称", "name"), c.t("上限", "ceiling")], alignments: [.left, .left, .left])
    for s in policy.severities { severities.add([s.code, s.nameZh, policy.level(s.ceiling)?.code ?? "?"]) }
    c.write(severities.rendered())
    c.print()
    c.print(
        c.t("类别：", "Categories: ")
            + policy.categories.map { "\($0.code) \($0.nameZh)" }.joined(separator: c.t("、", ", ")))
    c.print(
        c.t("来源：", "Sources: ") + policy.sources.map { "\($0.code) \($0.nameZh)" }.joined(separator: c.t("、", ", ")))
    let changes = try store.policyChanges()
    if !changes.isEmpty {
        c.print()
        c.print(c.t("修改记录：", "Changes:"))
        for change in changes {
            c.print(
                "  \(LocalTime.minute(change.at))  \(change.actor)  "
                    + change.detail.map { "\($0.0)=\($0.1)" }.joined(separator: " "))
        }
    }
    return Exit.ok
}

private func setPolicy(_ c: Context) throws -> Int32 {
    // One change per run, so that each is one audited event; stray options are refused,
    // not ignored.
    let groups: [(main: String, with: [String])] = [
        ("level", ["days"]), ("severity", ["ceiling"]), ("timezone", []), ("add-category", ["zh", "en"]),
        ("add-source", ["zh", "en"]),
    ]
    let chosen = groups.filter { c.args.has($0.main) }
    if chosen.count > 1 {
        throw c.usage(
            "一次只改一条规则：--\(chosen[0].main) 和 --\(chosen[1].main) 请分两次运行。",
            "Give one change at a time: run --\(chosen[0].main) and --\(chosen[1].main) separately.")
    }
    if let group = chosen.first {
        let stray = Set(groups.flatMap(\.with)).subtracting(group.with).sorted().first { c.args.has($0) }
        if let stray {
            throw c.usage(
                "--\(stray) 不能与 --\(group.main) 一起用：一次只改一条规则。",
                "--\(stray) does not go with --\(group.main): give one change at a time.")
        }
    }
    let change: Store.PolicyChange
    if let level = c.args["level"] {
        guard let days = Int(try c.required("days")), (1...365).contains(days) else {
            throw c.usage("--days 应为 1 到 365 的整数。", "--days takes a whole number from 1 to 365.")
        }
        change = .timeLimit(level: level, days: days)
    } else if let severity = c.args["severity"] {
        change = .ceiling(severity: severity, level: try c.required("ceiling"))
    } else if let zone = c.args["timezone"] {
        change = .timezone(zone)
    } else if let code = c.args["add-category"] ?? c.args["add-source"] {
        _ = try Input.code(code, ("代码", "The code"))
        let term = Term(
            code: code, nameZh: try Input.text(try c.required("zh"), field: "zh", limit: 30, multiline: false),
            nameEn: try Input.text(try c.required("en"), field: "en", limit: 60, multiline: false))
        change = c.args.has("add-category") ? .addCategory(term) : .addSource(term)
    } else {
        throw c.usage(
            "请说明要改什么：--level 与 --days、--severity 与 --ceiling、--timezone、--add-category 或 --add-source。",
            "Say what to change: --level with --days, --severity with --ceiling, --timezone, --add-category or --add-source."
        )
    }
    let store = try c.openStore(anyZone: true)
    try store.setPolicy(change, by: try store.actor(c.login), at: try c.now(), entered: c.entered)
    c.done("规则已修改并留痕；用 'mediate policy show' 查看。", "Policy changed and audited; see 'mediate policy show'.", [])
    return Exit.ok
}

func levelName(_ policy: Policy, _ rank: Int, _ lang: Lang) -> String {
    guard let level = policy.level(rank) else { return String(rank) }
    return lang == .zh ? level.nameZh : level.nameEn
}
