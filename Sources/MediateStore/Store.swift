import CSQLite
import MediateCore

/// The case store: one SQLite file. Every action is one transaction that appends an
/// event to the chain and updates the case row.
///
/// The store is sealed: every public method throws only `StoreError`, with storage
/// failures classified as a `StorageProblem`; SQLite itself stays inside this module.
public final class Store {
    let db: Connection
    public let path: String
    /// The deployment's time zone (settings `timezone`), else the system's: what its
    /// days and months are. A value: opening a store changes nothing in the process.
    public internal(set) var zone: Zone
    /// The OS login of the real user running this process: recorded on every event it writes.
    public var osLogin: String?

    /// `zone` nil: the system's (read from /etc/localtime only then).
    init(db: Connection, path: String, zone: Zone? = nil) {
        self.db = db
        self.path = path
        self.zone = zone ?? Zone.system()
    }

    // MARK: - Opening

    /// How long each commit waits for the disk: a setting of this connection alone,
    /// never stored in the file.
    public enum Durability: Sendable {
        /// Each commit waits until it is safely on the disk, as SQLite does by
        /// default: for real records.
        case full
        /// Commits do not wait for the disk (`PRAGMA synchronous = OFF`): bulk writes
        /// go many times faster, but a crash of the machine or a power cut may lose the
        /// last commits or damage the file. Only for throwaway databases, like the demo's.
        case fast
    }

    /// Creates a new database at `path` with the schema and default policy, and
    /// registers `admin` as its first admin (of the whole deployment).
    public static func create(
        at path: String, admin: String, adminName: String, now: Int64, entered: Int64, durability: Durability = .full,
        osLogin: String? = nil
    ) throws(StoreError) -> Store {
        try sealed(path: path) {
            let db = try connect(path, .readWriteCreate)
            switch try Migrator.owner(db) {
            case .empty: break
            case .mediate: throw StoreError.alreadyInitialised(path: path, version: try Migrator.version(db))
            case .foreign: throw foreign(path)
            }
            // WAL lets readers go on while one writer writes; it persists in the file.
            try db.execute("PRAGMA journal_mode = WAL")
            if isGroupShared(path) { db.persistWAL() }
            try set(durability, on: db)
            let store = Store(db: db, path: path)
            store.osLogin = osLogin
            // The schema and the first admin in one transaction: an init that fails leaves an
            // empty file that a second init can use, never a database without an admin.
            try db.transaction(.immediate) {
                guard try Migrator.version(db) == 0 else {
                    throw StoreError.alreadyInitialised(path: path, version: try Migrator.version(db))
                }
                try Migrator.applyAll(db)
                try db.run(
                    "INSERT INTO person (login, name, role, unit_id) VALUES (?, ?, 'admin', NULL)",
                    [.text(admin), .text(adminName)])
                try store.audit(
                    "init", actor: admin, at: now, entered: entered,
                    [("admin", admin), ("name", adminName), ("schema_version", String(Migrator.latestVersion))])
            }
            return store
        }
    }

    /// Opens an existing database, migrating it to this binary's schema if older.
    /// With `anyZone`, a stored time zone that is not installed does not stop the
    /// opening (the system's is used): so that `policy set --timezone` can repair it.
    public static func open(
        at path: String, readOnly: Bool = false, busyTimeout: Int32 = 30_000, anyZone: Bool = false,
        durability: Durability = .full, defaultZone: @autoclosure () -> Zone = Zone.system()
    ) throws(StoreError) -> Store {
        try sealed(path: path) {
            // A reader opens the file as a writer would, but with writes switched off
            // (`query_only`): so that, being the last to close, it still checkpoints and
            // removes the WAL, and the file is never written or migrated. SQLite falls
            // back to reading alone where the file is write-protected.
            // Where neither the file nor its folder can be written (read-only media), a
            // reader opens it read-only: SQLite then reads a WAL file without a -shm.
            let media = !mayWrite(path) && !mayWrite(parentFolder(path)) && isRegularFile(path)
            let db = try connect(path, readOnly && media ? .immutable : .readWrite, busyTimeout: busyTimeout)
            if readOnly { try db.execute("PRAGMA query_only = ON") }
            if isGroupShared(path) { db.persistWAL() }
            switch try Migrator.owner(db) {
            case .empty: throw StoreError.notInitialised(path: path)
            case .foreign: throw foreign(path)
            case .mediate: break
            }
            let version = try Migrator.version(db)
            if version > Migrator.latestVersion {
                throw StoreError.newerSchema(path: path, found: version, known: Migrator.latestVersion)
            }
            try set(durability, on: db)
            if version < Migrator.latestVersion {
                // Reading never writes: only a command that writes brings the file up to date.
                guard !readOnly else {
                    throw StoreError.olderSchema(path: path, found: version, known: Migrator.latestVersion)
                }
                try Migrator.migrate(db)
            }
            // The zone is a value of the store: nothing in the process changes with it.
            // The default one is only worked out (a file read) when no zone is stored.
            var zone: Zone? = nil
            let stored = try db.first("SELECT value FROM setting WHERE key = 'timezone'") { $0.text(0) }
            if let name = stored {
                zone = Zone.named(name)
                if zone == nil && !anyZone { throw StoreError.storedZoneMissing(name) }
            }
            return Store(db: db, path: path, zone: zone ?? defaultZone())
        }
    }

    private static func connect(_ path: String, _ mode: Connection.Mode, busyTimeout: Int32 = 30_000) throws
        -> Connection
    {
        do {
            return try Connection(path: path, mode: mode, busyTimeoutMilliseconds: busyTimeout)
        } catch {
            if mode == .readWrite && error.primary == SQLITE_CANTOPEN && !error.engineNotBuilt && !fileExists(path) {
                throw StoreError.notInitialised(path: path)
            }
            throw error
        }
    }

    /// The database's name as messages show it: a PostgreSQL URI without its password.
    public static func displayName(_ name: String) -> String { Engine.redacted(name) }

    /// Whether `name` names a database on a PostgreSQL server (a `postgresql://` or
    /// `postgres://` URI) rather than an SQLite file: what a deployment check needs to know.
    public static func isServer(_ name: String) -> Bool { Engine.isServerURI(name) }

    /// Another program's database, in the words of its engine.
    static func foreign(_ path: String) -> StoreError {
        Engine.isServerURI(path) ? .foreignServerDatabase(path) : .foreign(path: path)
    }

    private static func set(_ durability: Durability, on db: Connection) throws {
        switch durability {
        case .full: break
        // "With synchronous OFF, SQLite continues without syncing as soon as it has
        // handed data off to the operating system. If the application running SQLite
        // crashes, the data will be safe, but the database might become corrupted if the
        // operating system crashes or the computer loses power before that data has been
        // written to the disk surface."
        case .fast: try db.execute("PRAGMA synchronous = OFF")
        }
    }

    // MARK: - Policy and organisation

    public func setting(_ key: String) throws(StoreError) -> String? {
        try sealed {
            try db.first("SELECT value FROM setting WHERE key = ?", [.text(key)]) { $0.text(0) }
        }
    }

    public func policy() throws(StoreError) -> Policy {
        try sealed {
            var levels: [Level] = []
            var severities: [Severity] = []
            var categories: [Term] = []
            var sources: [Term] = []
            // The four lists in one statement (every command reads them), each in its order.
            try db.each(
                """
                SELECT 0, rank, code, name_zh, name_en, time_limit_days FROM level
                UNION ALL SELECT 1, rank, code, name_zh, name_en, ceiling FROM severity
                UNION ALL SELECT 2, position, code, name_zh, name_en, 0 FROM category
                UNION ALL SELECT 3, position, code, name_zh, name_en, 0 FROM source
                ORDER BY 1, 2, 3
                """
            ) { r in
                switch r.int(0) {
                case 0:
                    levels.append(
                        Level(
                            rank: Int(r.int(1)), code: r.text(2), nameZh: r.text(3), nameEn: r.text(4),
                            timeLimitDays: Int(r.int(5))))
                case 1:
                    severities.append(
                        Severity(
                            code: r.text(2), rank: Int(r.int(1)), nameZh: r.text(3), nameEn: r.text(4),
                            ceiling: Int(r.int(5))))
                case 2: categories.append(Term(code: r.text(2), nameZh: r.text(3), nameEn: r.text(4)))
                default: sources.append(Term(code: r.text(2), nameZh: r.text(3), nameEn: r.text(4)))
                }
            }
            return Policy(levels: levels, severities: severities, categories: categories, sources: sources)
        }
    }

    private static let unitColumns = "id, code, name, level, parent_id"

    private static func unitRow(_ r: Row) -> Unit {
        Unit(id: r.int(0), code: r.text(1), name: r.text(2), level: Int(r.int(3)), parentID: r.optionalInt(4))
    }

    public func organisation() throws(StoreError) -> Organisation {
        try sealed { Organisation(try db.rows("SELECT \(Self.unitColumns) FROM unit", [], Self.unitRow)) }
    }

    /// The units with these ids alone, not the whole tree: what naming the units of a
    /// case or a page needs. Their parents may be missing: never for deciding.
    public func units(_ ids: Set<Int64>) throws(StoreError) -> Organisation {
        try sealed {
            guard !ids.isEmpty else { return Organisation([]) }
            return Organisation(
                try db.rows(
                    "SELECT \(Self.unitColumns) FROM unit WHERE id IN (SELECT CAST(value AS BIGINT) FROM json_each(?))",
                    [Self.idList(ids.sorted())], Self.unitRow))
        }
    }

    /// The unit with this code and every unit below it, read by one statement rather than
    /// the whole tree; nil when no unit has the code.
    public func subtree(ofCode code: String) throws(StoreError) -> Set<Int64>? {
        try sealed { try subtree("code = ?", .text(code)) }
    }

    /// The unit with this id and every unit below it.
    public func subtree(of id: Int64) throws(StoreError) -> Set<Int64> {
        try sealed { try subtree("id = ?", .int(id)) ?? [] }
    }

    private func subtree(_ root: String, _ value: SQLValue) throws -> Set<Int64>? {
        // UNION, not UNION ALL: a tree edited into a loop ends rather than runs forever.
        let ids = try db.rows(
            """
            WITH RECURSIVE sub(id) AS (SELECT id FROM unit WHERE \(root)
                                       UNION SELECT u.id FROM unit u JOIN sub ON u.parent_id = sub.id)
            SELECT id FROM sub
            """, [value]
        ) { $0.int(0) }
        return ids.isEmpty ? nil : Set(ids)
    }

    public func machine() throws(StoreError) -> Machine {
        try sealed {
            Machine(policy: try policy(), organisation: try organisation(), zone: zone)
        }
    }

    /// A machine that decides on cases in these units: the policy whole, of the
    /// organisation these units and every unit above them, which is all a rule reads
    /// (the parent an escalation goes to, the chain a jurisdiction is checked along).
    /// What `file` and the sweep need, not the whole tree.
    public func machine(deciding ids: Set<Int64>) throws(StoreError) -> Machine {
        try sealed {
            Machine(
                policy: try policy(),
                organisation: try lineage(
                    "id IN (SELECT CAST(value AS BIGINT) FROM json_each(?))",
                    Self.idList(ids.sorted())),
                zone: zone)
        }
    }

    /// `machine(deciding:)` for the unit with this code; nil when no unit has it.
    public func machine(decidingCode code: String) throws(StoreError) -> (Machine, Unit)? {
        try sealed {
            let org = try lineage("code = ?", .text(code))
            guard let unit = org.unit(code: code) else { return nil }
            return (Machine(policy: try policy(), organisation: org, zone: zone), unit)
        }
    }

    /// The units `root` picks and every unit above them, by one statement.
    private func lineage(_ root: String, _ value: SQLValue) throws -> Organisation {
        // UNION, not UNION ALL: a tree edited into a loop ends rather than runs forever
        // (and so does `Organisation.contains`, walking it).
        Organisation(
            try db.rows(
                """
                WITH RECURSIVE up(id) AS (SELECT id FROM unit WHERE \(root)
                                          UNION SELECT u.parent_id FROM unit u JOIN up ON u.id = up.id
                                          WHERE u.parent_id IS NOT NULL)
                SELECT \(Self.unitColumns) FROM unit WHERE id IN (SELECT id FROM up)
                """, [value], Self.unitRow))
    }

    /// A machine for reading cases: the policy whole, of the organisation only the units
    /// with these ids (`units`). What `show` and `list` name; it decides nothing.
    public func machine(naming ids: Set<Int64>) throws(StoreError) -> Machine {
        try sealed {
            Machine(policy: try policy(), organisation: try units(ids), zone: zone)
        }
    }

    /// The registered person with `login`, or nil.
    public func person(_ login: String) throws(StoreError) -> Actor? {
        try sealed {
            try db.first("SELECT login, name, role, unit_id FROM person WHERE login = ?", [.text(login)]) {
                Actor(
                    login: $0.text(0), name: $0.text(1), role: Role(rawValue: $0.text(2)) ?? .gridWorker,
                    unitID: $0.optionalInt(3))
            }
        }
    }

    /// The acting person; an unknown login is refused.
    public func actor(_ login: String) throws(StoreError) -> Actor {
        try sealed {
            guard let actor = try person(login) else { throw StoreError.unknownActor(login) }
            if try isDisabled(login) { throw StoreError.disabledPerson(login) }
            return actor
        }
    }

    /// Whether the person `login` was disabled.
    public func isDisabled(_ login: String) throws(StoreError) -> Bool {
        try sealed {
            try db.int("SELECT disabled_at FROM person WHERE login = ?", [.text(login)]) != nil
        }
    }

    public func people() throws(StoreError) -> [(actor: Actor, unitCode: String?)] {
        try sealed {
            try db.rows(
                """
                SELECT p.login, p.name, p.role, p.unit_id, u.code FROM person p LEFT JOIN unit u ON u.id = p.unit_id
                ORDER BY u.code NULLS FIRST, p.login
                """
            ) {
                (
                    Actor(
                        login: $0.text(0), name: $0.text(1), role: Role(rawValue: $0.text(2)) ?? .gridWorker,
                        unitID: $0.optionalInt(3)), $0.optionalText(4)
                )
            }
        }
    }

    // MARK: - Reading cases

    /// The case row written whole, as `caseValues` gives it: a filing (its id left to the
    /// engine), and where a case is written once with all its events (the bulk path, the
    /// restore).
    static let insertCaseSQL =
        "INSERT INTO dispute (\(caseColumnNames.joined(separator: ", "))) VALUES ("
        + Array(repeating: "?", count: caseColumnNames.count).joined(separator: ", ") + ")"

    static func caseValues(_ c: Case) -> [SQLValue] {
        [
            .int(c.id), .int(Int64(c.number.year)), .int(Int64(c.number.serial)), .int(c.originUnitID),
            .int(c.unitID), .int(Int64(c.level)), .int(Int64(c.topLevel)), .text(c.state.rawValue),
            .text(c.severity), .text(c.category), .text(c.source), SQLValue(c.sourceRef), .text(c.summary),
            SQLValue(c.assignee), .int(c.filedAt), .int(c.dueAt), SQLValue(c.resolvedAt), SQLValue(c.closedAt),
            SQLValue(c.followUpAt), SQLValue(c.supervisedAt), .int(Int64(c.breaches)), .int(Int64(c.version)),
            .int(c.lastEventAt), SQLValue(c.performBy?.description),
            SQLValue(c.agreementOral.map { ($0 ? AgreementForm.oral : .written).rawValue }),
            SQLValue(c.followUpBy), SQLValue(c.performance?.rawValue), SQLValue(c.confirmApplied?.description),
            SQLValue(c.confirmRuling?.rawValue),
        ]
    }

    /// One party of a case, at its position (from 1), as `partyValues` gives it.
    static let insertPartySQL =
        "INSERT INTO party (case_id, position, name, role, phone, id_number, address) VALUES (?, ?, ?, ?, ?, ?, ?)"

    static func partyValues(_ caseID: Int64, _ position: Int, _ p: Party) -> [SQLValue] {
        [
            .int(caseID), .int(Int64(position)), .text(p.name), .text(p.role), SQLValue(p.phone),
            SQLValue(p.idNumber), SQLValue(p.address),
        ]
    }

    /// The columns of the case row (`dispute`), in the order `caseRow` reads them and
    /// `caseValues` writes them.
    static let caseColumnNames = [
        "id", "year", "serial", "origin_unit_id", "unit_id", "level", "top_level", "state", "severity",
        "category", "source", "source_ref", "summary", "assignee", "filed_at", "due_at", "resolved_at",
        "closed_at", "follow_up_at", "supervised_at", "breaches", "version", "last_event_at",
        "perform_by", "agreement_form", "follow_up_by", "performance", "confirm_applied", "confirm_ruling",
    ]
    /// Those of them that hold text (the others integers).
    static let caseTextColumns: Set = [
        "state", "severity", "category", "source", "source_ref", "summary", "assignee", "perform_by",
        "agreement_form", "follow_up_by", "performance", "confirm_applied", "confirm_ruling",
    ]
    static let caseColumns = caseColumnNames.map { "d." + $0 }.joined(separator: ", ")
    /// What no action changes once a case is filed: its identity, number, where it was
    /// found, and what was filed about it.
    static let caseFixedColumns: Set = ["id", "year", "serial", "origin_unit_id", "source", "source_ref", "summary"]
    /// The positions in `caseColumnNames` (and `caseValues`) of the columns an action may change.
    static let caseMutable = caseColumnNames.indices.filter { !caseFixedColumns.contains(caseColumnNames[$0]) }
    /// The case row brought to a new version, if it is still at the version it was read at.
    static let updateCaseSQL =
        "UPDATE dispute SET " + caseMutable.map { "\(caseColumnNames[$0]) = ?" }.joined(separator: ", ")
        + " WHERE id = ? AND version = ?"

    static func caseRow(_ r: Row) -> Case {
        var c = Case(
            id: r.int(0), number: CaseNumber(year: Int(r.int(1)), serial: Int(r.int(2))),
            originUnitID: r.int(3), unitID: r.int(4), level: Int(r.int(5)), topLevel: Int(r.int(6)),
            state: CaseState(rawValue: r.text(7)) ?? .open, severity: r.text(8), category: r.text(9),
            source: r.text(10), sourceRef: r.optionalText(11), summary: r.text(12), parties: [],
            assignee: r.optionalText(13), filedAt: r.int(14), dueAt: r.int(15), resolvedAt: r.optionalInt(16),
            closedAt: r.optionalInt(17), followUpAt: r.optionalInt(18), supervisedAt: r.optionalInt(19),
            breaches: Int(r.int(20)), version: Int(r.int(21)), lastEventAt: r.int(22))
        c.performBy = r.optionalText(23).flatMap { Day(Substring($0)) }
        c.agreementOral = r.optionalText(24).map { $0 == AgreementForm.oral.rawValue }
        c.followUpBy = r.optionalText(25)
        c.performance = r.optionalText(26).flatMap(Performance.init)
        c.confirmApplied = r.optionalText(27).flatMap { Day(Substring($0)) }
        c.confirmRuling = r.optionalText(28).flatMap(Ruling.init)
        return c
    }

    public func findCase(_ number: CaseNumber) throws(StoreError) -> Case? {
        try sealed {
            guard
                var c = try db.first(
                    "SELECT \(Self.caseColumns) FROM dispute d WHERE d.year = ? AND d.serial = ?",
                    [.int(Int64(number.year)), .int(Int64(number.serial))], Self.caseRow)
            else { return nil }
            c.parties = try parties(of: c.id)
            return c
        }
    }

    /// On PostgreSQL, locks the case row until the transaction ends, before it is read:
    /// a second writer on the case waits here, then reads what the first one left (on
    /// SQLite, BEGIN IMMEDIATE has already made this transaction the only writer).
    func lockCase(_ number: CaseNumber) throws {
        guard db.isPostgreSQL else { return }
        _ = try db.int(
            "SELECT id FROM dispute WHERE year = ? AND serial = ? FOR UPDATE",
            [.int(Int64(number.year)), .int(Int64(number.serial))])
    }

    /// `lockCase` by the case's id.
    func lockCase(id: Int64) throws {
        guard db.isPostgreSQL else { return }
        _ = try db.int("SELECT id FROM dispute WHERE id = ? FOR UPDATE", [.int(id)])
    }

    func findCase(id: Int64) throws -> Case? {
        guard
            var c = try db.first(
                "SELECT \(Self.caseColumns) FROM dispute d WHERE d.id = ?", [.int(id)], Self.caseRow)
        else { return nil }
        c.parties = try parties(of: c.id)
        return c
    }

    public func requireCase(_ number: CaseNumber) throws(StoreError) -> Case {
        try sealed {
            guard let c = try findCase(number) else { throw StoreError.noSuchCase(number.description) }
            return c
        }
    }

    func parties(of caseID: Int64) throws -> [Party] {
        try db.rows(
            "SELECT \(Self.partyColumns) FROM party WHERE case_id = ? ORDER BY position", [.int(caseID)]
        ) { Self.partyRow($0) }
    }

    /// The columns of a party row, in the order `partyRow` reads them.
    static let partyColumns = "name, role, phone, id_number, address"

    /// The party in `r`'s columns from `first` on (`partyColumns`).
    static func partyRow(_ r: Row, from first: Int32 = 0) -> Party {
        Party(
            name: r.text(first), role: r.text(first + 1), phone: r.optionalText(first + 2),
            idNumber: r.optionalText(first + 3), address: r.optionalText(first + 4))
    }

    /// A stored event with the times and the hash the chain gave it.
    public struct StoredEvent: Sendable {
        public let id: Int64
        public let event: Event
        public let enteredAt: Int64
        public let hash: [UInt8]
        /// The detail as stored, when it is not the one `event.change` writes today (an
        /// event of an older mediate): an export keeps it, so that the chain still holds.
        public let storedDetail: [(String, String)]?
        /// The OS login of the real user that ran the command (nil before schema 5):
        /// part of what the hash covers when there is one.
        public let osLogin: String?

        public init(
            id: Int64, event: Event, enteredAt: Int64, hash: [UInt8], storedDetail: [(String, String)]? = nil,
            osLogin: String? = nil
        ) {
            self.id = id
            self.event = event
            self.enteredAt = enteredAt
            self.hash = hash
            self.storedDetail = storedDetail
            self.osLogin = osLogin
        }
    }

    public func events(of caseID: Int64) throws(StoreError) -> [StoredEvent] {
        try sealed {
            // One array reused from event to event for the parsed detail.
            var detail: [(String, String)] = []
            let events = try db.rows(
                "SELECT \(Self.storedEventColumns) FROM event WHERE case_id = ? ORDER BY case_seq", [.int(caseID)]
            ) { r in try storedEvent(r, detail: &detail) }
            try checkHistory(events)
            return events
        }
    }

    /// The columns of a stored event, in the order `storedEvent` reads them.
    static let storedEventColumns = "id, case_seq, action, actor, effective_at, entered_at, detail, hash, os_login"

    /// The event in `r`'s columns from `first` on (`storedEventColumns`), its change read
    /// back from the stored detail. The detail is parsed from the column's bytes in place
    /// into `detail` (scratch, reused from row to row): no string of the whole text, no
    /// array per event. A detail that does not read as its kind's change is corruption.
    func storedEvent(_ r: Row, from first: Int32 = 0, detail: inout [(String, String)]) throws -> StoredEvent {
        let actor = r.text(first + 3)
        guard let kind = ActionKind(rawValue: r.text(first + 2)),
            r.withText(first + 6, { JSON.parseFlatObject($0, into: &detail) }),
            let change = Change(kind: kind, detail: detail, actor: actor)
        else {
            throw StoreError.storage(.corrupt, path: path)
        }
        return StoredEvent(
            id: r.int(first),
            event: Event(caseSeq: Int(r.int(first + 1)), actor: actor, effectiveAt: r.int(first + 4), change: change),
            enteredAt: r.int(first + 5), hash: r.blob(first + 7),
            storedDetail: change.writesDetail(detail) ? nil : detail,
            osLogin: r.optionalText(first + 8))
    }

    /// A history edited behind mediate's back is reported, never folded into a case
    /// that cannot be: a case's events start with its filing, and file it only once.
    func checkHistory<C: Collection<StoredEvent>>(_ events: C) throws {
        guard let first = events.first?.event, first.caseSeq == 1, case .filed = first.change,
            !events.dropFirst().contains(where: { if case .filed = $0.event.change { true } else { false } })
        else { throw StoreError.storage(.corrupt, path: path) }
    }

    // MARK: - Acting on cases

    /// Files a new case: assigns the next number of the filing year and appends the
    /// filing event, in one transaction.
    public func file(
        _ make: (CaseNumber) -> Filing, by actor: Actor, at now: Int64, entered: Int64, machine: Machine
    ) throws(StoreError) -> Case {
        try sealed {
            try db.transaction {
                // On PostgreSQL, filings are numbered one at a time (SQLite: the write lock).
                try db.lockAppends()
                let year = zone.day(now).year
                let serial =
                    (try db.int(db.lastSerialSQL, [.int(Int64(year))]) ?? 0) + 1
                let event = try machine.decide(
                    nil, .file(make(CaseNumber(year: year, serial: Int(serial)))), by: actor, at: now
                )
                .get()
                guard case .filed(let filing, _, _) = event.change else { preconditionFailure() }
                // The row written once, whole, as the event leaves it: written blank and
                // then updated, its entries in the working indexes would be placed twice
                // (at a due date of 0, then at the real one), each a descent of its own.
                var c = Case(id: 0, filed: event)
                var values = Self.caseValues(c)
                values[0] = .null  // the next id, as the engine gives it (on a server, `mediate_rowid`)
                try db.run(Self.insertCaseSQL, values)
                c.id = db.lastInsertRowID
                for (i, p) in filing.parties.enumerated() {
                    try db.run(Self.insertPartySQL, Self.partyValues(c.id, i + 1, p))
                }
                try append(event, of: c, entered: entered)
                return c
            }
        }
    }

    /// Applies `action` to the case `number`: the rules decide on the case as the write
    /// transaction finds it, and the event and the case row are written together.
    public func perform(
        _ action: Action, on number: CaseNumber, by actor: Actor, at now: Int64, entered: Int64, machine: Machine,
        ifVersion: Int? = nil
    ) throws(StoreError) -> (Case, Event) {
        try sealed {
            // Read and decide inside the write transaction (BEGIN IMMEDIATE): two people
            // acting on one case at once are served one after the other, each against the
            // state it finds, and neither is told the case "changed meanwhile".
            try db.transaction {
                try lockCase(number)
                let current = try requireCase(number)
                // A caller that pinned the version it saw acts on that version only.
                if let pinned = ifVersion, pinned != current.version { throw StoreError.changedMeanwhile(number) }
                // A disabled person takes no case (the acting person was checked on opening).
                if case .accept(let mediator) = action, try isDisabled(mediator.login) {
                    throw StoreError.disabledPerson(mediator.login)
                }
                let effective = machine.effectiveTime(of: current, at: now, entered: entered)
                let event = try machine.decide(current, action, by: actor, at: effective).get()
                return (
                    try write(current.applying(event), after: event, expecting: current.version, entered: entered),
                    event
                )
            }
        }
    }

    /// Runs `body` as one transaction: every action inside it becomes a savepoint of
    /// it, so thousands of cases are written with one commit (the demo, imports). An
    /// action the rules refuse rolls back alone and is thrown; an error out of `body`
    /// rolls back everything.
    public func batch<T>(_ body: () throws -> T) throws(StoreError) -> T {
        try sealed { try db.transaction(.immediate, body) }
    }

    /// Runs `body`'s reads as of one moment: one read transaction (a repeatable read on
    /// a server), so that what it reads agrees while others write, and a file's page
    /// cache is checked once rather than at every statement.
    public func snapshot<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try sealed {
            if db.inTransaction { return try body() }
            // BEGIN DEFERRED: on a server, BEGIN ISOLATION LEVEL REPEATABLE READ (Server.swift).
            try db.execute("BEGIN DEFERRED")
            defer { try? db.execute("COMMIT") }
            return try body()
        }
    }

    /// Writes `event` and the case it leaves, if the case is still at the version it was read at.
    func commit(_ event: Event, to current: Case, entered: Int64) throws -> Case {
        try db.transaction {
            try write(current.applying(event), after: event, expecting: current.version, entered: entered)
        }
    }

    /// Updates the case row to `c` if it is still at `version`, and appends `event`.
    @discardableResult
    func write(_ c: Case, after event: Event, expecting version: Int, entered: Int64) throws -> Case {
        let values = Self.caseValues(c)
        // PostgreSQL: the appends' lock before the row's tally (migration 011) is written,
        // as every writer takes them (filing, the bulk path, a merge, an import): a writer holding a
        // count while it waits for the lock would deadlock with the holder filing into it.
        try db.lockAppends()
        try db.run(Self.updateCaseSQL, Self.caseMutable.map { values[$0] } + [.int(c.id), .int(Int64(version))])
        guard db.changes == 1 else { throw StoreError.changedMeanwhile(c.number) }
        try append(event, of: c, entered: entered)
        return c
    }

    /// Chains `event`, which left the case as `c`.
    private func append(_ event: Event, of c: Case, entered: Int64) throws {
        var row = EventRow(
            caseID: c.id, caseSeq: Int64(event.caseSeq), action: event.change.kind.rawValue, actor: event.actor,
            effectiveAt: event.effectiveAt, enteredAt: entered, snapshot: c, breach: Int64(event.change.breach),
            detail: event.change.detail)
        row.osLogin = osLogin
        try Chain.append(db, row)
    }

    /// Appends an administrative event (set-up, people, policy) to the chain.
    func audit(_ action: String, actor: String, at now: Int64, entered: Int64, _ detail: [(String, String)]) throws {
        var row = EventRow(
            caseID: nil, caseSeq: nil, action: action, actor: actor, effectiveAt: now, enteredAt: entered,
            snapshot: nil, breach: 0, detail: detail)
        row.osLogin = osLogin
        try Chain.append(db, row)
    }

    /// Keeps the -wal and -shm files when this connection closes (see `persistWAL`).
    public func keepSideFiles() { db.persistWAL() }

    // MARK: - Backup

    /// A consistent copy of the whole database at `target`, while others keep writing;
    /// an admin's act.
    public func backup(to target: String, by actor: Actor) throws(StoreError) {
        try Self.sealed(path: target) {
            // A backup holds every resident's numbers in full.
            try requireAdmin(actor)
            if db.isPostgreSQL { throw StoreError.backupOnServer }
            try db.backup(to: target)
        }
    }
}

#if canImport(Glibc)
    import Glibc
#endif

func fileExists(_ path: String) -> Bool { access(path, F_OK) == 0 }

func isRegularFile(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
}

/// Whether this process may write `path`, by its effective ids (the group it runs setgid to).
func mayWrite(_ path: String) -> Bool { faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0 }

func parentFolder(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}

/// Whether the file is shared with a group (group-writable): the setgid deployment.
func isGroupShared(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && info.st_mode & 0o020 != 0
}
