import Foundation
import MediateCore
import Testing

@testable import MediateCLI
@testable import MediateStore

/// Records in and out, end to end: the lossless JSONL export and its restore, and
/// spreadsheet ledgers imported and exported.
@Suite struct RecordsTests {
    /// A street whose cases between them hold every kind of event, the follow-up of
    /// agreements (assigned, closed early with its performance, confirmed by a court,
    /// flagged late), a disabled person and recorded accesses.
    static func streetWithEveryKindOfEvent() throws -> Sandbox {
        let s = try Sandbox()
        try s.setUpStreet()
        let a = try s.file()
        try s.ok("accept", a, as: "wang")
        try s.ok("note", a, "--text", "已走访双方\n第二行", as: "wang")
        try s.ok("assess", a, "--category", "物业", "--reason", "实为物业问题", as: "wang")
        try s.ok("escalate", a, "--reason", "网格调解不成", as: "wang")
        try s.ok("extend", a, "--until", "2026-11-20", "--reason", "等待报价", "--consent", as: "li")
        try s.ok("accept", a, as: "li")
        try s.ok(
            "resolve", a, "--agreement", "物业三日内疏通", "--amount", "350.50", "--perform-by", "2026-10-10", as: "li")
        try s.ok("reopen", a, "--reason", "未履行", as: "li")
        try s.ok("resolve", a, "--agreement", "当日疏通", "--oral", "--perform-by", "2026-10-12", as: "li")
        try s.ok("assign", a, "--to", "chen", as: "li")
        try s.ok(
            "close", a, "--note", "回访已履行", "--satisfaction", "basic", "--outcome", "performed", "--early",
            "--reason", "物业已提前疏通", as: "chen")
        let b = try s.file(grid: "G03", as: "zhao")
        try s.ok("refer", b, "--to", "court", "--reason", "已起诉", as: "sun")
        let c = try s.file(grid: "G02", as: "admin")
        try s.ok("withdraw", c, "--reason", "当事人拒绝调解", as: "li")
        // A written agreement, assigned for follow-up and confirmed by a court; its
        // follow-up is then left more than a week late (the sweep flags it).
        let d = try s.file(grid: "G01", as: "wang")
        try s.ok("accept", d, as: "wang")
        try s.ok("resolve", d, "--agreement", "赔偿修车费", "--amount", "200", "--perform-by", "2026-10-15", as: "wang")
        try s.ok("assign", d, "--to", "chen", as: "li")
        try s.ok("confirm", d, "--applied", "2026-10-05", as: "li")
        try s.ok("confirm", d, "--ruling", "valid", as: "li")
        _ = try s.file(grid: "G01", severity: "major", as: "wang")
        try s.ok("show", a, "--reveal")  // an access, recorded
        try s.ok("backup", s.dir.appendingPathComponent("before-sweep.db").path)  // another
        s.now = "2026-10-20T10:00:00+08:00"
        try s.ok("sweep")  // overdue in the grid: escalated to the community
        s.now = "2026-11-25T10:00:00+08:00"
        try s.ok("sweep")
        try s.ok("policy", "set", "--level", "grid", "--days", "10")
        try s.ok("person", "disable", "--login", "sun", "--reason", "调离")
        return s
    }

    @Test func anExportRestoresIntoANewDatabaseAndExportsAgainByteForByte() throws {
        let s = try Self.streetWithEveryKindOfEvent()
        // The chain as the export finds it (the export itself is recorded after it).
        let verified = try s.ok("verify")
        let first = try s.run(["export", "--format", "jsonl"])
        #expect(first.status == 0 && first.stderr == "", "\(first)")
        let lines = first.stdout.split(separator: "\n")
        #expect(lines[0].contains("本文件含当事人姓名、电话、身份证号等个人信息") && lines[0].contains("personal data"))
        for kind in [
            "file", "accept", "note", "assess", "escalate", "extend", "resolve", "reopen", "close", "refer",
            "withdraw", "supervise", "assign", "confirm", "person.disable", "access.reveal", "access.backup",
        ] {
            #expect(first.stdout.contains(#""action":"\#(kind)""#), "the export lacks \(kind)")
        }
        // The follow-up columns of the case rows, who ran each command, the disabled person.
        for field in [
            #""performance":"performed""#, #""early":"物业已提前疏通""#, #""follow_up_by":"chen""#,
            #""agreement_form":"written""#, #""confirm_applied":"2026-10-05""#, #""confirm_ruling":"valid""#,
            #""cause":"follow_up_overdue""#, #""os_login":"\#(s.osLogin ?? "")""#, #""disabled_at":"2026-"#,
        ] {
            #expect(first.stdout.contains(field), "the export lacks \(field)")
        }
        // Phones in full: an export is a backup, not a listing.
        #expect(first.stdout.contains("13800000000"))
        let file = s.dir.appendingPathComponent("all.jsonl").path
        try first.stdout.write(toFile: file, atomically: true, encoding: .utf8)

        let copy = s.dir.appendingPathComponent("copy.db").path
        let restored = try s.run(["import", "jsonl", file, "--db", copy])
        #expect(restored.status == 0 && restored.stdout.contains("5 cases"), "\(restored)")
        #expect(try s.ok("verify", "--db", copy) == verified)
        let again = try s.run(["export", "--format", "jsonl", "--db", copy])
        #expect(again.stdout == first.stdout)
        for number in ["2026-0001", "2026-0004"] {
            #expect(try s.ok("show", number, "--db", copy) == (try s.ok("show", number)))
        }
        #expect(try s.ok("followups", "--db", copy) == (try s.ok("followups")))
        #expect(try s.ok("person", "list", "--db", copy) == (try s.ok("person", "list")))
        // The export is an access of its own, recorded after it was written (so the file
        // does not hold it); the copy's export was recorded in the copy.
        #expect(!first.stdout.contains("access.export"))
        for db in [s.db, copy] {
            let audit = try s.ok("audit", "--format", "json", "--db", db)
            #expect(audit.contains(#""access": "export""#) && audit.contains(#""target": "-""#), "\(audit)")
        }
        let csv = try s.run(["export", "--format", "csv", "--output", s.dir.appendingPathComponent("l.csv").path])
        #expect(csv.status == 0, "\(csv)")
        #expect(try s.ok("audit", "--format", "json").contains("l.csv"))
        // An export of a database that holds exports restores the same bytes too.
        let second = try s.ok("export", "--format", "jsonl")
        #expect(second.contains(#""action":"access.export""#))
        let file2 = s.dir.appendingPathComponent("all2.jsonl").path
        try second.write(toFile: file2, atomically: true, encoding: .utf8)
        let copy2 = s.dir.appendingPathComponent("copy2.db").path
        try s.ok("import", "jsonl", file2, "--db", copy2)
        #expect(try s.ok("export", "--format", "jsonl", "--db", copy2) == second)
    }

    @Test func theDemoStreetRoundTrips() throws {
        let s = try Sandbox()
        let demo = try s.ok("demo", "--dir", s.dir.path, "--cases", "80", "--quiet").trimmingCharacters(in: .newlines)
        let out = s.dir.appendingPathComponent("demo.jsonl").path
        try s.ok("export", "--format", "jsonl", "--db", demo, "--output", out)
        let copy = s.dir.appendingPathComponent("copy.db").path
        try s.ok("import", "jsonl", out, "--db", copy)
        let again = s.dir.appendingPathComponent("again.jsonl").path
        try s.ok("export", "--format", "jsonl", "--db", copy, "--output", again)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == (try Data(contentsOf: URL(fileURLWithPath: again))))
        #expect(try s.ok("verify", "--db", copy).hasPrefix("Verified"))
    }

    /// An export reads a page of cases' parties and events by two range scans: each case
    /// comes out as `requireCase` and `events(of:)` read it alone, on both sides of a
    /// page's edge (500 cases), and a case whose history lost its filing stops the export
    /// as it stops `show`.
    @Test func anExportReadsEveryCaseAsItsOwnReadsDoAcrossAPagesEdge() throws {
        let s = try Sandbox()
        let demo = try s.ok("demo", "--dir", s.dir.path, "--cases", "520", "--quiet").trimmingCharacters(in: .newlines)
        let store = try Store.open(at: demo)
        var cases: [(Case, [Store.StoredEvent])] = []
        let cursor = try store.records()
        while let record = try cursor.next() {
            if case .kase(let k, let events) = record { cases.append((k, events)) }
        }
        try cursor.finish()
        #expect(cases.count == 520)
        #expect(cases.map(\.0.id) == cases.map(\.0.id).sorted())
        func same(_ a: Store.StoredEvent, _ b: Store.StoredEvent) -> Bool {
            a.id == b.id && a.event == b.event && a.enteredAt == b.enteredAt && a.hash == b.hash
                && a.osLogin == b.osLogin && a.storedDetail.map { $0.map { [$0.0, $0.1] } }
                    == b.storedDetail.map { $0.map { [$0.0, $0.1] } }
        }
        for (k, events) in cases {
            #expect(try store.requireCase(k.number) == k)
            let own = try store.events(of: k.id)
            #expect(own.count == events.count && zip(own, events).allSatisfy(same), "\(k.number)")
        }
        #expect(cases.contains { $0.0.parties.count > 1 } && cases.contains { $0.1.count > 3 })
        guard Sandbox.onFile else { return }
        // The filing of a case on the second page taken out behind mediate's back.
        let victim = cases[510].0
        try Connection(path: demo, mode: .readWrite).execute(
            "DROP TRIGGER event_no_delete; DELETE FROM event WHERE case_id = \(victim.id) AND case_seq = 1")
        let edited = try Store.open(at: demo)
        #expect(throws: StoreError.storage(.corrupt, path: demo)) { try edited.events(of: victim.id) }
        #expect(throws: StoreError.storage(.corrupt, path: demo)) { try edited.exportRecords { _ in } }
    }

    @Test func casesInAnyOrderRestoreTheSameChainAndAMissingOneRestoresNothing() throws {
        let s = try Sandbox()
        let demo = try s.ok("demo", "--dir", s.dir.path, "--cases", "40", "--quiet").trimmingCharacters(in: .newlines)
        let text = try s.ok("export", "--format", "jsonl", "--db", demo)
        var lines = text.split(separator: "\n").map(String.init)
        let cases = lines.indices.filter { lines[$0].hasPrefix(#"{"kind":"case""#) }
        #expect(cases.count == 40)
        // The cases backwards: each link of the chain is checked whichever end comes first.
        let backwards = cases.map { lines[$0] }.reversed()
        for (i, line) in zip(cases, backwards) { lines[i] = line }
        let file = s.dir.appendingPathComponent("backwards.jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let copy = s.dir.appendingPathComponent("copy.db").path
        try s.ok("import", "jsonl", file, "--db", copy)
        #expect(try s.ok("export", "--format", "jsonl", "--db", copy) == text)
        // A case left out: its events leave a gap in the chain.
        lines.remove(at: cases[20])
        let cut = s.dir.appendingPathComponent("cut.jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: cut, atomically: true, encoding: .utf8)
        let gap = try s.run(["import", "jsonl", cut, "--db", s.dir.appendingPathComponent("gap.db").path])
        #expect(gap.status == 65 && gap.stderr.contains("the chain misses or repeats event"), "\(gap)")
        #expect(!FileManager.default.fileExists(atPath: s.dir.appendingPathComponent("gap.db").path))
    }

    @Test func anEditedOrCutExportRestoresNothing() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        _ = try s.file()
        let text = try s.ok("export", "--format", "jsonl")
        let copy = s.dir.appendingPathComponent("copy.db").path
        func restore(_ body: String) throws -> Sandbox.Run {
            let file = s.dir.appendingPathComponent("x.jsonl").path
            try body.write(toFile: file, atomically: true, encoding: .utf8)
            return try s.run(["import", "jsonl", file, "--db", copy])
        }
        let edited = try restore(text.replacingOccurrences(of: "单车棚被邻居上锁", with: "单车棚"))
        #expect(edited.status == 65 && edited.stderr.contains("the file was edited"), "\(edited)")
        #expect(!FileManager.default.fileExists(atPath: copy))
        // Who ran a command is covered by the hash; a person disabled only by the file's
        // say, without the chain's `person.disable`, is refused too.
        let otherUser = try restore(text.replacingOccurrences(of: #""os_login":"root""#, with: #""os_login":"wang""#))
        #expect(otherUser.status == 65 && otherUser.stderr.contains("the file was edited"), "\(otherUser)")
        guard let firstPerson = text.range(of: #""disabled_at":null"#) else {
            Issue.record("no person line")
            return
        }
        let disabled = try restore(
            text.replacingCharacters(in: firstPerson, with: #""disabled_at":"2026-10-05T09:30:00+08:00""#))
        #expect(disabled.status == 65 && disabled.stderr.contains("disabled_at"), "\(disabled)")
        #expect(!FileManager.default.fileExists(atPath: copy))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let cut = try restore(lines.prefix(lines.count - 2).joined(separator: "\n") + "\n")
        #expect(cut.status == 65 && cut.stderr.contains("incomplete"), "\(cut)")
        #expect(!FileManager.default.fileExists(atPath: copy))
        let junk = try restore("hello\n")
        #expect(junk.status == 65 && junk.stderr.hasPrefix("Line 1 is not one JSON object"), "\(junk)")
        // Never into a database that exists.
        let over = try s.run(["import", "jsonl", s.dir.appendingPathComponent("x.jsonl").path])
        #expect(over.status == 1 && over.stderr.contains("restores into a new database only"), "\(over)")
    }

    @Test func onlyAnAdminExportsAndTheCSVSaysItHoldsPersonalData() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        _ = try s.file()
        let refused = try s.run(["export", "--format", "jsonl"], as: "li")
        #expect(refused.status == 1 && refused.stderr.hasPrefix("Only an admin may export records"), "\(refused)")
        #expect(refused.stdout == "")
        let csv = try s.run(["export", "--format", "csv"], lang: "zh_CN.UTF-8")
        #expect(csv.status == 0)
        #expect(csv.stderr.contains("含当事人个人信息"))
        #expect(
            csv.stdout.hasPrefix(
                "序号,登记日期,网格,当事人,申请人,被申请人,联系电话,纠纷类型,纠纷来源,纠纷等级,纠纷简要情况,调解结果,调解员,结案日期,协议金额,协议形式,履行期限,回访情况\r\n"))
        #expect(csv.stdout.contains("2026-0001,2026-10-05,G01,,张三,李四,13800000000,邻里,网格排查,一般,单车棚被邻居上锁,未结,"))
        let missing = try s.run(["export"])
        #expect(missing.status == 64, "\(missing)")
    }

    /// A ledger as a spreadsheet saves it: BOM, CRLF, a quoted newline, Chinese headers,
    /// every date form, a serial number.
    static let ledger =
        "\u{FEFF}序号,受理日期,所属网格,申请人,被申请人,联系电话,纠纷类型,纠纷来源,基本情况,调解结果,调解员,结案日期,协议金额,协议形式,回访情况\r\n"
        + "1,2025/3/5,东湖一网格,张三,李四,13800000000,邻里纠纷,网格排查,\"楼上漏水\r\n影响楼下\",调解成功,李明,2025年3月10日,\"1,200元\",书面,已履行\r\n"
        + "2,45735,G01,王五,,,物业,12345,停车位纠纷,未结,,,,,\r\n"
        + "3,2025.4.1,G03,赵六,钱七,,婚姻家庭,当事人申请,家庭矛盾,移交法院,,2025-04-05,,,\r\n"
        + "4,2025-04-02,G02,孙八,,,合同,,欠款,调解不成功,,2025-04-09,,,\r\n"

    @Test func aLedgerBecomesCasesOnItsDatesOnceOnly() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let file = s.dir.appendingPathComponent("东湖台账.csv").path
        try Self.ledger.write(toFile: file, atomically: true, encoding: .utf8)
        let dry = try s.ok("import", "ledger", file, "--dry-run")
        // Its 回访情况 says the agreement was performed: the follow-up is done, the case closed.
        #expect(dry.contains("Line 2 (序号 1): would create a case of 2025-03-05 at G01, closed, parties 张三, 李四"))
        #expect(dry.contains("Line 4 (序号 2): would create a case of 2025-03-19 at G01, open"))
        #expect(dry.hasSuffix("4 cases to create, 0 rows imported before, 0 problems. Nothing was written.\n"))
        #expect(try s.ok("list").contains("No case"))

        let done = try s.ok("import", "ledger", file)
        #expect(done == "Imported 4 cases from 东湖台账.csv (2025-0001 to 2025-0004).\n")
        let shown = try s.ok("show", "2025-0001")
        #expect(shown.contains("Imported from a ledger: 东湖台账.csv line 2 (序号 1), entered "))
        #expect(shown.contains("Summary: 楼上漏水\n影响楼下"))
        #expect(shown.contains("filed 2025-03-05 00:00 · resolved 2025-03-10 00:00"))
        #expect(shown.contains("Mediator: 李明 (li)"))
        #expect(shown.contains("amount 1200.00"))
        let json = try s.ok("show", "2025-0001", "--format", "json")
        #expect(json.contains(#""imported": {"#) && json.contains(#""key": "1""#))
        #expect(try s.ok("show", "2025-0003").contains("to court: 移交法院"))
        #expect(try s.ok("show", "2025-0004").contains("withdrawn"))
        #expect(try s.ok("show", "2025-0002").contains("· open"))

        let again = try s.ok("import", "ledger", file)
        #expect(again == "All 4 rows of 东湖台账.csv were imported before: no case was created this time.\n")
        #expect(try s.ok("list", "--all").contains("4 cases"))
        #expect(try s.ok("verify").hasPrefix("Verified"))
    }

    @Test func aLedgerImportAnswersInJSONAndARepeatedRowIsNamedThoughImportedBefore() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let file = s.dir.appendingPathComponent("台账.csv").path
        try Self.ledger.write(toFile: file, atomically: true, encoding: .utf8)
        // The answer is streamed as the numbers are read back: the bytes `printJSON` prints.
        func answer(_ created: [String], skipped: Int) -> String {
            JSON.object([
                ("file", .string("台账.csv")), ("created", .array(created.map(JSON.string))),
                ("already_imported", .int(Int64(skipped))),
            ]).pretty() + "\n"
        }
        let first = try s.ok("import", "ledger", file, "--format", "json")
        #expect(first == answer(["2025-0001", "2025-0002", "2025-0003", "2025-0004"], skipped: 0))
        // A new row, then 序号 1 again: imported before, yet repeated in this file.
        try (Self.ledger + "5,2025-05-01,G01,周九,,,邻里,,噪音,未结,,,,,\r\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try s.ok("import", "ledger", file, "--format", "json") == answer(["2025-0005"], skipped: 4))
        #expect(try s.ok("import", "ledger", file, "--format", "json") == answer([], skipped: 5))
        try (Self.ledger + "1,2025-05-02,G01,吴十,,,邻里,,又是序号1,未结,,,,,\r\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let repeated = try s.run(["import", "ledger", file])
        #expect(repeated.status == 65 && repeated.stderr.contains("序号 1 repeats line 2"), "\(repeated)")
        let dry = try s.run(["import", "ledger", file, "--dry-run"])
        #expect(dry.status == 65 && dry.stdout.contains("Line 7, column 序号: 序号 1 repeats line 2"), "\(dry)")
        #expect(dry.stdout.contains("0 cases to create, 4 rows imported before, 1 problems"), "\(dry)")
        // A new row twice: the first is written when the second is read, and named by its line.
        try (Self.ledger + "6,2025-05-03,G01,郑一,,,邻里,,新的一行,未结,,,,,\r\n" + "6,2025-05-04,G01,王二,,,邻里,,又是6,未结,,,,,\r\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let twice = try s.run(["import", "ledger", file])
        #expect(twice.status == 65 && twice.stderr.contains("序号 6 repeats line 7"), "\(twice)")
        #expect(try s.ok("list", "--all").contains("5 cases"))
    }

    @Test func aGB18030LedgerIsDetectedAndAMapNamesOtherColumns() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let text =
            "编号,收案日期,网格,当事人,联系电话,纠纷类型,简要情况,调解结果,结案日期\n7,2025-05-06,G01,周九、吴十,13900000000、13700000000,邻里,噪音,调解成功,2025-05-08\n"
        let bytes = try #require(try Iconv(from: "UTF-8", to: "GB18030").convert(Array(text.utf8)))
        #expect(String(validating: bytes, as: UTF8.self) == nil)
        let file = s.dir.appendingPathComponent("gb.csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let notAdmin = try s.run(["import", "ledger", file], as: "li")
        #expect(notAdmin.status == 1 && notAdmin.stderr.hasPrefix("Only an admin may import a ledger"), "\(notAdmin)")
        let missing = try s.run(["import", "ledger", file])
        #expect(missing.status == 65 && missing.stderr.contains("the header has no column 登记日期"), "\(missing)")
        try s.ok("import", "ledger", file, "--map", "登记日期=收案日期")
        let shown = try s.ok("show", "2025-0001", "--reveal")
        #expect(shown.contains("Party: 周九 (applicant)  13900000000"))
        #expect(shown.contains("Party: 吴十 (respondent)  13700000000"))
    }

    @Test func aBadRowStopsItAllWithItsLineColumnAndReasonAndADryRunListsEveryProblem() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let text =
            "序号,登记日期,网格,当事人,纠纷类型,纠纷简要情况,调解结果,结案日期\n"
            + "1,2025-01-02,G01,甲,邻里,好的一行,未结,\n"
            + "2,2025-13-01,G01,乙,邻里,x,未结,\n"
            + "3,2025-01-05,G09,丙,火星,y,调解成功,\n"
            + "3,2025-01-06,G01,丁,邻里,z,未结,\n"
        let file = s.dir.appendingPathComponent("bad.csv").path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try s.run(["import", "ledger", file], lang: "zh_CN.UTF-8")
        #expect(r.status == 65)
        #expect(r.stderr == "第 3 行「登记日期」列：'2025-13-01' 不是日期：请写 2026-10-05、2026/10/5、2026.10.5、2026年10月5日或表格的日期。\n")
        #expect(try s.ok("list").contains("No case"))
        let dry = try s.run(["import", "ledger", file, "--dry-run"])
        #expect(dry.status == 65)
        for expected in [
            "Line 3, column 登记日期: '2025-13-01' is not a date",
            "Line 4, column 网格: no grid 'G09'",
            "Line 4, column 纠纷类型: '火星' is not one of",
            "Line 4, column 结案日期: a resolved row needs its 结案日期",
            "Line 5, column 序号: 序号 3 repeats line 4",
            "1 cases to create, 0 rows imported before, 5 problems",
        ] {
            #expect(dry.stdout.contains(expected), "dry run lacks \(expected): \(dry.stdout)")
        }
        #expect(try s.ok("list").contains("No case"))
    }

    @Test func aLedgerExportedAsCSVComesBackTheSame() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let file = s.dir.appendingPathComponent("台账.csv").path
        try Self.ledger.write(toFile: file, atomically: true, encoding: .utf8)
        try s.ok("import", "ledger", file)
        let out = s.dir.appendingPathComponent("out.csv").path
        let exported = try s.run(["export", "--format", "csv", "--encoding", "gb18030", "--output", out])
        #expect(exported.status == 0, "\(exported)")

        let t = try Sandbox()
        try t.setUpStreet()
        try t.ok("import", "ledger", out)
        let first = try s.run(["export", "--format", "csv", "--bom"]).stdout
        let second = try t.run(["export", "--format", "csv", "--bom"]).stdout
        #expect(first.hasPrefix("\u{FEFF}序号,"))
        #expect(first == second)
    }
}

/// An event an older mediate stored in another form (a sweep's `reason: overdue`, before
/// the codes) is exported with its stored detail, so that the copy's chain still holds.
@Suite struct OlderEventsExportTests {
    @Test func anOlderSweepEventRoundTrips() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        let store = try Store.open(at: s.db)
        let k = try store.requireCase(CaseNumber(Substring(n))!)
        let at = k.dueAt + 3600
        let event = Event(caseSeq: 2, actor: Actor.system.login, effectiveAt: at, change: .supervised(reason: .overdue))
        let after = k.applying(event)
        let db = try Connection(path: s.db, mode: .readWrite)
        try db.transaction {
            try Chain.append(
                db,
                EventRow(
                    caseID: k.id, caseSeq: 2, action: "supervise", actor: Actor.system.login, effectiveAt: at,
                    enteredAt: at, snapshot: after, breach: 0, detail: [("reason", "overdue")]))
            try db.run(
                "UPDATE dispute SET supervised_at = ?, version = 2, last_event_at = ? WHERE id = ?",
                [.int(at), .int(at), .int(k.id)])
        }
        s.now = nil
        #expect(try s.ok("verify").hasPrefix("Verified"))
        let text = try s.ok("export", "--format", "jsonl")
        #expect(text.contains(#""stored_detail":{"reason":"overdue"}"#))
        let file = s.dir.appendingPathComponent("old.jsonl").path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let copy = s.dir.appendingPathComponent("copy.db").path
        try s.ok("import", "jsonl", file, "--db", copy)
        #expect(try s.ok("export", "--format", "jsonl", "--db", copy) == text)
        #expect(try s.ok("verify", "--db", copy).hasPrefix("Verified"))
    }
}

/// A ledger that changes between the check and the write writes nothing.
@Suite struct LedgerAllOrNothingTests {
    @Test func aRowThatFailsDuringTheWriteRollsEveryRowBack() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let store = try Store.open(at: s.db)
        let machine = try store.machine()
        let admin = try store.actor("admin")
        let grid = try #require(machine.organisation.unit(code: "G01"))
        let at = machine.zone.instant(Day(year: 2025, month: 3, day: 5)!)
        func entry(_ key: String) -> LedgerEntry {
            LedgerEntry(
                filing: Filing(
                    number: CaseNumber(year: 2025, serial: 1), unitID: grid.id, severity: "minor",
                    category: "neighbour",
                    source: "patrol", sourceRef: nil, summary: "漏水", parties: [Party(name: "张三", role: "applicant")],
                    origin: Origin(file: "l.csv", key: key, line: 2)),
                filedAt: at, mediator: nil, outcome: .open, endedAt: at, note: nil)
        }
        var given = 0
        #expect(throws: StoreError.records(RecordFault(line: 3, .fileChanged))) {
            try store.importLedger(
                {
                    given += 1
                    if given == 3 { throw RecordFault(line: 3, .fileChanged) }
                    return entry(String(given))
                }, by: admin, entered: at + 10, machine: machine)
        }
        #expect(try store.importedKeys(of: "l.csv").isEmpty)
        #expect(try s.ok("list").contains("No case"))
    }
}

/// The bulk path (demo, ledger import) writes what the same actions, one at a time,
/// write: the same cases, the same events, the same chain.
@Suite struct BulkTests {
    /// One script of actions for several cases, run by `act` (file, then actions on it).
    struct Script {
        let machine: Machine
        let wang, li, sun: Actor
        let start: Int64

        init(_ store: Store) throws {
            machine = try store.machine()
            wang = try store.actor("wang")
            li = try store.actor("li")
            sun = try store.actor("sun")
            start = machine.zone.instant(Day(year: 2026, month: 3, day: 2)!)
        }

        func filing(_ i: Int, severity: String) -> (CaseNumber) -> Filing {
            { number in
                Filing(
                    number: number, unitID: machine.organisation.unit(code: "G01")!.id, severity: severity,
                    category: "neighbour", source: i % 2 == 0 ? "patrol" : "hotline",
                    sourceRef: i % 2 == 0 ? nil : "12345-\(i)", summary: "楼上漏水 \(i)",
                    parties: [
                        Party(name: "张三", role: "applicant", phone: "13800000000"),
                        Party(name: "李四", role: "respondent"),
                    ])
            }
        }

        /// Every case: filed, accepted; then resolved and closed, escalated and referred,
        /// or left mediating, by turns.
        func run(
            file: (_ make: (CaseNumber) -> Filing, _ by: Actor, _ at: Int64) throws -> Void,
            act: (_ action: Action, _ by: Actor, _ at: Int64) throws -> Void
        ) throws {
            for i in 0..<12 {
                let t = start + Int64(i) * 86_400
                try file(filing(i, severity: i % 3 == 1 ? "major" : "minor"), wang, t)
                try act(.accept(mediator: wang), wang, t + 3600)
                switch i % 3 {
                case 0:
                    let due = machine.zone.day(t + 5 * 86_400)
                    try act(
                        .resolve(
                            Agreement(
                                terms: "赔偿 500 元", oral: false, amountFen: 50_000, performBy: due.description,
                                followUpAt: machine.zone.endOfDay(due))), wang, t + 7200)
                    try act(
                        .close(note: "已履行", satisfaction: .satisfied, performance: .performed, early: nil), li,
                        t + 8 * 86_400)
                case 1:
                    try act(.escalate(reason: "涉及多户"), wang, t + 7200)
                    try act(.accept(mediator: li), li, t + 10_800)
                    try act(.refer(to: .court, reason: "调解不成"), li, t + 2 * 86_400)
                default:
                    try act(.note(text: "已走访"), wang, t + 7200)
                }
            }
        }
    }

    @Test func aBulkRunWritesTheSameChainAsActionsOneByOne() throws {
        let one = try Sandbox()
        try one.setUpStreet()
        let bulk = try Sandbox()
        try bulk.setUpStreet()

        let a = try Store.open(at: one.db)
        let script = try Script(a)
        var number: CaseNumber? = nil
        try script.run(
            file: { make, by, at in
                number = try a.file(make, by: by, at: at, entered: at, machine: script.machine).number
            },
            act: { action, by, at in
                _ = try a.perform(action, on: number!, by: by, at: at, entered: at, machine: script.machine)
            })

        let b = try Store.open(at: bulk.db)
        try b.bulk(machine: script.machine) { writer in
            try script.run(
                file: { make, by, at in try writer.file(make, by: by, at: at, entered: at) },
                act: { action, by, at in try writer.perform(action, by: by, at: at, entered: at) })
        }

        let head = try a.chainHead()
        #expect(head.events > 12 * 3)
        #expect(try b.chainHead().events == head.events)
        #expect(try b.chainHead().hash == head.hash)
        for s in [one, bulk] {
            #expect(try s.ok("verify").hasPrefix("Verified"))
        }
        #expect(try bulk.ok("list", "--all", "--format", "csv") == (try one.ok("list", "--all", "--format", "csv")))
        #expect(
            try bulk.ok("report", "--month", "2026-03", "--format", "json")
                == (try one.ok("report", "--month", "2026-03", "--format", "json")))
    }

    @Test func aRefusedActionInABulkRunIsThrownAndLeavesTheCaseAsItWas() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let store = try Store.open(at: s.db)
        let script = try Script(store)
        let t = script.start
        let filed = try store.bulk(machine: script.machine) { writer in
            let filed = try writer.file(script.filing(0, severity: "minor"), by: script.wang, at: t, entered: t)
            // Closing an open case: the machine refuses, and the case goes on as it was.
            #expect(throws: StoreError.self) {
                try writer.perform(
                    .close(note: "x", satisfaction: .satisfied, performance: .performed, early: nil), by: script.wang,
                    at: t + 60, entered: t + 60)
            }
            try writer.perform(.accept(mediator: script.wang), by: script.wang, at: t + 120, entered: t + 120)
            return filed
        }
        #expect(try s.ok("verify").hasPrefix("Verified"))
        let kase = try store.requireCase(filed.number)
        #expect(kase.state == .mediating && kase.version == 2 && kase.id == filed.id)
    }

    @Test func aBulkRunThatFailsWritesNothing() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let store = try Store.open(at: s.db)
        let script = try Script(store)
        let before = try store.chainHead()
        struct Stop: Error {}
        #expect(throws: StoreError.self) {
            try store.bulk(machine: script.machine) { writer in
                try script.run(
                    file: { make, by, at in try writer.file(make, by: by, at: at, entered: at) },
                    act: { action, by, at in
                        try writer.perform(action, by: by, at: at, entered: at)
                        if case .refer = action { throw Stop() }
                    })
            }
        }
        #expect(try store.chainHead().events == before.events)
        #expect(try s.ok("list", "--all").contains("No case"))
        #expect(try s.ok("verify").hasPrefix("Verified"))
    }
}

/// The restore's quick reading of an export's times agrees with the long one.
@Suite struct ExportedTimeTests {
    @Test(arguments: [
        "2026-10-05T09:30:00+08:00", "2026-10-05T09:30:00Z", "1999-12-31T23:59:59-05:30", "2024-02-29T00:00:00+14:00",
        "2025-02-29T00:00:00+08:00", "2026-10-05T24:00:00+08:00", "2026-10-05T09:30:00+14:01",
        "2026-10-05 09:30:00+08:00",
        "2026-10-05T09:30:00+0800", "2026-1O-05T09:30:00+08:00", "0000-01-01T00:00:00Z",
    ])
    func readsAsLocalTimeDoes(_ text: String) {
        let long = LocalTime.parse(text).flatMap { $0.offset == nil ? nil : $0.instant(in: .utc) }
        // The quick reading gives the same instant, or leaves the text to the long one.
        if let quick = RecordCodec.exportedInstant(text) { #expect(quick == long) }
        // Every valid time in the form an export writes is read the quick way.
        if text.count == 25 && text.contains("T") && text.hasSuffix("+08:00") && long != nil {
            #expect(RecordCodec.exportedInstant(text) != nil)
        }
    }
}
