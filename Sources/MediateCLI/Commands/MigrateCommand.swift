import MediateCore
import MediateStore

let migrateCommands: [Command] = [
    Command(
        name: "migrate", spoken: MigrateHelp.command,
        options: [
            Option("to", .path, required: true, help: MigrateHelp.optionTo),
            Option("merge", help: MigrateHelp.optionMerge),
        ],
        formats: [.text, .json], run: migrate)
]

/// Copies the whole database into an empty PostgreSQL database through the JSONL export
/// and import (the same records, the same hash chain), then checks the copy: it
/// verifies, ends at the witness the export ended at, and gives the same reports.
private func migrate(_ c: Context) throws -> Int32 {
    let target = c.args.text("to") ?? ""
    guard target.hasPrefix("postgresql://") || target.hasPrefix("postgres://") else {
        throw MigrateProblem.notAServer(target)
    }
    let source = try c.openStore()
    try requireAdmin(c, source)
    let machine = try source.machine()
    let shown = Store.displayName(target)
    if c.args.has("merge") { return try merge(c, source, into: target, shown: shown) }
    Store.keepFreedMemory()

    // The export, line by line as `export --format jsonl` writes it, each line read back
    // into the copy as soon as it is written: one line in memory at a time, and no file
    // of the records (which hold personal data) is left anywhere.
    let view = CaseView(c, machine)
    let cursor = try source.records()
    var head: (events: Int, hash: [UInt8])? = nil
    var cases = 0
    var sentHeader = false
    var line = JSONWriter(capacity: 1 << 16)
    let counts = try restore(at: target, shown: shown) { () throws -> [UInt8]? in
        line.reset()
        if !sentHeader {
            sentHeader = true
            line.value(RecordCodec.header())
        } else if let record = try cursor.next() {
            if case .kase = record { cases += 1 }
            RecordCodec.write(record, view: view, zone: c.zone, to: &line)
        } else if head == nil {
            // The end line, with the head the records were read up to.
            let last = try cursor.finish()
            head = last
            line.value(RecordCodec.end(cases: cases, events: last.events, head: last.hash))
        } else {
            return nil
        }
        return line.bytes
    }
    guard let head else { throw MigrateProblem.copyDiffers(shown, what: .verify) }

    // Personal data left the database: recorded, as an export is, once the copy is made.
    try c.recordAccess(source, .export(shown))

    // Both sides: the copy verifies and ends where the export ended; the original
    // verifies up to there too; every figure of the reports agrees.
    let copy = try Store.open(at: target)
    let witness = Witness(count: Int64(head.events), hash: head.hash)
    let copied = try copy.verify()
    guard copied.problem == nil, counts.cases == cases else { throw MigrateProblem.copyDiffers(shown, what: .verify) }
    guard copied.head == witness else { throw MigrateProblem.copyDiffers(shown, what: .witness) }
    guard let claim = Witness.Claim(witness.text), try source.verify(witness: claim).problem == nil else {
        throw MigrateProblem.copyDiffers(shown, what: .verify)
    }
    let now = c.entered + 1
    for (start, end) in [(Int64(0), now), lastMonth(now, zone: source.zone)] {
        let a = try source.report(start: start, end: end, cutoff: min(end, now), scope: nil)
        let b = try copy.report(start: start, end: end, cutoff: min(end, now), scope: nil)
        guard same(a, b) else { throw MigrateProblem.copyDiffers(shown, what: .report) }
    }
    if c.format == .json {
        c.printJSON(
            .object([
                ("ok", .bool(true)), ("database", .string(shown)), ("cases", .int(Int64(counts.cases))),
                ("events", .int(Int64(counts.events))), ("witness", .string(witness.text)),
            ]))
    } else {
        c.print(MigrateSaid.moved(to: shown, cases: counts.cases, events: counts.events, witness: witness.text))
    }
    return Exit.ok
}

/// Restores the lines of an export, as `nextLine` gives them one at a time, into a new
/// database at `target`, as `import jsonl` reads a file.
private func restore(
    at target: String, shown: String, _ nextLine: () throws -> [UInt8]?
) throws -> (cases: Int, events: Int) {
    var decoder = RecordCodec.Decoder()
    var index = 0
    do {
        let end = { decoder.end.map { (line: index, cases: $0.cases, events: $0.events, head: $0.head) } }
        return try Store.restore(at: target, end: end) { () throws -> (Int, Record)? in
            while let bytes = try nextLine() {
                index += 1
                if let record = try decoder.decode(bytes, line: index) { return (index, record) }
            }
            return nil
        }
    } catch .alreadyInitialised {
        throw MigrateProblem.targetNotEmpty(shown)
    }
}

/// Merges the street into a district database that holds other streets (admins of both:
/// the whole deployment's), then checks: the district verifies, and the street's
/// figures there are the street's own.
private func merge(_ c: Context, _ source: Store, into target: String, shown: String) throws -> Int32 {
    let district = try Store.open(at: target)
    district.osLogin = c.invocation.osLogin()
    // On the district's side the caller is the role connected as: the tables' owner (or a
    // superuser), or a registered admin of the whole deployment.
    guard let role = try district.connectedRole() else { throw MigrateProblem.notAServer(target) }
    let registered = try district.person(role.login)
    guard role.administers || (registered?.role == .admin && registered?.unitID == nil) else {
        throw TrustRefusal.wholeViewNeeded(role.login)
    }
    let actor = registered ?? Actor(login: role.login, name: role.login, role: .admin, unitID: nil)
    // The district must verify before anything is added to it: a check failing after
    // the merge then points at the merge, not at what was wrong before.
    guard try district.verify().problem == nil else { throw MigrateProblem.districtUnverified(shown) }
    let merged = try district.merge(source, by: actor, at: c.entered, entered: c.entered)
    try c.recordAccess(source, .export(shown))
    // The merge has committed (its events are in the one chain, append-only): a failed
    // check says so, and never to drop the district, which holds other streets.
    func failed(_ what: MigrateProblem.Difference) -> MigrateProblem {
        .mergeCheckFailed(shown, street: merged.street, what: what)
    }
    guard try district.verify().problem == nil else { throw failed(.verify) }
    let org = try district.organisation()
    guard let street = org.units.values.first(where: { $0.code == merged.street }) else { throw failed(.report) }
    let now = c.entered + 1
    for (start, end) in [(Int64(0), now), lastMonth(now, zone: source.zone)] {
        let a = try source.report(start: start, end: end, cutoff: min(end, now), scope: nil)
        let b = try district.report(start: start, end: end, cutoff: min(end, now), scope: street.id)
        guard same(a, b) else { throw failed(.report) }
    }
    if c.format == .json {
        c.printJSON(
            .object([
                ("ok", .bool(true)), ("database", .string(shown)), ("street", .string(merged.street)),
                ("cases", .int(Int64(merged.cases))), ("events", .int(Int64(merged.events))),
                ("witness", .string(merged.witness.text)),
                (
                    "renumbered",
                    .array(
                        merged.renumbered.map {
                            .object([("from", .string($0.from.description)), ("to", .string($0.to.description))])
                        })
                ),
            ]))
    } else {
        c.print(
            MigrateSaid.merged(
                into: shown, street: merged.street, cases: merged.cases, events: merged.events,
                witness: merged.witness.text, renumbered: merged.renumbered.count))
    }
    return Exit.ok
}

/// The month before the one of `now`, in `zone`.
private func lastMonth(_ now: Int64, zone: Zone) -> (Int64, Int64) {
    let today = zone.day(now)
    let (y, m) = today.month == 1 ? (today.year - 1, 12) : (today.year, today.month - 1)
    return (zone.monthStart(year: y, month: m), zone.monthStart(year: today.year, month: today.month))
}

/// Whether two reports hold the same figures for the same units, categories and sources.
/// A figure's days to resolution are a multiset (the median is read from them): each
/// engine may give the cohort's cases in its own order.
private func same(_ a: Report, _ b: Report) -> Bool {
    func figures(_ f: Figures) -> Figures {
        var f = f
        f.durations.sort()
        return f
    }
    return a.rows.map(\.unit.code) == b.rows.map(\.unit.code)
        && a.rows.map { figures($0.figures) } == b.rows.map { figures($0.figures) }
        && figures(a.total) == figures(b.total) && a.byCategory.map(\.code) == b.byCategory.map(\.code)
        && a.byCategory.map { figures($0.figures) } == b.byCategory.map { figures($0.figures) }
        && a.bySource.map(\.code) == b.bySource.map(\.code)
        && a.bySource.map { figures($0.figures) } == b.bySource.map { figures($0.figures) }
}
