import Foundation
import MediateCore
import Testing

@testable import MediateCLI
@testable import MediateStore

/// Bad input: one sentence naming what was wrong and what to do, the documented exit
/// code, and nothing written.
@Suite struct BadInputTests {
    func expect(_ r: Sandbox.Run, _ status: Int32, _ stderr: String, sourceLocation: SourceLocation = #_sourceLocation)
    {
        #expect(r.status == status, "\(r)", sourceLocation: sourceLocation)
        #expect(r.stderr == stderr + "\n", sourceLocation: sourceLocation)
        #expect(r.stdout == "", sourceLocation: sourceLocation)
    }

    @Test func usageErrorsSayWhatWasWrongAndExit64() throws {
        // A process test: exit status 64 (and 0 for --help) as the real executable
        // exits with it, and the language taken from the LANG of a real process.
        let s = try Sandbox(process: true)
        expect(try s.run(["escalte", "2026-0001"]), 64, "Unknown command 'escalte'. Did you mean 'escalate'?")
        expect(
            try s.run(["file", "--gird", "G01"]), 64,
            "Unknown option '--gird'. Did you mean '--grid'? Run 'mediate file --help' for usage.")
        expect(
            try s.run(["escalate", "2026-0001", "--reason"]), 64,
            "Missing value for '--reason <TEXT>'. Run 'mediate escalate --help' for usage.")
        expect(try s.run(["unit"]), 64, "'unit' needs a subcommand: 'mediate unit add', 'mediate unit attach', 'mediate unit list'.")
        expect(
            try s.run(["show"]), 64,
            "Missing argument: usage is mediate show CASE [--reveal]. Run 'mediate show --help' for usage.")
        expect(
            try s.run(["show", "42"]), 64,
            "'42' is not a case number: numbers look like 2026-0142. Run 'mediate show --help' for usage.")
        let help = try s.run(["file", "--help"])
        #expect(help.status == 0 && help.stdout.hasPrefix("mediate file — file a new case"))
        let zh = try s.run(["escalte"], lang: "zh_CN.UTF-8")
        #expect(zh.stderr == "未知命令 'escalte'。是否想用 'escalate'？\n")
    }

    @Test func datesOutsideTheWritableYearsAreRefusedNotTrapped() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let tail = " Run 'mediate report --help' for usage."
        expect(
            try s.run(["report", "--month", "9999-12"]), 64,
            "--month '9999-12' is not valid: write YYYY-MM (like 2026-10, years 1900–2999), last or this." + tail)
        expect(
            try s.run(["report", "--from", "0001-01-01", "--to", "2026-10-31"]), 64,
            "--from '0001-01-01' is not a valid date: write it as YYYY-MM-DD (years 1900–2999), like 2026-10-31." + tail
        )
        expect(
            try s.run(["report", "--as-of", "0001-01-01T00:00:00+08:00"]), 64,
            "--as-of '0001-01-01T00:00:00+08:00' is not a valid time: write YYYY-MM-DD or 2026-10-05T09:30 (years 1900–2999)."
                + tail)
        let bad = try s.run(["list"], env: ["MEDIATE_NOW": "9999-12-31T23:59:59-12:00"])
        #expect(bad.status == 64 && bad.stderr.hasPrefix("MEDIATE_NOW '9999-12-31T23:59:59-12:00' is not a time"))
        expect(
            try s.run(["list"], env: ["MEDIATE_BUSY_TIMEOUT": "soon"]), 64,
            "MEDIATE_BUSY_TIMEOUT 'soon' is not valid: give milliseconds, like 30000 (at most some 24 days)."
                + " Run 'mediate list --help' for usage.")
        // The widest writable period works and counts nothing.
        let wide = try s.run(["report", "--from", "1900-01-01", "--to", "2999-12-31", "--format", "json"])
        #expect(wide.status == 0, "\(wide)")
        #expect(try s.ok("report", "--month", "2999-12").contains("1–31 December 2999"))
    }

    @Test func slipsAndOddValuesGetOneSentenceAndChangeNothing() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        func usage(_ command: String) -> String { " Run 'mediate \(command) --help' for usage." }
        // A phone number typed in the wrong place is not echoed in full.
        expect(
            try s.run(["note", n, "--text", "x", "13800000000"], as: "wang"), 64,
            "Unexpected argument '138****0000'." + usage("note"))
        expect(try s.run(["list", "--lang", "de"]), 64, "Unknown language 'de': use zh or en." + usage("list"))
        expect(
            try s.run(["list", "--unit", ""]), 64,
            "The value of '--unit <CODE>' is empty: give one, or leave the option out." + usage("list"))
        expect(
            try s.run(["accept", n, "--mediator", "nosuch"], as: "li"), 1,
            "No person nosuch: run 'mediate person list' to see logins.")
        expect(
            try s.run(["assess", n, "--reason", "x"], as: "wang"), 64,
            "Say what changes: --severity, --category or both." + usage("assess"))
        expect(
            try s.run(["report", "--month", "2026--10"]), 64,
            "--month '2026--10' is not valid: write YYYY-MM (like 2026-10, years 1900–2999), last or this."
                + usage("report"))
        // Policy: one change per run, codes as codes, zones that are zone files.
        expect(
            try s.run(["policy", "set", "--level", "grid", "--days", "5", "--timezone", "UTC"]), 64,
            "Give one change at a time: run --level and --timezone separately." + usage("policy set"))
        expect(
            try s.run(["policy", "set", "--severity", "minor", "--ceiling", "grid", "--days", "4"]), 64,
            "--days does not go with --severity: give one change at a time." + usage("policy set"))
        expect(
            try s.run(["policy", "set", "--add-category", "a b", "--zh", "测", "--en", "t"]), 64,
            "The code 'a b' may use only letters, digits, '-' and '_' (at most 32)." + usage("policy set"))
        for zone in ["Asia", "zone.tab", "Asia/", "./UTC", "../zoneinfo/UTC"] {
            let r = try s.run(["policy", "set", "--timezone", zone])
            #expect(r.status == 64 && r.stderr.hasPrefix("The time zone '\(zone)' is not installed"), "\(r)")
        }
        #expect(try s.ok("policy", "set", "--level", "网格", "--days", "5").hasPrefix("Policy changed"))
        // Logins: the sweep's own is reserved, and case does not make a new person.
        expect(
            try s.run(["person", "add", "--login", "System", "--name", "x", "--role", "mediator", "--unit", "C01"]), 64,
            "The login 'System' is the daily sweep's own: choose another." + usage("person add"))
        expect(
            try s.run(["person", "add", "--login", "WANG", "--name", "x", "--role", "mediator", "--unit", "C01"]), 1,
            "The person wang already exists: choose another login.")
        // Paths SQLite would take for something other than a file.
        for path in [":memory:", "file:x.db?mode=memory"] {
            expect(
                try s.run(["list", "--db", path]), 64,
                "--db '\(path)' is not a file path: give the path of a file, like ~/mediate.db (write a name starting with file: as ./file:…)."
                    + usage("list"))
        }
        expect(
            try s.run(["list", "--db", "/dev/null"]), 64,
            "/dev/null is not a regular file (a device, a pipe or a broken link): give the path of a database file."
                + usage("list"))
        // A stored zone that is no longer installed stops the work, but not its repair.
        try s.sql("UPDATE setting SET value = 'Asia' WHERE key = 'timezone'")
        #expect(try s.run(["list"]).status == 74)
        #expect(try s.ok("policy", "set", "--timezone", "Asia/Shanghai").hasPrefix("Policy changed"))
        #expect(try s.ok("list").contains(n))
        let side = s.db + "-wal"
        expect(
            try s.run(["backup", side]), 64,
            "\(side) ends like an SQLite side file (-wal, -shm, -journal): choose another name, like mediate-backup.db."
                + usage("backup"))
        let nowhere = s.dir.appendingPathComponent("nowhere").path
        expect(
            try s.run(["demo", "--dir", nowhere]), 64,
            "--dir \(nowhere) is not an existing folder: make it first, or leave --dir out for a temp folder."
                + usage("demo"))
        // An effective time in the future would hold the case against every real action.
        expect(
            try s.run(["note", n, "--text", "x"], as: "wang", env: ["MEDIATE_NOW": "2999-12-31T00:00:00+08:00"]), 64,
            "MEDIATE_NOW '2999-12-31T00:00:00+08:00' is later than the real clock: it may only name the past, for paper records entered late."
                + usage("note"))
        // A time whose local day falls before 1900 would make a case number no one can type.
        let early = try s.run(
            ["note", n, "--text", "x"], as: "wang", env: ["MEDIATE_NOW": "1900-01-01T05:00:00+14:00"])
        #expect(early.status == 64 && early.stderr.hasPrefix("MEDIATE_NOW '1900-01-01T05:00:00+14:00' is not a time"))
        // None of it wrote a thing but the one policy change.
        #expect(try s.ok("show", n, "--format", "json").contains(#""version": 1"#))
        #expect(try s.ok("verify").hasPrefix("Verified"))
        #expect(!FileManager.default.fileExists(atPath: side))
    }

    @Test func malformedValuesAreRefusedBeforeAnythingIsWritten() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let base = ["file", "--grid", "G01", "--category", "邻里", "--severity", "minor", "--source", "patrol"]
        let cases: [([String], String)] = [
            (
                ["--summary", "x", "--party", "张三,applicant,1380000"],
                "The phone number is malformed: write an 11-digit mobile (like 13800000000) or a landline with its area code (like 027-87654321)."
            ),
            (
                ["--summary", "x", "--party", "张三,applicant,13800000000,110105194912310021"],
                "The ID number is invalid (18 characters with a matching check digit): check it and type it again."
            ),
            (
                ["--summary", "a\u{7}b", "--party", "张三,applicant"],
                "--summary contains control characters or invalid UTF-8: use printable text only."
            ),
            (
                ["--summary", String(repeating: "长", count: 4001), "--party", "张三,applicant"],
                "--summary is too long (4001 characters, at most 4000): shorten it."
            ),
            (
                ["--summary", "x", "--party", "张三"],
                "--party takes \"name,role[,phone[,id number[,address]]]\" with role applicant, respondent or other."
            ),
            (["--summary", "x"], "A case needs at least one party: add --party \"name,applicant,phone\"."),
        ]
        for (extra, message) in cases {
            expect(try s.run(base + extra, as: "wang"), 64, message + " Run 'mediate file --help' for usage.")
        }
        expect(
            try s.run(
                [
                    "file", "--grid", "G01", "--category", "打架", "--severity", "minor", "--source", "patrol",
                    "--summary", "x", "--party", "a,applicant",
                ], as: "wang"),
            64,
            "Unknown category '打架': use one of family, neighbour, housing, contract, business, damages, land, demolition, environment, labour, consumer, medical, traffic, property, other. Run 'mediate file --help' for usage."
        )
        let n = try s.file()
        try s.ok("accept", n, as: "wang")
        expect(
            try s.run(["resolve", n, "--agreement", "x", "--perform-by", "2026-02-30"], as: "wang"), 64,
            "--perform-by '2026-02-30' is not a valid date: write it as YYYY-MM-DD (years 1900–2999), like 2026-10-31. Run 'mediate resolve --help' for usage."
        )
        expect(
            try s.run(
                ["resolve", n, "--agreement", "x", "--amount", "12.345", "--perform-by", "2026-10-30"], as: "wang"), 64,
            "The amount '12.345' is malformed: write yuan with at most two decimals, like 1200 or 350.50. Run 'mediate resolve --help' for usage."
        )
        expect(
            try s.run(
                ["resolve", n, "--agreement", "x", "--amount", "1000000000", "--perform-by", "2026-10-30"], as: "wang"),
            64,
            "The amount '1000000000' is too large: an agreed amount must be below 1,000,000,000 yuan. Run 'mediate resolve --help' for usage."
        )
        expect(
            try s.run(["resolve", n, "--agreement", "x", "--perform-by", "1900-01-01"], as: "wang"), 64,
            "--perform-by 1900-01-01 is before the day of the agreement, 2026-10-05: give that day or a later one. Run 'mediate resolve --help' for usage."
        )
        expect(
            try s.run(
                ["resolve", n, "--agreement", "x", "--perform-by", "2026-10-30", "--follow-up", "2026-10-01"],
                as: "wang"),
            64,
            "--follow-up 2026-10-01 is before the day of the agreement, 2026-10-05: give that day or a later one. Run 'mediate resolve --help' for usage."
        )
        // Invalid UTF-8 on standard input. A process run: the bytes come through a real
        // pipe into main.swift's reading of fd 0, and the executable exits 65.
        let r = try s.run(
            base + ["--summary", "-", "--party", "a,applicant"], as: "wang", stdin: Data([0xE4, 0xB8, 0x41]),
            process: true)
        expect(r, 65, "Standard input is not valid UTF-8 text: save it as UTF-8 and try again.")
        // Standard input is read no further than the field can hold. A process run: the
        // child stops reading a 1 MiB pipe and exits while we still write (a broken pipe,
        // SIGPIPE ignored here), which only a real pipe to a real process can show.
        let endless = try s.run(
            base + ["--summary", "-", "--party", "a,applicant"], as: "wang",
            stdin: Data(repeating: 0x61, count: 1 << 20), process: true)
        expect(endless, 65, "Standard input is too long: --summary holds at most 4000 characters.")
        // One letter under ten thousand combining marks is one character, but not a small one.
        expect(
            try s.run(
                base + ["--summary", "a" + String(repeating: "\u{301}", count: 10_000), "--party", "a,applicant"],
                as: "wang"),
            64,
            "--summary carries too many combining marks (10001 code points, at most 8000): remove them. Run 'mediate file --help' for usage."
        )
        let hidden: [(String, String)] = [
            ("--summary", "\u{200B}\u{FEFF}"), ("--summary", "\u{301}"), ("--summary", "邻居\u{202E}纠纷"),
            ("--party", "\u{200B},applicant"), ("--party", "张三\u{2028}李四,applicant"),
        ]
        for (option, value) in hidden {
            let extra =
                option == "--summary"
                ? ["--summary", value, "--party", "a,applicant"] : ["--summary", "x", "--party", value]
            let refused = try s.run(base + extra, as: "wang")
            #expect(refused.status == 64, "\(value.unicodeScalars.map { String($0.value, radix: 16) }): \(refused)")
        }
        // A second line in --party is not a silent second party.
        expect(
            try s.run(base + ["--summary", "x", "--party", "张三,applicant\n李四,respondent,13900000000"], as: "wang"), 64,
            "--party takes \"name,role[,phone[,id number[,address]]]\" with role applicant, respondent or other. Run 'mediate file --help' for usage."
        )
        // Nothing but the one good case was written.
        #expect(try s.ok("list").hasSuffix("\n1 case\n"))
        #expect(try s.ok("list", "--limit", "1").hasSuffix("\n1 case\n"))
    }

    @Test func theRulesRefuseWithExit1AndLeaveNoTrace() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        let before = try s.ok("show", n, "--format", "json")
        expect(
            try s.run(["resolve", n, "--agreement", "x", "--perform-by", "2026-10-30"], as: "wang"), 1,
            "Cannot resolve a case that is open: only mediating cases can be.")
        expect(
            try s.run(["accept", n], as: "zhao"), 1,
            "Unit G01 is outside your unit: you act only on cases in your own unit and below.")
        expect(
            try s.run(["note", n, "--text", "x"], as: "nobody"), 1,
            "The actor 'nobody' is not registered: name a registered person with --as LOGIN, or ask an admin to run 'mediate person add'."
        )
        // A process run: the real executable exits 1 for a refusal.
        expect(
            try s.run(["show", "2026-0999"], process: true), 1,
            "No case 2026-0999: run 'mediate list' to see case numbers.")
        expect(
            try s.run(["refer", n, "--to", "court", "--reason", "x"], as: "wang"), 1,
            "A grid_worker cannot refer: ask someone whose role allows it.")
        try s.ok("escalate", n, "--reason", "上报", as: "wang")
        expect(
            try s.run(["accept", n], as: "wang"), 1,
            "Grid workers act only on grid-level cases: this one was escalated, a mediator handles it.")
        try s.ok("escalate", n, "--reason", "上报街道", as: "li")
        expect(
            try s.run(["escalate", n, "--reason", "再上报"], as: "sun"), 1,
            "The case is at the top level and cannot be escalated further: if mediation fails, refer it with 'mediate refer'."
        )
        expect(
            try s.run(["extend", n, "--until", "2026-12-01", "--reason", "x"], as: "sun"), 64,
            "An extension needs both parties' consent: add --consent once they have agreed. Run 'mediate extend --help' for usage."
        )
        // Refusals write nothing: the case has exactly the three events it had.
        let json = try s.ok("show", n, "--format", "json")
        #expect(json.contains(#""version": 3"#))
        #expect(before.contains(#""version": 1"#))
    }

    @Test(.enabled(if: Sandbox.onFile, "a file system's trouble (unreadable, full); the server's: PostgreSQLTests"))
    func storageTroubleExits74WithAClearSentence() throws {
        let s = try Sandbox()
        // A folder, not a file.
        let folder = s.dir.appendingPathComponent("folder").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // A process run: the real executable exits 74 for storage trouble.
        expect(
            try s.run(["list", "--db", folder], process: true), 74,
            "Cannot open \(folder): check that the path is a file, not a folder, and that its folder exists and is writable."
        )
        // Not a database.
        let junk = s.dir.appendingPathComponent("junk.db").path
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: junk))
        expect(
            try s.run(["list", "--db", junk]), 74,
            "\(junk) is not a mediate database or is damaged: check the path, or restore from a backup.")
        // Missing.
        let missing = s.dir.appendingPathComponent("missing.db").path
        expect(
            try s.run(["list", "--db", missing]), 74,
            "There is no database at \(missing): run 'mediate init' first, or name the file with --db.")
        // From a newer mediate.
        try s.setUpStreet()
        try s.sql("PRAGMA user_version = 99")
        expect(
            try s.run(["list"]), 74,
            "\(s.db) was written by a newer mediate (schema version 99; this one knows up to 15): upgrade mediate.")
        // Another program's SQLite file: neither opened nor initialised over.
        let other = s.dir.appendingPathComponent("other.db").path
        try Connection(path: other, mode: .readWriteCreate).execute("CREATE TABLE foo (x); PRAGMA user_version = 99")
        // Neither a look-alike of version 1 nor an empty file with a version is taken for
        // mediate's, and neither is changed.
        let alike = s.dir.appendingPathComponent("alike.db").path
        try Connection(path: alike, mode: .readWriteCreate).execute("CREATE TABLE event (x); PRAGMA user_version = 1")
        let versioned = s.dir.appendingPathComponent("versioned.db").path
        try Connection(path: versioned, mode: .readWriteCreate).execute("PRAGMA user_version = 7")
        for path in [other, alike, versioned] {
            for args in [["list", "--db", path], ["init", "--db", path]] {
                expect(
                    try s.run(args), 74,
                    "\(path) is an SQLite database of another program: name a database of mediate's own with --db.")
            }
        }
        let untouched = try Connection(path: alike, mode: .readOnly)
        #expect(try untouched.int("PRAGMA application_id") == 0 && untouched.int("PRAGMA user_version") == 1)
    }

    @Test(.enabled(if: Sandbox.onFile, "SQLite's file lock; the server's lock timeout: PostgreSQLTests"))
    func aDatabaseLockedByALongWriterIsReportedNotWaitedOnForever() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        let writer = try Connection(path: s.db, mode: .readWrite)
        try writer.execute("BEGIN IMMEDIATE")
        defer { try? writer.execute("ROLLBACK") }
        let r = try s.run(["note", n, "--text", "x"], env: ["MEDIATE_BUSY_TIMEOUT": "200"])
        expect(r, 74, "The database \(s.db) is locked by another writer for too long: try again in a moment.")
        try writer.execute("ROLLBACK")
        try s.ok("note", n, "--text", "x")
    }

    @Test func aReadOnlyDatabaseRefusesWritesWithExit74() throws {
        // Root ignores file permissions, so the file is opened read-only instead.
        let s = try Sandbox()
        try s.setUpStreet()
        let n = CaseNumber(Substring(try s.file()))!
        let store = try Store.open(at: s.db, readOnly: true)
        let error = #expect(throws: StoreError.self) {
            _ = try store.perform(
                .note(text: "x"), on: n, by: try store.actor("wang"), at: Int64.max / 2, entered: 0,
                machine: try store.machine())
        }
        #expect(error == .storage(.readOnly, path: s.db))
        do {
            _ = try store.perform(
                .note(text: "x"), on: n, by: try store.actor("wang"), at: Int64.max / 2, entered: 0,
                machine: try store.machine())
        } catch {
            let (message, status) = Say.failure(error, command: "note", .en)
            #expect(status == 74)
            #expect(message == "The database \(s.db) is read-only: check write permission on the file and its folder.")
        }
        #expect(try s.ok("show", n.description, "--format", "json").contains(#""version": 1"#))
    }

    @Test func outsidersAreRefusedEveryActionAndLeaveNoTrace() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        try s.ok("accept", n, as: "wang")
        let actions: [[String]] = [
            ["accept", n], ["assess", n, "--severity", "major", "--reason", "x"], ["escalate", n, "--reason", "x"],
            ["extend", n, "--until", "2026-12-01", "--reason", "x", "--consent"],
            ["resolve", n, "--agreement", "x", "--perform-by", "2026-10-30"], ["reopen", n, "--reason", "x"],
            ["close", n, "--note", "x", "--satisfaction", "satisfied", "--outcome", "performed"],
            ["refer", n, "--to", "court", "--reason", "x"],
            ["withdraw", n, "--reason", "x"], ["note", n, "--text", "x"],
        ]
        for action in actions {
            // zhao works in G03, under the other community.
            let r = try s.run(action, as: "zhao")
            #expect(r.status == 1, "\(action): \(r)")
        }
        // chen, a legal volunteer in C01, may note and close but nothing else.
        for action in actions where !["note", "close"].contains(action[0]) {
            #expect(try s.run(action, as: "chen").status == 1, "\(action)")
        }
        #expect(try s.ok("show", n, "--format", "json").contains(#""version": 2"#))
        #expect(try s.ok("verify").hasPrefix("Verified"))
        // Outsiders read cases masked; full phone and ID numbers only inside one's unit.
        #expect(try s.ok("show", n, as: "zhao").contains("138****0000"))
        #expect(try s.run(["show", n, "--reveal"], as: "zhao").status == 1)
        #expect(try s.ok("list", "--reveal", as: "zhao").contains("138****0000"))
        #expect(try s.run(["show", n, "--reveal"], as: "nobody").status == 1)
        #expect(try s.ok("show", n, "--reveal", as: "wang").contains("13800000000"))
    }

    @Test func aBrokenCSVRowIsNamedAndNothingIsImported() throws {
        let s = try Sandbox()
        try s.ok("init", "--admin", "admin")
        let good = s.dir.appendingPathComponent("good.csv")
        try "code,name,level,parent\nS1,东湖街道,street,\nC01,东湖社区,community,S1\nG01,\"东湖一网格, 北\",grid,C01\n"
            .write(to: good, atomically: true, encoding: .utf8)
        let bad = s.dir.appendingPathComponent("bad.csv")
        try "code,name,level,parent\nS2,西街道,street,\nC09,某社区,community,S2\nG09,网格,grid,C99\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        expect(
            try s.run(["units", "import", bad.path]), 65,
            "Line 4: parent unit C99 does not exist (list it on an earlier row); nothing was imported, fix it and try again."
        )
        let quote = s.dir.appendingPathComponent("quote.csv")
        try "S2,西街道,street\nC09,\"某社区,community,S2\n".write(to: quote, atomically: true, encoding: .utf8)
        expect(
            try s.run(["units", "import", quote.path]), 65,
            "Line 2: the quoted field starting on line 2 is never closed: add the missing closing quote; nothing was imported, fix it and try again."
        )
        expect(
            try s.run(["units", "import", quote.path, "--lang", "zh"]), 65,
            "第 2 行有误：从第 2 行开始的带引号字段没有结束：请补上结尾的引号；未导入任何内容，请改正后重试。")
        // What `unit add` refuses, import refuses too: here a C1 control (a terminal escape).
        let escape = s.dir.appendingPathComponent("escape.csv")
        try "S2,西街道,street\nC09,某\u{9B}31m社区,community,S2\n".write(to: escape, atomically: true, encoding: .utf8)
        expect(
            try s.run(["units", "import", escape.path]), 65,
            "Line 2: name: --name contains control characters or invalid UTF-8: use printable text only; nothing was imported, fix it and try again."
        )
        // Only a regular file is read: a device or a pipe would never end.
        expect(
            try s.run(["units", "import", "/dev/zero"]), 64,
            "/dev/zero is not a regular file: give the path of a CSV file. Run 'mediate units import --help' for usage."
        )
        #expect(try s.ok("unit", "list").contains("S2") == false)
        #expect(try s.ok("units", "import", good.path) == "Imported 3 units.\n")
        #expect(try s.ok("unit", "list").contains("东湖一网格, 北"))
    }
}

@Suite struct MaskingTests {
    @Test func phoneAndIDNumbersInAnyAcceptedFormAreMaskedWhenEchoed() {
        let masked = [
            ("13812345678", "138****5678"), ("138-1234-5678", "138******5678"), ("138 1234 5678", "138******5678"),
            ("+8613812345678", "+86*******5678"), ("010-87654321", "010*****4321"), ("02787654321", "027****4321"),
            ("11010519491231002x", "110***********002x"), ("110105194912310021", "110***********0021"),
            // Typed full-width, as a Chinese input method gives digits by default.
            ("１３８１２３４５６７８", "１３８****５６７８"), ("１３８－１２３４－５６７８", "１３８******５６７８"),
            ("＋８６１３８１２３４５６７８", "＋８６*******５６７８"), ("１３８　１２３４　５６７８", "１３８******５６７８"),
            ("１１０１０５１９４９１２３１００２Ｘ", "１１０***********００２Ｘ"), ("电话１３８１２３４５６７８", "电话１３８****５６７８"),
        ]
        for (typed, shown) in masked {
            #expect(Privacy.maskingNumbers("a " + typed + " b") == "a " + shown + " b", "\(typed)")
        }
        for kept in [
            "2026-0001", "0001-01-01", "2026-10-05T09:30:00+08:00", "1000000000", "12.345", "G03", "99", "２０２６年１０月",
            "五号楼１２０３室",
        ] {
            #expect(Privacy.maskingNumbers(kept) == kept)
        }
        // Masked before it is cut: the tail of a long value cannot leak the digits.
        #expect(
            echo(String(repeating: "a", count: 30) + "13812345678") == String(repeating: "a", count: 30) + "138****567…"
        )
    }
}
