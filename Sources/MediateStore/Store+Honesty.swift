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
    /// Counts events that took effect in [start, end) and before `cutoff`, so that a
    /// period that has ended gives the same figures whenever it is counted.
    public func honestFigures(start: Int64, end: Int64, cutoff: Int64) throws(StoreError) -> HonestFigures {
        try sealed {
            let policy = try self.policy()
            let until = min(end, cutoff)
            var h = HonestFigures()
            // One reading of the period's events (the effective-time index, each event's
            // row once); the few that need more (entered late, escalated without breach)
            // are looked up afterwards.
            var late: [Int64] = []
            var escalations: [(caseID: Int64, seq: Int64, at: Int64)] = []
            try db.each(
                """
                SELECT e.case_id, e.case_seq, e.action, e.effective_at, e.entered_at, e.breach,
                    CASE WHEN e.action = 'access.reveal' THEN e.detail END
                FROM event e WHERE e.effective_at >= ? AND e.effective_at < ?
                """, [.int(start), .int(until)]
            ) { r in
                let action = r.text(2)
                if let caseID = r.optionalInt(0) {
                    if Honesty.isBackDated(effective: r.int(3), entered: r.int(4)) { late.append(caseID) }
                    if action == ActionKind.escalate.rawValue && r.int(5) == 0, let seq = r.optionalInt(1) {
                        escalations.append((caseID, seq, r.int(3)))
                    }
                }
                if action == "access.reveal" {
                    let unit = (JSON.parseFlatObject(r.text(6)) ?? []).first { $0.0 == "unit" }?.1 ?? ""
                    h.reveals[unit, default: 0] += 1
                }
            }
            let grid = "SELECT origin_unit_id FROM dispute WHERE id = ?"
            for caseID in late {
                if let g = try db.int(grid, [.int(caseID)]) { h.backDated[g, default: 0] += 1 }
            }
            // Each permitted escalation, against the severity raises shortly before it.
            for (caseID, seq, at) in escalations {
                guard let g = try db.int(grid, [.int(caseID)]),
                    let leaving = try db.int(
                        "SELECT level FROM event WHERE case_id = ? AND case_seq = ?", [.int(caseID), .int(seq - 1)])
                else { continue }
                // The severities before and after each assessment in the window.
                let raises = try db.rows(
                    """
                    SELECT (SELECT p.severity FROM event p WHERE p.case_id = a.case_id AND p.case_seq = a.case_seq - 1),
                        a.severity
                    FROM event a
                    WHERE a.case_id = ? AND a.action = ? AND a.case_seq < ? AND a.effective_at >= ?
                    """,
                    [
                        .int(caseID), .text(ActionKind.assess.rawValue), .int(seq),
                        .int(at - Honesty.relabelWindow),
                    ]
                ) { ($0.optionalText(0), $0.optionalText(1)) }
                if raises.contains(where: { old, new in
                    guard let old, let new else { return false }
                    return Honesty.relabelled(policy, from: old, to: new, leaving: Int(leaving))
                }) {
                    h.relabelled[g, default: 0] += 1
                }
            }
            return h
        }
    }
}
