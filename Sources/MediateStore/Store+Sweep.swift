import MediateCore

extension Store {
    /// The daily sweep at `now`: escalates overdue cases below their ceiling and flags
    /// those at it for supervision, each case in its own transaction. With `dryRun` it only says
    /// what it would do. A second run at the same moment finds nothing to do. `actor` is
    /// the registered person cron runs as, else the system.
    /// Returns each case as it was before, with what the sweep did to it, and the machine
    /// that decided: of the organisation, the candidates' units and those above them
    /// (an escalation's parent among them); nil when no case was a candidate, for then
    /// nothing was read to decide with.
    public func sweep(
        at now: Int64, entered: Int64, dryRun: Bool, by actor: String = Actor.system.login
    ) throws(StoreError) -> (machine: Machine?, done: [(Case, Event)]) {
        try sealed {
            // Late follow-ups: a week past their day (the machine decides, by days of the zone).
            let weekAgo = zone.instant(zone.day(now).adding(days: -Case.followUpGraceDays))
            let candidates = try sweepCandidates(at: now, followUpBefore: weekAgo)
            if candidates.isEmpty { return (nil, []) }
            var units = Set(candidates.map(\.unitID))
            var machine = try machine(deciding: units)
            let plan = candidates.compactMap { c in machine.sweep(c, at: now, by: actor).map { (c, $0) } }
            if dryRun || plan.isEmpty { return (machine, plan) }
            // Each case in its own transaction, decided again on the case as it is found
            // there: a writer acting on one case meanwhile never fails the whole run.
            var done: [(Case, Event)] = []
            for (planned, _) in plan {
                // Counted once committed: a transaction retried on a server is decided again.
                let acted: (Case, Event)? = try db.transaction {
                    try lockCase(id: planned.id)
                    guard let c = try findCase(id: planned.id) else { return nil }
                    // Moved meanwhile to a unit the machine has not read: read it too.
                    if machine.organisation[c.unitID] == nil {
                        units.insert(c.unitID)
                        machine = try self.machine(deciding: units)
                    }
                    guard let event = machine.sweep(c, at: now, by: actor) else { return nil }
                    try write(c.applying(event), after: event, expecting: c.version, entered: entered)
                    return (c, event)
                }
                if let acted { done.append(acted) }
            }
            return (machine, done)
        }
    }

    /// The cases the sweep acts on at `now`, read from indexes that hold nothing else
    /// (migration 008), so that the cases it leaves alone cost nothing however many
    /// years of them the file holds: overdue active cases not yet under supervision;
    /// those under supervision still below their severity's ceiling and in a unit with
    /// one above it (escalated, not flagged again); resolved cases whose follow-up day is before `followUpBefore`
    /// (a week late, by days of the zone) and not flagged since their agreement. The
    /// machine decides on each as before; these are the cases `Machine.sweep` acts on.
    func sweepCandidates(at now: Int64, followUpBefore: Int64) throws -> [Case] {
        let active = Self.activeStates
        let resolved = "'\(CaseState.resolved.rawValue)'"
        return try db.rows(
            """
            SELECT \(Self.caseColumns) FROM dispute d INDEXED BY dispute_overdue_unsupervised
            WHERE d.state IN \(active) AND d.supervised_at IS NULL AND d.due_at < ?1 AND d.last_event_at <= ?1
            UNION ALL
            SELECT \(Self.caseColumns) FROM severity s CROSS JOIN dispute d INDEXED BY dispute_overdue_supervised
            WHERE d.severity = s.code AND d.state IN \(active) AND d.supervised_at IS NOT NULL AND d.level < s.ceiling
              AND d.due_at < ?1 AND d.last_event_at <= ?1
              AND EXISTS (SELECT 1 FROM unit u WHERE u.id = d.unit_id AND u.parent_id IS NOT NULL)
            ORDER BY 16, 1
            """, [.int(now)], Self.caseRow)
            + db.rows(
                """
                SELECT \(Self.caseColumns) FROM dispute d INDEXED BY dispute_follow_up_unflagged
                WHERE d.state = \(resolved) AND (d.supervised_at IS NULL OR d.supervised_at < d.resolved_at)
                  AND d.resolved_at IS NOT NULL AND d.follow_up_at < ?2 AND d.last_event_at <= ?1
                ORDER BY d.follow_up_at, d.id
                """, [.int(now), .int(followUpBefore)], Self.caseRow)
    }
}
