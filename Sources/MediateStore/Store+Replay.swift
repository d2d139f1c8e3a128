import MediateCore

/// The administration replayed: the tables of the organisation, its people and its
/// policy as the set-up and policy events leave them, starting from the defaults the
/// migrations write. `verify` compares the live tables with this, so that making a grid
/// worker an admin, moving a unit or changing a time limit with plain SQL is caught.
struct Administration {
    /// table → key → the row's fields, in a fixed order.
    var tables: [String: [String: [String]]] = [:]

    static let tableOrder = ["level", "severity", "category", "source", "setting", "unit", "person"]

    /// The tables of `db`, read the same way for the live file and for the defaults.
    static func read(_ db: Connection, disabledColumn: Bool) throws -> Administration {
        var a = Administration()
        func load(_ table: String, _ sql: String) throws {
            for row in try db.rows(sql, [], { r in (0..<r.count).map { r.isNull($0) ? "" : r.text($0) } }) {
                a.tables[table, default: [:]][row[0]] = Array(row.dropFirst())
            }
            if a.tables[table] == nil { a.tables[table] = [:] }
        }
        try load("level", "SELECT code, rank, name_zh, name_en, time_limit_days FROM level")
        try load("severity", "SELECT code, rank, name_zh, name_en, ceiling FROM severity")
        try load("category", "SELECT code, name_zh, name_en FROM category")
        try load("source", "SELECT code, name_zh, name_en FROM source")
        try load("setting", "SELECT key, value FROM setting")
        try load(
            "unit",
            "SELECT u.code, u.name, u.level, coalesce(p.code, '') FROM unit u LEFT JOIN unit p ON p.id = u.parent_id")
        try load(
            "person",
            """
            SELECT p.login, p.name, p.role, coalesce(u.code, ''), \(disabledColumn ? "p.disabled_at IS NOT NULL" : "0")
            FROM person p LEFT JOIN unit u ON u.id = p.unit_id
            """)
        return a
    }

    /// Applies one administrative event; false when its detail cannot be read as that action.
    mutating func apply(_ action: String, _ d: [String: String]) -> Bool {
        func rank(ofLevel name: String?) -> String? {
            guard let name else { return nil }
            return tables["level"]?.first { $0.key == name || $0.value[1] == name || $0.value[2] == name }?.value[0]
        }
        switch action {
        case "init":
            guard let admin = d["admin"] else { return false }
            // Files from before the name was recorded keep whatever name the row has.
            tables["person", default: [:]][admin] = [d["name"] ?? "\u{0}any", "admin", "", "0"]
        case "unit.add":
            guard let code = d["code"], let name = d["name"], let level = rank(ofLevel: d["level"]) else {
                return false
            }
            tables["unit", default: [:]][code] = [name, level, d["parent"] ?? ""]
        case "unit.attach":
            guard let code = d["code"], let parent = d["parent"], tables["unit"]?[code]?[2] == "" else { return false }
            tables["unit"]![code]![2] = parent
        case "street.merge":
            // A street merged in: its admins of the whole file administer that street here.
            guard let street = d["street"], let admins = d["admins"] else { return false }
            for login in admins.split(separator: ",").map(String.init) {
                guard tables["person"]?[login] != nil else { return false }
                tables["person"]![login]![2] = street
            }
        case "person.add":
            guard let login = d["login"], let name = d["name"], let role = d["role"] else { return false }
            tables["person", default: [:]][login] = [name, role, d["unit"] ?? "", "0"]
        case "person.disable":
            guard let login = d["login"], tables["person"]?[login] != nil else { return false }
            tables["person"]![login]![3] = "1"
        case "policy.set":
            if let code = d["level"], let days = d["to_days"] {
                guard tables["level"]?[code] != nil else { return false }
                tables["level"]![code]![3] = days
            } else if let code = d["severity"], let ceiling = rank(ofLevel: d["to_ceiling"]) {
                guard tables["severity"]?[code] != nil else { return false }
                tables["severity"]![code]![3] = ceiling
            } else if let zone = d["timezone_to"] {
                tables["setting", default: [:]]["timezone"] = [zone]
            } else if d["table"] == "level", let code = d["code"], let zh = d["name_zh"], let en = d["name_en"],
                let rank = d["rank"], let days = d["days"], tables["level"]?[code] == nil
            {
                tables["level", default: [:]][code] = [rank, zh, en, days]
            } else if let table = d["table"], table == "category" || table == "source", let code = d["code"],
                let zh = d["name_zh"], let en = d["name_en"]
            {
                tables[table, default: [:]][code] = [zh, en]
            } else {
                return false
            }
        default:
            // Other events without a case (access records) change no table.
            break
        }
        return true
    }

    /// The first table and key where `live` differs from this replay.
    func firstDifference(from live: Administration) -> (table: String, key: String)? {
        for table in Self.tableOrder {
            let mine = tables[table] ?? [:]
            let theirs = live.tables[table] ?? [:]
            for key in Set(mine.keys).union(theirs.keys).sorted() {
                guard var expected = mine[key], let found = theirs[key] else { return (table, key) }
                if table == "person" && expected[0] == "\u{0}any" { expected[0] = found[0] }
                if expected != found { return (table, key) }
            }
        }
        return nil
    }
}

extension Store {
    /// The administration's tables and the triggers against a replay of the events
    /// without a case, from a fresh copy of the schema.
    func checkAdministration() throws -> Verification.Problem? {
        let fresh = try Connection(path: ":memory:", mode: .readWriteCreate)
        try Migrator.applyAll(fresh)
        // The triggers, by their whole definition: one rewritten to let an update
        // through keeps its name.
        let triggerSQL = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        let expected =
            db.isPostgreSQL ? Self.postgreSQLTriggers : try fresh.rows(triggerSQL) { ($0.text(0), $0.text(1)) }
        let live = Dictionary(try db.rows(triggerSQL) { ($0.text(0), $0.text(1)) }, uniquingKeysWith: { a, _ in a })
        for (name, sql) in expected where live[name] != sql { return .triggerChanged(name: name) }
        if let extra = live.keys.sorted().first(where: { name in !expected.contains { $0.0 == name } }) {
            return .triggerChanged(name: extra)
        }

        var replay = try Administration.read(fresh, disabledColumn: true)
        replay.tables["person"] = [:]
        replay.tables["unit"] = [:]
        replay.tables["setting"] = [:]
        var unreadable: Int64? = nil
        try db.each("SELECT id, action, detail FROM event WHERE case_id IS NULL ORDER BY id") { r in
            guard unreadable == nil else { return }
            let detail = Dictionary(
                (JSON.parseFlatObject(r.text(2)) ?? []).map { ($0.0, $0.1) }, uniquingKeysWith: { _, b in b })
            if !replay.apply(r.text(1), detail) { unreadable = r.int(0) }
        }
        if let id = unreadable { return .unreadable(eventID: id, caseNumber: nil) }
        let current = try Administration.read(db, disabledColumn: try hasColumn("person", "disabled_at"))
        if let (table, key) = replay.firstDifference(from: current) { return .administration(table: table, key: key) }
        return nil
    }

    /// The triggers Schema/postgresql makes, as its `sqlite_master` view shows them: the
    /// trigger's type bits, its state (O: in force), its function and the SHA-256 of the
    /// function's source as the migration that makes it writes it (001, 009, 011); then
    /// (015) the columns an UPDATE trigger is limited to, a WHEN condition (none), a
    /// function that runs as its owner, and its search path fixed by the migrations.
    static var postgreSQLTriggers: [(String, String)] {
        let appendOnly = "mediate_append_only " + functionDigest("mediate_append_only")
        let rowid = "mediate_rowid " + functionDigest("mediate_rowid") + " definer path"
        let guarded = "mediate_event_guard " + functionDigest("mediate_event_guard") + " definer path"
        let tally = "mediate_tally " + functionDigest("mediate_tally")
        let (tallied, tallyRun) = (tally + " definer path", tally + " of state,unit_id definer path")
        return [
            ("dispute_rowid", "7 O " + rowid), ("dispute_tally_delete", "9 O " + tallied),
            ("dispute_tally_insert", "5 O " + tallied), ("dispute_tally_update", "17 O " + tallyRun),
            ("event_guard", "7 O " + guarded), ("event_no_delete", "11 O " + appendOnly),
            ("event_no_truncate", "34 O " + appendOnly), ("event_no_update", "19 O " + appendOnly),
            ("person_rowid", "7 O " + rowid), ("unit_rowid", "7 O " + rowid),
        ]
    }

    /// The SHA-256 (hex) of the source of the PL/pgSQL function `name`: what stands
    /// between the `$$` after `CREATE FUNCTION name()` in the Schema/postgresql migration
    /// that makes it.
    static func functionDigest(_ name: String) -> String {
        guard let made = embeddedPostgreSQLMigrations.first(where: { $0.sql.contains("CREATE FUNCTION \(name)()") })
        else { return "" }
        let sql = Array(made.sql.utf8)
        func find(_ needle: String, from start: Int) -> Int? {
            let n = Array(needle.utf8)
            guard n.count <= sql.count, start <= sql.count - n.count else { return nil }
            for i in start...(sql.count - n.count) where sql[i] == n[0] && Array(sql[i..<(i + n.count)]) == n {
                return i
            }
            return nil
        }
        guard let declared = find("CREATE FUNCTION \(name)()", from: 0), let open = find("$$", from: declared),
            let close = find("$$", from: open + 2)
        else { return "" }
        var sha = SHA256()
        sha.update(Array(sql[(open + 2)..<close]))
        return SHA256.hex(sha.finalize())
    }

    func hasColumn(_ table: String, _ column: String) throws -> Bool {
        try db.int("SELECT 1 FROM pragma_table_info(?) WHERE name = ?", [.text(table), .text(column)]) != nil
    }
}
