import MediateCore

extension Store {
    /// The daily sweep at `now`: escalates overdue cases below their ceiling and flags
    /// those at it for supervision, all in one transaction. With `dryRun` it only says
    /// what it would do. A second run at the same moment finds nothing to do. `actor` is
    /// the registered person cron runs as, else the system.
    /// Returns each case as it was before, with what the sweep did to it.
    public func sweep(
        machine: Machine, at now: Int64, entered: Int64, dryRun: Bool, by actor: String = Actor.system.login
    ) throws(StoreError) -> [(Case, Event)] {
        try sealed {
            // Late follow-ups: a week past their day (the machine decides, by days of the zone).
            let weekAgo = zone.instant(zone.day(now).adding(days: -Case.followUpGraceDays))
            let candidates = try sweepCandidates(at: now) + lateFollowUps(before: weekAgo)
            let plan = candidates.compactMap { c in machine.sweep(c, at: now, by: actor).map { (c, $0) } }
            if dryRun || plan.isEmpty { return plan }
            // Each case in its own transaction, decided again on the case as it is found
            // there: a writer acting on one case meanwhile never fails the whole run.
            var done: [(Case, Event)] = []
            for (planned, _) in plan {
                try db.transaction {
                    try lockCase(id: planned.id)
                    guard let c = try findCase(id: planned.id), let event = machine.sweep(c, at: now, by: actor) else {
                        return
                    }
                    try write(c.applying(event), after: event, expecting: c.version, entered: entered)
                    done.append((c, event))
                }
            }
            return done
        }
    }

    /// The overdue cases the sweep may act on, read without those it would leave alone:
    /// a case already flagged for supervision at or above its severity's ceiling has
    /// nothing more to happen until it moves. A superset of what `Machine.sweep` acts
    /// on (the machine decides); at a million cases it keeps the sweep's reading to the
    /// cases it acts on, not the thousands waiting under supervision.
    func sweepCandidates(at now: Int64) throws -> [Case] {
        try db.rows(
            """
            SELECT \(Self.caseColumns) FROM dispute d
            WHERE d.state IN \(Self.activeStates) AND d.due_at < ?
              AND (d.supervised_at IS NULL OR d.level < (SELECT s.ceiling FROM severity s WHERE s.code = d.severity))
            ORDER BY d.due_at, d.id
            """, [.int(now)], Self.caseRow)
    }
}
