import Foundation
import Testing

/// End to end: the command line, as a mediator would use it.
@Suite struct CaseLifeTests {
    @Test func aCaseGoesThroughEveryStateAndShowsItsTimeline() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        #expect(n == "2026-0001")
        try s.ok("accept", n, as: "wang")
        try s.ok("note", n, "--text", "已走访双方", as: "wang")
        try s.ok("assess", n, "--category", "物业", "--reason", "实为物业管理问题", as: "wang")
        let escalated = try s.ok("escalate", n, "--reason", "双方不接受网格调解", as: "wang")
        #expect(
            escalated == """
                Case 2026-0001: escalate done; now open at C01 东湖社区.
                Note: this severity belongs at the grid level; leaving the grid is recorded as a breach of the rule.

                """)
        try s.ok("extend", n, "--until", "2026-11-20", "--reason", "等待维修报价", "--consent", as: "li")
        try s.ok("accept", n, as: "li")
        try s.ok(
            "resolve", n, "--agreement", "物业三日内疏通，业主承担一半费用", "--amount", "350.50", "--perform-by", "2026-10-10",
            as: "li")
        try s.ok("reopen", n, "--reason", "物业未按期疏通", as: "li")
        try s.ok("resolve", n, "--agreement", "物业当日疏通", "--oral", "--perform-by", "2026-10-12", as: "li")
        s.now = "2026-10-12T16:00:00+08:00"  // the follow-up, on the perform-by day
        try s.ok("close", n, "--note", "回访已履行", "--satisfaction", "basic", "--outcome", "performed", as: "chen")

        let shown = try s.ok("show", n)
        #expect(shown.contains("Case 2026-0001  property management · minor · closed"))
        #expect(shown.contains("Origin: G01 东湖一网格    now at: C01 东湖社区 (community)"))
        #expect(shown.contains("Party: 张三 (applicant)  138****0000"))
        #expect(shown.contains("Breaches of the rule: 1"))
        for step in ["file", "accept", "note", "assess", "escalate", "extend", "resolve", "reopen", "close"] {
            #expect(shown.contains("  \(step)  "), "timeline lacks \(step)")
        }
        #expect(shown.contains("mediating → resolved"))
        #expect(shown.contains("written agreement: 物业三日内疏通，业主承担一半费用; amount 350.50; perform by 2026-10-10"))

        let zh = try s.run(["show", n, "--lang", "zh"])
        #expect(zh.stdout.contains("案件 2026-0001  物业 · 一般 · 已结案"))
        #expect(zh.stdout.contains("调解中 → 已调解成功"))
        let zhLocale = try s.run(["show", n], lang: "zh_CN.UTF-8")
        #expect(zhLocale.stdout == zh.stdout)

        let verified = try s.ok("verify")
        #expect(verified.hasPrefix("Verified: the hash chain over"))
    }

    @Test func fileReadsALongSummaryFromStandardInputAndPrintsJSON() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        // A process run: a long multi-line summary through a real pipe, read by main.swift
        // until the end of the input.
        let long = String(repeating: "楼上漏水导致楼下天花板发霉。", count: 50) + "\n第二段。"
        let out = try s.ok(
            "file", "--grid", "G01", "--category", "neighbour", "--severity", "minor", "--source", "hotline",
            "--ref", "12345-0001", "--summary", "-", "--party", "张三,applicant,13800000000,11010519491231002X,东湖路1号",
            "--format", "json", as: "wang", stdin: long, process: true)
        #expect(out.contains(#""number": "2026-0001""#))
        #expect(out.contains(#""source_ref": "12345-0001""#))
        #expect(out.contains(#""phone": "138****0000""#))
        #expect(out.contains(#""id_number": "110***********002X""#))
        let json = try s.ok("show", "2026-0001", "--format", "json", "--reveal")
        #expect(json.contains(#""phone": "13800000000""#))
        #expect(json.contains("第二段。"))
    }

    @Test func listFiltersByStateUnitAndOverdueAndMasksPhones() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let a = try s.file(grid: "G01")
        let b = try s.file(grid: "G03", as: "zhao")
        try s.ok("accept", b, as: "zhao")
        let inC01 = try s.ok("list", "--unit", "C01")
        #expect(inC01.contains(a) && !inC01.contains(b))
        #expect(inC01.contains("张三 138****0000"))
        #expect(try s.ok("list", "--unit", "C01", "--reveal").contains("张三 13800000000"))
        // Global options may also come before the command.
        #expect(try s.ok("--lang", "zh", "list", "--unit", "C01").hasPrefix("编号"))
        let mediating = try s.ok("list", "--state", "mediating")
        #expect(mediating.contains(b) && !mediating.contains(a))
        s.now = "2026-10-13T10:00:00+08:00"  // past the 7-day grid limit
        let overdue = try s.ok("list", "--overdue", "--format", "json")
        #expect(overdue.contains(a) && overdue.contains(b))
        #expect(try s.ok("list", "--overdue", "--assignee", "zhao").contains(b))
    }

    @Test func adminsChangePolicyAndEveryChangeIsAudited() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        try s.ok("policy", "set", "--level", "grid", "--days", "10")
        try s.ok("policy", "set", "--severity", "minor", "--ceiling", "community")
        try s.ok("policy", "set", "--add-category", "pets", "--zh", "宠物", "--en", "pets")
        let refused = try s.run(["policy", "set", "--level", "grid", "--days", "3"], as: "li")
        #expect(refused.status == 1)
        #expect(refused.stderr == "Only an admin sets up units, people and policy: ask an admin.\n")
        let shown = try s.ok("policy", "show")
        #expect(shown.contains("grid       网格                 10"))
        #expect(shown.contains("minor     一般  community"))
        #expect(shown.contains("pets 宠物"))
        #expect(shown.contains("admin  time limit at the grid level: 7 days → 10 days"))
        #expect(try s.ok("policy", "show", "--lang", "zh").contains("admin  网格时限 7 天 → 10 天"))
        // The new limit and ceiling apply: due in 10 days, and escalating a minor case is no breach.
        let n = try s.file(category: "宠物")
        #expect(try s.ok("show", n).contains("filed 2026-10-05 09:30 · due 2026-10-15 09:30"))
        #expect(
            try s.ok("escalate", n, "--reason", "上报", as: "wang") == "Case \(n): escalate done; now open at C01 东湖社区.\n"
        )
    }

    @Test func aDatabaseIsCreatedOnceAndInitSaysSo() throws {
        let s = try Sandbox()
        try s.ok("init", "--admin", "admin")
        let again = try s.run(["init", "--admin", "other"])
        #expect(again.status == 1)
        #expect(again.stderr == "\(s.db) is already a database (schema version 15); nothing was changed.\n")
        #expect(try s.run(["person", "list"]).stdout.contains("admin") == true)
        #expect(try s.run(["person", "list"]).stdout.contains("other") == false)
    }

    @Test func theDemoBuildsAStreetThatVerifiesAndShowsCommandsThatRunAsPrinted() throws {
        // A process test: the program name printed in the commands is argv[0] as
        // main.swift reads it, and the commands must run as printed with that binary.
        let s = try Sandbox(process: true)
        let out = try s.ok("demo", "--dir", s.dir.path, "--cases", "60")
        let db = s.dir.appendingPathComponent("demo.db").path
        // The commands to try name this very binary: copied as printed, they work.
        #expect(out.contains("  \(Sandbox.binary.path) verify --db \(db)\n"), "\(out)")
        #expect(out.contains("Mediation report, 东湖街道, 1–30 September 2026"))
        #expect(try s.ok("verify", "--db", db).hasPrefix("Verified"))
        // The volunteer's follow-ups, as printed, run.
        #expect(out.contains("  \(Sandbox.binary.path) followups --db \(db) --as c01-law\n"))
        #expect(try s.run(["followups", "--db", db, "--as", "c01-law"]).status == 0)
    }
}
