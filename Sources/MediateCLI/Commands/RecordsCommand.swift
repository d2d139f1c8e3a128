import MediateCore
import MediateStore

#if canImport(Glibc)
    import Glibc
#endif

let recordCommands: [Command] = [
    Command(
        name: "export", spoken: RecordsHelp.export,
        options: [
            Option("output", .path, help: RecordsHelp.output), Option("bom", help: RecordsHelp.bom),
            Option("encoding", .choice(.of(TextEncoding.self)), help: RecordsHelp.encodingOut),
        ],
        formats: [.jsonl, .csv],
        validate: { args throws(Problem) in
            let format = args.choice("format", Format.self)
            guard format == .jsonl || format == .csv else { throw .missingOption("format", "jsonl|csv") }
            if format == .jsonl && args.has("bom") { throw .notTogether("bom", "format jsonl") }
            if format == .jsonl && args.has("encoding") { throw .notTogether("encoding", "format jsonl") }
        },
        run: export),
    Command(
        name: "import jsonl", spoken: RecordsHelp.importJSONL,
        positionals: [Positional(name: "FILE.jsonl", kind: .file)],
        formats: [.text, .json], run: importJSONL),
    Command(
        name: "import ledger", spoken: RecordsHelp.importLedger,
        positionals: [Positional(name: "FILE.csv", kind: .file)],
        options: [
            Option("map", .text(limit: 200, multiline: false, stdin: false), repeatable: true, help: RecordsHelp.map),
            Option("grid", .code(.unitCode), help: RecordsHelp.grid),
            Option("encoding", .choice(.of(TextEncoding.self)), help: RecordsHelp.encodingIn),
            Option("dry-run", help: RecordsHelp.dryRun),
        ],
        formats: [.text, .json], run: importLedger),
]

/// Only an admin exports: the file holds every party's phone and ID number. The acting
/// person is the one `Identity` establishes (the real user, or whom an admin names).
func requireAdmin(_ c: Context, _ store: Store) throws {
    let actor = try c.actor(store)
    guard actor.role == .admin else { throw RecordsProblem.adminOnly(actor.login) }
}

private func export(_ c: Context) throws -> Int32 {
    let store = try c.openStore()
    try requireAdmin(c, store)
    try Identity.requireWholeView(c, store)
    let machine = try store.machine()
    let cases = c.format == .csv ? try exportLedger(c, store, machine) : try exportJSONL(c, store, machine)
    // Every party's phone and ID number left the database: recorded once the file is
    // written (and after the read, so that an export never holds its own record and a
    // copy restored from it exports the same bytes), before it is reported done.
    try c.recordAccess(store, .export(c.args.text("output") ?? "-"))
    if c.format == .csv { c.warn(RecordsSaid.exportNotice) }
    if let path = c.args.text("output") { c.print(RecordsSaid.exported(path, cases: cases)) }
    return Exit.ok
}

/// Writes the whole database as JSONL; returns how many cases it wrote.
private func exportJSONL(_ c: Context, _ store: Store, _ machine: Machine) throws -> Int {
    Store.keepFreedMemory()
    let out = try Output(c, path: c.args.text("output"))
    let view = CaseView(c, machine)
    var cases = 0
    // Each line written into one reused buffer, straight from the records: no value
    // built, no string made, whatever the size of the database.
    var line = JSONWriter(capacity: 1 << 16)
    func emit(_ write: (inout JSONWriter) -> Void) {
        line.reset()
        write(&line)
        line.bytes.append(UInt8(ascii: "\n"))
        out.write(line.bytes)
    }
    do {
        emit { $0.value(RecordCodec.header()) }
        try store.exportRecords { record in
            if case .kase = record { cases += 1 }
            emit { RecordCodec.write(record, view: view, zone: c.zone, to: &$0) }
        }
        let head = try store.chainHead()
        emit { $0.value(RecordCodec.end(cases: cases, events: head.events, head: head.hash)) }
        try out.finish()
    } catch {
        out.abandon()
        throw error
    }
    return cases
}

/// Reads a file line by line with `getline`: one line in memory at a time.
final class LineReader {
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: UnsafeMutablePointer<CChar>? = nil
    private var capacity = 0
    private(set) var line = 0

    init(_ path: String) throws {
        switch Files.kind(path) {
        case .missing: throw Problem.noSuchFile(path)
        case .directory, .other: throw Problem.notAFile(path, .csvFile)
        case .regular: break
        }
        guard let f = fopen(path, "rb") else { throw Problem.cannotRead(path) }
        file = f
    }

    deinit {
        free(buffer)
        fclose(file)
    }

    /// The next line without its line end, as bytes; nil at the end.
    func next() -> [UInt8]? {
        let n = getline(&buffer, &capacity, file)
        guard n >= 0, let buffer else { return nil }
        line += 1
        var bytes = UnsafeRawBufferPointer(start: buffer, count: n).map { $0 }
        if bytes.last == 10 { bytes.removeLast() }
        if bytes.last == 13 { bytes.removeLast() }
        return bytes
    }

    var failed: Bool { ferror(file) != 0 }
}

private func importJSONL(_ c: Context) throws -> Int32 {
    do {
        return try restoreJSONL(c)
    } catch StoreError.alreadyInitialised(let path, _) {
        // A database that is one already: a server's (a file that exists is refused below).
        throw RecordsProblem.restoreNeedsNewDatabase(path)
    }
}

private func restoreJSONL(_ c: Context) throws -> Int32 {
    Store.keepFreedMemory()
    let source = c.args.positionals[0]
    if c.dbPath.isEmpty && !c.args.has("db") { throw DeskProblem.noDatabasePath }
    // Running setgid, a new database is root's to make, as with `init`: the file names
    // its own admins, so anyone else would make themselves admin of a file of the group.
    if c.invocation.setgidGroup != nil && c.invocation.realUID() != 0 { throw RecordsProblem.restoreNeedsRoot }
    // Checked as every command checks it: running setgid, only in a folder of mediate's group.
    let path = try c.checkedDBPath()
    switch Files.kind(path) {
    case .missing: break
    case .regular(let size) where size == 0: break
    default: throw RecordsProblem.restoreNeedsNewDatabase(path)
    }
    let reader = try LineReader(source)
    var decoder = RecordCodec.Decoder()
    var created = Files.kind(path) == .missing
    defer {
        if created { for side in ["", "-wal", "-shm", "-journal"] { unlink(path + side) } }
    }
    // The end line's count and head must be what was rebuilt: a file cut or spliced
    // between whole lines is caught before the restore commits, and nothing is written.
    let end = { decoder.end.map { (line: reader.line, cases: $0.cases, events: $0.events, head: $0.head) } }
    let counts = try Store.restore(at: path, end: end) { () throws(RecordFault) -> (Int, Record)? in
        while let bytes = reader.next() {
            let line = reader.line
            if bytes.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            guard String(validating: bytes, as: UTF8.self) != nil else { throw RecordFault(line: line, .notJSON) }
            if let record = try decoder.decode(bytes, line: line) { return (line, record) }
        }
        guard decoder.sawHeader else { throw RecordFault(line: max(reader.line, 1), .notAnExport) }
        guard decoder.end != nil else { throw RecordFault(line: reader.line, .incomplete) }
        return nil
    }
    if reader.failed { throw Problem.readFailed(source) }
    let store = try Store.open(at: path)
    created = false
    c.use(store.zone)
    if c.format == .json {
        c.printJSON(
            .object([
                ("ok", .bool(true)), ("database", .string(Store.displayName(path))),
                ("cases", .int(Int64(counts.cases))),
                ("events", .int(Int64(counts.events))),
            ]))
    } else {
        c.print(RecordsSaid.restored(Store.displayName(path), cases: counts.cases, events: counts.events))
    }
    return Exit.ok
}
