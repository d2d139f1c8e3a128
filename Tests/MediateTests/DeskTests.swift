import Foundation
import MediateCore
import Testing

@testable import MediateStore

/// The daily desk, as its users try it: follow-ups (回访) for volunteers, judicial
/// confirmation, the list to work from, and cron that stays quiet.
@Suite struct FollowUpTests {
    /// A street with one case resolved on 2026-10-05 by li, to be performed by `performBy`.
    static func resolved(performBy: String = "2026-10-08") throws -> (Sandbox, String) {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        try s.ok("escalate", n, "--reason", "双方不接受网格调解", as: "wang")
        try s.ok("accept", n, as: "li")
        try s.ok(
            "resolve", n, "--agreement", "李四当日交出钥匙，赔偿锁具五十元", "--perform-by", performBy,
            as: "li")
        return (s, n)
    }

    /// The follow-ups' page reads the terms of its cases in one statement: each line
    /// shows its own case's last agreement, a reopened case's new terms, not its old ones.
    @Test func eachFollowUpShowsItsOwnCasesLastTerms() throws {
        let (s, n) = try Self.resolved()
        try s.ok("reopen", n, "--reason", "李四未交钥匙", as: "li")
        try s.ok("resolve", n, "--agreement", "新条款：物业代为开锁", "--perform-by", "2026-10-08", as: "li")
        let m = try s.file()
        try s.ok("escalate", m, "--reason", "双方不接受网格调解", as: "wang")
        try s.ok("accept", m, as: "li")
        try s.ok("resolve", m, "--agreement", "乙方条款：赔偿五十元", "--perform-by", "2026-10-08", as: "li")
        s.now = "2026-10-09T09:00:00+08:00"
        let lines = try s.ok("followups", as: "li").split(separator: "\n")
        let first = try #require(lines.first { $0.hasPrefix(n) })
        let second = try #require(lines.first { $0.hasPrefix(m) })
        #expect(first.contains("新条款") && !first.contains("李四当日交出钥匙"), "\(first)")
        #expect(second.contains("乙方条款") && !second.contains("新条款"), "\(second)")
    }

    @Test func aVolunteerFindsTheFollowUpsDueAndClosesWithWhatTheyFound() throws {
        let (s, n) = try Self.resolved()
        // Not due yet: nothing for the volunteer, but the list shows the follow-up day,
        // the day after the perform-by day.
        #expect(try s.ok("followups", as: "chen") == "No follow-up is due.\n")
        let list = try s.ok("list")
        #expect(list.contains("2026-10-09"), "\(list)")
        #expect(list.contains("resolved"))

        // A mediator assigns the follow-up; the volunteer may not assign, a grid worker cannot take it.
        #expect(try s.run(["assign", n, "--to", "chen"], as: "chen").status == 1)
        let gridWorker = try s.run(["assign", n, "--to", "wang"], as: "li")
        #expect(gridWorker.status == 1)
        #expect(gridWorker.stderr.contains("wang cannot follow this case up"), "\(gridWorker)")
        #expect(try s.run(["assign", n, "--to", "nobody"], as: "li").status == 1)
        try s.ok("assign", n, "--to", "chen", as: "li")
        #expect(try s.ok("show", n).contains("follow-up by 陈律师 (chen)"))
        #expect(try s.ok("list", "--assignee", "me", as: "chen").contains(n))
        #expect(try s.ok("list", "--mine", as: "chen").contains(n))
        #expect(try s.ok("list", "--mine", as: "zhao").contains("No cases match."))
        let unknown = try s.run(["list", "--assignee", "nobody"])
        #expect(unknown.status == 1 && unknown.stdout.isEmpty, "\(unknown)")

        // Due on 2026-10-09: oldest first, with the terms' first words and the perform-by day.
        s.now = "2026-10-09T09:00:00+08:00"
        let due = try s.ok("followups", as: "chen")
        #expect(due.contains(n) && due.contains("李四当日交出钥匙") && due.contains("2026-10-08"), "\(due)")
        #expect(due.contains("陈律师"), "names, not logins: \(due)")
        #expect(due.hasSuffix("1 follow-up due\n"))
        #expect(try s.ok("list", "--follow-up-due").contains(n))
        // Another community's grid worker sees none of C01's.
        #expect(try s.ok("followups", as: "zhao") == "No follow-up is due.\n")
        // Not yet past: not overdue; the day after, it is.
        #expect(!(try s.ok("list", "--overdue").contains(n)))
        s.now = "2026-10-10T09:00:00+08:00"
        #expect(try s.ok("list", "--overdue").contains(n))

        // Close records what the follow-up found.
        let missing = try s.run(["close", n, "--note", "已履行", "--satisfaction", "满意"], as: "chen")
        #expect(missing.status == 64 && missing.stderr.contains("--outcome"), "\(missing)")
        try s.ok("close", n, "--note", "回访：钥匙已交，款已付", "--satisfaction", "满意", "--outcome", "履行", as: "chen")
        let json = try s.ok("show", n, "--format", "json")
        #expect(json.contains(#""performance": "performed""#), "\(json)")
        #expect(try s.ok("show", n).contains("agreement performed"))
        // Closed: out of the default list, in --all.
        #expect(!(try s.ok("list").contains(n)))
        #expect(try s.ok("list", "--all").contains(n))
        #expect(try s.ok("verify").hasPrefix("Verified"))
    }

    @Test func closingBeforeThePerformByDayNeedsEarlyWithAReason() throws {
        let (s, n) = try Self.resolved(performBy: "2026-10-20")
        s.now = "2026-10-06T10:00:00+08:00"
        let refused = try s.run(
            ["close", n, "--note", "x", "--satisfaction", "satisfied", "--outcome", "performed"], as: "chen")
        #expect(refused.status == 64, "\(refused)")
        #expect(refused.stderr.hasPrefix("The agreement is to be performed by 2026-10-20, which has not come yet"))
        let noReason = try s.run(
            ["close", n, "--note", "x", "--satisfaction", "satisfied", "--outcome", "performed", "--early"], as: "chen")
        #expect(noReason.status == 64 && noReason.stderr.contains("--reason"), "\(noReason)")
        try s.ok(
            "close", n, "--note", "已提前付清", "--satisfaction", "无法联系", "--outcome", "performed", "--early",
            "--reason", "被申请人已提前履行完毕", as: "chen")
        let json = try s.ok("show", n, "--format", "json")
        #expect(json.contains(#""early": "被申请人已提前履行完毕""#) && json.contains(#""satisfaction": "unreached""#))
    }

    @Test func aVolunteerReopensAnAgreementNotPerformed() throws {
        let (s, n) = try Self.resolved()
        s.now = "2026-10-09T09:00:00+08:00"
        let out = try s.ok("reopen", n, "--reason", "回访发现未履行", as: "chen")
        #expect(out.contains("now mediating at C01"), "\(out)")
        // Back in mediation at its level, with its mediator.
        let json = try s.ok("show", n, "--format", "json")
        #expect(json.contains(#""state": "mediating""#) && json.contains(#""assignee": "li""#))
        #expect(json.contains(#""follow_up_at": null"#))
    }

    @Test func theSweepFlagsAFollowUpAWeekLateOnceAndActsAsTheCronUser() throws {
        let (s, n) = try Self.resolved(performBy: "2026-10-06")
        // Follow-up on 2026-10-07; a week after it, not yet more.
        s.now = "2026-10-14T09:00:00+08:00"
        #expect(try s.ok("sweep", "--verbose") == "No overdue case needs action.\n")
        s.now = "2026-10-15T09:00:00+08:00"
        #expect(
            try s.ok("sweep", "--dry-run")
                == "\(n) follow-up more than 7 days late at C01: would flag for supervision\n")
        // Quiet on success unless asked: cron mails only trouble.
        #expect(try s.ok("sweep", as: "li") == "")
        #expect(try s.ok("sweep", "--verbose") == "No overdue case needs action.\n")
        s.now = "2026-10-20T09:00:00+08:00"
        #expect(try s.ok("sweep", "--verbose") == "No overdue case needs action.\n")
        let json = try s.ok("show", n, "--format", "json")
        #expect(json.components(separatedBy: #""action": "supervise""#).count == 2, "one flag: \(json)")
        #expect(json.contains(#""cause": "follow_up_overdue""#))
        // Acted as the registered person cron runs as; an unregistered one means the system.
        #expect(json.contains(#""actor": "li""#))
        #expect(try s.ok("list", "--supervised").contains(n))
        #expect(try s.ok("verify").hasPrefix("Verified"))
    }

    @Test func judicialConfirmationWithinThirtyDaysOfAWrittenAgreement() throws {
        let (s, n) = try Self.resolved(performBy: "2026-10-20")
        s.now = "2026-10-15T09:00:00+08:00"
        let window = try s.ok("list", "--confirm-window")
        #expect(window.contains(n) && window.contains("2026-11-04") && window.contains(" 20 "), "\(window)")
        #expect(try s.run(["confirm", n]).status == 64)
        let ruling = try s.run(["confirm", n, "--ruling", "valid"], as: "li")
        #expect(ruling.status == 1 && ruling.stderr.contains("No application"), "\(ruling)")
        let before = try s.run(["confirm", n, "--applied", "2026-10-01"], as: "li")
        #expect(before.status == 64 && before.stderr.contains("2026-10-05 to 2026-11-04"), "\(before)")
        try s.ok("confirm", n, "--applied", "2026-10-12", as: "chen")
        #expect(!(try s.ok("list", "--confirm-window").contains(n)))
        #expect(try s.run(["confirm", n, "--applied", "2026-10-13"], as: "li").status == 1)
        try s.ok("confirm", n, "--ruling", "有效", as: "li")
        let json = try s.ok("show", n, "--format", "json")
        #expect(json.contains(#""applied": "2026-10-12""#) && json.contains(#""ruling": "valid""#))
        #expect(try s.ok("show", n).contains("judicial confirmation applied for on 2026-10-12 valid"))
        #expect(json.contains(#""confirm_days_left""#) == false, "show keeps its shape")
        #expect(try s.ok("verify").hasPrefix("Verified"))

        // An oral agreement is not for a court to confirm.
        let m = try s.file()
        try s.ok("accept", m, as: "wang")
        try s.ok("resolve", m, "--agreement", "口头道歉", "--oral", "--perform-by", "2026-10-15", as: "wang")
        #expect(!(try s.ok("list", "--confirm-window").contains(m)))
        #expect(try s.run(["confirm", m, "--applied", "2026-10-15"], as: "li").status == 1)
    }
}

@Suite struct WorkListTests {
    /// Three cases: open at G01, mediating at G03 (major, 110), closed at G01.
    static func street() throws -> (Sandbox, [String]) {
        let s = try Sandbox()
        try s.setUpStreet()
        s.now = "2026-10-02T09:00:00+08:00"
        let a = try s.file()
        s.now = "2026-10-03T09:00:00+08:00"
        let b = try s.ok(
            "file", "--grid", "G03", "--category", "物业", "--severity", "major", "--source", "110移送",
            "--summary", "物业停车费纠纷，业主拒缴", "--party", "王五,applicant", "--party", "某物业公司,respondent",
            as: "zhao"
        ).trimmingCharacters(in: .newlines)
        try s.ok("accept", b, as: "zhao")
        s.now = "2026-10-04T09:00:00+08:00"
        let c = try s.file()
        try s.ok("accept", c, as: "wang")
        try s.ok("resolve", c, "--agreement", "当日道歉", "--oral", "--perform-by", "2026-10-04", as: "wang")
        try s.ok("close", c, "--note", "已履行", "--satisfaction", "满意", "--outcome", "履行", as: "li")
        s.now = Sandbox.streetNow
        return (s, [a, b, c])
    }

    @Test func theListShowsActiveCasesAndFiltersAsAsked() throws {
        let (s, n) = try Self.street()
        let active = try s.ok("list")
        #expect(active.contains(n[0]) && active.contains(n[1]) && !active.contains(n[2]))
        #expect(try s.ok("list", "--all").contains(n[2]))
        let two = try s.ok("list", "--state", "已结案", "--state", "mediating")
        #expect(!two.contains(n[0]) && two.contains(n[1]) && two.contains(n[2]))
        #expect(try s.run(["list", "--all", "--state", "open"]).status == 64)
        let byCategory = try s.ok("list", "--category", "物业")
        #expect(byCategory.contains(n[1]) && !byCategory.contains(n[0]))
        #expect(try s.ok("list", "--source", "police").contains(n[1]))
        #expect(!(try s.ok("list", "--source", "police").contains(n[0])))
        #expect(try s.ok("list", "--party", "王五").contains(n[1]))
        #expect(!(try s.ok("list", "--party", "王五").contains(n[0])))
        let text = try s.ok("list", "--text", "停车费")
        #expect(text.contains(n[1]) && !text.contains(n[0]))
        let since = try s.ok("list", "--all", "--since", "2026-10-03", "--until", "2026-10-03")
        #expect(since.contains(n[1]) && !since.contains(n[0]) && !since.contains(n[2]))
        let backwards = try s.run(["list", "--since", "2026-10-04", "--until", "2026-10-03"])
        #expect(backwards.status == 64)
        #expect(backwards.stderr.hasPrefix("--since must not be after --until."), "\(backwards)")
        #expect(try s.ok("list", "--breach").contains("No cases match."))
        // Names of people, not logins.
        #expect(try s.ok("list").contains("赵强"))
        // Sorting: by filing, and reversed.
        let filed = try s.ok("list", "--all", "--sort", "filed")
        let reversed = try s.ok("list", "--all", "--sort", "filed", "--reverse")
        func order(_ text: String) -> [String] {
            text.split(separator: "\n").compactMap { line in n.first { line.hasPrefix($0) } }
        }
        #expect(order(filed) == n)
        #expect(order(reversed) == n.reversed())
        // The most recently changed first: the first case noted now, the closed one changed
        // last on the 4th, the mediating one on the 3rd.
        try s.ok("note", n[0], "--text", "电话回访", as: "admin")
        #expect(order(try s.ok("list", "--all", "--sort", "updated")) == [n[0], n[2], n[1]])
        #expect(order(try s.ok("list", "--all", "--sort", "updated", "--reverse")) == [n[1], n[2], n[0]])
        // Filing days in the default order (read week by week): the working cases filed since.
        #expect(order(try s.ok("list", "--since", "2026-10-03")) == [n[1]])
        #expect(order(try s.ok("list", "--all", "--until", "2026-10-03")) == [n[0], n[1]])
    }

    @Test func aLimitNeverCutsSilently() throws {
        let (s, n) = try Self.street()
        let cut = try s.ok("list", "--all", "--limit", "2")
        #expect(cut.hasSuffix("2 of 3 cases shown: 1 more match (raise --limit to see them)\n"), "\(cut)")
        let zh = try s.run(["list", "--all", "--limit", "2", "--lang", "zh"]).stdout
        #expect(zh.hasSuffix("共 3 件，显示 2 件：还有 1 件未列出（加大 --limit 可看到）\n"), "\(zh)")
        let json = try s.ok("list", "--all", "--limit", "2", "--format", "json")
        #expect(json.contains(#""total": 3"#) && json.contains(#""truncated": true"#))
        #expect(json.components(separatedBy: #""number""#).count == 3)
        let whole = try s.ok("list", "--all", "--format", "json")
        #expect(whole.contains(#""total": 3"#) && whole.contains(#""truncated": false"#))
        #expect(try s.ok("list", "--all").hasSuffix("\n3 cases\n"))
        _ = n
    }

    /// A filter's count stops past max(1,000, five pages): the list says "more than 1000"
    /// in both languages and JSON says so instead of a total; states and units alone are
    /// counted whole by the tally, however many.
    @Test func aCountPastItsCapSaysMoreThan() throws {
        let s = try Sandbox()
        _ = try s.ok("demo", "--quiet", "--dir", s.dir.path, "--cases", "1300", "--months", "6")
        let db = s.dir.appendingPathComponent("demo.db").path
        let capped = try s.run(["list", "--db", db, "--all", "--since", "2000-01-01", "--limit", "5"])
        #expect(capped.status == 0)
        #expect(
            capped.stdout.hasSuffix(
                "5 of more than 1000 cases shown (raise --limit or narrow the filter to see the rest)\n"), "\(capped)")
        let zh = try s.run(["list", "--db", db, "--all", "--since", "2000-01-01", "--limit", "5", "--lang", "zh"])
        #expect(zh.stdout.hasSuffix("超过 1000 件，显示 5 件：其余未列出（加大 --limit 或缩小筛选范围可看到）\n"), "\(zh)")
        let json = try s.run(["list", "--db", db, "--all", "--since", "2000-01-01", "--limit", "5", "--format", "json"])
        #expect(json.stdout.contains(#""total": null"#) && json.stdout.contains(#""more_than": 1000"#))
        #expect(json.stdout.contains(#""truncated": true"#))
        // A larger page counts further: five pages of 300.
        let wide = try s.run(["list", "--db", db, "--all", "--since", "2000-01-01", "--limit", "300"])
        #expect(wide.stdout.hasSuffix("300 of 1300 cases shown: 1000 more match (raise --limit to see them)\n"))
        // The tally counts the states whole.
        let all = try s.run(["list", "--db", db, "--all", "--limit", "5"])
        #expect(all.stdout.hasSuffix("5 of 1300 cases shown: 1295 more match (raise --limit to see them)\n"))
    }

    /// A unit's page in an order an index holds (the working list, the overdue list, the
    /// follow-ups due) is merged from each unit's range of its index; a subtree of more
    /// units than `Store.mergedUnits` reads the street's index, filtered. Either way it is
    /// the first rows of every matching case sorted, ties on the due moment included.
    @Test func aUnitsPageIsTheFirstRowsOfEveryMatchSorted() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        // Filed at one moment in every grid: the same due moment, ties broken by number.
        for grid in ["G01", "G02", "G03", "G02", "G01", "G03", "G02", "G01", "G01", "G03", "G02", "G02"] {
            _ = try s.file(grid: grid, as: "admin")
        }
        // Behind the store's back: cases at the community, due moments an hour apart in
        // fours (ties across units), resolved ones with follow-up days, closed ones.
        try s.sql(
            """
            UPDATE dispute SET unit_id = (SELECT id FROM unit WHERE code = 'C01'), level = 2 WHERE id % 5 = 0;
            UPDATE dispute SET due_at = due_at + (id % 4) * 3600;
            UPDATE dispute SET state = 'mediating' WHERE id % 4 = 1;
            UPDATE dispute SET state = 'resolved', resolved_at = filed_at, follow_up_at = due_at - (id % 2) * 86400
                WHERE id % 3 = 0;
            UPDATE dispute SET state = 'closed', closed_at = due_at WHERE id % 7 = 0;
            UPDATE dispute SET severity = 'major' WHERE id % 2 = 1;
            UPDATE dispute SET state = 'referred' WHERE id = 11;
            UPDATE dispute SET state = 'withdrawn' WHERE id = 10;
            UPDATE dispute SET filed_at = filed_at - ((id + id / 3) % 3) * 8 * 86400, last_event_at = filed_at + (id % 4) * 3600;
            """)
        let store = try Store.open(at: s.db)
        let org = try store.organisation()
        let all = try Connection(path: s.db, mode: .readOnly).rows(
            "SELECT \(Store.caseColumns) FROM dispute d", [], Store.caseRow)
        func key(_ c: Case) -> Int64 { c.state == .resolved ? c.followUpAt ?? 0 : c.dueAt }
        let dues = Set(all.map(key)).sorted()
        #expect(dues.count >= 4 && all.contains { $0.state == .resolved } && all.contains { $0.state == .closed })
        let now = dues[dues.count / 2]
        let late = dues[1]
        // Filed at three moments, weeks apart, four cases each.
        let filings = Set(all.map(\.filedAt)).sorted()
        #expect(filings.count == 3 && Set(filings.map { $0 / Store.filingWeekSeconds }).count == 3)
        // Changed at four moments: ties broken by number.
        #expect(Set(all.map(\.lastEventAt)).count >= 4 && all.count > Set(all.map(\.lastEventAt)).count)
        for root in ["C01", "S1", "G03"] {
            let subtree = org.subtree(of: org.unit(code: root)!.id)
            // More units than are merged (ids no unit has): the street's index, filtered.
            let padded = subtree.union((1...Int64(Store.mergedUnits)).map { 1_000_000 + $0 })
            // The whole street (no unit) once.
            for units in [subtree, padded] as [Set<Int64>?] + (root == "S1" ? [nil] : []) {
                func only(_ states: Set<CaseState>, state: CaseState? = nil) -> Store.CaseFilter {
                    var f = Store.CaseFilter()
                    f.units = units
                    f.states = states
                    f.state = state
                    return f
                }
                let working = only(Store.workingStates)
                var overdue = working
                overdue.overdueAt = now
                overdue.followUpLateBefore = late
                var followUps = only([])
                followUps.followUpDueBefore = now
                var dueSoon = working
                dueSoon.followUpDueBefore = now
                // Filters the working indexes serve too, checked on each case walked.
                var major = working
                major.severity = "major"
                let (open, mediating) = (only([.open]), only([], state: .mediating))
                // Final cases (their own indexes), and every state (the working cases'
                // index, then the final ones').
                let (closed, resolved, every) = (only([.closed]), only([.resolved]), only([]))
                var everyMajor = every
                everyMajor.severity = "major"
                // States across the two kinds, and an overdue filter that narrows them.
                let (mixed, gone) = (only([.mediating, .closed]), only([.referred, .withdrawn]))
                var mixedOverdue = mixed
                mixedOverdue.overdueAt = dues.last! + 1
                // Filing days: read week by week in the default order (migration 014).
                var (recent, earlier, between) = (working, only([.closed, .referred, .withdrawn]), every)
                recent.filedFrom = filings[1]
                earlier.filedBefore = filings[2]
                (between.filedFrom, between.filedBefore) = (filings[1], filings[1] + 1)
                var recentOverdue = overdue
                recentOverdue.filedFrom = filings[1]
                var recentFollowUps = followUps
                recentFollowUps.filedFrom = filings[1]
                // From the later half of the filings on: resolved cases merged by week too.
                var (lateFollowUps, lateResolved) = (followUps, resolved)
                (lateFollowUps.filedFrom, lateResolved.filedFrom) = (filings[2], filings[2])
                var recentMediating = mediating
                recentMediating.filedFrom = filings[1]
                // The other orders: by filing, the most recently changed first.
                var (byFiling, workingByFiling, byChange, workingByChange) = (every, working, every, working)
                (byFiling.sort, workingByFiling.sort) = (.filed, .filed)
                (byChange.sort, workingByChange.sort) = (.updated, .updated)
                var majorByChange = byChange
                majorByChange.severity = "major"
                var recentByFiling = byFiling
                recentByFiling.filedFrom = filings[1]
                let cases: [(Store.CaseFilter, (Case) -> Bool)] = [
                    (recent, { ($0.state.isActive || $0.state == .resolved) && $0.filedAt >= filings[1] }),
                    (earlier, { !$0.state.isActive && $0.state != .resolved && $0.filedAt < filings[2] }),
                    (between, { $0.filedAt == filings[1] }),
                    (recentOverdue, {
                        $0.filedAt >= filings[1]
                            && (($0.state.isActive && $0.dueAt < now) || ($0.state == .resolved && key($0) < late))
                    }),
                    (recentFollowUps, { $0.state == .resolved && key($0) < now && $0.filedAt >= filings[1] }),
                    (lateFollowUps, { $0.state == .resolved && key($0) < now && $0.filedAt >= filings[2] }),
                    (lateResolved, { $0.state == .resolved && $0.filedAt >= filings[2] }),
                    (recentMediating, { $0.state == .mediating && $0.filedAt >= filings[1] }),
                    (byFiling, { _ in true }),
                    (workingByFiling, { $0.state.isActive || $0.state == .resolved }),
                    (byChange, { _ in true }),
                    (workingByChange, { $0.state.isActive || $0.state == .resolved }),
                    (majorByChange, { $0.severity == "major" }),
                    (recentByFiling, { $0.filedAt >= filings[1] }),
                    (mixed, { $0.state == .mediating || $0.state == .closed }),
                    (mixedOverdue, { $0.state == .mediating }),
                    (gone, { $0.state == .referred || $0.state == .withdrawn }),
                    (closed, { $0.state == .closed }),
                    (resolved, { $0.state == .resolved }),
                    (every, { _ in true }),
                    (everyMajor, { $0.severity == "major" }),
                    (working, { $0.state.isActive || $0.state == .resolved }),
                    (major, { ($0.state.isActive || $0.state == .resolved) && $0.severity == "major" }),
                    (open, { $0.state == .open }),
                    (mediating, { $0.state == .mediating }),
                    (overdue, { ($0.state.isActive && $0.dueAt < now) || ($0.state == .resolved && key($0) < late) }),
                    (followUps, { $0.state == .resolved && key($0) < now }),
                    (dueSoon, { $0.state == .resolved && key($0) < now }),
                ]
                for (filter, matches) in cases {
                    for reverse in [false, true] {
                        // Working cases first, each part by what is due next; or by filing;
                        // or the most recently changed first.
                        func rank(_ c: Case) -> Int { c.state.isActive || c.state == .resolved ? 0 : 1 }
                        func order(_ c: Case) -> (Int, Int64, Int, Int) {
                            switch filter.sort {
                            case .due: (rank(c), key(c), c.number.year, c.number.serial)
                            case .filed: (0, c.filedAt, c.number.year, c.number.serial)
                            case .updated: (0, -c.lastEventAt, c.number.year, c.number.serial)
                            }
                        }
                        var sorted = all.filter { (units?.contains($0.unitID) ?? true) && matches($0) }.sorted {
                            order($0) < order($1)
                        }
                        if reverse { sorted.reverse() }
                        // A grid alone may have none of a kind; a community and the street have some.
                        #expect(root == "G03" || !sorted.isEmpty, "\(root) \(filter)")
                        for limit in [1, 2, 3, 5, sorted.count, sorted.count + 3] where limit > 0 {
                            var page = filter
                            page.reverse = reverse
                            page.limit = limit
                            let read = try store.cases(page)
                            #expect(read.map(\.number) == sorted.prefix(limit).map(\.number), "\(root) \(page)")
                            #expect(read.allSatisfy { !$0.parties.isEmpty })
                            #expect(try store.countCases(page) == sorted.count, "\(root) \(page)")
                            // Past a cap, no count unless the tally has it.
                            let tallied = Store.choosesByStateAndUnit(page)
                            #expect(
                                try store.countCases(page, upTo: 2) == (tallied || sorted.count <= 2 ? sorted.count : nil),
                                "\(root) \(page)")
                        }
                    }
                }
            }
        }
    }

    /// A unit's page is merged from a share of each unit's keys first: a unit that holds
    /// most of the page, its keys before every other unit's (or after, read in reverse),
    /// is read again, so the page is still the first rows of every match sorted.
    @Test func aUnitHoldingMostOfThePageIsReadAgain() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        for grid in Array(repeating: "G01", count: 9) + ["G02", "G02", "G01"] { _ = try s.file(grid: grid, as: "admin") }
        let store = try Store.open(at: s.db)
        let org = try store.organisation()
        let units = org.subtree(of: org.unit(code: "C01")!.id)
        let g01 = org.unit(code: "G01")!.id
        for heavyFirst in [true, false] {
            // G01's due moments all before G02's, or all after.
            try s.sql(
                """
                UPDATE dispute SET due_at = CASE WHEN unit_id = \(g01) THEN \(heavyFirst ? 1_000 : 900_000) + id
                    ELSE 500000 + id END
                """)
            let all = try Connection(path: s.db, mode: .readOnly).rows(
                "SELECT \(Store.caseColumns) FROM dispute d", [], Store.caseRow
            ).filter { units.contains($0.unitID) && ($0.state.isActive || $0.state == .resolved) }
            #expect(all.count == 12)
            for reverse in [false, true] {
                var sorted = all.sorted { ($0.dueAt, $0.id) < ($1.dueAt, $1.id) }
                if reverse { sorted.reverse() }
                for limit in 1...13 {
                    var page = Store.CaseFilter()
                    page.states = Store.workingStates
                    page.units = units
                    page.reverse = reverse
                    page.limit = limit
                    #expect(try store.cases(page).map(\.id) == sorted.prefix(limit).map(\.id), "\(limit) \(reverse)")
                    #expect(try store.listed(page).map(\.id) == sorted.prefix(limit).map(\.id), "\(limit) \(reverse)")
                }
            }
        }
    }

    /// The text page's lean rows (`Store.listed`) are the cases `Store.cases` reads, in
    /// its order, with the same unit, worker and parties, whichever way the page is read:
    /// the street's index walked, a unit's page merged, a sort of ids.
    @Test func theTextPagesRowsAreTheWholeCasesRows() throws {
        let (s, _) = try Self.street()
        // Five parties with phones; a follow-up's person; in a file, behind the foreign
        // keys' back, a login nobody has and a unit that is gone.
        let many = try s.ok(
            "file", "--grid", "G02", "--category", "邻里", "--severity", "minor", "--source", "patrol", "--summary",
            "五户共用楼道堆物 13912345678", "--party", "甲,applicant,13800000001", "--party", "乙,respondent,13800000002",
            "--party", "丙,other", "--party", "丁,other,13800000004", "--party", "戊,other,13800000005", as: "admin"
        ).trimmingCharacters(in: .newlines)
        for _ in 0..<3 { _ = try s.file(grid: "G03", as: "admin") }
        try s.sql(
            """
            UPDATE dispute SET follow_up_by = 'zhao', state = 'resolved', resolved_at = filed_at,
                follow_up_at = due_at WHERE id = 1
            """)
        if Sandbox.onFile {
            try s.sql(
                """
                PRAGMA foreign_keys = OFF;
                UPDATE dispute SET assignee = 'ghost' WHERE id = (SELECT max(id) FROM dispute);
                UPDATE dispute SET unit_id = 999999 WHERE id = (SELECT max(id) - 1 FROM dispute);
                """)
        }
        let store = try Store.open(at: s.db)
        let org = try store.organisation()
        let names = try store.names(of: Set(try store.people().map(\.actor.login)))
        var filters: [Store.CaseFilter] = []
        for units in [nil, org.subtree(of: org.unit(code: "C01")!.id), org.subtree(of: org.unit(code: "S1")!.id)] {
            for sort in Store.CaseFilter.Sort.allCases {
                for reverse in [false, true] {
                    for states in [Store.workingStates, []] {
                        for limit in [2, 200] {
                            var f = Store.CaseFilter()
                            f.units = units.map { $0.union([999999]) }
                            f.sort = sort
                            f.reverse = reverse
                            f.states = states
                            f.limit = limit
                            filters.append(f)
                        }
                    }
                }
            }
        }
        var overdue = Store.CaseFilter()
        overdue.states = Store.workingStates
        overdue.overdueAt = Int64.max
        overdue.followUpLateBefore = Int64.max
        var followUps = Store.CaseFilter()
        followUps.followUpDueBefore = Int64.max
        filters += [overdue, followUps]
        var seen: Set<String> = []
        for f in filters {
            let whole = try store.cases(f)
            let lean = try store.listed(f)
            #expect(lean.map(\.number) == whole.map(\.number), "\(f)")
            for (l, w) in zip(lean, whole) {
                #expect(l.id == w.id && l.state == w.state && l.severity == w.severity && l.category == w.category)
                #expect(l.dueAt == w.dueAt && l.followUpAt == w.followUpAt && l.summary == w.summary)
                #expect(l.unitCode == org[w.unitID]?.code)
                #expect(l.worker == (w.followUpBy ?? w.assignee).map { names[$0] ?? $0 })
                #expect(l.parties.map(\.name) == w.parties.map(\.name))
                #expect(l.parties.map(\.phone) == w.parties.map(\.phone))
                seen.insert(l.number.description)
                if l.worker == "ghost" { seen.insert("ghost") }
                if l.unitCode == nil { seen.insert("no unit") }
                if w.followUpBy != nil { seen.insert("follow-up") }
            }
        }
        #expect(seen.isSuperset(of: [many, "follow-up"] + (Sandbox.onFile ? ["ghost", "no unit"] : [])), "\(seen)")
        // The page as printed: five parties, phones masked, how many; the summary's number masked.
        let page = try s.ok("list", "--lang", "zh")
        let row = try #require(page.split(separator: "\n").first { $0.hasPrefix(many) })
        #expect(row.contains("甲 138****0001; 乙 138****0002; 丙 等 5 人"), "\(row)")
        #expect(row.contains("五户共用楼道堆物 139****5678") && !row.contains("丁"), "\(row)")
        #expect(try !Sandbox.onFile || s.ok("list").contains("ghost"))
    }

    @Test func csvForListsToo() throws {
        let (s, n) = try Self.street()
        let csv = try s.run(["list", "--format", "csv", "--lang", "zh"]).stdout
        let lines = csv.split(separator: "\r\n")
        #expect(lines.first?.hasPrefix("编号,状态,单位,等级,类别,承办,期限") == true, "\(csv)")
        #expect(lines.count == 3)
        #expect(csv.contains("\(n[1]),调解中,G03,较大,物业,赵强,2026-10-10"), "\(csv)")
    }

    @Test func theSummaryFitsTheTerminalAndIsWholeInAPipe() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let long = String(repeating: "楼上漏水导致楼下天花板发霉，", count: 10) + "需要尽快处理"
        let n = try s.ok(
            "file", "--grid", "G01", "--category", "邻里", "--severity", "minor", "--source", "patrol", "--summary",
            long, "--party", "张三,applicant", as: "wang"
        ).trimmingCharacters(in: .newlines)
        // Piped: the whole summary, so grep finds its end.
        #expect(try s.ok("list").contains("需要尽快处理"))
        for width in [80, 120] {
            let r = try s.run(["list", "--lang", "zh"], env: ["COLUMNS": String(width)])
            let rows = r.stdout.split(separator: "\n").map(String.init)
            #expect(rows.allSatisfy { $0.displayWidth <= width }, "\(width): \(r.stdout)")
            let row = try #require(rows.first { $0.hasPrefix(n) })
            #expect(row.hasSuffix("..."))
            #expect(row.displayWidth >= width - 2, "the summary takes the room left: \(row)")
        }
    }
}

@Suite struct QuietCronTests {
    @Test func cronWithoutHomeIsToldToSetMediateDB() throws {
        let r = try Sandbox.launch(["sweep"], environment: ["PATH": "/usr/bin:/bin"], stdin: nil)
        #expect(r.status == 64, "\(r)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("MEDIATE_DB"), "\(r)")
    }

    @Test func backupIsQuietOnSuccessAndOneLineOnFailure() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let copy = s.dir.appendingPathComponent("b.db").path
        #expect(try s.ok("backup", copy) == "")
        let again = try s.run(["backup", copy])
        #expect(again.status != 0 && again.stderr.split(separator: "\n").count == 1, "\(again)")
        // The crontab's line, under `env -i` with only a PATH and the database.
        let r = try Sandbox.launch(
            ["sweep", "--lang", "zh"], environment: ["PATH": "/usr/bin:/bin", "MEDIATE_DB": s.db], stdin: nil)
        #expect(r.status == 0 && r.stdout.isEmpty && r.stderr.isEmpty, "\(r)")
    }
}

@Suite struct FollowUpReportTests {
    @Test func theMonthlyReportCountsFollowUpsAndAgreementsPerformedPerGrid() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        s.now = "2026-10-02T09:00:00+08:00"
        let cases = try (0..<3).map { _ in try s.file() }
        for n in cases {
            try s.ok("accept", n, as: "wang")
            try s.ok("resolve", n, "--agreement", "赔偿", "--perform-by", "2026-10-05", as: "wang")
        }
        s.now = "2026-10-08T09:00:00+08:00"
        try s.ok("close", cases[0], "--note", "已履行", "--satisfaction", "满意", "--outcome", "履行", as: "chen")
        try s.ok("close", cases[1], "--note", "只付一半", "--satisfaction", "无法联系", "--outcome", "部分履行", as: "chen")
        s.now = "2026-11-02T06:00:00+08:00"
        let csv = try s.run(["report", "--month", "2026-10", "--format", "csv", "--lang", "zh"]).stdout
        #expect(csv.contains("满意率,回访,履行率,"), "\(csv)")
        // Two followed up, one performed in full; satisfaction counts only the one reached.
        #expect(csv.contains("网格,G01,东湖一网格,3,3,1.0,3,1.0,0,0,0,0,0,0.0,1.0,2,0.5,"), "\(csv)")
        let json = try s.ok("report", "--month", "2026-10", "--format", "json")
        #expect(json.contains(#""followed_up": 2"#) && json.contains(#""performance_rate": 0.5"#))
    }
}

@Suite struct PasteableReportTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func theReportWrapsToTheWidthKeepingTheUnitColumnAndCSVTakesABOM() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        _ = try s.file()
        let wide = try s.ok("report", "--month", "2026-10")
        #expect(wide.split(separator: "\n").contains { String($0).displayWidth > 80 }, "piped: one wide table")
        let r = try s.run(["report", "--month", "2026-10", "--lang", "zh"], env: ["COLUMNS": "80"])
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.displayWidth <= 80 }, "\(r.stdout)")
        #expect(lines.first == "东湖街道人民调解统计（2026年10月1日至10月31日）")
        // Two blocks, each with the unit column and every grid.
        #expect(lines.filter { $0.hasPrefix("单位 ") }.count == 2, "\(r.stdout)")
        #expect(lines.filter { $0.hasPrefix("G01 东湖一网格") }.count == 2)
        #expect(lines.contains { $0.contains("履行率") })
        let narrow = try s.ok("report", "--month", "2026-10", "--width", "60")
        #expect(narrow.split(separator: "\n").allSatisfy { String($0).displayWidth <= 60 }, "\(narrow)")
        #expect(narrow.contains("Cases registered 1–31 October 2026"))
        let csv = try s.ok("report", "--month", "2026-10", "--format", "csv", "--bom")
        #expect(csv.hasPrefix("\u{FEFF}kind,code,name,"))
        #expect(!(try s.ok("report", "--month", "2026-10", "--format", "csv")).hasPrefix("\u{FEFF}"))
        #expect(try s.run(["report", "--bom", "--format", "json"]).status == 64)
    }

    @Test func theMonthlyReportWrapperWritesGB18030ForChineseWindows() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let env = [
            "PATH": "/usr/bin:/bin", "MEDIATE_DB": s.db, "MEDIATE_BIN": Sandbox.binary.path,
            "MEDIATE_NOW": "2026-11-02T07:00:00+08:00",
        ]
        let script = Self.root.appendingPathComponent("Scripts/monthly-report").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        process.arguments = ["--lang", "zh", "--format", "csv", "--encoding", "gb18030"]
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let bytes = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        // 类型 in GB18030 is C0 E0 D0 CD.
        #expect(Array(bytes.prefix(4)) == [0xC0, 0xE0, 0xD0, 0xCD], "\(Array(bytes.prefix(8)))")
        #expect(String(data: bytes, encoding: .utf8) == nil, "not UTF-8 any more")
    }

    @Test func theCrontabLinesRunUnderEnvIAndSayNothingWhenAllIsWell() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        try s.ok("person", "add", "--login", "office", "--name", "街道办", "--role", "admin")
        let crontab = try String(
            contentsOf: Self.root.appendingPathComponent("Scripts/crontab.example"), encoding: .utf8)
        let lines = crontab.split(separator: "\n").map(String.init).filter { $0.first?.isNumber == true }
        #expect(lines.count == 3)
        #expect(crontab.contains("MEDIATE_USER=office"))
        for line in lines {
            // The command after the five time fields, with the installed paths pointed here.
            let command = line.replacingOccurrences(
                of: "/backup/mediate-$(date +\\%F).db", with: s.dir.path + "/nightly.db")
            var words = command.split(separator: " ", omittingEmptySubsequences: true).dropFirst(5).map(String.init)
            if words[0].hasSuffix("/monthly-report") {
                words[0] = Self.root.appendingPathComponent("Scripts/monthly-report").path
            } else {
                words[0] = Sandbox.binary.path
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: words[0])
            process.arguments = Array(words.dropFirst())
            process.environment = [
                "PATH": "/usr/bin:/bin", "MEDIATE_DB": s.db, "MEDIATE_USER": "office",
                "MEDIATE_BIN": Sandbox.binary.path,
            ]
            let out = Pipe()
            let err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(line): \(stderr)")
            #expect(stderr.isEmpty, "\(line): \(stderr)")
            // Only the monthly report prints: cron mails it.
            #expect(stdout.isEmpty == !line.contains("monthly-report"), "\(line): \(stdout)")
        }
        #expect(FileManager.default.fileExists(atPath: s.dir.path + "/nightly.db"))
    }

    @Test func unitImportTakesTheShippedExampleUnderEitherName() throws {
        let s = try Sandbox()
        try s.ok("init", "--admin", "admin", "--timezone", "Asia/Shanghai")
        let example = Self.root.appendingPathComponent("Scripts/examples/units.csv").path
        #expect(try s.ok("unit", "import", example) == "Imported 6 units.\n")
        #expect(try s.ok("unit", "list").contains("G03"))
        let help = try s.ok("units", "import", "--help")
        #expect(help.contains("code,name,level,parent") && help.contains("Scripts/examples/units.csv"))
        #expect(try s.ok("unit", "import", "--help") == help)
    }
}

@Suite struct DemoSeedTests {
    /// The demo's cases, as JSON, built with `seed` in a folder of its own.
    static func street(seed: String) throws -> (json: String, s: Sandbox) {
        let s = try Sandbox()
        s.now = "2026-11-20T09:00:00+08:00"
        try s.ok("demo", "--dir", s.dir.path, "--cases", "120", "--seed", seed, "--quiet")
        let db = s.dir.appendingPathComponent("demo.db").path
        var json = try s.ok("list", "--all", "--limit", "1000", "--format", "json", "--db", db)
        #expect(try s.ok("verify", "--db", db).hasPrefix("Verified"))
        json = json.replacingOccurrences(of: s.dir.path, with: "DIR")
        return (json, s)
    }

    @Test func theSameSeedGivesTheSameStreetAndTheDemoKeepsTheRules() throws {
        let (a, s) = try Self.street(seed: "7")
        let (b, _) = try Self.street(seed: "7")
        let (other, _) = try Self.street(seed: "8")
        #expect(a == b)
        #expect(a != other)
        // Every closed case: closed on or after its perform-by day, with what the follow-up
        // found, and a note that agrees with the satisfaction recorded.
        let db = s.dir.appendingPathComponent("demo.db").path
        let closed = try s.ok("list", "--state", "closed", "--limit", "1000", "--format", "json", "--db", db)
        let numbers = closed.components(separatedBy: #""number": ""#).dropFirst().map { String($0.prefix(9)) }
        #expect(numbers.count > 10)
        var outcomes = Set<String>()
        for n in numbers {
            let shown = try s.ok("show", n, "--format", "json", "--db", db)
            let close = try #require(shown.components(separatedBy: #""action": "close""#).last)
            for (satisfaction, word) in [("unsatisfied", "无异议"), ("satisfied", "未按协议"), ("unreached", "无异议")] {
                #expect(!(close.contains(#""satisfaction": "\#(satisfaction)""#) && close.contains(word)), "\(n)")
            }
            if let p = close.components(separatedBy: #""performance": ""#).dropFirst().first {
                outcomes.insert(String(p.prefix { $0 != "\"" }))
            }
        }
        #expect(outcomes == ["performed", "partly", "not"], "\(outcomes)")
    }
}

@Suite struct AlignmentTests {
    /// Columns as the C library counts them (wcwidth, as `ls` and `column` do): CJK two,
    /// East Asian ambiguous punctuation (“” · … —) one, as terminals draw it.
    static func columns(_ text: Substring) -> Int {
        typealias WCWidth = @convention(c) (Int32) -> Int32
        _ = setlocale(LC_CTYPE, "C.UTF-8")
        // glibc's wcwidth, which Swift's Glibc module does not export.
        let wcwidth = unsafeBitCast(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "wcwidth")!, to: WCWidth.self)
        return text.unicodeScalars.reduce(0) { $0 + max(0, Int(wcwidth(Int32(bitPattern: $1.value)))) }
    }

    @Test func cjkAndAmbiguousWidthCellsLineUpAsTheTerminalDrawsThem() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        for (party, summary) in [("阿卜杜·买买提", "“漏水”…天花板—发霉"), ("Li Lei", "plain ascii summary"), ("王小明", "楼上漏水①")] {
            try s.ok(
                "file", "--grid", "G01", "--category", "邻里", "--severity", "minor", "--source", "patrol", "--summary",
                summary, "--party", "\(party),applicant", as: "wang")
        }
        let out = try s.run(["list", "--lang", "zh"], env: ["COLUMNS": "200"]).stdout
        let lines = out.split(separator: "\n")
        let header = try #require(lines.first)
        let at = Self.columns(header[..<header.range(of: "摘要")!.lowerBound])
        for summary in ["“漏水”…天花板—发霉", "plain ascii summary", "楼上漏水①"] {
            let row = try #require(lines.first { $0.contains(summary) })
            #expect(Self.columns(row[..<row.range(of: summary)!.lowerBound]) == at, "\(out)")
        }
    }
}
