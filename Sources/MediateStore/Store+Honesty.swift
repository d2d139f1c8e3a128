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
            try db.each(
                """
                SELECT d.origin_unit_id, e.effective_at, e.entered_at FROM event e JOIN dispute d ON d.id = e.case_id
                WHERE e.effective_at >= ? AND e.effective_at < ?
                """, [.int(start), .int(until)]
            ) { r in
                if Honesty.isBackDated(effective: r.int(1), entered: r.int(2)) {
                    h.backDated[r.int(0), default: 0] += 1
                }
            }
            // Each permitted escalation, against the severity raises shortly before it.
            let escalations = try db.rows(
                """
                SELECT e.case_id, e.case_seq, e.effective_at, d.origin_unit_id,
                    (SELECT p.level FROM event p WHERE p.case_id = e.case_id AND p.case_seq = e.case_seq - 1)
                FROM event e JOIN dispute d ON d.id = e.case_id
                WHERE e.action = ? AND e.breach = 0 AND e.effective_at >= ? AND e.effective_at < ?
                """, [.text(ActionKind.escalate.rawValue), .int(start), .int(until)]
            ) { ($0.int(0), $0.int(1), $0.int(2), $0.int(3), $0.optionalInt(4)) }
            for (caseID, seq, at, grid, leaving) in escalations {
                guard let leaving else { continue }
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
                    h.relabelled[grid, default: 0] += 1
                }
            }
            try db.each(
                "SELECT detail FROM event WHERE action = 'access.reveal' AND effective_at >= ? AND effective_at < ?",
                [.int(start), .int(until)]
            ) { r in
                let unit = (JSON.parseFlatObject(r.text(0)) ?? []).first { $0.0 == "unit" }?.1 ?? ""
                h.reveals[unit, default: 0] += 1
            }
            return h
        }
    }
}
