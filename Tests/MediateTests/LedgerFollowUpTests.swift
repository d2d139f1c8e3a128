import Foundation
import Testing

/// A ledger's 回访情况 and the follow-up columns of the cases it becomes: a resolved row
/// whose follow-up says how the agreement was performed closes with that performance;
/// any other stays resolved with its follow-up due, and the dry run says why.
@Suite struct LedgerFollowUpTests {
    static let ledger =
        "序号,登记日期,网格,申请人,被申请人,纠纷类型,纠纷简要情况,调解结果,结案日期,协议形式,履行期限,回访情况\n"
        + "1,2025-03-05,G01,张三,李四,邻里,漏水,调解成功,2025-03-10,书面,2025-03-20,部分履行，基本满意\n"
        + "2,2025-03-06,G01,王五,赵六,邻里,噪音,调解成功,2025-03-11,口头,,已回访\n"
        + "3,2025-03-07,G01,孙八,周九,邻里,占道,调解成功,2025-03-12,书面,2026-10-08,\n"
        + "4,2025-03-08,G01,吴十,郑一,邻里,垃圾,调解成功,2025-03-13,口头,,当事人未履行，无法联系\n"
        + "5,2025-03-09,G01,冯二,陈三,邻里,宠物,调解成功,2025-03-14,口头,2026-11-30,已提前履行\n"

    @Test func aResolvedRowClosesWithWhatItsFollowUpFoundOrSaysWhyNot() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let file = s.dir.appendingPathComponent("回访.csv").path
        try Self.ledger.write(toFile: file, atomically: true, encoding: .utf8)
        let dry = try s.ok("import", "ledger", file, "--dry-run")
        #expect(dry.contains("Line 2 (序号 1): would create a case of 2025-03-05 at G01, closed, parties 张三, 李四"))
        #expect(dry.contains("Line 3 (序号 2): would create a case of 2025-03-06 at G01, resolved, parties 王五, 赵六"))
        #expect(dry.contains("Line 3: its 回访情况 does not say how the agreement was performed"), "\(dry)")
        #expect(!dry.contains("Line 4: its 回访情况"), "an empty 回访情况 is a follow-up not yet done: \(dry)")
        #expect(dry.contains("Line 5 (序号 4): would create a case of 2025-03-08 at G01, closed"))
        try s.ok("import", "ledger", file)

        let partly = try s.ok("show", "2025-0001", "--format", "json")
        #expect(partly.contains(#""performance": "partly""#) && partly.contains(#""satisfaction": "basic""#))
        #expect(partly.contains(#""note": "部分履行,基本满意""#) && partly.contains(#""early": null"#))
        #expect(partly.contains(#""state": "closed""#))
        // Performed by its 履行期限, and closed on that day.
        #expect(
            partly.contains(#""perform_by": "2025-03-20""#)
                && partly.contains(#""closed_at": "2025-03-20T00:00:00+08:00""#))
        // A follow-up done before a 履行期限 still to come closes early, its 回访情况 the reason.
        let early = try s.ok("show", "2025-0005", "--format", "json")
        #expect(early.contains(#""early": "已提前履行""#) && early.contains(#""state": "closed""#), "\(early)")
        let unread = try s.ok("show", "2025-0002")
        #expect(unread.contains("回访情况：已回访") && unread.contains("· resolved"), "\(unread)")
        let not = try s.ok("show", "2025-0004", "--format", "json")
        #expect(not.contains(#""performance": "not""#) && not.contains(#""satisfaction": "unreached""#))
        // The two still resolved await their follow-up, due on their 结案日期 (the ledger
        // gives no other perform-by day).
        let due = try s.ok("followups")
        #expect(due.contains("2025-0002") && !due.contains("2025-0001"), "\(due)")
        // Its own 履行期限 is days off: not due yet; once it has passed, it is.
        #expect(!due.contains("2025-0003"), "\(due)")
        s.now = "2026-10-09T09:00:00+08:00"
        #expect(try s.ok("followups").contains("2025-0003"))
        s.now = Sandbox.streetNow
        #expect(!due.contains("2025-0004"))

        // The CSV carries what the follow-up found, so that it comes back the same: a case
        // closed by hand whose note alone does not say it gets it in brackets (half-width,
        // as the import reads every cell).
        let n = try s.file()
        try s.ok("accept", n, as: "wang")
        try s.ok("resolve", n, "--agreement", "道歉", "--oral", "--perform-by", "2026-10-05", as: "wang")
        try s.ok("close", n, "--note", "已回访", "--satisfaction", "满意", "--outcome", "履行", as: "chen")
        let csv = try s.run(["export", "--format", "csv"]).stdout
        #expect(csv.contains(#","部分履行,基本满意"\#r\#n"#) && csv.contains(#","已回访(履行,满意)"\#r\#n"#), "\(csv)")
        #expect(csv.contains(#","当事人未履行,无法联系"\#r\#n"#) && csv.contains(",已回访\r\n"), "\(csv)")
        #expect(csv.contains(",书面,2026-10-08,\r\n") && csv.contains(",口头,2025-03-11,已回访\r\n"), "\(csv)")
        let out = s.dir.appendingPathComponent("out.csv").path
        try csv.write(toFile: out, atomically: true, encoding: .utf8)

        let t = try Sandbox()
        try t.setUpStreet()
        try t.ok("import", "ledger", out)
        #expect(try t.run(["export", "--format", "csv"]).stdout == csv)
        let again = try t.ok("show", "2026-0001", "--format", "json")
        #expect(again.contains(#""performance": "performed""#) && again.contains(#""satisfaction": "satisfied""#))
        #expect(try t.ok("verify").hasPrefix("Verified"))
    }

    /// A follow-up column edited behind mediate's back is named, in Chinese too.
    @Test func verifyNamesAnEditedFollowUpColumn() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let file = s.dir.appendingPathComponent("回访.csv").path
        try Self.ledger.write(toFile: file, atomically: true, encoding: .utf8)
        try s.ok("import", "ledger", file)
        try s.sql("UPDATE dispute SET performance = 'performed' WHERE serial = 1 AND year = 2025")
        let r = try s.run(["verify"], lang: "zh_CN.UTF-8")
        #expect(r.status == 1 && r.stderr.contains("履行情况"), "\(r)")
    }
}
