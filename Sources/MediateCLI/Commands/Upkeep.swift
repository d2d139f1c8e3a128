import MediateCore
import MediateStore

let upkeepCommands: [Command] = [
    Command(
        name: "sweep", help: .commandSweep, options: [Option("dry-run", .optionDryRun), verbose], run: sweep),
    Command(
        name: "verify", help: .commandVerify,
        options: [Option("witness", .text(limit: 100, multiline: false, stdin: false), help: TrustHelp.optionWitness)],
        run: verify),
    Command(
        name: "backup", help: .commandBackup, positionals: [Positional(name: "PATH", kind: .path)], options: [verbose],
        run: backup),
]

/// Cron's commands print nothing on success, so that cron mails only trouble; on a
/// terminal, with `--verbose`, or when asked for JSON they say what they did.
private let verbose = Option("verbose", help: DeskHelp.optionVerbose)

extension Context {
    /// Whether a cron command says what it did on success.
    var speaksOnSuccess: Bool { args.has("verbose") || format == .json || invocation.terminalWidth() != nil }
}

private func sweep(_ c: Context) throws -> Int32 {
    let store = try c.openStore()
    let dryRun = c.args.has("dry-run")
    // As the registered person cron runs as (MEDIATE_USER, --as), else the system.
    let actor = try store.person(c.login)?.login ?? Actor.system.login
    let (decided, done) = try store.sweep(at: try c.now(), entered: c.entered, dryRun: dryRun, by: actor)
    if !dryRun && !c.speaksOnSuccess { return Exit.ok }
    guard let machine = decided, !done.isEmpty else {
        if c.format == .json {
            c.printJSON(.object([("dry_run", .bool(dryRun)), ("actions", .array([]))]))
        } else {
            c.print(Said.nothingOverdue)
        }
        return Exit.ok
    }
    if c.format == .json {
        let view = CaseView(c, machine)
        c.printJSON(
            .object([
                ("dry_run", .bool(dryRun)),
                (
                    "actions",
                    .array(
                        done.map { k, e in
                            .object([
                                ("number", .string(k.number.description)), ("action", .string(e.change.kind.rawValue)),
                                ("unit", .string(machine.organisation[k.applying(e).unitID]?.code ?? "")),
                                ("effective_at", .string(c.zone.iso(e.effectiveAt))),
                                ("detail", view.detail(e.change, reveal: false)),
                            ])
                        })
                ),
            ]))
        return Exit.ok
    }
    for (k, e) in done {
        let from = machine.organisation[k.unitID]?.code ?? "?"
        if case .escalated(let unit, _, _, _, _) = e.change {
            c.print(Said.sweptUp(k.number, from: from, to: machine.organisation[unit]?.code ?? "?", dryRun: dryRun))
        } else if case .supervised(.followUpOverdue) = e.change {
            c.print(DeskSaid.sweptFollowUp(k.number, at: from, dryRun: dryRun))
        } else {
            c.print(Said.sweptFlagged(k.number, at: from, dryRun: dryRun))
        }
    }
    return Exit.ok
}

private func verify(_ c: Context) throws -> Int32 {
    let claim = try c.args.text("witness").map { text throws(TrustProblem) in
        guard let claim = Witness.Claim(text) else { throw TrustProblem.badWitness(text) }
        return claim
    }
    let store = try c.openStore(readOnly: true)
    try Identity.requireWholeView(c, store)
    let v = try store.verify(witness: claim)
    let message = v.problem.map { c.say(Broken($0)) } ?? c.say(Said.verified(events: v.events, cases: v.cases))
    if c.format == .json {
        c.printJSON(
            .object([
                ("ok", .bool(v.problem == nil)), ("events", .int(Int64(v.events))), ("cases", .int(Int64(v.cases))),
                ("witness", v.head.map { .string($0.text) } ?? .null),
                ("head_hash", v.head.map { .string(SHA256.hex($0.hash)) } ?? .null),
                ("problem", v.problem == nil ? .null : .string(message)),
            ]))
    } else if v.problem == nil {
        c.print(message)
        if let head = v.head { c.print(TrustSaid.witness(head)) }
    }
    guard let problem = v.problem else { return Exit.ok }
    if case .integrity = problem { throw VerifyFailure(message: message, status: Exit.storage) }
    throw VerifyFailure(message: message, status: Exit.refused)
}

private func backup(_ c: Context) throws -> Int32 {
    let target = c.args.positionals[0]
    try Files.checkDatabasePath(target, option: nil)
    guard Files.kind(target) == .missing else { throw Problem.backupExists(target) }
    // SQLite owns NAME-wal, NAME-shm and NAME-journal beside a database NAME: a backup
    // written there could be taken for the live database's and deleted.
    if ["-wal", "-shm", "-journal"].contains(where: { target.hasSuffix($0) }) { throw Problem.sideFileName(target) }
    let store = try c.openStore()
    // Written under a temporary name beside the target, verified, then put in place:
    // a backup that fails (a full disk, a damaged copy) leaves no file behind.
    let temporary = Files.temporaryName(beside: target)
    let v: Verification
    do {
        try store.backup(to: temporary, by: try c.actor(store))
        v = try Store.open(at: temporary, readOnly: true).verify()
        if let problem = v.problem {
            throw VerifyFailure(message: c.say(Said.backupFailed(target, c.say(Broken(problem)))), status: Exit.storage)
        }
        try Files.place(temporary, at: target)
    } catch {
        Files.removeDatabase(temporary)
        throw error
    }
    try c.recordAccess(store, .backup(target))
    // Quiet under cron (issue #9); asked to speak, it says so and prints the witness.
    if !c.speaksOnSuccess { return Exit.ok }
    if c.format == .json {
        c.done(
            .backedUp(target, events: v.events),
            [
                ("backup", .string(target)), ("events", .int(Int64(v.events))),
                ("witness", v.head.map { .string($0.text) } ?? .null),
            ])
    } else {
        c.print(Said.backedUp(target, events: v.events))
        if let head = v.head { c.print(TrustSaid.witness(head)) }
    }
    return Exit.ok
}
