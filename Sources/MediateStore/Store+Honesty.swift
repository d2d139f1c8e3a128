import MediateCore

/// The honest figures of a period, beside the report's own: per origin grid, the events
/// entered late (补录) and the escalations a severity raised shortly before made
/// permitted; per unit of the person, the reveals of residents' numbers.
public struct HonestFigures: Sendable, Equatable {
    public var backDated: [Int64: Int] = [:]
    public var relabelled: [Int64: Int] = [:]
    /// Unit code ("" for the whole deployment) → reveals.
    public var reveals: [String: Int] = [:]
}

extension Store {
    /// The period's events as the honest figures read them. Every column but the detail
    /// is in `event_effective` (migration 012), so SQLite reads an event's row only for
    /// a reveal, whose detail names the unit (its seek is deferred until the CASE asks).
    private static let revealAction = Access.reveal([]).action
    static let periodEvents = """
        SELECT e.case_id, e.effective_at, e.entered_at, e.action,
            CASE WHEN e.action = '\(revealAction)' THEN e.detail END,
            CASE WHEN e.action = '\(ActionKind.escalate.rawValue)' AND e.breach = 0 THEN e.id END
        FROM event e WHERE e.effective_at >= ? AND e.effective_at < ?
        """

    /// Counts events that took effect in [start, end) and before `cutoff`, so that a
    /// period that has ended gives the same figures whenever it is counted.
    public func honestFigures(
        start: Int64, end: Int64, cutoff: Int64, policy: Policy
    ) throws(StoreError) -> HonestFigures {
        try sealed {
            let until = min(end, cutoff)
            var h = HonestFigures()
            // An escalation was made permitted only by an assessment of its case that took
            // effect at most the window before it, so at or after the period's start less
            // the window and before its end: the cases with one, from the assessments' own
            // index (migration 013). The escalations of other cases cannot have been, and
            // are not looked up.
            var assessed = Set<Int64>()
            try db.each(
                """
                SELECT case_id FROM event INDEXED BY event_assessed
                WHERE action = '\(ActionKind.assess.rawValue)' AND effective_at >= ? AND effective_at < ?
                """, [.int(start - Honesty.relabelWindow), .int(until)]
            ) { r in assessed.insert(r.int(0)) }
            // One reading of the period's events (the effective-time index, which holds
            // what is read of them but a reveal's detail); the few entered late and the
            // permitted escalations are looked up afterwards, by id.
            var late: [Int64] = []
            var escalations: [JSON] = []
            let reveal = Array(Self.revealAction.utf8)
            try db.each(Self.periodEvents, [.int(start), .int(until)]) { r in
                if let caseID = r.optionalInt(0), Honesty.isBackDated(effective: r.int(1), entered: r.int(2)) {
                    late.append(caseID)
                }
                if let id = r.optionalInt(5), let caseID = r.optionalInt(0), assessed.contains(caseID) {
                    escalations.append(.int(id))
                }
                if r.withText(3, { $0.elementsEqual(reveal) }) {
                    let unit = (JSON.parseFlatObject(r.text(4)) ?? []).first { $0.0 == "unit" }?.1 ?? ""
                    h.reveals[unit, default: 0] += 1
                }
            }
            let grid = "SELECT origin_unit_id FROM dispute WHERE id = ?"
            for caseID in late {
                if let g = try db.int(grid, [.int(caseID)]) { h.backDated[g, default: 0] += 1 }
            }
            // Each permitted escalation of the period, with the level it left and every
            // assessment of its case in the window before it (the severity before and
            // after): one statement, its rows grouped by escalation.
            var current: (id: Int64, grid: Int64, relabelled: Bool)? = nil
            func settle() {
                if let c = current, c.relabelled { h.relabelled[c.grid, default: 0] += 1 }
            }
            if !escalations.isEmpty {
                try db.each(
                    """
                    SELECT e.id, d.origin_unit_id,
                        (SELECT l.level FROM event l WHERE l.case_id = e.case_id AND l.case_seq = e.case_seq - 1),
                        (SELECT p.severity FROM event p WHERE p.case_id = a.case_id AND p.case_seq = a.case_seq - 1),
                        a.severity
                    FROM event e
                    JOIN dispute d ON d.id = e.case_id
                    LEFT JOIN event a ON a.case_id = e.case_id AND a.action = ? AND a.case_seq < e.case_seq
                        AND a.effective_at >= e.effective_at - ?
                    WHERE e.id IN (SELECT CAST(value AS BIGINT) FROM json_each(?))
                    ORDER BY e.id
                    """,
                    [
                        .text(ActionKind.assess.rawValue), .int(Honesty.relabelWindow),
                        .text(JSON.array(escalations).rendered()),
                    ]
                ) { r in
                    let id = r.int(0)
                    if current?.id != id {
                        settle()
                        current = (id, r.int(1), false)
                    }
                    guard let leaving = r.optionalInt(2), let old = r.optionalText(3), let new = r.optionalText(4)
                    else { return }
                    if Honesty.relabelled(policy, from: old, to: new, leaving: Int(leaving)) {
                        current?.relabelled = true
                    }
                }
                settle()
            }
            return h
        }
    }
}
