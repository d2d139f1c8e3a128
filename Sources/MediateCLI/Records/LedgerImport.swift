import MediateCore
import MediateStore

/// One thing wrong with a ledger: where (line, column) and what.
struct LedgerProblem: Error, Equatable {
    let line: Int
    /// The column's header as the file writes it; nil for the row or the file.
    let column: String?
    let reason: LedgerFault
}

/// Every problem of one row.
struct RowProblems: Error {
    let list: [LedgerProblem]
}

/// Reads ledger rows into entries, checking each as `file` would, and the rules on
/// top: everything a dry run reports, and everything the import relies on.
struct LedgerRows {
    let file: String
    let machine: Machine
    let actor: Actor
    let zone: Zone
    let now: Int64
    let defaultGrid: Unit?
    let peopleByName: [String: Actor]
    let peopleByLogin: [String: Actor]
    /// Column index of each field found in the header.
    private(set) var columns: [LedgerField: Int] = [:]
    private(set) var headers: [String] = []
    /// The keys met so far, asked of the database: none is held here.
    let keys: Store.LedgerKeys

    init(
        file: String, machine: Machine, actor: Actor, zone: Zone, now: Int64, defaultGrid: Unit?, people: [Actor],
        keys: Store.LedgerKeys
    ) {
        self.file = file
        self.keys = keys
        self.machine = machine
        self.actor = actor
        self.zone = zone
        self.now = now
        self.defaultGrid = defaultGrid
        peopleByName = Dictionary(people.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        peopleByLogin = Dictionary(people.map { ($0.login, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Reads the header: the fields it names, with `maps` (FIELD=COLUMN) first.
    mutating func header(_ fields: [String], line: Int, maps: [(LedgerField, String)]) throws(LedgerProblem) {
        headers = fields.map { Input.halfWidth($0).trimmingWhitespace() }
        for (field, column) in maps {
            guard let i = headers.firstIndex(of: column) else {
                throw LedgerProblem(line: line, column: column, reason: .mapColumnMissing(field.headers[0]))
            }
            columns[field] = i
        }
        for field in LedgerField.allCases where columns[field] == nil {
            if let i = headers.firstIndex(where: { field.headers.contains($0) }), !columns.values.contains(i) {
                columns[field] = i
            }
        }
        for field in [LedgerField.filedOn, .summary, .category] where columns[field] == nil {
            throw LedgerProblem(line: line, column: nil, reason: .missingColumn(field.headers[0]))
        }
        if columns[.parties] == nil && columns[.applicant] == nil && columns[.respondent] == nil {
            throw LedgerProblem(line: line, column: nil, reason: .missingColumn(LedgerField.parties.headers[0]))
        }
        if columns[.grid] == nil && defaultGrid == nil {
            throw LedgerProblem(line: line, column: nil, reason: .noGridColumn)
        }
    }

    /// The row's key: its 序号, else its line.
    func key(_ fields: [String], line: Int) -> String {
        let serial = cell(.serial, fields)
        return serial.isEmpty ? "L\(line)" : serial
    }

    private func cell(_ field: LedgerField, _ fields: [String]) -> String {
        guard let i = columns[field], i < fields.count else { return "" }
        let text = Input.halfWidth(fields[i]).trimmingWhitespace()
        // A cell an export marked as text so that no spreadsheet runs it ('=…).
        if text.hasPrefix("'"), let next = text.dropFirst().first, "=+-@".contains(next) {
            return String(text.dropFirst())
        }
        return text
    }

    private func header(_ field: LedgerField) -> String? { columns[field].map { headers[$0] } }

    /// The entry of one row, or every problem found in it.
    func entry(_ fields: [String], line: Int) throws(StoreError) -> Result<LedgerEntry, RowProblems> {
        var problems: [LedgerProblem] = []
        func problem(_ field: LedgerField?, _ reason: LedgerFault) {
            problems.append(LedgerProblem(line: line, column: field.flatMap(header), reason: reason))
        }
        let key = key(fields, line: line)
        if let first = try keys.firstLine(of: key, line: line) {
            problem(.serial, .duplicateKey(key, firstLine: first))
        }
        let policy = machine.policy
        let today = zone.day(now)
        func day(_ field: LedgerField) -> Day? {
            let text = cell(field, fields)
            if text.isEmpty { return nil }
            guard let d = ledgerDay(text) else {
                problem(field, .badDate(echo(text)))
                return nil
            }
            if d > today { problem(field, .dateInFuture(d)) }
            return d
        }
        let filedOn = day(.filedOn)
        if filedOn == nil && cell(.filedOn, fields).isEmpty { problem(.filedOn, .empty) }
        let closedOn = day(.closedOn)

        // Grid: a code or a name; else --grid.
        var grid = defaultGrid
        let gridText = cell(.grid, fields)
        if !gridText.isEmpty {
            let org = machine.organisation
            grid = org.unit(code: gridText) ?? org.units.values.first { $0.name == gridText }
            if let g = grid, g.level != policy.gridRank {
                problem(.grid, .notAGrid(echo(gridText)))
                grid = nil
            } else if grid == nil {
                problem(.grid, .unknownGrid(echo(gridText)))
            }
        } else if grid == nil {
            problem(.grid, .empty)
        }

        func term(_ field: LedgerField, _ terms: [Term], default fallback: String?) -> String? {
            var text = cell(field, fields).replacing("其它", with: "其他")
            if text.isEmpty {
                if fallback == nil { problem(field, .empty) }
                return fallback
            }
            if let t = terms.first(where: { $0.code == text || $0.nameZh == text || $0.nameEn == text }) {
                return t.code
            }
            if text.hasSuffix("纠纷") { text = String(text.dropLast(2)) }
            if let t = terms.first(where: {
                $0.nameZh == text || $0.nameZh.hasPrefix(text) || text.hasPrefix($0.nameZh)
            }) {
                return t.code
            }
            problem(field, .unknownTerm(echo(cell(field, fields)), terms.map(\.nameZh)))
            return nil
        }
        let category = term(.category, policy.categories, default: nil)
        var source = term(.source, policy.sources, default: policy.sources.first?.code ?? "patrol")
        if source == nil {
            // A source written its own way: 12345, 110, 法院, 申请, 排查…
            let text = cell(.source, fields)
            let hints: [(String, String)] = [
                ("12345", "hotline"), ("110", "police"), ("公安", "police"), ("法院", "court"), ("申请", "application"),
                ("排查", "patrol"), ("主动", "initiative"), ("部门", "department"), ("委派", "department"),
            ]
            if let hit = hints.first(where: { text.contains($0.0) }),
                policy.sources.contains(where: { $0.code == hit.1 })
            {
                source = hit.1
                problems.removeAll { $0.reason == .unknownTerm(echo(text), policy.sources.map(\.nameZh)) }
            }
        }
        let severities = policy.severities.map { Term(code: $0.code, nameZh: $0.nameZh, nameEn: $0.nameEn) }
        let severity = term(.severity, severities, default: severities.first?.code ?? "minor")

        let summary = cell(.summary, fields)
        if summary.isEmpty { problem(.summary, .empty) }
        if summary.count > 4000 { problem(.summary, .tooLong(4000)) }

        // Parties: 申请人 and 被申请人, else 当事人 (the first an applicant); names split at 、，;/
        func names(_ field: LedgerField) -> [String] {
            cell(field, fields).split(whereSeparator: { "、,，;；/".contains($0) || $0 == "\n" })
                .map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        }
        var parties: [Party] = names(.applicant).map { Party(name: $0, role: "applicant") }
        parties += names(.respondent).map { Party(name: $0, role: "respondent") }
        let plain = names(.parties)
        for (i, name) in plain.enumerated() where !parties.contains(where: { $0.name == name }) {
            parties.append(Party(name: name, role: parties.isEmpty && i == 0 ? "applicant" : "respondent"))
        }
        if parties.isEmpty { problem(columns[.parties] != nil ? .parties : .applicant, .noParties) }
        for p in parties where p.name.count > 50 { problem(.parties, .tooLong(50)) }
        let phoneText = cell(.phone, fields)
        if !phoneText.isEmpty {
            let phones = phoneText.split(separator: "、", omittingEmptySubsequences: false)
                .flatMap { $0.split(whereSeparator: { ",，;；/ ".contains($0) }).map(String.init) }
            for (i, phone) in phones.enumerated() where !phone.trimmingWhitespace().isEmpty {
                do {
                    let checked = try Input.phone(phone)
                    if i < parties.count { parties[i].phone = checked }
                } catch {
                    problem(.phone, .badPhone)
                }
            }
        }

        // The result, and what it needs.
        let resultText = cell(.result, fields)
        let result = LedgerResult.parse(resultText)
        if result == nil { problem(.result, .unknownResult(echo(resultText))) }
        var amount: Int64? = nil
        do {
            amount = try ledgerAmount(cell(.amount, fields))
        } catch {
            problem(.amount, .badAmount(echo(cell(.amount, fields))))
        }
        let formText = cell(.form, fields)
        let oral = formText.contains("口头")
        if !formText.isEmpty && !oral && !formText.contains("书面") { problem(.form, .badForm(echo(formText))) }
        if result == .resolved && closedOn == nil && cell(.closedOn, fields).isEmpty {
            problem(.closedOn, .needsClosedOn)
        }
        if let f = filedOn, let c = closedOn, c < f { problem(.closedOn, .closedBeforeFiled(closed: c, filed: f)) }

        var mediator: Actor? = nil
        var noteParts: [String] = []
        let mediatorText = cell(.mediator, fields)
        if !mediatorText.isEmpty {
            mediator = peopleByLogin[mediatorText] ?? peopleByName[mediatorText]
            if mediator == nil { noteParts.append(LedgerSaid.ledgerMediator(mediatorText).zh) }
        }
        // A resolved row whose 回访情况 says how the agreement was performed closes with
        // it; any other 回访情况 is kept in a note, and a resolved row then awaits its follow-up.
        let followUpText = cell(.followUp, fields)
        var followUp = result == .resolved ? LedgerFollowUpText.read(followUpText) : nil
        // 履行期限: any day, a future one too (an agreement performed next month); a row
        // whose follow-up is done before it closes early, its 回访情况 the reason.
        var performBy: Day? = nil
        let performText = cell(.performBy, fields)
        if !performText.isEmpty {
            if let d = ledgerDay(performText) {
                performBy = d
                if d > today { followUp?.early = followUpText }
            } else {
                problem(.performBy, .badDate(echo(performText)))
            }
        }
        if !followUpText.isEmpty && followUp == nil { noteParts.append(LedgerSaid.ledgerFollowUp(followUpText).zh) }

        guard problems.isEmpty, let filedOn, let grid, let category, let source, let severity, let result else {
            return .failure(RowProblems(list: problems))
        }
        let filedAt = zone.instant(filedOn)
        let endedAt = max(filedAt, closedOn.map { zone.instant($0) } ?? filedAt)
        let outcome: LedgerOutcome
        switch result {
        case .open: outcome = .open
        case .resolved:
            outcome = .resolved(terms: resultText.isEmpty ? "调解成功" : resultText, oral: oral, amountFen: amount)
        case .failed: outcome = .ended(reason: resultText)
        case .referred: outcome = .referred(LedgerResult.target(resultText), reason: resultText)
        case .ended: outcome = .ended(reason: resultText)
        }
        let entry = LedgerEntry(
            filing: Filing(
                number: CaseNumber(year: zone.day(filedAt).year, serial: 1), unitID: grid.id, severity: severity,
                category: category, source: source, sourceRef: nil, summary: summary, parties: parties,
                origin: Origin(file: file, key: key, line: line)),
            filedAt: filedAt, mediator: mediator, outcome: outcome, endedAt: endedAt,
            note: noteParts.isEmpty ? nil : noteParts.joined(separator: "；"), followUp: followUp,
            performBy: result == .resolved ? performBy : nil)
        // The rules, as the import will apply them.
        if case .failure(let v) = machine.importing(entry, number: entry.filing.number, by: actor) {
            return .failure(RowProblems(list: [LedgerProblem(line: line, column: nil, reason: .refused(v))]))
        }
        return .success(entry)
    }
}

// MARK: - The commands

func importLedger(_ c: Context) throws -> Int32 {
    Store.keepFreedMemory()
    let path = c.args.positionals[0]
    var maps: [(LedgerField, String)] = []
    for text in c.args.texts("map") {
        let parts = text.replacing("＝", with: "=").split(separator: "=", maxSplits: 1).map {
            String($0).trimmingWhitespace()
        }
        guard parts.count == 2, !parts[1].isEmpty, let field = LedgerField.named(parts[0]) else {
            throw LedgerUsage.badMap(echo(text))
        }
        maps.append((field, parts[1]))
    }
    let store = try c.openStore()
    let actor = try c.actor(store)
    guard actor.role == .admin else { throw RecordsProblem.importAdminOnly(actor.login) }
    let machine = try store.machine()
    var grid: Unit? = nil
    if let code = c.args.text("grid") {
        guard let g = machine.organisation.unit(code: code) else { throw StoreError.noSuchUnit(code) }
        guard g.level == machine.policy.gridRank else { throw StoreError.rule(.notAGrid(unitCode: code)) }
        grid = g
    }
    let file = String(path.split(separator: "/").last ?? Substring(path))
    let encoding = c.args.choice("encoding", TextEncoding.self)
    let dryRun = c.args.has("dry-run")
    let people = try store.people().map(\.actor)
    let now = try c.now()
    let rows = LedgerRows(
        file: file, machine: machine, actor: actor, zone: c.zone, now: now, defaultGrid: grid, people: people,
        keys: try store.ledgerKeys(of: file, writing: !dryRun))
    if dryRun {
        return try checkLedger(
            c, path: path, file: file, encoding: encoding, maps: maps, rows: rows, machine: machine)
    }

    // One pass, straight into one transaction: the first problem of a row stops it,
    // and the transaction then writes nothing.
    var importer = rows
    var problem: LedgerProblem? = nil
    let reader = try LedgerReader(path, encoding: encoding)
    let result: Store.LedgerImport
    do {
        result = try store.importLedger(
            {
                do {
                    if importer.headers.isEmpty {
                        guard let header = try reader.next() else {
                            throw LedgerProblem(line: 1, column: nil, reason: .noHeader)
                        }
                        try importer.header(header.fields, line: header.line, maps: maps)
                    }
                    while let row = try reader.next() {
                        if row.fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) { continue }
                        switch try importer.entry(row.fields, line: row.line) {
                        case .success(let entry): return entry
                        case .failure(let found): throw found.list[0]
                        }
                    }
                } catch let p as LedgerProblem {
                    problem = p
                    throw RecordFault(line: p.line, .fileChanged)
                } catch let f as LedgerReader.Failure {
                    problem = LedgerProblem(line: f.line, column: nil, reason: LedgerFault(f))
                    throw RecordFault(line: f.line, .fileChanged)
                }
                return nil
            }, by: actor, entered: c.entered, machine: machine)
    } catch {
        // The row's problem, as the check of a dry run says it; else the store's.
        if let problem { throw LedgerFailure(problem: problem) }
        throw error
    }
    if c.format == .json {
        try printImported(c, store, file: file, result)
    } else if let first = result.first, let last = result.last {
        c.print(
            LedgerSaid.imported(
                file, count: result.count, first: first.description, last: last.description, skipped: result.skipped))
    } else {
        c.print(LedgerSaid.nothingNew(file, rows: result.skipped))
    }
    return Exit.ok
}

/// The JSON answer of an import, as `printJSON` prints it, written as it is read back:
/// every case number it created, none of them held.
private func printImported(_ c: Context, _ store: Store, file: String, _ result: Store.LedgerImport) throws {
    let out = try Output(c, path: nil)
    var bytes: [UInt8] = []
    func line(_ write: (inout [UInt8]) -> Void) {
        bytes.removeAll(keepingCapacity: true)
        write(&bytes)
        bytes.append(UInt8(ascii: "\n"))
        out.write(bytes)
    }
    line { $0 += "{".utf8 }
    line {
        $0 += "  \"file\": ".utf8
        JSON.append(file, to: &$0)
        $0 += ",".utf8
    }
    if result.count == 0 {
        line { $0 += "  \"created\": [],".utf8 }
    } else {
        line { $0 += "  \"created\": [".utf8 }
        var written = 0
        try store.importedNumbers(of: file, result) { number in
            written += 1
            line {
                $0 += "    ".utf8
                JSON.append(number.description, to: &$0)
                if written < result.count { $0 += ",".utf8 }
            }
        }
        line { $0 += "  ],".utf8 }
    }
    line {
        $0 += "  \"already_imported\": ".utf8
        JSON.append(Int64(result.skipped), to: &$0)
    }
    line { $0 += "}".utf8 }
    try out.finish()
}

/// A dry run: reads and checks every row, writes nothing, and lists what an import
/// would create and every problem found.
private func checkLedger(
    _ c: Context, path: String, file: String, encoding: TextEncoding?, maps: [(LedgerField, String)], rows: LedgerRows,
    machine: Machine
) throws -> Int32 {
    // Read and check every row, keeping only counts and problems.
    var checker = rows
    var problems: [LedgerProblem] = []
    // Each row is listed as it is read, so that nothing but counts is kept.
    let listing = c.format != .json
    var listed = 0
    var fresh = 0
    var skipped = 0
    let reader = try LedgerReader(path, encoding: encoding)
    do {
        guard let header = try reader.next() else { throw LedgerProblem(line: 1, column: nil, reason: .noHeader) }
        try checker.header(header.fields, line: header.line, maps: maps)
        while let row = try reader.next() {
            if row.fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) { continue }
            switch try checker.entry(row.fields, line: row.line) {
            case .failure(let found): problems += found.list
            case .success(let entry):
                let key = checker.key(row.fields, line: row.line)
                if try checker.keys.wasImported(key) {
                    skipped += 1
                } else {
                    fresh += 1
                    if listing {
                        c.print(
                            LedgerSaid.wouldCreate(
                                line: row.line, key: key, day: c.zone.day(entry.filedAt),
                                grid: machine.organisation[entry.filing.unitID]?.code ?? "?",
                                outcome: outcomeWord(entry), parties: entry.filing.parties.map(\.name)))
                        if case .resolved = entry.outcome, entry.followUp == nil,
                            entry.note?.contains(LedgerSaid.ledgerFollowUp("").zh) == true
                        {
                            c.print(LedgerSaid.followUpUnread(line: row.line))
                        }
                    }
                }
            }
            if listing {
                for p in problems[listed...] { c.print(LedgerSaid.problem(p, zone: c.zone)) }
                listed = problems.count
            }
        }
    } catch let p as LedgerProblem {
        problems.append(p)
    } catch let f as LedgerReader.Failure {
        problems.append(LedgerProblem(line: f.line, column: nil, reason: LedgerFault(f)))
    }

    if c.format == .json {
        c.printJSON(
            .object([
                ("dry_run", .bool(true)), ("file", .string(file)), ("encoding", .string(reader.encoding.rawValue)),
                ("would_create", .int(Int64(fresh))), ("already_imported", .int(Int64(skipped))),
                (
                    "problems",
                    .array(
                        problems.map {
                            .object([
                                ("line", .int(Int64($0.line))), ("column", $0.column.map(JSON.string) ?? .null),
                                ("message", .string(c.say(LedgerSaid.problem($0, zone: c.zone)))),
                            ])
                        })
                ),
            ]))
    } else {
        for p in problems[listed...] { c.print(LedgerSaid.problem(p, zone: c.zone)) }
        c.print(LedgerSaid.checked(file, create: fresh, skipped: skipped, problems: problems.count))
    }
    return problems.isEmpty ? Exit.ok : Exit.dataError
}

private func outcomeWord(_ entry: LedgerEntry) -> CaseState {
    switch entry.outcome {
    case .open: .open
    case .resolved: entry.followUp == nil ? .resolved : .closed
    case .referred: .referred
    case .ended: .withdrawn
    }
}

/// A bad ledger: its first problem, exit 65, nothing written.
struct LedgerFailure: Error {
    let problem: LedgerProblem
}

extension LedgerFault {
    init(_ f: LedgerReader.Failure) {
        switch f {
        case .notText(_, let encoding): self = .notText(encoding)
        case .unclosedQuote: self = .unclosedQuote
        case .readFailed: self = .readFailed
        }
    }
}

extension LedgerReader.Failure {
    var line: Int {
        switch self {
        case .notText(let line, _), .unclosedQuote(let line): line
        case .readFailed: 0
        }
    }
}

/// `export --format csv`: every case as a ledger row, in the columns `import ledger` reads.
/// Returns how many cases it wrote.
func exportLedger(_ c: Context, _ store: Store, _ machine: Machine) throws -> Int {
    let encoding = c.args.choice("encoding", TextEncoding.self) ?? .utf8
    let out = try Output(c, path: c.args.text("output"), encoding: encoding)
    let names = Names(policy: machine.policy, lang: .zh)
    let org = machine.organisation
    let zone = c.zone
    let people = Dictionary(try store.people().map { ($0.actor.login, $0.actor.name) }, uniquingKeysWith: { a, _ in a })
    var count = 0
    do {
        if c.args.has("bom") && encoding == .utf8 { out.writeRaw([0xEF, 0xBB, 0xBF]) }
        out.write(CSV.record(LedgerField.allCases.map { $0.headers[0] }))
        try store.exportRecords { record in
            guard case .kase(let k, let events) = record else { return }
            count += 1
            var resolved: Agreement? = nil
            var endedAt: Int64? = nil
            var referral = ""
            var origin: Origin? = nil
            var followUps: [String] = []
            for e in events {
                switch e.event.change {
                case .filed(let f, _, _): origin = f.origin
                case .resolved(let a):
                    resolved = a
                    endedAt = e.event.effectiveAt
                case .reopened: resolved = nil
                case .referred(_, let why):
                    referral = why
                    endedAt = e.event.effectiveAt
                case .withdrawn(let why):
                    referral = why
                    endedAt = e.event.effectiveAt
                case .noted(let text):
                    // The ledger's own columns, kept in a note on import, go back to them.
                    let prefix = LedgerSaid.ledgerFollowUp("").zh
                    for part in text.split(separator: "；").map(String.init)
                    where !part.hasPrefix(LedgerSaid.ledgerMediator("").zh) {
                        followUps.append(part.hasPrefix(prefix) ? String(part.dropFirst(prefix.count)) : part)
                    }
                case .closed(let note, let satisfaction, let performance, _):
                    followUps.append(
                        LedgerFollowUpText.write(note: note, performance: performance, satisfaction: satisfaction))
                default: break
                }
            }
            func party(_ role: String) -> String {
                k.parties.filter { $0.role == role }.map(\.name).joined(separator: "、")
            }
            let others = k.parties.filter { $0.role != "applicant" && $0.role != "respondent" }.map(\.name)
            let ordered =
                k.parties.filter { $0.role == "applicant" } + k.parties.filter { $0.role == "respondent" }
                + k.parties.filter { $0.role != "applicant" && $0.role != "respondent" }
            var phones = ordered.map { $0.phone ?? "" }
            while phones.last == "" { phones.removeLast() }
            let word = LedgerResult.word(k.state)
            let result: String =
                switch k.state {
                case .referred, .withdrawn:
                    referral.isEmpty ? word : LedgerResult.parse(referral) == nil ? word + "：" + referral : referral
                default: word
                }
            let row: [String] = [
                origin?.key ?? k.number.description, zone.day(k.filedAt).description,
                org[k.originUnitID]?.code ?? "", others.joined(separator: "、"), party("applicant"),
                party("respondent"), phones.joined(separator: "、"), names.category(k.category),
                names.source(k.source), names.severity(k.severity), k.summary,
                result,
                k.assignee.map { people[$0] ?? $0 } ?? "", endedAt.map { zone.day($0).description } ?? "",
                resolved?.amountFen.map(yuan) ?? "", resolved.map { $0.oral ? "口头" : "书面" } ?? "",
                resolved?.performBy ?? "",
                followUps.joined(separator: "；"),
            ]
            out.write(CSV.safeRecord(row))
        }
        try out.finish()
    } catch {
        out.abandon()
        throw error
    }
    return count
}
