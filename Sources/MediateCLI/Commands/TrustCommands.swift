import MediateCore
import MediateStore

let trustCommands: [Command] = [
    Command(
        name: "person disable", spoken: TrustHelp.commandPersonDisable,
        options: [
            Option("login", .login, required: true, help: TrustHelp.optionDisableLogin),
            Option(
                "reason", .text(limit: 500, multiline: false, stdin: false), required: true,
                help: TrustHelp.optionDisableReason),
        ], run: disablePerson),
    Command(
        name: "person create-role", spoken: TrustHelp.commandPersonCreateRole,
        options: [Option("login", .login, required: true, help: TrustHelp.optionRoleLogin)], run: createRole),
    Command(
        name: "audit", spoken: TrustHelp.commandAudit,
        options: [
            Option("since", .day, help: TrustHelp.optionSince),
            Option("person", .login, help: TrustHelp.optionAuditPerson),
        ], run: audit),
    Command(name: "upgrade", spoken: TrustHelp.commandUpgrade, run: upgrade),
    Command(name: "doctor", spoken: TrustHelp.commandDoctor, formats: [.text], run: doctor),
]

private func disablePerson(_ c: Context) throws -> Int32 {
    let login = c.args.text("login")!
    let store = try c.openStore()
    try store.disablePerson(
        login, reason: c.args.text("reason")!, by: try c.actor(store), at: try c.now(), entered: c.entered)
    done(c, .disabled(login), [("login", .string(login)), ("disabled", .bool(true))])
    return Exit.ok
}

/// A role for someone registered before (a street moved up with `migrate`, say).
private func createRole(_ c: Context) throws -> Int32 {
    let login = c.args.text("login")!
    let store = try c.openStore()
    try store.createRole(for: login, by: try c.actor(store), at: try c.now(), entered: c.entered)
    done(c, .roleCreated(login), [("login", .string(login)), ("role", .string(login))])
    return Exit.ok
}

private func audit(_ c: Context) throws -> Int32 {
    let store = try c.openStore(readOnly: true)
    let actor = try c.actor(store)
    guard actor.role == .admin else { throw StoreError.rule(.adminOnly) }
    let since = c.args.day("since").map { c.zone.instant($0) }
    let records = try store.accesses(since: since, person: c.args.text("person"))
    if c.format == .json {
        c.printJSON(
            .array(
                records.map { r in
                    var fields: [(String, JSON)] = [
                        ("event", .int(r.id)), ("at", .string(c.zone.iso(r.at))), ("actor", .string(r.actor)),
                        ("os_login", r.osLogin.map(JSON.string) ?? .null), ("unit", .string(r.unit)),
                    ]
                    switch r.access {
                    case .reveal(let numbers):
                        fields += [
                            ("access", .string("reveal")),
                            ("cases", .array(numbers.map { .string($0.description) })),
                        ]
                    case .backup(let path): fields += [("access", .string("backup")), ("target", .string(path))]
                    case .export(let path): fields += [("access", .string("export")), ("target", .string(path))]
                    }
                    return .object(fields)
                }))
        return Exit.ok
    }
    if records.isEmpty {
        c.print(TrustSaid.noAccess)
        return Exit.ok
    }
    var table = TextTable(
        headers: [TrustSaid.auditWhen, .auditWho, .auditWhat, .auditWhich].map(c.say),
        alignments: [.left, .left, .left, .left])
    for r in records {
        let who = r.actor + (r.osLogin.map { $0 == r.actor ? "" : " (\($0))" } ?? "")
        let (what, which): (TrustSaid, String) =
            switch r.access {
            case .reveal(let numbers): (.accessReveal, numbers.map(\.description).joined(separator: " "))
            case .backup(let path): (.accessBackup, path)
            case .export(let path): (.accessExport, path)
            }
        table.add([c.zone.minute(r.at), who, c.say(what), which])
    }
    c.write(utf8: table.renderedUTF8())
    return Exit.ok
}

private func upgrade(_ c: Context) throws -> Int32 {
    let path = try c.checkedDBPath()
    let caller = c.invocation.realUID() == 0 ? nil : (c.invocation.osLogin() ?? "")
    let (before, after) = try Store.upgrade(at: path, caller: caller, busyTimeout: try c.busyTimeout())
    done(
        c, before == after ? .upToDate(after) : .upgraded(from: before, to: after),
        [("from_version", .int(Int64(before))), ("to_version", .int(Int64(after)))])
    return Exit.ok
}

/// Says that a command did what it was asked: a sentence, or an object under JSON.
private func done(_ c: Context, _ message: TrustSaid, _ json: [(String, JSON)]) {
    if c.format == .json { c.printJSON(.object([("ok", .bool(true))] + json)) } else { c.print(message) }
}

/// Which deployment model is in force, what it protects, what is wrong, and what an
/// office should do. Reads file modes only: it never opens the database.
private func doctor(_ c: Context) throws -> Int32 {
    let path = try c.checkedDBPath()
    if Store.isServer(path) {
        c.print(TrustSaid.modelServer(Store.displayName(path)))
        return Exit.ok
    }
    let installed = GroupModel.installedGroup()
    let file = GroupModel.info(path)
    if let gid = installed ?? c.invocation.setgidGroup {
        let group = GroupModel.groupName(gid)
        c.print(TrustSaid.modelSetgid(group: group))
        c.print(TrustSaid.protectsSetgid(group: group))
        c.print(TrustSaid.environmentSetgid(group: group))
        let wrong = file == nil ? [GroupProblem.missing(path)] : GroupModel.findings(database: path, group: gid)
        for finding in wrong { c.print(TrustSaid.finding(c.say(finding))) }
        if wrong.isEmpty { c.print(TrustSaid.groupInPlace(path, group: group)) }
    } else {
        let owner = file.map { GroupModel.userName($0.uid) } ?? c.invocation.osLogin() ?? "?"
        c.print(TrustSaid.modelSingleUser(path, owner: owner, mode: file?.mode))
        c.print(TrustSaid.protectsSingleUser(owner: owner))
        if let f = file, f.mode & 0o077 != 0 {
            c.print(TrustSaid.finding(c.say(GroupProblem.openToOthers(path, mode: f.mode))))
        }
        c.print(TrustSaid.officeAdvice)
    }
    return Exit.ok
}
