import Foundation
import Testing

@testable import MediateStore

@Suite struct ReportTests {
    /// October 2026 in a small street: cases in two grids of C01, none in C02's grid.
    func october() throws -> Sandbox {
        let s = try Sandbox()
        try s.setUpStreet()
        s.now = "2026-10-02T09:00:00+08:00"
        let a = try s.file(grid: "G01")
        let b = try s.file(grid: "G01")
        let c = try s.file(grid: "G02", severity: "major", as: "li")
        s.now = "2026-10-03T09:00:00+08:00"
        try s.ok("accept", a, as: "wang")
        try s.ok("resolve", a, "--agreement", "归还钥匙", "--amount", "200", "--perform-by", "2026-10-05", as: "wang")
        try s.ok("escalate", b, "--reason", "不服", as: "wang")
        try s.ok("accept", c, as: "li")
        s.now = "2026-10-10T09:00:00+08:00"
        try s.ok("close", a, "--note", "已履行", "--satisfaction", "satisfied", "--outcome", "performed", as: "li")
        return s
    }

    @Test func aMonthThatEndedPrintsTheSameBytesWhateverHappensLater() throws {
        let s = try october()
        s.now = "2026-11-02T06:00:00+08:00"
        let text = try s.ok("report", "--month", "last")
        let csv = try s.ok("report", "--month", "2026-10", "--format", "csv")
        let json = try s.ok("report", "--month", "2026-10", "--format", "json")
        // November: the October cases move on, and new ones arrive.
        s.now = "2026-11-05T10:00:00+08:00"
        try s.ok("accept", "2026-0002", as: "li")
        try s.ok("refer", "2026-0003", "--to", "court", "--reason", "调解不成", as: "li")
        _ = try s.file(grid: "G03", as: "zhao")
        s.now = "2026-11-20T10:00:00+08:00"
        #expect(try s.ok("report", "--month", "2026-10") == text)
        #expect(try s.ok("report", "--month", "2026-10", "--format", "csv") == csv)
        #expect(try s.ok("report", "--month", "2026-10", "--format", "json") == json)
        // ...while November's own report sees the new case.
        #expect(try s.ok("report", "--month", "this", "--format", "csv").contains("grid,G03,南湖一网格,1,"))
    }

    @Test func figuresAddUpAndEmptyRatesPrintADash() throws {
        let s = try october()
        s.now = "2026-11-02T06:00:00+08:00"
        let csv = try s.ok("report", "--month", "2026-10", "--format", "csv")
        let lines = csv.split(separator: "\r\n").map(String.init)
        #expect(
            lines[0]
                == "kind,code,name,filed,resolved,rate,in grid,in-grid rate,to community,left/referred,breaches,open,overdue,median days,satisfied,followed up,performed,referred,withdrawn,agreements,amount_yuan"
        )
        #expect(lines.contains("grid,G01,东湖一网格,2,1,0.5,1,1.0,1,0,1,1,0,1.0,1.0,1,1.0,0,0,1,200.00"))
        #expect(lines.contains("grid,G02,东湖二网格,1,0,0.0,0,,0,0,0,1,1,,,0,,0,0,0,0.00"))
        #expect(lines.contains("community,C01,东湖社区,3,1,0.3333,1,1.0,1,0,1,2,1,1.0,1.0,1,1.0,0,0,1,200.00"))
        // A grid with no cases still has its row, and its community a zero subtotal.
        #expect(lines.contains("grid,G03,南湖一网格,0,0,,0,,0,0,0,0,0,,,0,,0,0,0,0.00"))
        #expect(lines.contains("community,C02,南湖社区,0,0,,0,,0,0,0,0,0,,,0,,0,0,0,0.00"))
        #expect(lines.contains("street,S1,东湖街道,3,1,0.3333,1,1.0,1,0,1,2,1,1.0,1.0,1,1.0,0,0,1,200.00"))
        #expect(lines.contains("category,neighbour,neighbours,3,1,0.3333,1,1.0,1,0,1,2,1,1.0,1.0,1,1.0,0,0,1,200.00"))
        let text = try s.ok("report", "--month", "2026-10")
        #expect(text.contains("filed = resolved + open + referred + withdrawn: 3 = 1 + 2 + 0 + 0"))
        #expect(!text.contains("nan") && !text.contains("NaN"))
        // Aggregates only: no names or phones of any party.
        #expect(!text.contains("张三") && !text.contains("13800000000") && !csv.contains("张三"))
    }

    @Test func asOfShowsAPastMomentAndUnitLimitsTheScope() throws {
        let s = try october()
        s.now = "2026-11-02T06:00:00+08:00"
        let early = try s.ok("report", "--month", "2026-10", "--as-of", "2026-10-02T12:00", "--format", "csv")
        #expect(early.contains("street,S1,东湖街道,3,0,0.0,0,,0,0,0,3,0,,,0,,0,0,0,0.00"))
        let c02 = try s.ok("report", "--month", "2026-10", "--unit", "C02", "--format", "csv")
        #expect(!c02.contains("G01") && c02.contains("community,C02,"))
    }

    /// A district (区) is one more rung of the ladder, added as data: its unit rolls up
    /// its streets as a street rolls up its communities, a street of the old top is put
    /// under it, and a case may be escalated up to it. Runs on both engines.
    @Test func aDistrictRungAddedAsDataRollsUpItsStreets() throws {
        let s = try october()
        s.now = "2026-11-02T06:00:00+08:00"
        let before = try s.ok("report", "--month", "2026-10", "--format", "csv")
        let street = before.split(separator: "\r\n").first { $0.hasPrefix("street,S1,") }.map(String.init)
        #expect(street != nil)

        // Only an admin adds the rung, and only with its names and time limit.
        let refused = try s.run(
            ["policy", "set", "--add-level", "district", "--zh", "区", "--en", "district", "--days", "30"], as: "sun")
        #expect(refused.status == 1 && refused.stderr.split(separator: "\n").count == 1, "\(refused)")
        let missing = try s.run(["policy", "set", "--add-level", "district", "--zh", "区", "--en", "district"])
        #expect(missing.status == 64, "\(missing)")
        try s.ok("policy", "set", "--add-level", "district", "--zh", "区", "--en", "district", "--days", "30")
        let again = try s.run(["policy", "set", "--add-level", "qu", "--zh", "区", "--en", "county", "--days", "30"])
        #expect(
            again.status == 1 && again.stderr.contains("district") == false && again.stderr.contains("qu"), "\(again)")
        #expect(try s.ok("policy", "show", "--lang", "zh").contains("新增层级 district 区"))

        // The district's unit by its Chinese level name; a new street sits under it.
        try s.ok("unit", "add", "--code", "D1", "--name", "江城区", "--level", "区")
        let orphan = try s.run(["unit", "add", "--code", "S9", "--name", "孤街道", "--level", "street"])
        #expect(orphan.status == 1 && orphan.stderr.contains("--parent"), "\(orphan)")
        try s.ok("unit", "add", "--code", "S2", "--name", "西湖街道", "--level", "street", "--parent", "D1")
        try s.ok("unit", "add", "--code", "C21", "--name", "西湖社区", "--level", "community", "--parent", "S2")
        try s.ok("unit", "add", "--code", "G21", "--name", "西湖一网格", "--level", "grid", "--parent", "C21")
        try s.ok("person", "add", "--login", "qian", "--name", "钱多", "--role", "grid_worker", "--unit", "G21")

        // The street of the old top is put under the district: by an admin of the whole
        // deployment, only under a unit one level up, only once.
        let wrongLevel = try s.run(["unit", "attach", "--code", "S1", "--parent", "S2"])
        #expect(wrongLevel.status == 1, "\(wrongLevel)")
        let notAdmin = try s.run(["unit", "attach", "--code", "S1", "--parent", "D1"], as: "sun")
        #expect(notAdmin.status == 1, "\(notAdmin)")
        try s.ok("unit", "attach", "--code", "S1", "--parent", "D1")
        let twice = try s.run(["unit", "attach", "--code", "S1", "--parent", "D1"])
        #expect(twice.status == 1, "\(twice)")
        let units = try s.ok("unit", "list")
        #expect(units.contains("\nD1 ") && units.contains("\n  S1 ") && units.contains("\n      G01 "), "\(units)")

        // October's figures of the street are what they were; the district adds them up.
        let after = try s.ok("report", "--month", "2026-10", "--format", "csv")
        #expect(after.contains(street ?? "-"))
        #expect(after.contains("district,D1,江城区,3,1,0.3333,"), "\(after)")
        #expect(after.contains("street,S2,西湖街道,0,0,"))

        // November: a case in the new street, escalated step by step up to the district
        // where the ladder puts critical disputes (a change of policy, not of code).
        s.now = "2026-11-03T09:00:00+08:00"
        try s.ok("policy", "set", "--severity", "critical", "--ceiling", "区")
        let n = try s.file(grid: "G21", severity: "critical", as: "qian")
        for _ in 0..<3 { try s.ok("escalate", n, "--reason", "跨街道", as: "admin") }
        let shown = try s.ok("show", n, "--format", "json")
        #expect(shown.contains("\"district\""), "\(shown)")
        let top = try s.run(["escalate", n, "--reason", "再上报"])
        #expect(top.status == 1, "\(top)")
        s.now = "2026-11-20T09:00:00+08:00"
        let d1 = try s.ok("report", "--month", "this", "--unit", "D1", "--format", "csv")
        #expect(d1.contains("district,D1,江城区,1,0,0.0,0,,1,1,0,1,"), "\(d1)")
        #expect(d1.contains("street,S2,西湖街道,1,") && d1.contains("street,S1,东湖街道,0,"))
        let s2 = try s.ok("report", "--month", "this", "--unit", "S2", "--format", "csv")
        #expect(!s2.contains("D1") && !s2.contains("S1,"))
        #expect(try s.ok("verify").contains("intact"))
    }

    @Test func monthsFollowTheDeploymentsTimeZoneNotUTC() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        // 2026-11-01 07:00 in Shanghai is still October in UTC.
        s.now = "2026-11-01T07:00:00+08:00"
        _ = try s.file()
        s.now = nil  // the real clock: after November began
        #expect(try s.ok("report", "--month", "2026-11", "--format", "csv").contains("street,S1,东湖街道,1,"))
        #expect(try s.ok("report", "--month", "2026-10", "--format", "csv").contains("street,S1,东湖街道,0,"))
    }

    @Test func sweepEscalatesOrFlagsOnceAndAgreesWithListAndReport() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        s.now = "2026-10-01T09:00:00+08:00"
        let minor = try s.file()
        let major = try s.file(severity: "major")
        s.now = "2026-10-09T09:00:00+08:00"  // both past the 7-day grid limit
        #expect(try s.ok("list", "--overdue", "--format", "json").components(separatedBy: "\"number\"").count == 3)
        let dry = try s.ok("sweep", "--dry-run")
        #expect(
            dry == """
                \(minor) overdue at its ceiling G01: would flag for supervision
                \(major) overdue: would escalate from G01 to C01

                """)
        #expect(
            try s.ok("sweep", "--verbose")
                == dry.replacingOccurrences(of: "would flag", with: "flagged").replacingOccurrences(
                    of: "would escalate", with: "escalated"))
        #expect(try s.ok("sweep", "--verbose") == "No overdue case needs action.\n")
        let overdue = try s.ok("list", "--overdue", "--format", "json")
        #expect(overdue.contains(minor) && !overdue.contains(major))
        let csv = try s.ok("report", "--month", "this", "--format", "csv")
        #expect(csv.contains("street,S1,东湖街道,2,0,0.0,0,,1,0,0,2,1,"))
        #expect(try s.ok("show", minor).contains("flagged for supervision"))
        #expect(try s.ok("verify").hasPrefix("Verified"))
    }
}

/// The honest figures read a month's events from `event_effective` alone (migration
/// 012): at a million cases, a month's 292,150 events cost 0.38 s by their rows and 0.06 s
/// from the index. SQLite's own plans say whether the index still holds what is read.
@Suite struct HonestScanTests {
    /// SQLite's plan of a statement (its `?` bound to small numbers) on a street's file
    /// holding one case.
    static func planner() throws -> (String) throws -> String {
        let s = try Sandbox()
        try s.setUpStreet()
        _ = try s.file(grid: "G01")
        let db = try Connection(path: s.db, mode: .readOnly)
        return { sql in
            let values = (0..<sql.filter { $0 == "?" }.count).map { SQLValue.int(Int64(min($0, 1))) }
            return try withExtendedLifetime(s) {
                try db.rows("EXPLAIN QUERY PLAN " + sql, values) { $0.text(3) }.joined(separator: "\n")
            }
        }
    }

    @Test(.enabled(if: Sandbox.onFile, "SQLite's own plan"))
    func aPeriodsEventsAreReadFromTheIndexAlone() throws {
        let plan = try Self.planner()
        #expect(try plan(Store.periodEvents).contains("USING INDEX event_effective (effective_at>? AND effective_at<?)"))
        // Every column the scan reads but the reveal's detail comes from the index.
        let withoutDetail = Store.periodEvents.replacingOccurrences(of: "THEN e.detail END", with: "THEN NULL END")
        #expect(withoutDetail != Store.periodEvents)
        #expect(try plan(withoutDetail).contains("USING COVERING INDEX event_effective"))
    }

    /// A period's cases come in the filing index's order with each one's events in theirs:
    /// nothing is sorted (an order the index does not hold whole sorts every event of the
    /// month: 270 M → 349 M instructions at 100,000 cases).
    @Test(.enabled(if: Sandbox.onFile, "SQLite's own plan"))
    func aPeriodsCasesAreReadInTheFilingIndexsOrder() throws {
        let plan = try Self.planner()
        let cohort = try plan(Store.cohortSQL)
        #expect(cohort.contains("dispute_filed (filed_at>? AND filed_at<?)") && !cohort.contains("TEMP B-TREE"), "\(cohort)")
        let byID = Store.cohortSQL.replacingOccurrences(of: "d.year, d.serial, d.state, d.id", with: "d.id")
        #expect(byID != Store.cohortSQL)
        #expect(try plan(byID).contains("TEMP B-TREE"))
    }
}
