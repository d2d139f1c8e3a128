import Foundation
import MediateCore
import Testing

@testable import MediateCLI
@testable import MediateStore

/// Issue 12, driven through the command line: a history rewritten behind mediate's back
/// is caught against a witness kept outside the file; who acts is the real user, not the
/// one a caller names; residents' numbers stay masked and every reveal is on record.
@Suite struct TrustTests {
    /// The witness line's `COUNT:HASH`.
    static func witness(_ output: String) -> String? {
        guard let r = output.range(of: "--witness ") else { return nil }
        return String(output[r.upperBound...].prefix { $0 != ")" && $0 != "）" && !$0.isNewline })
    }

    /// Edits the file as someone who can write it would: triggers dropped and put back
    /// exactly as they were, and with `rehash`, every hash recomputed from the start.
    static func tamper(_ db: String, _ sql: String, rehash: Bool) throws {
        let c = try Connection(path: db, mode: .readWrite)
        let triggers = try c.rows(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN ('event_no_update', 'event_no_delete')"
        ) { $0.text(0) }
        try c.execute("DROP TRIGGER event_no_update; DROP TRIGGER event_no_delete")
        try c.execute(sql)
        if rehash {
            var previous: [UInt8] = []
            let rows = try c.rows("SELECT \(EventRow.columns) FROM event ORDER BY id") { EventRow($0) }
            for row in rows {
                previous = Chain.hash(row, previous: previous)
                try c.run("UPDATE event SET hash = ? WHERE id = ?", [.blob(previous), .int(row.id)])
            }
        }
        for trigger in triggers { try c.execute(trigger) }
    }

    /// A file has no server roles: `--create-role` is refused there, nobody registered.
    @Test func aFileHasNoRolesToCreate() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        guard s.database == nil else { return }
        let r = try s.run([
            "person", "add", "--login", "qian", "--name", "钱七", "--role", "grid_worker", "--unit", "G01",
            "--create-role",
        ])
        #expect(r.status == 1 && r.stderr.contains("Only a PostgreSQL database has server roles"), "\(r)")
        #expect(!(try s.ok("person", "list")).contains("qian"))
    }

    @Test(.enabled(if: Sandbox.onFile, "cuts the SQLite file's chain and backs it up; PostgreSQLTests tampers on the server"))
    func verifyAndBackupPrintTheWitnessAndVerifyWitnessCatchesACutTail() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        try s.ok("accept", n, as: "wang")
        let verified = try s.ok("verify")
        #expect(verified.contains("Chain head #15 "), "\(verified)")
        let w = try #require(Self.witness(verified))
        #expect(w.hasPrefix("15:") && w.count == 3 + 16)
        let zh = try s.run(["verify", "--lang", "zh"]).stdout
        #expect(zh.contains("链头 #15 ") && zh.contains("--witness \(w)"), "\(zh)")
        let json = try s.ok("verify", "--format", "json")
        #expect(json.contains(#""witness": "\#(w)""#))
        #expect(try s.ok("verify", "--witness", w).hasPrefix("Verified"))
        // The log goes on: the witness still holds.
        try s.ok("note", n, "--text", "走访", as: "wang")
        #expect(try s.ok("verify", "--witness", w).hasPrefix("Verified"))
        // The newest events cut, the case row put back to match: only the witness sees it.
        try Self.tamper(
            s.db,
            "DELETE FROM event WHERE id >= 15; UPDATE dispute SET state = 'open', assignee = NULL, version = 1, last_event_at = filed_at",
            rehash: false)
        let r = try s.run(["verify", "--witness", w])
        #expect(r.status == 1)
        #expect(
            r.stderr
                == "The witness counts 15 events but the file holds 14: the newest events were deleted or an older copy was put back: the history was changed outside mediate: restore from a backup and investigate.\n"
        )
        // Without the witness the shorter history is consistent in itself.
        #expect(try s.ok("verify").hasPrefix("Verified"))
        // A witness that is not one is a slip.
        let bad = try s.run(["verify", "--witness", "13:xyz"])
        #expect(bad.status == 64 && bad.stderr.hasPrefix("The witness '13:xyz' should read COUNT:HASH"))
    }

    @Test(.enabled(if: Sandbox.onFile, "a file's backup put back; on a server backups are pg_dump's, and PostgreSQLTests checks a re-hashed chain"))
    func anOldBackupPutBackAndAFullyRehashedChainAreCaughtAgainstTheWitness() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        let old = s.dir.appendingPathComponent("old.db").path
        let backedUp = try s.ok("backup", old, "--verbose")
        #expect(backedUp.contains("Chain head #14 "), "\(backedUp)")
        try s.ok("note", n, "--text", "已约双方周五面谈", as: "wang")
        let w = try #require(Self.witness(try s.ok("verify")))
        // The old copy put back in place of the live file.
        let r = try s.run(["verify", "--db", old, "--witness", w])
        #expect(r.status == 1 && r.stderr.hasPrefix("The witness counts 16 events but the file holds 14"), "\(r)")
        // Someone edits the note and recomputes every hash from the first event on.
        try Self.tamper(s.db, "UPDATE event SET detail = replace(detail, '周五', '周六')", rehash: true)
        #expect(try s.ok("verify").hasPrefix("Verified"), "the forgery is consistent in itself")
        let forged = try s.run(["verify", "--witness", w])
        #expect(forged.status == 1)
        #expect(
            forged.stderr.hasPrefix(
                "Event 16 does not have the witness's hash: the history up to it was rewritten and re-hashed"),
            "\(forged)")
    }

    @Test(.enabled(if: Sandbox.onFile, "edits the SQLite file's triggers; PostgreSQLTests drops the server's"))
    func verifyReplaysTheAdministrationAndReadsTheTriggersWhole() throws {
        let edits: [(String, String)] = [
            ("UPDATE person SET role = 'admin' WHERE login = 'wang'", "Person wang differs from the replay"),
            ("UPDATE unit SET parent_id = (SELECT id FROM unit WHERE code = 'C02') WHERE code = 'G01'", "Unit G01"),
            ("UPDATE level SET time_limit_days = 60 WHERE code = 'grid'", "Level grid"),
            ("UPDATE severity SET ceiling = 3 WHERE code = 'minor'", "Severity minor"),
            ("DELETE FROM setting", "Setting timezone"),
            (
                "INSERT INTO person (login, name, role, unit_id) VALUES ('mallory', 'M', 'admin', NULL)",
                "Person mallory"
            ),
            ("UPDATE person SET disabled_at = 1 WHERE login = 'li'", "Person li"),
        ]
        for (edit, message) in edits {
            let s = try Sandbox()
            try s.setUpStreet()
            try s.sql(edit)
            let r = try s.run(["verify"])
            #expect(r.status == 1 && r.stderr.hasPrefix(message), "\(edit): \(r)")
        }
        // A trigger rewritten to let edits through keeps its name, not its definition.
        let s = try Sandbox()
        try s.setUpStreet()
        try s.sql(
            """
            DROP TRIGGER event_no_update;
            CREATE TRIGGER event_no_update BEFORE UPDATE ON event WHEN 0 BEGIN SELECT RAISE(ABORT, 'no'); END;
            """)
        let r = try s.run(["verify"])
        #expect(
            r.status == 1
                && r.stderr.hasPrefix("The trigger event_no_update is not defined as the schema defines it"), "\(r)")
        // Policy changed the proper way replays to the same tables.
        let t = try Sandbox()
        try t.setUpStreet()
        try t.ok("policy", "set", "--level", "grid", "--days", "5")
        try t.ok("policy", "set", "--severity", "minor", "--ceiling", "community")
        try t.ok("policy", "set", "--add-category", "pets", "--zh", "宠物", "--en", "pets")
        try t.ok("person", "disable", "--login", "zhao", "--reason", "调离")
        #expect(try t.ok("verify").hasPrefix("Verified"))
    }

    @Test(.enabled(if: Sandbox.onFile, "the OS login is the person on a file; on a server the connected role is (PostgreSQLTests)"))
    func theRealUserActsAndOnlyAnAdminMayNameSomeoneElse() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        s.now = nil
        s.realUID = 1000
        // An OS user who is not registered can neither read nor write.
        s.osLogin = "mallory"
        for args in [["list"], ["verify"], ["show", "2026-0001"]] {
            let r = try s.run(args, as: nil)
            #expect(r.status == 1, "\(args): \(r)")
            #expect(
                r.stderr.hasPrefix("The OS user mallory is not a registered person of this database"), "\(args): \(r)")
        }
        // Naming an admin does not make one.
        let claimed = try s.run(["person", "add", "--login", "x", "--name", "x", "--role", "admin"], as: "admin")
        #expect(claimed.stderr.hasPrefix("The OS user mallory is not a registered person"), "\(claimed)")
        // A grid worker acts as themselves, and may not name anyone else.
        s.osLogin = "wang"
        let n = try s.file(as: "wang")
        let asAdmin = try s.run(["note", n, "--text", "x"], as: "admin")
        #expect(asAdmin.status == 1)
        #expect(
            asAdmin.stderr
                == "Only an admin may act as someone else (admin) with --as or MEDIATE_USER: you are wang, leave them out.\n"
        )
        let asOther = try s.run(["note", n, "--text", "x", "--as", "li"], as: nil)
        #expect(asOther.status == 1 && asOther.stderr.hasPrefix("Only an admin may act as someone else (li)"))
        // Back-dating is an admin's act.
        let backDated = try s.run(
            ["note", n, "--text", "x"], as: nil, env: ["MEDIATE_NOW": "2026-10-06T09:00:00+08:00"])
        #expect(backDated.status == 1 && backDated.stderr.hasPrefix("Back-dating with MEDIATE_NOW is an admin's act"))
        try s.ok("note", n, "--text", "本人记录", as: nil)
        // An admin may act for someone: the event names both.
        s.osLogin = "admin"
        try s.ok("note", n, "--text", "代为补录", as: "wang")
        let events = try Connection(path: s.db, mode: .readOnly).rows(
            "SELECT actor, os_login FROM event WHERE case_id IS NOT NULL ORDER BY id"
        ) { ($0.text(0), $0.optionalText(1)) }
        #expect(events.map(\.0) == ["wang", "wang", "wang"])
        #expect(events.map(\.1) == ["wang", "wang", "admin"])
        #expect(try s.ok("verify", as: nil).hasPrefix("Verified"))
    }

    @Test(.enabled(if: Sandbox.onFile, "the OS login is the person on a file; on a server the connected role is (PostgreSQLTests)"))
    func aDisabledPersonCanNoLongerActAndStaysOnRecord() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        let grid = try s.run(["person", "disable", "--login", "li", "--reason", "x"], as: "wang")
        #expect(grid.status == 1 && grid.stderr.hasPrefix("Only an admin"), "\(grid)")
        #expect(try s.ok("person", "disable", "--login", "li", "--reason", "调离社区").hasPrefix("Disabled li"))
        let acting = try s.run(["note", n, "--text", "x"], as: "li")
        #expect(acting.status == 1)
        #expect(acting.stderr == "The person li is disabled: they may no longer act or take cases.\n")
        let assigned = try s.run(["accept", n, "--mediator", "li"], as: "sun")
        #expect(assigned.status == 1 && assigned.stderr.hasPrefix("The person li is disabled"), "\(assigned)")
        s.realUID = 1000
        s.osLogin = "li"
        s.now = nil
        #expect(try s.run(["list"], as: nil).stderr.hasPrefix("The person li is disabled"))
        s.osLogin = "root"
        s.realUID = 0
        #expect(try s.ok("person", "list").contains("李明 (disabled)"))
        #expect(try s.ok("person", "list", "--format", "json").contains(#""disabled": true"#))
        #expect(try s.run(["person", "disable", "--login", "li", "--reason", "x"]).status == 1)
        #expect(try s.run(["person", "disable", "--login", "nobody", "--reason", "x"]).status == 1)
    }

    @Test func aCommunityAdminAdministersItsCommunityOnly() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        try s.ok("person", "add", "--login", "c1admin", "--name", "社区管理员", "--role", "admin", "--unit", "C01")
        for args in [
            ["policy", "set", "--level", "grid", "--days", "5"], ["policy", "set", "--timezone", "UTC"],
            ["policy", "set", "--add-category", "pets", "--zh", "宠物", "--en", "pets"],
        ] {
            let r = try s.run(args, as: "c1admin")
            #expect(r.status == 1 && r.stderr.hasPrefix("Street-wide policy, the time zone"), "\(args): \(r)")
        }
        #expect(try s.run(["person", "disable", "--login", "zhao", "--reason", "x"], as: "c1admin").status == 1)
        #expect(try s.run(["person", "disable", "--login", "sun", "--reason", "x"], as: "c1admin").status == 1)
        #expect(
            try s.run(
                ["person", "add", "--login", "x1", "--name", "x", "--role", "mediator", "--unit", "C02"],
                as: "c1admin"
            ).status == 1)
        try s.ok(
            "person", "add", "--login", "x2", "--name", "新人", "--role", "grid_worker", "--unit", "G02", as: "c1admin")
        try s.ok("person", "disable", "--login", "x2", "--reason", "录错", as: "c1admin")
        #expect(try s.ok("verify").hasPrefix("Verified"))
    }

    @Test(.enabled(if: Sandbox.onFile, "counts the reveal a file's backup records; on a server backups are pg_dump's"))
    func numbersTypedInFreeTextAreMaskedAndEveryRevealIsAudited() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.ok(
            "file", "--grid", "G01", "--category", "邻里", "--severity", "minor", "--source", "patrol",
            "--summary", "张三电话13912345678，身份证110101199003074518", "--party", "张三,applicant", as: "wang"
        ).trimmingCharacters(in: .newlines)
        try s.ok("note", n, "--text", "李四说打 0755-12345678 找他", as: "wang")
        let shown = try s.ok("show", n, as: "wang")
        #expect(!shown.contains("13912345678") && shown.contains("139****5678"), "\(shown)")
        #expect(!shown.contains("110101199003074518") && !shown.contains("12345678 "))
        let json = try s.ok("show", n, "--format", "json", as: "wang")
        #expect(
            !json.contains("13912345678") && !json.contains("110101199003074518") && !json.contains("0755-12345678"))
        let listed = try s.ok("list", "--format", "json", as: "wang")
        #expect(!listed.contains("13912345678"))
        // Nothing revealed, nothing recorded.
        #expect(try s.ok("audit") == "No reveals, backups or exports are recorded.\n")
        // A reveal shows the numbers and is recorded, with who ran it.
        let revealed = try s.ok("show", n, "--reveal", as: "wang")
        #expect(revealed.contains("13912345678") && revealed.contains("0755-12345678"))
        try s.ok("list", "--reveal", as: "wang")
        let backup = s.dir.appendingPathComponent("b.db").path
        try s.ok("backup", backup)
        let audit = try s.ok("audit")
        let lines = audit.split(separator: "\n")
        #expect(lines.count == 5, "\(audit)")  // the heading, its rule, three accesses
        #expect(lines[2].contains("wang (root)") && lines[2].contains("revealed numbers") && lines[2].contains(n))
        #expect(lines[4].contains("admin (root)") && lines[4].contains("backup") && lines[4].contains(backup))
        #expect(try s.ok("audit", "--person", "admin").split(separator: "\n").count == 3)
        #expect(try s.ok("audit", "--since", "2999-01-01") == "No reveals, backups or exports are recorded.\n")
        let auditJSON = try s.ok("audit", "--format", "json")
        #expect(auditJSON.contains(#""access": "reveal""#) && auditJSON.contains(#""os_login": "root""#))
        // Only an admin reads the audit.
        #expect(try s.run(["audit"], as: "wang").status == 1)
        #expect(try s.ok("verify").hasPrefix("Verified"))
    }

    @Test(.enabled(if: Sandbox.onFile, "reads the SQLite file's bytes and its backup"))
    func readCommandsNeverWriteAndABackupThatFailsLeavesNoFile() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        let before = try Data(contentsOf: URL(fileURLWithPath: s.db))
        for args in [["list"], ["show", n], ["verify"], ["report", "--month", "2026-10"], ["audit"]] {
            let r = try s.run(args)
            #expect(r.status == 0 && r.stderr.isEmpty, "\(args): \(r)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: s.db)) == before)
        #expect(!FileManager.default.fileExists(atPath: s.db + "-wal"))
        // A write-protected file is still read.
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: s.db)
        #expect(try s.ok("list").contains(n))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: s.db)
        // A backup whose copy fails verification leaves nothing behind.
        try s.sql("UPDATE dispute SET summary = 'x'")
        let copy = s.dir.appendingPathComponent("copy.db").path
        let r = try s.run(["backup", copy])
        #expect(r.status == 74)
        let left = try FileManager.default.contentsOfDirectory(atPath: s.dir.path).filter { $0 != "m.db" }
        #expect(left.isEmpty, "\(left)")
    }

    @Test func aStoredZoneWithoutAZoneFileIsASetupProblem() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        try s.sql("UPDATE setting SET value = 'Mars/Olympus' WHERE key = 'timezone'")
        let r = try s.run(["list"])
        #expect(r.status == 74)
        #expect(r.stderr.contains("/usr/share/zoneinfo/Mars/Olympus"), "\(r)")
    }

    @Test(.enabled(if: Sandbox.onFile, "a file size limit; the server's disk is its own"))
    func aWritePastTheFileSizeLimitGetsTheDiskFullSentenceNotASilentKill() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let size = try FileManager.default.attributesOfItem(atPath: s.db)[.size] as! Int
        // ulimit -f counts 512-byte blocks (bash and dash alike): room for a few cases more.
        let blocks = size / 512 + 120
        let summary = String(repeating: "纠", count: 3900)
        var last = Sandbox.Run(status: 0, stdout: "", stderr: "")
        for _ in 0..<30 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = [
                "-c", "ulimit -f \(blocks) && exec \"$0\" \"$@\"", Sandbox.binary.path, "file", "--grid", "G01",
                "--category", "邻里", "--severity", "minor", "--source", "patrol", "--summary", summary, "--party",
                "张三,applicant",
            ]
            process.environment = [
                "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "MEDIATE_DB": s.db, "MEDIATE_USER": "wang",
            ]
            let err = Pipe()
            process.standardError = err
            process.standardOutput = Pipe()
            try process.run()
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            last = Sandbox.Run(
                status: process.terminationStatus, stdout: "", stderr: String(decoding: stderr, as: UTF8.self))
            if last.status != 0 { break }
        }
        #expect(last.status == 74, "\(last)")
        #expect(last.stderr.hasPrefix("The disk is full, nothing was written to \(s.db)"), "\(last)")
        #expect(try s.ok("verify").hasPrefix("Verified"))
    }

    @Test(.enabled(if: Sandbox.onFile, "edits the SQLite file itself; PostgreSQLTests edits rows on the server"))
    func aCaseWhoseFilingWasRemovedIsReportedNotTrappedOn() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        try s.ok("note", n, "--text", "x", as: "wang")
        try Self.tamper(s.db, "DELETE FROM event WHERE case_seq = 1", rehash: true)
        for args in [["show", n], ["show", n, "--format", "json"]] {
            let r = try s.run(args)
            #expect(r.status == 74, "\(args): \(r)")
            #expect(
                r.stderr
                    == "\(s.db) is not a mediate database or is damaged: check the path, or restore from a backup.\n")
        }
        let v = try s.run(["verify"])
        #expect(v.status == 1 && v.stderr.split(separator: "\n").count == 1, "\(v)")
    }

    @Test func aPinnedVersionIsRefusedOnceTheCaseMovedAndANoteNeverIs() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        try s.ok("accept", n, "--if-version", "1", as: "wang")
        let stale = try s.run(["escalate", n, "--reason", "x", "--if-version", "1"], as: "wang")
        #expect(stale.status == 1)
        #expect(stale.stderr == "Case \(n) changed meanwhile: run 'mediate show \(n)' and try again.\n")
        // Unpinned, a note goes on whatever happened to the case.
        try s.ok("note", n, "--text", "x", as: "wang")
        try s.ok("escalate", n, "--reason", "x", "--if-version", "3", as: "wang")
        #expect(try s.ok("show", n, "--format", "json").contains(#""version": 4"#))
    }

    @Test func theReportCountsLateEntriesRelabellingAndReveals() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        // Raised the evening before October, escalated on its first morning: the
        // assessment lies before the period, within the window, and still counts.
        s.now = "2026-09-29T09:00:00+08:00"
        let c = try s.file(grid: "G02", as: "li")
        s.now = "2026-09-30T20:00:00+08:00"
        try s.ok("assess", c, "--severity", "major", "--reason", "涉及多户", as: "li")
        s.now = "2026-10-01T10:00:00+08:00"
        try s.ok("escalate", c, "--reason", "不服", as: "li")
        s.now = "2026-10-02T09:00:00+08:00"
        let a = try s.file(grid: "G01")
        let b = try s.file(grid: "G03", as: "zhao")
        s.now = "2026-10-03T09:00:00+08:00"
        // A minor case raised to major the day before it leaves the grid: no breach, but counted.
        try s.ok("assess", a, "--severity", "major", "--reason", "涉及多户", as: "wang")
        s.now = "2026-10-04T09:00:00+08:00"
        try s.ok("escalate", a, "--reason", "不服", as: "wang")
        try s.ok("escalate", b, "--reason", "不服", as: "zhao")
        s.now = "2026-11-02T06:00:00+08:00"
        let text = try s.ok("report", "--month", "2026-10")
        // Every event here was entered from "paper" (MEDIATE_NOW, weeks before the real clock).
        #expect(text.contains("G01 东湖一网格: 3 entered late (补录); 1 escalated after a severity raise"), "\(text)")
        #expect(text.contains("G03 南湖一网格: 2 entered late (补录); 0 escalated"), "\(text)")
        #expect(text.contains("G02 东湖二网格: 1 entered late (补录); 1 escalated after a severity raise"), "\(text)")
        let json = try s.ok("report", "--month", "2026-10", "--format", "json")
        #expect(json.contains(#""severity_raised_before_escalation": 1"#), "\(json)")
        // Reveals are counted when they happen, by the revealing person's unit.
        s.now = nil
        try s.ok("show", a, "--reveal", as: "li")
        try s.ok("show", a, "--reveal", as: "li")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let today = calendar.dateComponents([.year, .month, .day], from: Date())
        let day = String(format: "%04d-%02d-%02d", today.year!, today.month!, today.day!)
        let now = try s.ok("report", "--from", day, "--to", day)
        #expect(now.contains("C01 东湖社区: 2 reveals of residents' numbers"), "\(now)")
        #expect(try s.ok("report", "--from", day, "--to", day, "--unit", "C02").contains("No late entries"))
    }

    @Test func everyIntegrityMessageIsOneLineForCronMail() {
        for problem in CatalogueTests.broken {
            for text in [Broken(problem).zh, Broken(problem).en] { #expect(!text.contains("\n"), "\(text)") }
        }
    }

    @Test func theDemoMakesItsRunnerAnAdminSoItsCommandsRunAsPrinted() throws {
        let s = try Sandbox()
        s.now = nil
        s.osLogin = "dana"
        s.realUID = 1000
        let out = try s.ok("demo", "--dir", s.dir.path, as: nil)
        let db = s.dir.appendingPathComponent("demo.db").path
        #expect(out.contains("MEDIATE_USER=g01-worker"), "\(out)")
        #expect(try s.run(["list", "--db", db, "--unit", "C01"], as: nil).status == 0)
        let filed = try s.run(
            [
                "file", "--db", db, "--grid", "G01", "--category", "neighbour", "--severity", "minor", "--source",
                "patrol", "--summary", "楼道堆物", "--party", "张三,applicant,13800000000",
            ], as: "g01-worker")
        #expect(filed.status == 0, "\(filed)")
    }
}
