import Foundation
import Synchronization
import Testing

@testable import MediateCLI
@testable import MediateStore

/// mediate on PostgreSQL, end to end against a real server: what only the server shows
/// (its own databases, its triggers, many processes at once). They run when
/// MEDIATE_TEST_POSTGRESQL names a server (Scripts/with-postgres, which Scripts/test
/// calls with a build made with `--traits PostgreSQL`); the other end-to-end suites
/// that Scripts/test names run against the same server through the same Sandbox.
@Suite(.enabled(if: Sandbox.server != nil, "no server: run under Scripts/with-postgres"))
struct PostgreSQLTests {
    /// The witness line of `verify`: `COUNT:HASH`.
    static func witness(_ verified: String) -> String? {
        guard let range = verified.range(of: "--witness ") else { return nil }
        return String(verified[range.upperBound...].prefix { !$0.isWhitespace && $0 != ")" })
    }

    @Test func theStreetLivesOnTheServer() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        #expect(s.db.hasPrefix("postgresql://") || s.db.hasPrefix("postgres://"))
        #expect(!FileManager.default.fileExists(atPath: s.dir.appendingPathComponent("m.db").path))
        let n = try s.file()
        try s.ok("accept", n, as: "wang")
        try s.ok("escalate", n, "--reason", "双方不接受网格调解", as: "wang")
        #expect(try s.ok("show", n).contains("open"))
        #expect(try s.ok("list", "--unit", "C01").contains(n))
        #expect(try s.ok("verify").hasPrefix("Verified"))
        #expect(try s.ok("doctor").hasPrefix("Model: a PostgreSQL server"))
        // A database that does not exist: the server's own words.
        let missing = try s.run(["list", "--db", Sandbox.uri("no_such_database")])
        #expect(missing.status == 74 && missing.stderr.hasPrefix("Cannot connect"), "\(missing)")
        // A database made by another program is refused, and left as it was.
        let other = try Sandbox()
        try other.sql("CREATE TABLE invoices (id BIGINT PRIMARY KEY)")
        let refused = try other.run(["init", "--admin", "admin"])
        #expect(refused.status == 74)
        #expect(refused.stderr.contains("another program's tables"))
        let tables = try Connection(path: other.db, mode: .readWrite).rows(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        ) { $0.text(0) }
        #expect(tables == ["invoices"])
    }

    @Test func eventsAreAppendOnlyOnTheServerToo() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        for statement in ["UPDATE event SET actor = 'x' WHERE id = 2", "DELETE FROM event", "TRUNCATE event"] {
            #expect(throws: SQLiteError.self, "\(statement)") { try s.sql(statement) }
        }
        // The case row edited behind mediate's back.
        try s.sql("UPDATE dispute SET severity = 'major'")
        let edited = try s.run(["verify"])
        #expect(edited.status != 0)
        #expect(edited.stderr.contains("\(n) differs from its events in severity"), "\(edited)")
        try s.sql("UPDATE dispute SET severity = 'minor'")
        #expect(try s.ok("verify").hasPrefix("Verified"))
        // A trigger switched off is a trigger missing.
        try s.sql("ALTER TABLE event DISABLE TRIGGER event_no_update")
        let disabled = try s.run(["verify"])
        #expect(disabled.status != 0, "\(disabled)")
    }

    /// A trigger made again under its own name but narrowed (to an UPDATE OF one column, or
    /// with a WHEN condition) lets updates through; a trigger's function made to run as the
    /// caller, or with another search path, runs otherwise: `verify` names each (migration
    /// 015), and passes again once it is put back.
    @Test func aTriggerNarrowedOrItsFunctionLoosenedIsNamed() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        _ = try s.file()
        #expect(try s.ok("verify").hasPrefix("Verified"))
        let noUpdate = "FOR EACH ROW EXECUTE FUNCTION mediate_append_only()"
        let remade = "DROP TRIGGER event_no_update ON event; CREATE TRIGGER event_no_update BEFORE UPDATE"
        let pathOf = { (function: String) in
            "DO $$ BEGIN EXECUTE format('ALTER FUNCTION \(function)() SET search_path = %I, pg_temp', current_schema()); END $$"
        }
        let changes: [(tamper: String, undo: String, named: String)] = [
            ("\(remade) OF hash ON event \(noUpdate)", "\(remade) ON event \(noUpdate)", "event_no_update"),
            ("\(remade) ON event FOR EACH ROW WHEN (false) EXECUTE FUNCTION mediate_append_only()",
             "\(remade) ON event \(noUpdate)", "event_no_update"),
            ("ALTER FUNCTION mediate_tally() SECURITY INVOKER", "ALTER FUNCTION mediate_tally() SECURITY DEFINER",
             "dispute_tally_delete"),
            ("ALTER FUNCTION mediate_event_guard() SET search_path = pg_catalog", pathOf("mediate_event_guard"),
             "event_guard"),
            ("ALTER FUNCTION mediate_append_only() SET work_mem = '1MB'", "ALTER FUNCTION mediate_append_only() RESET ALL",
             "event_no_delete"),
        ]
        for change in changes {
            try s.sql(change.tamper)
            let found = try s.run(["verify"])
            #expect(found.status != 0, "\(change.tamper)")
            #expect(found.stderr.contains("The trigger \(change.named) is not defined as the schema defines it"), "\(found)")
            try s.sql(change.undo)
            #expect(try s.ok("verify").hasPrefix("Verified"), "\(change.undo)")
        }
    }

    /// A case row held by another session past MEDIATE_BUSY_TIMEOUT (the server's
    /// lock_timeout): one sentence, exit 74, nothing written; once free, the action goes through.
    @Test func aCaseLockedTooLongIsReportedAsLocked() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        let holder = try Connection(path: s.db, mode: .readWrite)
        try holder.execute("BEGIN")
        try holder.execute("SELECT id FROM dispute FOR UPDATE")
        let waited = try s.run(["note", n, "--text", "x"], as: "wang", env: ["MEDIATE_BUSY_TIMEOUT": "300"])
        #expect(waited.status == 74, "\(waited)")
        #expect(waited.stderr.contains("is locked by another writer for too long"), "\(waited)")
        try holder.execute("ROLLBACK")
        try s.ok("note", n, "--text", "x", as: "wang")
        let notes = try holder.int("SELECT count(*) FROM event WHERE action = 'note'")
        #expect(notes == 1)
    }

    @Test func anExportRestoredOnASecondDatabaseHasTheSameWitness() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        try s.ok("accept", n, as: "wang")
        try s.ok("resolve", n, "--agreement", "李四交出钥匙", "--amount", "50", "--perform-by", "2026-10-10", as: "wang")
        let witness = try #require(Self.witness(try s.ok("verify")))
        let export = s.dir.appendingPathComponent("street.jsonl").path
        try s.ok("export", "--format", "jsonl", "--output", export)
        let second = try Sandbox()
        #expect(try second.ok("import", "jsonl", export).contains("the hash chain the same"))
        #expect(Self.witness(try second.ok("verify")) == witness)
        #expect(try second.ok("verify", "--witness", witness).hasPrefix("Verified"))
        // The copy's export is the original's, byte for byte.
        let again = s.dir.appendingPathComponent("again.jsonl").path
        try second.ok("export", "--format", "jsonl", "--output", again)
        #expect(FileManager.default.contents(atPath: again) == FileManager.default.contents(atPath: export))
        // An SQLite file restored from the server's export: the same history again.
        let file = s.dir.appendingPathComponent("copy.db").path
        try s.ok("import", "jsonl", export, "--db", file)
        #expect(Self.witness(try s.ok("verify", "--db", file)) == witness)
        // The original goes on; its old witness still holds, a made-up one does not.
        try s.ok("note", n, "--text", "回访", as: "wang")
        #expect(try s.ok("verify", "--witness", witness).hasPrefix("Verified"))
        let count = witness.prefix { $0 != ":" }
        #expect(try s.run(["verify", "--witness", "\(count):0123456789abcdef"]).status != 0)
    }

    /// An export cut before its end line (its last case's line gone, the end line kept)
    /// restores nothing, on the server and into a file: the end line is checked before
    /// the restore commits.
    @Test func aCutExportRestoresNothingOnEitherEngine() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        _ = try s.file()
        let export = s.dir.appendingPathComponent("street.jsonl").path
        try s.ok("export", "--format", "jsonl", "--output", export)
        var lines = try String(contentsOfFile: export, encoding: .utf8).split(separator: "\n").map(String.init)
        let last = try #require(lines.lastIndex { $0.hasPrefix("{\"kind\":\"case\"") })
        #expect(lines.last?.hasPrefix("{\"kind\":\"end\"") == true)
        lines.remove(at: last)
        let cut = s.dir.appendingPathComponent("cut.jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: cut, atomically: true, encoding: .utf8)

        let server = try Sandbox()
        let refused = try server.run(["import", "jsonl", cut])
        #expect(refused.status != 0 && refused.stderr.contains("incomplete"), "\(refused)")
        let tables = try Connection(path: server.db, mode: .readWrite).int(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
        #expect(tables == 0)
        // Nothing written: the whole export restores there afterwards.
        #expect(try server.ok("import", "jsonl", export).contains("the hash chain the same"))

        let file = s.dir.appendingPathComponent("copy.db").path
        let onFile = try s.run(["import", "jsonl", cut, "--db", file])
        #expect(onFile.status != 0 && onFile.stderr.contains("incomplete"), "\(onFile)")
        #expect(!FileManager.default.fileExists(atPath: file))
    }

    /// `migrate --to` copies a street from an SQLite file into an empty database on the
    /// server and says both sides agree; a database that is not empty, or not a server's,
    /// is refused; one that does not exist gets the server's own words.
    @Test func migrateCopiesAStreetFromAFileToTheServer() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        try s.ok("accept", n, as: "wang")
        try s.ok("escalate", n, "--reason", "双方不接受网格调解", as: "wang")
        let export = s.dir.appendingPathComponent("street.jsonl").path
        try s.ok("export", "--format", "jsonl", "--output", export)
        let file = s.dir.appendingPathComponent("street.db").path
        try s.ok("import", "jsonl", export, "--db", file)
        let witness = try #require(Self.witness(try s.ok("verify", "--db", file)))

        let server = try Sandbox()
        let moved = try s.ok("migrate", "--to", server.db, "--db", file)
        #expect(moved.contains("same witness \(witness)"), "\(moved)")
        #expect(Self.witness(try server.ok("verify")) == witness)
        #expect(try server.ok("show", n).contains("C01"))
        let again = try s.run(["migrate", "--to", server.db, "--db", file])
        #expect(again.status == 1 && again.stderr.contains("not an empty database"), "\(again)")
        let notServer = try s.run(["migrate", "--to", s.dir.appendingPathComponent("x.db").path, "--db", file])
        #expect(notServer.status == 64, "\(notServer)")
        let missing = try s.run(["migrate", "--to", Sandbox.uri("no_such_database"), "--db", file])
        #expect(missing.status == 74 && missing.stderr.contains("Cannot connect"), "\(missing)")
        #expect(missing.stderr.contains("no_such_database"), "\(missing)")
    }

    /// A password given as the URI's parameter (any case) is never shown, nor recorded
    /// in the street's chain by `migrate`, as one in its user part is not.
    @Test func aPasswordInTheURIsQueryIsNeverShownNorRecorded() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let export = s.dir.appendingPathComponent("street.jsonl").path
        try s.ok("export", "--format", "jsonl", "--output", export)
        let file = s.dir.appendingPathComponent("street.db").path
        try s.ok("import", "jsonl", export, "--db", file)
        let server = try Sandbox()
        let moved = try s.run(["migrate", "--to", server.db + "&password=s3cret", "--db", file])
        #expect(moved.status == 0, "\(moved)")
        #expect(!(moved.stdout + moved.stderr).contains("s3cret"), "\(moved)")
        #expect(moved.stdout.contains("user=postgres"), "\(moved)")
        let recorded = try Connection(path: file, mode: .readWrite).rows("SELECT detail FROM event") { $0.text(0) }
        #expect(recorded.contains { $0.contains("user=postgres") })
        #expect(!recorded.contains { $0.contains("s3cret") }, "\(recorded)")
        let missing = try s.run(["list", "--db", Sandbox.uri("no_such_database") + "&%70assword=s3cret"])
        #expect(missing.status == 74 && !missing.stderr.contains("s3cret"), "\(missing)")
        #expect(missing.stderr.contains("no_such_database"), "\(missing)")
        #expect(Engine.redacted("postgresql://u@h/db?password=s3cret") == "postgresql://u@h/db")
        #expect(Engine.redacted("postgres://u:pw@h/db?sslmode=require&Password=x") == "postgres://u@h/db?sslmode=require")
    }

    /// The database as the role `role` connects to it: the sandbox's URI, another user.
    static func asRole(_ s: Sandbox, _ role: String) -> String {
        guard let range = s.db.range(of: "user=postgres") else {
            return s.db + (s.db.contains("?") ? "&" : "?") + "user=" + role
        }
        return s.db.replacingCharacters(in: range, with: "user=" + role)
    }

    /// On the server the connected role is the person: `person add --create-role` makes
    /// it, mediate takes the role (not the OS login) as the caller, `--as` is an admin's
    /// only, and row-level security keeps a grid worker to its subtree even in plain SQL.
    @Test func theConnectedRoleIsThePersonAndTheServerKeepsItToItsSubtree() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        // Roles are the whole cluster's: names of this sandbox's own.
        let tag = String(try #require(s.database).suffix(10))
        let (worker, other, boss, stranger) = ("gw_" + tag, "gx_" + tag, "bo_" + tag, "st_" + tag)
        try s.ok(
            "person", "add", "--login", worker, "--name", "王一", "--role", "grid_worker", "--unit", "G01",
            "--create-role")
        try s.ok(
            "person", "add", "--login", other, "--name", "赵二", "--role", "grid_worker", "--unit", "G03", "--create-role"
        )
        try s.ok("person", "add", "--login", boss, "--name", "区管理员", "--role", "admin", "--create-role")
        // A role the server has already: refused, and nobody registered.
        try Sandbox.onServer("CREATE ROLE \(stranger) LOGIN")
        let exists = try s.run([
            "person", "add", "--login", stranger, "--name", "某", "--role", "grid_worker", "--unit", "G01",
            "--create-role",
        ])
        #expect(exists.status == 1 && exists.stderr.contains("already has a role"), "\(exists)")
        #expect(!(try s.ok("person", "list")).contains(stranger))

        let mine = try s.file(grid: "G01", as: "wang")
        let theirs = try s.file(grid: "G03", as: "zhao")
        // From here on the real time: back-dating (MEDIATE_NOW) is an admin's act.
        s.now = nil

        // mediate as the grid worker's role: no MEDIATE_USER, whatever the OS login.
        let w = Self.asRole(s, worker)
        let listed = try s.ok("list", "--db", w, as: nil)
        #expect(listed.contains(mine) && !listed.contains(theirs), "\(listed)")
        let shown = try s.run(["show", theirs, "--db", w], as: nil)
        #expect(shown.status == 1, "\(shown)")
        // Its own filing is numbered after every case of the year, seen or not.
        let filed = try s.ok(
            "file", "--db", w, "--grid", "G01", "--category", "邻里", "--severity", "minor", "--source", "patrol",
            "--summary", "楼道堆物", "--party", "钱七,applicant,13700000000", as: nil)
        #expect(filed.hasPrefix("2026-0003"), "\(filed)")
        // --as and MEDIATE_USER are an admin's only.
        let actAs = try s.run(["list", "--db", w, "--as", "admin"], as: nil)
        #expect(actAs.status == 1 && actAs.stderr.contains("Only an admin may act as someone else"), "\(actAs)")
        let named = try s.run(["list", "--db", w], as: "admin")
        #expect(named.status == 1, "\(named)")
        // verify and export need the whole chain, which this role cannot see.
        let verify = try s.run(["verify", "--db", w], as: nil)
        #expect(verify.status == 1 && verify.stderr.contains("cannot check or export the whole chain"), "\(verify)")
        let export = try s.run(["export", "--format", "jsonl", "--db", w], as: nil)
        #expect(
            export.status == 1 && export.stderr.hasPrefix("Only an admin may export records") && export.stdout == "")

        // Plain SQL as the same role, as psql would send it: its subtree only.
        let sql = try Connection(path: w, mode: .readWrite)
        #expect(try sql.int("SELECT count(*) FROM dispute") == 2)
        let parties = try sql.rows("SELECT name FROM party ORDER BY name") { $0.text(0) }
        #expect(parties.contains("钱七") && parties.contains("张三"))
        let cases = try sql.rows("SELECT DISTINCT case_id FROM event WHERE case_id IS NOT NULL") { $0.int(0) }
        #expect(cases.count == 2)
        #expect(
            try sql.int("SELECT count(*) FROM dispute WHERE origin_unit_id = (SELECT id FROM unit WHERE code = 'G03')")
                == 0)
        // ...and it cannot make itself an admin or rewrite the policy behind mediate's back.
        #expect(throws: SQLiteError.self) { try sql.execute("UPDATE person SET role = 'admin'") }
        #expect(throws: SQLiteError.self) { try sql.execute("UPDATE level SET time_limit_days = 365") }
        // The street's tally is none of its business (it counts its own cases), nor its to write.
        #expect(try sql.int("SELECT count(*) FROM dispute_tally") == 0)
        #expect(throws: SQLiteError.self) { try sql.execute("UPDATE dispute_tally SET cases = 0") }
        let own = try IntegrityTests.listTotals(s, [], db: w, as: nil)
        #expect(own.counted == own.listed && own.listed == 2, "\(own)")
        let z = try Connection(path: Self.asRole(s, other), mode: .readWrite)
        #expect(try z.int("SELECT count(*) FROM dispute") == 1)

        // The deployment's admin role sees all, may act as another, and verifies the chain.
        let b = Self.asRole(s, boss)
        let all = try s.ok("list", "--db", b, as: nil)
        #expect(all.contains(mine) && all.contains(theirs))
        try s.ok("note", theirs, "--text", "区里已过问", "--db", b, as: "zhao")
        #expect(try s.ok("verify", "--db", b, as: nil).hasPrefix("Verified"))
        #expect(try Connection(path: b, mode: .readWrite).int("SELECT count(*) FROM party") == 5)
        // It reads the street's count from the tally, which the worker's filing kept, and
        // writes no count of it by hand either.
        #expect(try Connection(path: b, mode: .readWrite).int("SELECT sum(cases) FROM dispute_tally") == 3)
        #expect(throws: SQLiteError.self) {
            try Connection(path: b, mode: .readWrite).execute("UPDATE dispute_tally SET cases = 0")
        }
        let street = try IntegrityTests.listTotals(s, [], db: b, as: nil)
        #expect(street.counted == street.listed && street.listed == 3, "\(street)")

        // A role that is no registered person: refused, even granted the tables.
        try Connection(path: s.db, mode: .readWrite).execute(
            "GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(stranger)")
        let unknown = try s.run(["list", "--db", Self.asRole(s, stranger)], as: nil)
        #expect(unknown.status == 1 && unknown.stderr.contains("not a registered person"), "\(unknown)")
        // Nor may it call the functions that read the tables whole: they are mediate's roles' only.
        let strange = try Connection(path: Self.asRole(s, stranger), mode: .readWrite)
        #expect((try? strange.int("SELECT count(*) FROM dispute")).flatMap { $0 } ?? 0 == 0)
        for call in [
            "SELECT id FROM mediate_chain_head()", "SELECT mediate_last_case_id()", "SELECT mediate_sees_all('admin')",
            "SELECT count(*) FROM mediate_visible_units('admin')",
        ] {
            #expect(throws: SQLiteError.self, "\(call)") { try strange.int(call) }
        }
        #expect(try sql.int("SELECT id FROM mediate_chain_head()") != nil)
        // Someone registered before (a street moved up with migrate): their role made after.
        let late = "lt_" + tag
        try s.ok("person", "add", "--login", late, "--name", "孙三", "--role", "mediator", "--unit", "C02")
        let before = try s.run(["list", "--db", Self.asRole(s, late)], as: nil)
        #expect(before.status == 74, "\(before)")
        try s.ok("person", "create-role", "--login", late)
        let twice = try s.run(["person", "create-role", "--login", late])
        #expect(twice.status == 1 && twice.stderr.contains("already has a role"), "\(twice)")
        let hers = try s.ok("list", "--db", Self.asRole(s, late), as: nil)
        #expect(hers.contains(theirs) && !hers.contains(mine), "\(hers)")
        #expect(try s.ok("verify").hasPrefix("Verified"))
    }

    /// Roles made before the tally (migration 011) act and list as before once the
    /// database is upgraded: the trigger's function writes the tally as the tables' owner,
    /// and the upgrade grants the table to every role that reads the cases.
    @Test func rolesMadeBeforeTheTallyKeepWorkingAfterTheUpgrade() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let tag = String(try #require(s.database).suffix(10))
        let (worker, boss) = ("gt_" + tag, "bt_" + tag)
        try s.ok(
            "person", "add", "--login", worker, "--name", "王一", "--role", "grid_worker", "--unit", "G01",
            "--create-role")
        try s.ok("person", "add", "--login", boss, "--name", "区管理员", "--role", "admin", "--create-role")
        _ = try s.file(grid: "G03", as: "zhao")
        // Back to schema 10, the roles as it made them.
        try s.sql("DROP FUNCTION mediate_tally() CASCADE")
        try s.sql("DROP TABLE dispute_tally")
        try s.sql("UPDATE mediate_meta SET value = '10' WHERE key = 'user_version'")
        #expect(try s.ok("upgrade").hasPrefix("Upgraded the database from schema version 10 to 15"))
        s.now = nil
        let w = Self.asRole(s, worker)
        let filed = try s.ok(
            "file", "--db", w, "--grid", "G01", "--category", "邻里", "--severity", "minor", "--source", "patrol",
            "--summary", "楼道堆物", "--party", "钱七,applicant,13700000000", as: nil
        ).trimmingCharacters(in: .newlines)
        try s.ok("accept", filed, "--db", w, as: nil)
        let (tally, recount) = try IntegrityTests.tallyAndRecount(s.db)
        #expect(tally == recount && recount.count == 2, "\(tally) \(recount)")
        let own = try IntegrityTests.listTotals(s, [], db: w, as: nil)
        #expect(own.counted == own.listed && own.listed == 1, "\(own)")
        let b = Self.asRole(s, boss)
        #expect(try Connection(path: b, mode: .readWrite).int("SELECT sum(cases) FROM dispute_tally") == 2)
        let street = try IntegrityTests.listTotals(s, [], db: b, as: nil)
        #expect(street.counted == street.listed && street.listed == 2, "\(street)")
        #expect(try s.ok("verify", "--db", b, as: nil).hasPrefix("Verified"))
    }

    /// Through plain SQL a grid worker's role cannot write what mediate would refuse: an
    /// event off the chain's end, one in someone else's name, an administration event;
    /// nor change or plant a ledger key. Nothing of it is stored, and mediate as the
    /// same role still writes and verifies.
    @Test func aWorkerCannotWriteTheChainBehindMediatesBack() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let tag = String(try #require(s.database).suffix(10))
        let worker = "gw_" + tag
        try s.ok(
            "person", "add", "--login", worker, "--name", "王一", "--role", "grid_worker", "--unit", "G01",
            "--create-role")
        let mine = try s.file(grid: "G01", as: "wang")
        _ = try s.file(grid: "G03", as: "zhao")
        let owner = try Connection(path: s.db, mode: .readWrite)
        let myCase = try #require(try owner.int("SELECT min(id) FROM dispute"))
        let theirCase = try #require(try owner.int("SELECT max(id) FROM dispute"))
        try owner.run("INSERT INTO ledger_row (file, key, case_id) VALUES ('台账.xlsx', '1', ?)", [.int(myCase)])
        let events = try #require(try owner.int("SELECT count(*) FROM event"))
        let w = Self.asRole(s, worker)
        let sql = try Connection(path: w, mode: .readWrite)
        let head = try #require(try sql.int("SELECT id FROM mediate_chain_head()"))
        func insert(id: Int64, caseID: Int64?, action: String, actor: String) throws {
            try sql.run(
                """
                INSERT INTO event (id, case_id, case_seq, action, actor, effective_at, entered_at, detail, hash)
                VALUES (?, ?, ?, ?, ?, 0, 0, '{}', ?)
                """,
                [
                    .int(id), caseID.map { SQLValue.int($0) } ?? .null, caseID == nil ? .null : .int(99), .text(action),
                    .text(actor), .blob([0]),
                ])
        }
        for (what, attempt) in [
            ("far ahead", { try insert(id: 1_000_000_000, caseID: myCase, action: "note", actor: worker) }),
            ("in another's name", { try insert(id: head + 1, caseID: myCase, action: "note", actor: "wang") }),
            ("an administration event", { try insert(id: head + 1, caseID: nil, action: "person.add", actor: worker) }),
            ("a case it cannot see", { try insert(id: head + 1, caseID: theirCase, action: "note", actor: worker) }),
            ("a ledger key changed", { try sql.execute("UPDATE ledger_row SET key = '2'") }),
            ("a ledger key planted", {
                try sql.run(
                    "INSERT INTO ledger_row (file, key, case_id) VALUES ('台账.xlsx', '9', ?)", [.int(theirCase)])
            }),
        ] as [(String, () throws -> Void)] {
            #expect(throws: SQLiteError.self, "\(what)") { try attempt() }
        }
        #expect(try owner.int("SELECT count(*) FROM event") == events)
        #expect(try owner.int("SELECT count(*) FROM ledger_row") == 1)
        // What mediate writes as the same role goes through, and the chain verifies.
        s.now = nil
        try s.ok("note", mine, "--text", "上门走访", "--db", w, as: nil)
        #expect(try s.ok("verify").hasPrefix("Verified"))
    }

    /// An admin of a unit (a community here; a street's admins after `--merge`) cannot
    /// make itself an admin of the whole deployment through plain SQL, nor add or move
    /// persons and units outside its subtree, nor change the policy; through mediate it
    /// still administers its subtree, and may not act as someone else on a server.
    @Test func aUnitAdminStaysInItsSubtreeOnTheServer() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let tag = String(try #require(s.database).suffix(10))
        let admin = "ua_" + tag
        try s.ok(
            "person", "add", "--login", admin, "--name", "社区管理员", "--role", "admin", "--unit", "C01",
            "--create-role")
        s.now = nil
        let a = Self.asRole(s, admin)
        let sql = try Connection(path: a, mode: .readWrite)
        for statement in [
            "UPDATE person SET unit_id = NULL WHERE login = current_user",
            "UPDATE person SET unit_id = (SELECT id FROM unit WHERE code = 'S1') WHERE login = current_user",
            "INSERT INTO person (login, name, role, unit_id) VALUES ('boss2', 'x', 'admin', NULL)",
            "INSERT INTO person (login, name, role, unit_id) VALUES ('boss3', 'x', 'admin', (SELECT id FROM unit WHERE code = 'C02'))",
            "UPDATE person SET role = 'admin' WHERE login = 'zhao'",
            "UPDATE unit SET parent_id = (SELECT id FROM unit WHERE code = 'C01') WHERE code = 'G03'",
            "INSERT INTO unit (code, name, level, parent_id) VALUES ('G09', 'x', 1, (SELECT id FROM unit WHERE code = 'C02'))",
            "UPDATE level SET time_limit_days = 365",
            "INSERT INTO setting (key, value) VALUES ('x', 'y')",
        ] {
            do {
                try sql.execute(statement)
                // An UPDATE that row-level security hides matches no row: nothing changed.
                #expect(
                    ["UPDATE person SET role", "UPDATE unit", "UPDATE level"].contains { statement.hasPrefix($0) },
                    "\(statement)")
            } catch {}
        }
        let owner = try Connection(path: s.db, mode: .readWrite)
        #expect(try owner.int("SELECT count(*) FROM person WHERE unit_id IS NULL") == 1)
        #expect(try owner.int("SELECT count(*) FROM person WHERE login LIKE 'boss%'") == 0)
        #expect(try owner.first("SELECT role FROM person WHERE login = 'zhao'") { $0.text(0) } == "grid_worker")
        #expect(
            try owner.first("SELECT c.code FROM unit g JOIN unit c ON c.id = g.parent_id WHERE g.code = 'G03'") {
                $0.text(0)
            } == "C02")
        #expect(try owner.int("SELECT max(time_limit_days) FROM level") == 30)
        #expect(try owner.int("SELECT count(*) FROM unit WHERE code = 'G09'") == 0)
        // Inside its subtree, through mediate, it administers.
        try s.ok(
            "person", "add", "--login", "qian", "--name", "钱七", "--role", "grid_worker", "--unit", "G02", "--db", a,
            as: nil)
        #expect(try owner.first("SELECT unit_id FROM person WHERE login = 'qian'") { $0.int(0) } != nil)
        // --as is the whole deployment's admin's (or the owner's) on a server.
        let actAs = try s.run(["list", "--db", a, "--as", "wang"], as: nil)
        #expect(actAs.status == 1 && actAs.stderr.contains("administer a unit"), "\(actAs)")
        #expect(try s.ok("list", "--db", a, as: nil).isEmpty == false)
        #expect(try s.ok("verify").hasPrefix("Verified"))
    }

    /// A second street merged into a district database that holds one already: refused
    /// while unit codes or logins collide, then its cases renumbered after the district's,
    /// its events appended to the one chain, its figures the same there, and its file
    /// still proving its own history.
    @Test func aSecondStreetMergesIntoTheDistrictDatabase() throws {
        let d = try Sandbox()
        try d.setUpStreet()
        let first = try d.file()
        _ = try d.file(grid: "G03", as: "zhao")
        try d.ok("policy", "set", "--add-level", "district", "--zh", "区", "--en", "district", "--days", "30")
        try d.ok("unit", "add", "--code", "D1", "--name", "江城区", "--level", "区")
        try d.ok("unit", "attach", "--code", "S1", "--parent", "D1")

        // The second street, in its own file, with its own admin.
        let file = d.dir.appendingPathComponent("west.db").path
        func street(_ args: String..., as user: String = "zhou") throws -> String {
            let r = try d.run(args + ["--db", file], as: user)
            #expect(r.status == 0 && r.stderr.isEmpty, "\(args): \(r)")
            return r.stdout
        }
        _ = try street("init", "--admin", "zhou", "--timezone", "Asia/Shanghai")
        _ = try street("unit", "add", "--code", "S2", "--name", "西湖街道", "--level", "street")
        _ = try street("unit", "add", "--code", "C21", "--name", "西湖社区", "--level", "community", "--parent", "S2")
        _ = try street("unit", "add", "--code", "G21", "--name", "西湖一网格", "--level", "grid", "--parent", "C21")
        _ = try street("person", "add", "--login", "qian", "--name", "钱七", "--role", "grid_worker", "--unit", "G21")
        let a = try street(
            "file", "--grid", "G21", "--category", "邻里", "--severity", "minor", "--source", "patrol", "--summary",
            "西湖噪音", "--party", "周八,applicant,13600000000", as: "qian"
        ).trimmingCharacters(in: .newlines)
        _ = try street("escalate", a, "--reason", "跨网格", as: "qian")
        #expect(a == "2026-0001")
        let streetReport = try d.ok("report", "--month", "this", "--format", "csv", "--db", file, as: "zhou")
        let witness = try #require(Self.witness(try d.ok("verify", "--db", file, as: "zhou")))

        // A street whose codes or logins are the district's: refused, all named, nothing written.
        let clash = d.dir.appendingPathComponent("clash.db").path
        try d.ok("init", "--admin", "wang", "--db", clash, as: "wang")
        try d.ok("unit", "add", "--code", "S1", "--name", "重名街道", "--level", "street", "--db", clash, as: "wang")
        let refused = try d.run(["migrate", "--to", d.db, "--merge", "--db", clash], as: "wang")
        #expect(
            refused.status == 1 && refused.stderr.contains("unit codes S1") && refused.stderr.contains("logins wang"),
            "\(refused)")
        #expect(!(try d.ok("unit", "list")).contains("重名街道"))
        // ...and one whose policy is not the district's.
        let other = d.dir.appendingPathComponent("other.db").path
        try d.ok("init", "--admin", "sun2", "--timezone", "Asia/Shanghai", "--db", other, as: "sun2")
        try d.ok("unit", "add", "--code", "S3", "--name", "北湖街道", "--level", "street", "--db", other, as: "sun2")
        try d.ok("policy", "set", "--level", "grid", "--days", "5", "--db", other, as: "sun2")
        let policy = try d.run(["migrate", "--to", d.db, "--merge", "--db", other], as: "sun2")
        #expect(policy.status == 1 && policy.stderr.contains("policy differs"), "\(policy)")
        #expect(!(try d.ok("unit", "list")).contains("S3"))
        let notMerge = try d.run(["migrate", "--to", d.db, "--db", file], as: "zhou")
        #expect(notMerge.status == 1 && notMerge.stderr.contains("--merge"), "\(notMerge)")

        let merged = try d.ok("migrate", "--to", d.db, "--merge", "--db", file, as: "zhou")
        #expect(merged.contains("Merged S2") && merged.contains(witness), "\(merged)")
        // The merged street's cases are in the district's tally, as a recount gives it.
        let (tally, recount) = try IntegrityTests.tallyAndRecount(d.db)
        #expect(tally == recount && recount.count >= 3, "\(tally) \(recount)")
        let west = try IntegrityTests.listTotals(d, ["--unit", "S2"])
        #expect(west.counted == west.listed && west.listed == 1, "\(west)")
        // Numbered after the district's own cases; the old number is in the merge's record.
        let shown = try d.ok("show", "2026-0003")
        #expect(shown.contains("西湖噪音") && shown.contains("C21"), "\(shown)")
        #expect(try d.ok("show", first).contains("G01"))
        let audit = try d.ok("audit", "--format", "json")
        _ = audit
        #expect(try d.ok("verify").hasPrefix("Verified"))
        // The street's figures are the same in the district; its admin administers the street.
        let there = try d.ok("report", "--month", "this", "--format", "csv", "--unit", "S2")
        for line in streetReport.split(separator: "\r\n") where line.hasPrefix("grid,") || line.hasPrefix("street,") {
            #expect(there.contains(line), "\(line)")
        }
        #expect(try d.ok("person", "list").contains("zhou"))
        try d.ok("unit", "attach", "--code", "S2", "--parent", "D1")
        let district = try d.ok("report", "--month", "this", "--format", "csv", "--unit", "D1")
        #expect(district.contains("district,D1,江城区,3,"), "\(district)")
        // Twice: everything collides now.
        let again = try d.run(["migrate", "--to", d.db, "--merge", "--db", file], as: "zhou")
        #expect(again.status == 1 && again.stderr.contains("S2") && again.stderr.contains("zhou"), "\(again)")
        // The street's file still proves its own history.
        #expect(try d.ok("verify", "--db", file, "--witness", witness, as: "zhou").hasPrefix("Verified"))
    }

    /// A street file whose case table has a column of its own (here a name made to be
    /// SQL) is refused with one sentence before anything of it reaches the district:
    /// the merge writes the district's own columns, never names read from the file.
    @Test func aStreetWithOtherCaseColumnsIsRefused() throws {
        let d = try Sandbox()
        try d.setUpStreet()
        let file = d.dir.appendingPathComponent("west.db").path
        try d.ok("init", "--admin", "zhou", "--timezone", "Asia/Shanghai", "--db", file, as: "zhou")
        try d.ok("unit", "add", "--code", "S2", "--name", "西湖街道", "--level", "street", "--db", file, as: "zhou")
        try Connection(path: file, mode: .readWrite).execute(
            "ALTER TABLE dispute ADD COLUMN \"summary) VALUES (1); DROP TABLE ledger_row; --\" TEXT")
        let refused = try d.run(["migrate", "--to", d.db, "--merge", "--db", file], as: "zhou")
        #expect(refused.status == 1 && refused.stderr.contains("other columns than the district's"), "\(refused)")
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused)")
        #expect(!(try d.ok("unit", "list")).contains("S2"))
        #expect(try Connection(path: d.db, mode: .readWrite).int("SELECT count(*) FROM ledger_row") == 0)
        #expect(try d.ok("verify").hasPrefix("Verified"))
    }

    /// A district that does not verify is refused before the merge, nothing written; a
    /// check failing after a merge never says to drop the district, which holds others.
    @Test func aMergeIntoADistrictThatDoesNotVerifyWritesNothing() throws {
        let d = try Sandbox()
        try d.setUpStreet()
        _ = try d.file()
        let file = d.dir.appendingPathComponent("west.db").path
        try d.ok("init", "--admin", "zhou", "--timezone", "Asia/Shanghai", "--db", file, as: "zhou")
        try d.ok("unit", "add", "--code", "S2", "--name", "西湖街道", "--level", "street", "--db", file, as: "zhou")
        // The district's case row edited behind mediate's back.
        try d.sql("UPDATE dispute SET severity = 'major'")
        let events = try Connection(path: d.db, mode: .readWrite).int("SELECT count(*) FROM event")
        let refused = try d.run(["migrate", "--to", d.db, "--merge", "--db", file], as: "zhou")
        #expect(refused.status == 1 && refused.stderr.contains("does not verify itself"), "\(refused)")
        #expect(!refused.stderr.contains("drop"), "\(refused)")
        #expect(!(try d.ok("unit", "list")).contains("S2"))
        #expect(try Connection(path: d.db, mode: .readWrite).int("SELECT count(*) FROM event") == events)
        for what in [MigrateProblem.Difference.verify, .report, .witness] {
            let said = MigrateProblem.mergeCheckFailed(d.db, street: "S2", what: what)
            #expect(!said.en.contains("drop the target") && said.en.contains("do not drop it"))
            #expect(!said.zh.contains("删除目标") && said.zh.contains("不要删除"))
        }
    }

    /// Writers killed (SIGKILL) in the middle of their action: held at the chain's lock
    /// (the first one after it updated the case row, the others waiting for the row), then
    /// half of them killed. The server rolls each dead client's transaction back: the
    /// killed store nothing, the others store their note once, nothing stays locked,
    /// and verify is clean.
    @Test func writersKilledMidActionLeaveNothingHalfDone() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        let environment = [
            "PATH": "/usr/bin:/bin", "HOME": s.dir.path, "LANG": "C.UTF-8", "MEDIATE_DB": s.db,
            "MEDIATE_NOW": Sandbox.streetNow, "MEDIATE_USER": "wang",
        ]
        let holder = try Connection(path: s.db, mode: .readWrite)
        try holder.execute("BEGIN")
        try holder.execute("SELECT pg_advisory_xact_lock(1296385097)")
        let writers = 12
        let processes = try (0..<writers).map { w in
            let process = Process()
            process.executableURL = Sandbox.binary
            process.arguments = ["note", n, "--text", "k\(w)"]
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        // Every writer is now inside its transaction, waiting on a lock. (Watched from a
        // second session: statistics views hold still for a whole transaction.)
        let watcher = try Connection(path: s.db, mode: .readWrite)
        var waiting = 0
        for _ in 0..<200 {
            waiting = Int(
                try watcher.int("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") ?? 0)
            if waiting == writers { break }
            usleep(50_000)
        }
        #expect(waiting == writers)
        for (w, process) in processes.enumerated() where w % 2 == 0 {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try holder.execute("ROLLBACK")
        for process in processes { process.waitUntilExit() }
        for (w, process) in processes.enumerated() {
            let stored = try watcher.int(
                "SELECT count(*) FROM event WHERE action = 'note' AND json_extract(detail, '$.text') = ?",
                [.text("k\(w)")])
            if w % 2 == 0 {
                #expect(process.terminationReason == .uncaughtSignal && stored == 0, "k\(w)")
            } else {
                #expect(process.terminationStatus == 0 && stored == 1, "k\(w)")
            }
        }
        // Nothing was left locked: the next action goes through at once.
        let after = try s.run(["note", n, "--text", "after"], as: "wang", env: ["MEDIATE_BUSY_TIMEOUT": "2000"])
        #expect(after.status == 0, "\(after)")
        #expect(try s.ok("verify").hasPrefix("Verified"))
    }

    /// 32 writer processes on 4 cases at once, each also filing a case of its own, while
    /// the daily sweep runs over the same (overdue) cases: every action acknowledged is
    /// stored once, no writer and no sweep sees a deadlock, a serialization error or a
    /// "changed meanwhile", every new case gets its own number, and verify is clean.
    @Test func thirtyTwoWritersOnFourCasesLoseNothing() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let cases = try (0..<4).map { _ in try s.file() }
        var env = ["PATH": "/usr/bin:/bin", "HOME": s.dir.path, "LANG": "C.UTF-8", "MEDIATE_DB": s.db]
        // Ten days on: the four cases are past the grid's seven days, for the sweep.
        env["MEDIATE_NOW"] = "2026-10-15T09:30:00+08:00"
        let environment = env
        let writers = 32
        let notes = 3
        let runs = Mutex<[(String, Sandbox.Run)]>([])
        let sweeps = 4
        DispatchQueue.concurrentPerform(iterations: writers + sweeps) { w in
            if w >= writers {
                var env = environment
                env["MEDIATE_USER"] = "admin"
                let run = try? Sandbox.launch(["sweep"], environment: env, stdin: nil)
                runs.withLock {
                    $0.append(("sweep", run ?? Sandbox.Run(status: -1, stdout: "", stderr: "not launched")))
                }
                return
            }
            var mine: [(String, Sandbox.Run)] = []
            var env = environment
            env["MEDIATE_USER"] = "wang"
            let filed = try? Sandbox.launch(
                [
                    "file", "--grid", "G01", "--category", "邻里", "--severity", "minor", "--source", "patrol",
                    "--summary", "w\(w)", "--party", "张三,applicant",
                ], environment: env, stdin: nil)
            mine.append(("file w\(w)", filed ?? Sandbox.Run(status: -1, stdout: "", stderr: "not launched")))
            for k in 0..<notes {
                let args = ["note", cases[w % cases.count], "--text", "w\(w)-\(k)"]
                let run = try? Sandbox.launch(args, environment: env, stdin: nil)
                mine.append(("\(args)", run ?? Sandbox.Run(status: -1, stdout: "", stderr: "not launched")))
            }
            runs.withLock { $0 += mine }
        }
        let all = runs.withLock { $0 }
        #expect(all.count == writers * (notes + 1) + sweeps)
        for (what, run) in all {
            #expect(run.status == 0 && run.stderr.isEmpty, "\(what): \(run)")
        }
        let db = try Connection(path: s.db, mode: .readWrite)
        for (i, number) in cases.enumerated() {
            let serial = Int64(number.split(separator: "-").last!)!
            let stored = try db.int(
                "SELECT count(*) FROM event e JOIN dispute d ON d.id = e.case_id WHERE d.serial = ? AND e.action = 'note'",
                [.int(serial)])
            #expect(stored == Int64((0..<writers).filter { $0 % cases.count == i }.count * notes))
        }
        // Four sweeps at once flag each overdue case once: each decides on the case as it
        // finds it, under the case's lock.
        let flagged = try db.int(
            "SELECT count(*) FROM event WHERE action = 'supervise' AND case_id IN (SELECT id FROM dispute WHERE serial <= 4)"
        )
        #expect(flagged == Int64(cases.count))
        let numbers = all.filter { $0.0.hasPrefix("file") }.map {
            $0.1.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(Set(numbers).count == writers)
        #expect(try db.int("SELECT count(*) FROM dispute") == Int64(cases.count + writers))
        #expect(try s.ok("verify").hasPrefix("Verified"))
    }

    #if PostgreSQL
        /// `each` on the server streams in batches through a cursor: rows past the first
        /// batch arrive, the body may run other statements meanwhile (verify reads each case
        /// row while it streams the events), a body that throws leaves the connection usable,
        /// inside a transaction or not, and a stream inside a stream has a cursor of its own.
        @Test func eachStreamsInBatchesAndLetsItsBodyQuery() throws {
            let s = try Sandbox()
            try s.setUpStreet()
            let db = try Connection(path: s.db, mode: .readWrite)
            let total = Server.streamBatch * 2 + 500
            var seen: [Int64] = []
            var inner = 0
            try db.each("SELECT g FROM generate_series(1, ?) g ORDER BY g", [.int(Int64(total))]) { r in
                seen.append(r.int(0))
                if seen.count == 1 {
                    // Read through a cursor on the server, not a result held here whole.
                    let open = try db.int("SELECT count(*) FROM pg_cursors WHERE name LIKE 'mediate_stream_%'")
                    #expect(open == 1, "\(String(describing: open))")
                }
                if seen.count % 700 == 0 {
                    #expect(try db.int("SELECT count(*) FROM unit") ?? 0 > 0)
                    try db.each("SELECT g FROM generate_series(1, 3) g") { _ in inner += 1 }
                }
            }
            #expect(seen == (1...Int64(total)).map { $0 })
            #expect(inner == 3 * (total / 700))
            #expect(!db.server!.inTransaction)
            struct Stop: Error {}
            for inside in [false, true] {
                if inside { try db.execute("BEGIN") }
                var rows = 0
                #expect(throws: Stop.self) {
                    try db.each("SELECT g FROM generate_series(1, 5000) g") { _ in
                        rows += 1
                        if rows == 1_500 { throw Stop() }
                    }
                }
                #expect(try db.int("SELECT count(*) FROM generate_series(1, 10)") == 10)
                var again = 0
                try db.each("SELECT g FROM generate_series(1, 10) g") { _ in again += 1 }
                #expect(again == 10)
                #expect(db.server!.inTransaction == inside)
                if inside { try db.execute("COMMIT") }
            }
        }
    #endif
}
