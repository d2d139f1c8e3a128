import CSQLite
import MediateCore

/// One piece of a whole database, as `export` writes it and `import jsonl` reads it:
/// the settings, the policy, the units, the people, each case with its events, and the
/// administration's own events.
public enum Record: Sendable {
    case setting(key: String, value: String)
    case policy(Policy)
    case unit(Unit)
    /// A person, and when they were disabled (nil: they may act).
    case person(Actor, disabledAt: Int64?)
    /// A case as its row holds it, with its parties and every event, first to last.
    case kase(Case, [Store.StoredEvent])
    case audit(AuditEvent)
}

/// An event of the administration (set-up, people, policy): no case, flat detail.
public struct AuditEvent: Sendable {
    public let id: Int64
    public let action: String
    public let actor: String
    public let effectiveAt: Int64
    public let enteredAt: Int64
    public let detail: [(String, String)]
    public let hash: [UInt8]
    /// The OS login of the real user that ran the command (nil before schema 5).
    public let osLogin: String?

    public init(
        id: Int64, action: String, actor: String, effectiveAt: Int64, enteredAt: Int64, detail: [(String, String)],
        hash: [UInt8], osLogin: String? = nil
    ) {
        self.id = id
        self.action = action
        self.actor = actor
        self.effectiveAt = effectiveAt
        self.enteredAt = enteredAt
        self.detail = detail
        self.hash = hash
        self.osLogin = osLogin
    }
}

/// Why a file of records cannot be restored: what is wrong, and where (a line of the
/// file, or an event of the chain).
public struct RecordFault: Error, Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        /// The line is not one JSON object.
        case notJSON
        /// The first line is not the header of a mediate export, or of another format version.
        case notAnExport
        case unknownKind(String)
        /// A field is missing or has the wrong type or value.
        case badField(String)
        /// A case's events do not replay into the case the line says.
        case caseDiffers(String)
        /// An event's hash differs from the one the chain computes: the file was edited.
        case hashDiffers(eventID: Int64)
        /// The chain's positions skip or repeat.
        case chainGap(eventID: Int64)
        /// A unit, person or case that another record names comes later or not at all.
        case unknownReference(String)
        /// The file ends before its last record (no events, or a cut file).
        case incomplete
        /// The rules refuse what a ledger row says (dates out of order, a mediator who
        /// cannot take the case).
        case refused(Violation)
        /// A ledger read twice (checked, then written) differed the second time.
        case fileChanged
    }

    public let line: Int
    public let reason: Reason

    public init(line: Int, _ reason: Reason) {
        self.line = line
        self.reason = reason
    }
}

extension Store {
    /// Keeps memory the process has freed for its next allocation, rather than handing
    /// it back to the system at once: an import or export allocates and frees the same
    /// few buffers a million times, and glibc, left alone, shrinks the heap after each
    /// and grows it again (a system call and fresh pages each time: twice the system
    /// time of an import of 100,000 ledger rows). The peak stays what it was; only the
    /// return of memory after it is deferred.
    public static func keepFreedMemory() {
        mediate_keep_freed_memory()
    }

    // MARK: - Export

    /// Streams the whole database through `each`, in one read transaction so that the
    /// pieces agree: settings, policy, units, people, cases by id, then the audit events.
    public func exportRecords(_ each: (Record) -> Void) throws(StoreError) {
        let cursor = try records()
        while let record = try cursor.next() { each(record) }
        try cursor.finish()
    }

    /// The whole database as `exportRecords` gives it, one record at a time when asked
    /// for (a copy onto a server reads the next record as it writes the last): a page of
    /// cases at most in memory.
    public func records() throws(StoreError) -> RecordCursor {
        try sealed {
            try db.execute("BEGIN DEFERRED")
            return RecordCursor(store: self)
        }
    }

    /// Reads the records of a whole database in order, inside one read transaction, which
    /// `finish` (or the end of the cursor) closes. Not Sendable: it stays with its store.
    public final class RecordCursor {
        private let store: Store
        private var open = true
        /// Records read (a stage or a page), in order; those before `taken` handed out.
        private var ready: [Record] = []
        private var taken = 0
        private var stage = Stage.setUp

        private enum Stage {
            case setUp
            /// Cases after this id.
            case cases(after: Int64)
            /// Audit events after this id.
            case audit(after: Int64)
            case done
        }

        /// Cases and audit events are read in pages of this many: memory stays bounded,
        /// and no statement is stepped while the same statement runs inside it.
        private static let page = 500

        fileprivate init(store: Store) { self.store = store }

        deinit { if open { try? store.db.execute("COMMIT") } }

        /// The next record; nil after the last.
        public func next() throws(StoreError) -> Record? {
            try store.sealed {
                while taken == ready.count {
                    ready.removeAll(keepingCapacity: true)
                    taken = 0
                    guard try fill() else { return nil }
                }
                defer { taken += 1 }
                return ready[taken]
            }
        }

        /// The chain's length and head as this cursor's transaction sees them, then the
        /// transaction closed.
        @discardableResult
        public func finish() throws(StoreError) -> (events: Int, hash: [UInt8]) {
            try store.sealed {
                let db = store.db
                let head = try db.chainHead()
                if open {
                    open = false
                    try db.execute("COMMIT")
                }
                return (Int(head.id), head.hash)
            }
        }

        /// Reads the next stage or page into `ready`; false once everything was read.
        private func fill() throws -> Bool {
            let db = store.db
            switch stage {
            case .setUp:
                for (key, value) in try db.rows(
                    "SELECT key, value FROM setting ORDER BY key", [], { ($0.text(0), $0.text(1)) })
                {
                    ready.append(.setting(key: key, value: value))
                }
                ready.append(.policy(try store.policy()))
                for unit in try store.organisation().units.values.sorted(by: { $0.id < $1.id }) {
                    ready.append(.unit(unit))
                }
                let people = try db.rows("SELECT login, name, role, unit_id, disabled_at FROM person ORDER BY id") {
                    (
                        Actor(
                            login: $0.text(0), name: $0.text(1), role: Role(rawValue: $0.text(2)) ?? .gridWorker,
                            unitID: $0.optionalInt(3)),
                        $0.optionalInt(4)
                    )
                }
                for (person, disabledAt) in people { ready.append(.person(person, disabledAt: disabledAt)) }
                stage = .cases(after: 0)
            case .cases(let after):
                var page = try db.rows(
                    "SELECT \(Store.caseColumns) FROM dispute d WHERE d.id > ? ORDER BY d.id LIMIT \(Self.page)",
                    [.int(after)], Store.caseRow)
                guard let last = page.last else {
                    stage = .audit(after: 0)
                    return true
                }
                // The page's parties and events read by two range scans in case order
                // (each table's index on its case id), not two queries a case; each party
                // put straight into its case, each case handed on as soon as its last event
                // is read: a page held once, in `ready`. The page holds every case in the
                // range, so a row of none (there can be none) is skipped, as a read case by
                // case never meets it.
                let range: [SQLValue] = [.int(after), .int(last.id)]
                var c = 0
                try db.each(
                    """
                    SELECT case_id, \(Store.partyColumns) FROM party WHERE case_id > ? AND case_id <= ?
                    ORDER BY case_id, position
                    """, range
                ) { r in
                    let caseID = r.int(0)
                    while c < page.count, page[c].id < caseID { c += 1 }
                    guard c < page.count, page[c].id == caseID else { return }
                    page[c].parties.append(Store.partyRow(r, from: 1))
                }
                c = 0
                var own: [Store.StoredEvent] = []
                func finishCase() throws {
                    try store.checkHistory(own)
                    ready.append(.kase(page[c], own))
                    own.removeAll()
                    c += 1
                }
                var detail: [(String, String)] = []
                try db.each(
                    """
                    SELECT case_id, \(Store.storedEventColumns) FROM event WHERE case_id > ? AND case_id <= ?
                    ORDER BY case_id, case_seq
                    """, range
                ) { r in
                    let caseID = r.int(0)
                    while c < page.count, page[c].id < caseID { try finishCase() }
                    guard c < page.count, page[c].id == caseID else { return }
                    own.append(try store.storedEvent(r, from: 1, detail: &detail))
                }
                while c < page.count { try finishCase() }
                stage = .cases(after: last.id)
            case .audit(let after):
                // Every record of who changed the organisation and who saw what.
                let page = try db.rows(
                    """
                    SELECT id, action, actor, effective_at, entered_at, detail, hash, os_login FROM event
                    WHERE case_id IS NULL AND id > ? ORDER BY id LIMIT \(Self.page)
                    """, [.int(after)]
                ) { r in
                    AuditEvent(
                        id: r.int(0), action: r.text(1), actor: r.text(2), effectiveAt: r.int(3),
                        enteredAt: r.int(4), detail: JSON.parseFlatObject(r.text(5)) ?? [], hash: r.blob(6),
                        osLogin: r.optionalText(7))
                }
                guard let last = page.last else {
                    stage = .done
                    return true
                }
                ready += page.map(Record.audit)
                stage = .audit(after: last.id)
            case .done:
                return false
            }
            return true
        }
    }

    /// The chain's length and head, as `verify` would print them.
    public func chainHead() throws(StoreError) -> (events: Int, hash: [UInt8]) {
        try sealed {
            let head = try db.chainHead()
            return (Int(head.id), head.hash)
        }
    }

    // MARK: - Restore

    /// Creates a database at `path` from `records` (each with the line it came from),
    /// all in one transaction: the schema, the policy, units, people, every case row
    /// replayed from its events, and the chain rebuilt event by event. Each event's hash
    /// must come out as the file says, so a copy is the same history, or nothing.
    ///
    /// `end`, asked once every record is in and before anything is committed: the
    /// file's end line (its line, counts and head), which the rebuilt database must
    /// match, so that a file cut between whole lines writes nothing, on either engine.
    public static func restore(
        at path: String, durability: Durability = .full,
        end: () -> (line: Int, cases: Int, events: Int, head: [UInt8])? = { nil },
        _ next: () throws -> (Int, Record)?
    ) throws(StoreError) -> (cases: Int, events: Int) {
        try sealed(path: path) {
            let db = try Connection(path: path, mode: .readWriteCreate, busyTimeoutMilliseconds: 30_000)
            switch try Migrator.owner(db) {
            case .empty: break
            case .mediate: throw StoreError.alreadyInitialised(path: path, version: try Migrator.version(db))
            case .foreign: throw foreign(path)
            }
            try db.execute("PRAGMA journal_mode = WAL")
            if durability == .fast { try db.execute("PRAGMA synchronous = OFF") }
            let store = Store(db: db, path: path)
            try db.execute("BEGIN IMMEDIATE")
            do {
                // The appends' lock first, as every writer takes it before a case row
                // (and its tally, migration 011) is written (see `Store.write`).
                try db.lockAppends()
                guard try Migrator.version(db) == 0 else {
                    throw StoreError.alreadyInitialised(path: path, version: try Migrator.version(db))
                }
                try Migrator.applyAll(db)
                let counts = try store.restore(next)
                if let end = end() {
                    let head = try db.chainHead()
                    if end.events != head.id || end.head != head.hash || end.cases != counts.cases {
                        throw StoreError.records(RecordFault(line: end.line, .incomplete))
                    }
                }
                try db.execute("COMMIT")
                return counts
            } catch {
                try? db.execute("ROLLBACK")
                throw error
            }
        }
    }

    private func restore(_ next: () throws -> (Int, Record)?) throws -> (cases: Int, events: Int) {
        try db.execute(
            """
            DELETE FROM severity; DELETE FROM level; DELETE FROM category; DELETE FROM source;
            CREATE TEMP TABLE case_line (case_id INTEGER PRIMARY KEY, line INTEGER NOT NULL);
            CREATE TEMP TABLE audit_line (event_id INTEGER PRIMARY KEY, line INTEGER NOT NULL);
            """)
        // A bigger page cache for the one long transaction: the event table's indexes
        // are written all over (bounded: 16 MiB).
        try db.execute("PRAGMA cache_size = -16384")
        let insertEvent = try db.statement(
            "INSERT INTO event (\(EventRow.columns), hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        let caseLine = try db.statement("INSERT INTO temp.case_line (case_id, line) VALUES (?, ?)")
        let auditLine = try db.statement("INSERT INTO temp.audit_line (event_id, line) VALUES (?, ?)")
        let hashOf = try db.statement("SELECT hash FROM event WHERE id = ?")
        let rowOf = try db.statement("SELECT \(EventRow.columns), hash FROM event WHERE id = ?")
        // Each event goes straight into the chain's table with the hash the file says,
        // and is checked against the event before it as soon as both are in (whichever
        // comes second): every link checked once, with nothing read back in bulk. The
        // chain holds when every link does and the ids run 1, 2, … without a gap.
        var placed: Int64 = 0
        var highest: Int64 = 0
        var lowest: Int64 = 1
        var linksHold = true
        var last: (id: Int64, hash: [UInt8]) = (0, [])
        var scratch: [UInt8] = []
        // When each person was last disabled, as the chain says.
        var disabledAt: [String: Int64] = [:]
        func place(_ row: EventRow, hash: [UInt8], line: Int) throws {
            do {
                try insertEvent.run(row.values + [.blob(hash)])
            } catch {
                // SQLITE_CONSTRAINT: the same id twice.
                if error.primary == 19 { throw RecordFault(line: line, .chainGap(eventID: row.id)) }
                throw error
            }
            placed += 1
            highest = max(highest, row.id)
            lowest = min(lowest, row.id)
            if row.action == "person.disable",
                let login = JSON.parseFlatObject(row.detail)?.first(where: { $0.0 == "login" })?.1
            {
                disabledAt[login] = max(disabledAt[login] ?? row.enteredAt, row.enteredAt)
            }
            guard linksHold else { return }
            let before: [UInt8]? =
                row.id == 1
                ? [] : last.id == row.id - 1 ? last.hash : try hashOf.first([.int(row.id - 1)]) { $0.blob(0) }
            if let before, Chain.hash(row, previous: before, scratch: &scratch) != hash { linksHold = false }
            if let after = try rowOf.first([.int(row.id + 1)], { (EventRow($0), $0.blob(17)) }),
                Chain.hash(after.0, previous: hash, scratch: &scratch) != after.1
            {
                linksHold = false
            }
            last = (row.id, hash)
        }
        var cases = 0
        var lastLine = 0
        var personLines: [String: Int] = [:]
        while let (line, record) = try next() {
            lastLine = line
            switch record {
            case .setting(let key, let value):
                try insertRecord(
                    line, "INSERT INTO setting (key, value) VALUES (?, ?)", [.text(key), .text(value)], key)
            case .policy(let p):
                for l in p.levels {
                    try insertRecord(
                        line,
                        "INSERT INTO level (rank, code, name_zh, name_en, time_limit_days) VALUES (?, ?, ?, ?, ?)",
                        [
                            .int(Int64(l.rank)), .text(l.code), .text(l.nameZh), .text(l.nameEn),
                            .int(Int64(l.timeLimitDays)),
                        ],
                        l.code)
                }
                for s in p.severities {
                    try insertRecord(
                        line, "INSERT INTO severity (code, rank, name_zh, name_en, ceiling) VALUES (?, ?, ?, ?, ?)",
                        [.text(s.code), .int(Int64(s.rank)), .text(s.nameZh), .text(s.nameEn), .int(Int64(s.ceiling))],
                        s.code)
                }
                for (table, terms) in [("category", p.categories), ("source", p.sources)] {
                    for (i, t) in terms.enumerated() {
                        try insertRecord(
                            line, "INSERT INTO \(table) (code, name_zh, name_en, position) VALUES (?, ?, ?, ?)",
                            [.text(t.code), .text(t.nameZh), .text(t.nameEn), .int(Int64(i + 1))], t.code)
                    }
                }
            case .unit(let u):
                try insertRecord(
                    line, "INSERT INTO unit (id, code, name, level, parent_id) VALUES (?, ?, ?, ?, ?)",
                    [.int(u.id), .text(u.code), .text(u.name), .int(Int64(u.level)), SQLValue(u.parentID)], u.code)
            case .person(let a, let disabledAt):
                personLines[a.login] = line
                try insertRecord(
                    line, "INSERT INTO person (login, name, role, unit_id, disabled_at) VALUES (?, ?, ?, ?, ?)",
                    [.text(a.login), .text(a.name), .text(a.role.rawValue), SQLValue(a.unitID), SQLValue(disabledAt)],
                    a.login)
            case .kase(let k, let stored):
                let events = stored.map(\.event)
                guard let replayed = Case.replay(id: k.id, events), replayed == k else {
                    throw RecordFault(line: line, .caseDiffers(k.number.description))
                }
                try insertRecord(line, Self.insertCaseSQL, Self.caseValues(k), k.number.description)
                for (i, p) in k.parties.enumerated() {
                    try db.run(Self.insertPartySQL, Self.partyValues(k.id, i + 1, p))
                }
                var state: Case? = nil
                for s in stored {
                    let after = state.map { $0.applying(s.event) } ?? Case(id: k.id, filed: s.event)
                    state = after
                    var row = EventRow(
                        caseID: k.id, caseSeq: Int64(s.event.caseSeq), action: s.event.change.kind.rawValue,
                        actor: s.event.actor, effectiveAt: s.event.effectiveAt, enteredAt: s.enteredAt,
                        snapshot: after, breach: Int64(s.event.change.breach),
                        detail: try storedDetail(s, line: line))
                    row.id = s.id
                    row.osLogin = s.osLogin
                    try place(row, hash: s.hash, line: line)
                    if case .filed(let f, _, _) = s.event.change, let o = f.origin {
                        try insertRecord(
                            line, "INSERT INTO ledger_row (file, key, case_id) VALUES (?, ?, ?)",
                            [.text(o.file), .text(o.key), .int(k.id)], o.file + " " + o.key)
                    }
                }
                try caseLine.run([.int(k.id), .int(Int64(line))])
                cases += 1
            case .audit(let a):
                var row = EventRow(
                    caseID: nil, caseSeq: nil, action: a.action, actor: a.actor, effectiveAt: a.effectiveAt,
                    enteredAt: a.enteredAt, snapshot: nil, breach: 0, detail: a.detail)
                row.id = a.id
                row.osLogin = a.osLogin
                try place(row, hash: a.hash, line: line)
                try auditLine.run([.int(a.id), .int(Int64(line))])
            }
        }
        // The chain: every hash as the file says, or nothing. Where a link or the run
        // of ids fails, a walk in order finds the first event out of place.
        var expected = placed + 1
        if !linksHold || placed != highest || lowest < 1 {
            expected = try walkChain(lastLine: lastLine)
        }
        guard expected > 1 else { throw RecordFault(line: lastLine, .incomplete) }
        // A person is disabled when, and only when, the chain says so: at the moment of
        // their last `person.disable`, which the hash covers where the person row is not.
        let people = try db.rows("SELECT login, disabled_at FROM person ORDER BY id") {
            ($0.text(0), $0.optionalInt(1))
        }
        if let (login, _) = people.first(where: { $0.1 != disabledAt[$0.0] }) {
            throw RecordFault(line: personLines[login] ?? lastLine, .badField("disabled_at"))
        }
        try db.execute("DROP TABLE temp.case_line; DROP TABLE temp.audit_line")
        return (cases, Int(expected - 1))
    }

    /// Walks the chain in order and throws at the first event out of place: a gap in
    /// the ids, or a hash that differs from the one the chain computes.
    /// Returns the id after the last event.
    private func walkChain(lastLine: Int) throws -> Int64 {
        var previous: [UInt8] = []
        var expected: Int64 = 1
        var scratch: [UInt8] = []
        var broken: (id: Int64, caseID: Int64?, gap: Bool)? = nil
        do {
            try db.each("SELECT \(EventRow.columns), hash FROM event ORDER BY id") { r in
                let row = EventRow(r)
                guard row.id == expected else {
                    broken = (row.id, row.caseID, true)
                    throw ChainBreak()
                }
                let digest = Chain.hash(row, previous: previous, scratch: &scratch)
                guard digest == r.blob(17) else {
                    broken = (row.id, row.caseID, false)
                    throw ChainBreak()
                }
                previous = digest
                expected += 1
            }
        } catch is ChainBreak {}
        if let broken {
            // The line of the record that holds the event: its case's, or its own.
            let line =
                try broken.caseID.map { try db.int("SELECT line FROM temp.case_line WHERE case_id = ?", [.int($0)]) }
                ?? db.int("SELECT line FROM temp.audit_line WHERE event_id = ?", [.int(broken.id)])
            throw RecordFault(
                line: Int(line ?? Int64(lastLine)),
                broken.gap ? .chainGap(eventID: expected) : .hashDiffers(eventID: broken.id))
        }
        return expected
    }

    /// The detail to store: as today's mediate writes the change, or as an older one
    /// wrote it, if the file keeps that and it reads as the same change.
    private func storedDetail(_ s: StoredEvent, line: Int) throws -> [(String, String)] {
        guard let stored = s.storedDetail else { return s.event.change.detail }
        guard Change(kind: s.event.change.kind, detail: stored, actor: s.event.actor) == s.event.change else {
            throw RecordFault(line: line, .badField("stored_detail"))
        }
        return stored
    }

    /// Inserts a row of a record; a constraint failure is the file's fault (a unit or
    /// person named twice, a parent that is not there), reported at its line.
    private func insertRecord(_ line: Int, _ sql: String, _ values: [SQLValue], _ what: String) throws {
        do {
            try db.run(sql, values)
        } catch {
            if error.primary == 19 { throw RecordFault(line: line, .unknownReference(what)) }
            throw error
        }
    }
}

/// Stops the walk along the chain at the first event out of place.
private struct ChainBreak: Error {}
