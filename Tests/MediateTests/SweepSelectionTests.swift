import Foundation
import MediateCore
import Testing

@testable import MediateCLI
@testable import MediateStore

/// The sweep reads its cases with conditions in SQL (migration 008's indexes), so that
/// the cases it leaves alone cost nothing. Those conditions must select exactly the
/// cases the machine acts on: checked here on a demo street, with cases moved to
/// every side of each boundary, at moments one second either side of them.
@Suite struct SweepSelectionTests {
    @Test func theSweepReadsExactlyTheCasesTheMachineActsOn() throws {
        let s = try Sandbox()
        _ = try s.ok("demo", "--quiet", "--dir", s.dir.path, "--cases", "240", "--months", "4")
        let path = s.dir.appendingPathComponent("demo.db").path
        // Behind the store's back, cases on each side of each condition: supervised
        // below the ceiling (escalated again), supervised at it (left alone), not
        // supervised; follow-ups flagged before and after the agreement; a last event
        // after the moment of the sweep.
        let db = try Connection(path: path, mode: .readWrite)
        try db.execute(
            """
            UPDATE dispute SET supervised_at = NULL WHERE id % 5 = 0 AND state IN ('open', 'mediating');
            UPDATE dispute SET supervised_at = due_at, level = 1 WHERE id % 7 = 0 AND state IN ('open', 'mediating');
            UPDATE dispute SET supervised_at = due_at WHERE id % 11 = 0 AND state IN ('open', 'mediating');
            UPDATE dispute SET supervised_at = resolved_at - 1 WHERE id % 3 = 0 AND state = 'resolved';
            UPDATE dispute SET supervised_at = resolved_at WHERE id % 3 = 1 AND state = 'resolved';
            UPDATE dispute SET last_event_at = due_at + 1 WHERE id % 13 = 0;
            """)
        let store = try Store.open(at: path)
        let machine = try store.machine()
        let zone = store.zone
        let all = try db.rows("SELECT \(Store.caseColumns) FROM dispute d ORDER BY d.id", [], Store.caseRow)
        #expect(all.count == 240)
        // Moments at each boundary: due dates, last events, a week after follow-up days.
        var moments: Set<Int64> = []
        for c in all where c.id % 4 == 0 {
            for at in [c.dueAt, c.lastEventAt] { moments.formUnion([at - 1, at, at + 1]) }
            if let f = c.followUpAt {
                let late = zone.instant(zone.day(f).adding(days: Case.followUpGraceDays + 1))
                moments.formUnion([late - 1, late, late + 1])
            }
        }
        var acted = 0
        for now in moments.sorted() {
            let before = zone.instant(zone.day(now).adding(days: -Case.followUpGraceDays))
            let read = try store.sweepCandidates(at: now, followUpBefore: before).map(\.id)
            let expected = all.filter { machine.sweep($0, at: now) != nil }.map(\.id)
            #expect(read.sorted() == expected, "at \(now)")
            acted += expected.count
        }
        // The street gives the check something to find on every side.
        #expect(acted > 0)
        #expect(all.contains { $0.state == .resolved })
    }
}
