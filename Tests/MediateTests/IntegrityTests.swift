import Foundation
import MediateCore
import Testing

@testable import MediateStore

@Suite struct IntegrityTests {
    @Test(.enabled(if: Sandbox.onFile, "edits the SQLite file itself; PostgreSQLTests edits rows on the server"))
    func verifyNamesTheFirstEventEditedWithPlainSQL() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        try s.ok("accept", n, as: "wang")
        #expect(try s.ok("verify").hasPrefix("Verified"))
        // The database refuses edits of events...
        #expect(throws: SQLiteError.self) { try s.sql("UPDATE event SET actor = 'x' WHERE id = 1") }
        #expect(throws: SQLiteError.self) { try s.sql("DELETE FROM event WHERE id = 1") }
        // ...so someone drops the trigger, edits, and puts the trigger back.
        try s.sql(
            """
            DROP TRIGGER event_no_update;
            UPDATE event SET detail = replace(detail, '单车棚', '自行车棚') WHERE case_id = 1 AND case_seq = 1;
            CREATE TRIGGER event_no_update BEFORE UPDATE ON event BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
            """)
        let r = try s.run(["verify"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("Event 14 (case 2026-0001) does not match its hash"))
    }

    @Test(.enabled(if: Sandbox.onFile, "edits the SQLite file itself; PostgreSQLTests edits a case row on the server"))
    func verifyCatchesACaseRowEditedBehindItsBack() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        try s.sql("UPDATE dispute SET state = 'closed'")
        let r = try s.run(["verify"])
        #expect(r.status == 1)
        #expect(
            r.stderr
                == "Case \(n) differs from its events in state: the history was changed outside mediate: restore from a backup and investigate.\n"
        )
        try s.sql("DROP TRIGGER event_no_delete")
        #expect(try s.run(["verify"]).stderr.hasPrefix("The append-only triggers of the event table are missing"))
    }

    @Test(.enabled(if: Sandbox.onFile, "edits the SQLite file itself; PostgreSQLTests edits rows on the server"))
    func verifyReportsCaseNumbersAndKeysEditedBehindItsBackWithoutCrashing() throws {
        let edits = [
            ("UPDATE dispute SET year = 26", "Case 0026-0001 differs from its events in number"),
            ("UPDATE dispute SET serial = 0", "Case 2026-0000 differs from its events in number"),
            ("PRAGMA foreign_keys = OFF; UPDATE dispute SET id = 99", "Case #1 differs from its events in id"),
            (
                "PRAGMA foreign_keys = OFF; DELETE FROM party; DELETE FROM dispute",
                "Case #1 differs from its events in id"
            ),
        ]
        for (edit, message) in edits {
            let s = try Sandbox()
            try s.setUpStreet()
            _ = try s.file()
            try s.sql(edit)
            let r = try s.run(["verify"])
            #expect(r.status == 1 && r.stderr.hasPrefix(message), "\(edit): \(r)")
            let copy = s.dir.appendingPathComponent("copy.db").path
            let b = try s.run(["backup", copy])
            #expect(b.status == 74 && b.stderr.hasPrefix("The backup \(copy) failed verification: \(message)"), "\(b)")
        }
    }

    @Test(.enabled(if: Sandbox.onFile, "an older SQLite file's upgrade"))
    func aVersion1FileWithoutTheMarkIsMigratedAndKeepsVerifying() throws {
        let s = try Sandbox()
        // Events of a version-1 file record no OS login: a street of its own, built so.
        s.osLogin = nil
        s.now = "2026-10-05T09:31:00+08:00"
        try s.setUpStreet()
        _ = try s.file()
        // Version 1: without the mark, the columns of migrations 4 and 5 and the tally of 11.
        try s.sql(
            """
            DROP TRIGGER dispute_tally_insert; DROP TRIGGER dispute_tally_delete; DROP TRIGGER dispute_tally_update;
            DROP TABLE dispute_tally;
            DROP INDEX dispute_follow_up;
            ALTER TABLE dispute DROP COLUMN perform_by; ALTER TABLE dispute DROP COLUMN agreement_form;
            ALTER TABLE dispute DROP COLUMN follow_up_by; ALTER TABLE dispute DROP COLUMN performance;
            ALTER TABLE dispute DROP COLUMN confirm_applied; ALTER TABLE dispute DROP COLUMN confirm_ruling;
            ALTER TABLE event DROP COLUMN os_login; ALTER TABLE person DROP COLUMN disabled_at;
            PRAGMA application_id = 0; PRAGMA user_version = 1
            """)
        // Reading never migrates: it asks for the upgrade.
        let read = try s.run(["list"])
        #expect(read.status == 74 && read.stderr.contains("run 'mediate upgrade' first"), "\(read)")
        #expect(try s.ok("upgrade").hasPrefix("Upgraded the database from schema version 1 to 15"))
        #expect(try s.ok("list").contains("2026-0001"))
        let db = try Connection(path: s.db, mode: .readOnly)
        #expect(try db.int("PRAGMA application_id") == 0x4D45_4449)
        #expect(try db.int("PRAGMA user_version") == 15)
        #expect(try s.ok("verify").hasPrefix("Verified"))
    }

    @Test func everyRunClosesTheDatabaseSoTheWALIsCheckpointed() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        _ = try s.file()
        // The last connection to close checkpoints the WAL and deletes it; a connection
        // left open would leave it to grow, and the next process to recover it.
        #expect(!FileManager.default.fileExists(atPath: s.db + "-wal"))
    }

    @Test(.enabled(if: Sandbox.onFile, "a file's backup; on a server backups are pg_dump's"))
    func backupWritesAVerifiedCopy() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        _ = try s.file()
        let copy = s.dir.appendingPathComponent("copy.db").path
        #expect(try s.ok("backup", copy, "--verbose").hasPrefix("Backed up to \(copy) and verified"))
        #expect(try s.ok("list", "--db", copy).contains("2026-0001"))
        #expect(try s.run(["backup", copy]).status == 64)
    }

    @Test func aStaleWriteIsRefusedAsChangedMeanwhile() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        let store = try Store.open(at: s.db)
        let machine = try store.machine()
        let number = CaseNumber(Substring(n))!
        let stale = try store.requireCase(number)
        // Someone else accepts the case after we read it.
        try s.ok("accept", n, as: "wang")
        let event = try machine.decide(stale, .note(text: "x"), by: try store.actor("wang"), at: stale.lastEventAt)
            .get()
        #expect(throws: StoreError.self) { try store.commit(event, to: stale, entered: 0) }
        do {
            _ = try store.commit(event, to: stale, entered: 0)
        } catch StoreError.changedMeanwhile(let which) {
            #expect(which == number)
        }
        #expect(try store.requireCase(number).version == 2)
    }

    @Test func verifyHoldingFewCasesLetsGoAndReplaysThemWithTheSameFindings() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        // Six cases whose events interleave in the chain: each is still open when the
        // next one's events come, so a verify holding two lets cases go and replays them.
        let numbers = try (0..<6).map { _ in try s.file() }
        for n in numbers { try s.ok("accept", n, as: "wang") }
        for n in numbers { try s.ok("note", n, "--text", "上门了解情况", as: "wang") }
        for n in numbers.reversed() { try s.ok("note", n, "--text", "再次沟通", as: "wang") }
        let store = try Store.open(at: s.db)
        let whole = try store.verify(witness: nil, holding: Store.heldCases)
        let few = try store.verify(witness: nil, holding: 2)
        #expect(whole.problem == nil && few.problem == nil)
        #expect(few.cases == whole.cases && few.events == whole.events && few.head == whole.head)
        #expect(few.cases >= 6)
        #expect(whole.replayedAgain == 0 && few.replayedAgain > 0)
        #expect(!whole.readCaseByCase && !few.readCaseByCase)
        // An edited case row is found the same way when its replay was let go and made again.
        if Sandbox.onFile {
            try s.sql("UPDATE dispute SET assignee = 'li' WHERE year || '-' || printf('%04d', serial) = '\(numbers[2])'")
            let edited = try Store.open(at: s.db)
            let a = try edited.verify(witness: nil, holding: Store.heldCases)
            let b = try edited.verify(witness: nil, holding: 2)
            #expect(a.problem != nil)
            #expect("\(String(describing: a.problem))" == "\(String(describing: b.problem))")
        }
    }

    /// From a review: with the unique index on (case, position) dropped, a finished
    /// case's last event appended again (re-hashed) finished that case twice, so the
    /// count of cases checked still matched while a case let go (its row edited, its
    /// version raised so that it never finished) was never compared. A case is replayed
    /// again only from exactly its events before the one come; the file is caught,
    /// whichever cases are let go.
    @Test(.enabled(if: Sandbox.onFile, "edits the SQLite file itself"))
    func aCaseFinishedTwiceCannotHideACaseLetGo() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let y = try s.file()
        try s.ok("accept", y, as: "wang")
        // Many cases interleaved after Y, so that a verify holding two lets Y go.
        let others = try (0..<12).map { _ in try s.file() }
        for n in others { try s.ok("accept", n, as: "wang") }
        for n in others { try s.ok("note", n, "--text", "x", as: "wang") }
        let x = others[0]
        let yWhere = "year || '-' || printf('%04d', serial) = '\(y)'"
        let xWhere = "year || '-' || printf('%04d', serial) = '\(x)'"
        try s.sql("DROP INDEX event_case_seq")
        try s.sql("UPDATE dispute SET version = version + 1, state = 'closed' WHERE \(yWhere)")
        let db = try Connection(path: s.db, mode: .readWrite)
        let xid = try #require(try db.int("SELECT id FROM dispute WHERE \(xWhere)"))
        var row = try #require(
            try db.first(
                "SELECT \(EventRow.columns) FROM event WHERE case_id = ? ORDER BY case_seq DESC LIMIT 1", [.int(xid)]
            ) { EventRow($0) })
        let head = try #require(try db.first("SELECT id, hash FROM event ORDER BY id DESC LIMIT 1") { ($0.int(0), $0.blob(1)) })
        row.id = head.0 + 1
        try db.run(
            "INSERT INTO event (\(EventRow.columns), hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            row.values + [.blob(Chain.hash(row, previous: head.1))])
        let store = try Store.open(at: s.db)
        #expect(try store.verify(witness: nil, holding: Store.heldCases).problem != nil)
        for _ in 0..<5 {
            let few = try store.verify(witness: nil, holding: 2)
            #expect(few.problem != nil && few.readCaseByCase, "\(String(describing: few.problem))")
        }
    }

    /// The tally (migration 011) against a recount of the case rows of `db`: the rows
    /// of each, unit, state and count (a tally row of zero stands for none).
    static func tallyAndRecount(_ db: String) throws -> (tally: [[Int64]], recount: [[Int64]]) {
        let c = try Connection(path: db, mode: .readOnly)
        let states = CaseState.allCases.map(\.rawValue)
        func rows(_ sql: String) throws -> [[Int64]] {
            try c.rows(sql) { [$0.int(0), Int64(states.firstIndex(of: $0.text(1)) ?? -1), $0.int(2)] }
        }
        return (
            try rows("SELECT unit_id, state, cases FROM dispute_tally WHERE cases <> 0 ORDER BY unit_id, state"),
            try rows("SELECT unit_id, state, count(*) FROM dispute GROUP BY unit_id, state ORDER BY unit_id, state")
        )
    }

    /// `list`'s total with a page of one (the count, from the tally when the filter is
    /// states and units only) and with every case on the page (counted as listed).
    static func listTotals(_ s: Sandbox, _ args: [String], db: String? = nil, as user: String? = "admin") throws
        -> (counted: Int, listed: Int)
    {
        func total(_ limit: String) throws -> Int {
            let r = try s.run(
                ["list", "--format", "json", "--limit", limit] + args + (db.map { ["--db", $0] } ?? []), as: user)
            #expect(r.status == 0, "\(args): \(r)")
            let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            return try #require(object?["total"] as? Int, "\(r)")
        }
        return (try total("1"), try total("1000"))
    }

    /// Every path that writes case rows leaves the tally equal to a recount: filing,
    /// accepting, escalating, resolving, closing, withdrawing, reopening, an import of the
    /// export and the demo's bulk path (the merge: PostgreSQLTests); and `list`'s "N" is
    /// the number of cases that match.
    @Test func theTallyIsARecountAfterEveryWriteAndListCountsFromIt() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let g01 = try (0..<5).map { _ in try s.file() }
        let g03 = try (0..<3).map { _ in try s.file(grid: "G03", as: "zhao") }
        try s.ok("accept", g01[0], as: "wang")
        try s.ok("escalate", g01[0], "--reason", "双方不接受网格调解", as: "wang")
        try s.ok("accept", g01[1], as: "wang")
        try s.ok("resolve", g01[1], "--agreement", "当日道歉", "--oral", "--perform-by", "2026-10-06", as: "wang")
        try s.ok(
            "close", g01[1], "--note", "已履行", "--satisfaction", "满意", "--outcome", "履行", "--early", "--reason",
            "当日已道歉", as: "chen")
        try s.ok("accept", g01[2], as: "wang")
        try s.ok("resolve", g01[2], "--agreement", "李四交出钥匙", "--perform-by", "2026-10-10", as: "wang")
        try s.ok("reopen", g01[2], "--reason", "未履行", as: "wang")
        try s.ok("withdraw", g01[3], "--reason", "当事人拒绝调解", as: "wang")
        try s.ok("accept", g03[0], as: "zhao")
        try s.ok("withdraw", g03[1], "--reason", "已起诉", as: "zhao")
        let (tally, recount) = try Self.tallyAndRecount(s.db)
        #expect(tally == recount && recount.count >= 5, "\(tally) \(recount)")
        for args in [
            [], ["--unit", "C01"], ["--unit", "G03"], ["--unit", "G02"], ["--state", "open"],
            ["--state", "withdrawn", "--unit", "S1"], ["--state", "closed", "--state", "mediating", "--unit", "C02"],
        ] {
            let (counted, listed) = try Self.listTotals(s, args)
            #expect(counted == listed, "\(args)")
        }
        #expect(try Self.listTotals(s, []).listed == 5)
        #expect(try Self.listTotals(s, ["--unit", "C01"]).listed == 3)

        // The export restored into a new database: the tally made by the import's writes.
        let export = s.dir.appendingPathComponent("street.jsonl").path
        try s.ok("export", "--format", "jsonl", "--output", export)
        let second = try Sandbox()
        try second.ok("import", "jsonl", export)
        let restored = try Self.tallyAndRecount(second.db)
        #expect(restored.tally == restored.recount && restored.recount == recount)
        let c01 = try Self.listTotals(second, ["--unit", "C01"])
        #expect(c01.counted == 3 && c01.listed == 3)

        // The demo's street, written by the bulk path.
        try s.ok("demo", "--dir", s.dir.path, "--cases", "120", "--seed", "7", "--quiet")
        let demo = s.dir.appendingPathComponent("demo.db").path
        let made = try Self.tallyAndRecount(demo)
        #expect(made.tally == made.recount && !made.recount.isEmpty)
        let (counted, listed) = try Self.listTotals(s, [], db: demo)
        #expect(counted == listed && listed > 1)
    }

    /// A tally edited by hand, and a tally trigger dropped, are what verify reports, in
    /// both languages; a count put back verifies again.
    @Test func verifyReportsATallyEditedByHandAndATallyTriggerDropped() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        _ = try s.file(grid: "G03", as: "zhao")
        #expect(try s.ok("verify").hasPrefix("Verified"))
        let g03 = "(SELECT id FROM unit WHERE code = 'G03')"
        try s.sql("UPDATE dispute_tally SET cases = cases + 1 WHERE unit_id = \(g03) AND state = 'open'")
        let en = try s.run(["verify"])
        #expect(
            en.status == 1
                && en.stderr
                    == "The tally of G03's open cases differs from the cases: the history was changed outside mediate: restore from a backup and investigate.\n",
            "\(en)")
        let zh = try s.run(["verify"], lang: "zh_CN.UTF-8")
        #expect(zh.status == 1 && zh.stderr.hasPrefix("案件计数表中 G03 的“待受理”案件数与案件不符"), "\(zh)")
        try s.sql("UPDATE dispute_tally SET cases = cases - 1 WHERE unit_id = \(g03) AND state = 'open'")
        #expect(try s.ok("verify").hasPrefix("Verified"))
        // A count of zero stands for none; a count of a unit that holds no case does not.
        try s.sql("INSERT INTO dispute_tally (unit_id, state, cases) VALUES (999, 'open', 0)")
        #expect(try s.ok("verify").hasPrefix("Verified"))
        try s.sql("UPDATE dispute_tally SET cases = 2 WHERE unit_id = 999")
        #expect(try s.run(["verify"]).stderr.hasPrefix("The tally of #999's open cases differs"))
        try s.sql("DELETE FROM dispute_tally WHERE unit_id = 999")
        // A case row's count taken away.
        try s.sql("DELETE FROM dispute_tally WHERE unit_id = \(g03)")
        #expect(try s.run(["verify"]).stderr.hasPrefix("The tally of G03's open cases differs"))
        try s.sql("INSERT INTO dispute_tally (unit_id, state, cases) VALUES (\(g03), 'open', 1)")
        #expect(try s.ok("verify").hasPrefix("Verified"))
        // A trigger that keeps it, dropped.
        try s.sql(
            Sandbox.onFile ? "DROP TRIGGER dispute_tally_update" : "DROP TRIGGER dispute_tally_update ON dispute")
        let dropped = try s.run(["verify"])
        #expect(
            dropped.status == 1
                && dropped.stderr.hasPrefix("The trigger dispute_tally_update is not defined as the schema defines it"),
            "\(dropped)")
    }

    @Test func theBinaryCarriesExactlyTheMigrationsInSchema() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let files = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Schema").path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        #expect(embeddedMigrations.map(\.name) == files, "run Scripts/embed-schema")
        for (migration, file) in zip(embeddedMigrations, files) {
            let text = try String(contentsOf: root.appendingPathComponent("Schema/\(file)"), encoding: .utf8)
            #expect(migration.sql + "\n" == text, "Schema/\(file) changed: run Scripts/embed-schema")
        }
    }

    /// The PostgreSQL schema is numbered as the SQLite one, so that one version number
    /// means the same tables on both engines, and the binary carries it as it is.
    @Test func theBinaryCarriesThePostgreSQLMigrationsNumberedAlike() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let folder = root.appendingPathComponent("Schema/postgresql")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        #expect(embeddedPostgreSQLMigrations.map(\.name) == files, "run Scripts/embed-schema")
        #expect(embeddedPostgreSQLMigrations.map(\.version) == embeddedMigrations.map(\.version))
        for (migration, file) in zip(embeddedPostgreSQLMigrations, files) {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(migration.sql + "\n" == text, "Schema/postgresql/\(file) changed: run Scripts/embed-schema")
        }
    }
}

/// The chain's content written straight into a buffer is, byte for byte, what the JSON
/// value renders: the hash of every stored event depends on it.
@Suite struct ChainContentTests {
    @Test func contentWrittenIntoABufferIsTheRenderedArray() {
        var row = EventRow(
            caseID: 7, caseSeq: 3, action: "note", actor: "wang\"\\", effectiveAt: -5, enteredAt: 1_791_000_000,
            snapshot: nil, breach: 0, detail: [("text", "一\n二\t\u{1}\"")])
        row.id = 42
        for login in [nil, "root"] as [String?] {
            row.osLogin = login
            func int(_ v: Int64?) -> JSON { v.map { .int($0) } ?? .null }
            func text(_ v: String?) -> JSON { v.map { .string($0) } ?? .null }
            let expected = JSON.array(
                [
                    .int(row.id), int(row.caseID), int(row.caseSeq), .string(row.action), .string(row.actor),
                    .int(row.effectiveAt), .int(row.enteredAt), text(row.state), int(row.unitID), int(row.level),
                    int(row.topLevel), text(row.severity), text(row.category), int(row.dueAt), .int(row.breach),
                    .string(row.detail),
                ] + (login.map { [JSON.string($0)] } ?? [])
            ).rendered()
            #expect(row.content == expected)
        }
    }

    /// What verify hashes, rendered from a stored row's columns in place, is the content
    /// `EventRow` renders: nulls, negative and large numbers, every escaped character,
    /// CJK, with and without an OS login.
    @Test func contentRenderedFromARowIsTheEventRowsContent() throws {
        let connection = try Connection(path: ":memory:", mode: .readWriteCreate)
        try connection.execute(
            """
            CREATE TABLE e (id INTEGER, case_id INTEGER, case_seq INTEGER, action TEXT, actor TEXT,
              effective_at INTEGER, entered_at INTEGER, state TEXT, unit_id INTEGER, level INTEGER,
              top_level INTEGER, severity TEXT, category TEXT, due_at INTEGER, breach INTEGER, detail TEXT,
              os_login TEXT)
            """)
        var rows: [EventRow] = []
        for (i, login) in ([nil, "root", "", "李\\"] as [String?]).enumerated() {
            var row = EventRow(
                caseID: i == 0 ? nil : Int64(i), caseSeq: i == 0 ? nil : 9, action: "note",
                actor: "wang\"\\\u{7f}\u{1f}\u{0}", effectiveAt: Int64.min + Int64(i),
                enteredAt: Int64.max - Int64(i), snapshot: nil, breach: Int64(i),
                // The last one longer than the writer's first buffer, once escaped.
                detail: i == 3
                    ? [("text", String(repeating: "\u{1}\"", count: 1_000))]
                    : [("text", "一\n二\t\u{1}\"\r\u{8}\u{c}\\/é"), ("k\"", "")])
            row.id = Int64(i + 1)
            row.state = i == 2 ? "accepted" : nil
            row.unitID = i == 2 ? -3 : nil
            row.level = i == 2 ? 0 : nil
            row.severity = i == 3 ? "严重" : nil
            row.dueAt = i == 3 ? 10_000_000_000 : nil
            row.osLogin = login
            rows.append(row)
            try connection.run(
                "INSERT INTO e VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row.values)
        }
        // Each escaped character (and a plain multi-byte one) at every offset of a longer
        // text, the writer taking eight bytes at a time.
        var id = Int64(rows.count)
        for special in ["\"", "\\", "\n", "\u{1f}", "\u{0}", " ", "é", "中"] {
            for offset in 0..<19 {
                var text = String(repeating: "a", count: offset) + special + String(repeating: "b", count: 18 - offset)
                if offset % 3 == 0 { text += special + special }
                id += 1
                var row = EventRow(
                    caseID: nil, caseSeq: nil, action: text, actor: "a", effectiveAt: 0, enteredAt: 0, snapshot: nil,
                    breach: 0, detail: [("text", text)])
                row.id = id
                rows.append(row)
                try connection.run(
                    "INSERT INTO e VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row.values)
            }
        }
        let writer = ContentWriter()
        var rendered: [String] = []
        try connection.each("SELECT \(EventRow.columns) FROM e ORDER BY id") { r in
            writer.render(r)
            rendered.append(String(decoding: writer.bytes, as: UTF8.self))
            #expect(Array(writer.bytes) == Array(EventRow(r).content.utf8))
        }
        #expect(rendered == rows.map(\.content))
    }
}
