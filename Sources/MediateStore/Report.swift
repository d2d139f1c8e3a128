import MediateCore

/// One case of a report's cohort, as it stood at the report's cutoff.
struct CohortCase {
    let grid: Int64
    let state: CaseState
    let topLevel: Int
    let category: String
    let source: String
    let filedAt: Int64
    let dueAt: Int64
    let breaches: Int
    let resolvedAt: Int64?
    let amountFen: Int64?
    let oral: Bool
    let satisfaction: Satisfaction?
    /// What the follow-up found, for a case closed with it recorded.
    let performance: Performance?
}

/// The figures of one row of the report: a grid, a community, the street, a category
/// or a source. Every figure counts cases filed in the period, as they stood at the cutoff.
public struct Figures: Sendable, Equatable {
    public var filed = 0
    /// Resolved or closed.
    public var resolved = 0
    /// Resolved without ever leaving the lowest level (小事不出网格).
    public var resolvedInGrid = 0
    /// Reached the second level (the community) or higher.
    public var escalated = 0
    /// Reached the third level or higher, or referred out (上交).
    public var leftCommunity = 0
    public var referred = 0
    public var withdrawn = 0
    /// Escalations above the severity's ceiling.
    public var breaches = 0
    /// Open or mediating.
    public var stillOpen = 0
    /// Open or mediating past the due date, at the cutoff.
    public var overdue = 0
    /// Closed with satisfaction recorded, and of those satisfied or basically satisfied.
    public var rated = 0
    public var satisfied = 0
    public var agreements = 0
    public var oralAgreements = 0
    public var amountFen: Int64 = 0
    /// Closed after a follow-up that recorded the agreement's performance, and of
    /// those performed in full (履行).
    public var followedUp = 0
    public var performed = 0
    /// Seconds from filing to resolution of each resolved case, for the median.
    public var durations: [Int64] = []

    public init() {}

    public var resolutionRate: Double? { ratio(resolved, filed) }
    /// Of the resolved cases, the share resolved inside the grid.
    public var inGridRate: Double? { ratio(resolvedInGrid, resolved) }
    public var satisfactionRate: Double? { ratio(satisfied, rated) }
    /// Of the agreements followed up, the share performed in full (履行率).
    public var performanceRate: Double? { ratio(performed, followedUp) }

    /// Median days from filing to resolution; nil when nothing was resolved.
    public var medianDays: Double? {
        guard !durations.isEmpty else { return nil }
        let sorted = durations.sorted()
        let mid = sorted.count / 2
        let seconds = sorted.count % 2 == 1 ? Double(sorted[mid]) : Double(sorted[mid - 1] + sorted[mid]) / 2
        return seconds / 86_400
    }

    private func ratio(_ a: Int, _ b: Int) -> Double? { b == 0 ? nil : Double(a) / Double(b) }

    /// Counts one case by the domain's own rules: what is resolved, overdue, escalated
    /// out of the grid, and gone from the community.
    mutating func add(_ c: CohortCase, at cutoff: Int64, policy: Policy) {
        filed += 1
        if c.state.isResolved {
            resolved += 1
            if !policy.leftGrid(topLevel: c.topLevel) { resolvedInGrid += 1 }
            if let at = c.resolvedAt { durations.append(at - c.filedAt) }
            agreements += 1
            if c.oral { oralAgreements += 1 }
            amountFen += c.amountFen ?? 0
        } else if c.state.isActive {
            stillOpen += 1
            // Overdue at the last moment counted.
            if Case.isOverdue(state: c.state, dueAt: c.dueAt, at: cutoff - 1) { overdue += 1 }
        } else if c.state == .referred {
            referred += 1
        } else if c.state == .withdrawn {
            withdrawn += 1
        }
        if policy.leftGrid(topLevel: c.topLevel) { escalated += 1 }
        if policy.leftCommunity(topLevel: c.topLevel, state: c.state) { leftCommunity += 1 }
        breaches += c.breaches
        if let p = c.performance {
            followedUp += 1
            if p == .performed { performed += 1 }
        }
        // Parties not reached gave no rating.
        if let s = c.satisfaction, s.isRating {
            rated += 1
            if s != .unsatisfied { satisfied += 1 }
        }
    }

    public static func + (a: Figures, b: Figures) -> Figures {
        var s = a
        s.filed += b.filed
        s.resolved += b.resolved
        s.resolvedInGrid += b.resolvedInGrid
        s.escalated += b.escalated
        s.leftCommunity += b.leftCommunity
        s.referred += b.referred
        s.withdrawn += b.withdrawn
        s.breaches += b.breaches
        s.stillOpen += b.stillOpen
        s.overdue += b.overdue
        s.rated += b.rated
        s.satisfied += b.satisfied
        s.agreements += b.agreements
        s.oralAgreements += b.oralAgreements
        s.amountFen += b.amountFen
        s.durations += b.durations
        s.followedUp += b.followedUp
        s.performed += b.performed
        return s
    }
}

/// The per-grid report of a period, with subtotals per unit above the grids.
public struct Report: Sendable {
    public struct Row: Sendable {
        public let unit: Unit
        public let figures: Figures
    }

    public let start: Int64
    public let end: Int64
    /// Events that took effect before this moment count.
    public let cutoff: Int64
    /// Grid rows, each community's subtotal after its grids, each street's total last:
    /// tree order, every unit of the scope present even with no cases.
    public let rows: [Row]
    public let total: Figures
    public let byCategory: [(code: String, figures: Figures)]
    public let bySource: [(code: String, figures: Figures)]
}

extension Store {
    /// Builds the report of cases filed in [start, end) under `scope` (nil: everything),
    /// as the events stood just before `cutoff`. A cutoff at or before now gives the same
    /// figures whenever it is run.
    public func report(start: Int64, end: Int64, cutoff: Int64, scope: Int64?) throws(StoreError) -> Report {
        try sealed {
            let policy = try self.policy()
            let org = try organisation()
            let lowest = policy.lowestRank
            let inScope: (Int64) -> Bool = { unit in scope.map { org.contains($0, unit) } ?? true }
            let cases = try cohort(start: start, end: min(end, cutoff), cutoff: cutoff).filter { inScope($0.grid) }

            var perGrid: [Int64: Figures] = [:]
            var perCategory: [String: Figures] = [:]
            var perSource: [String: Figures] = [:]
            for c in cases {
                perGrid[c.grid, default: Figures()].add(c, at: cutoff, policy: policy)
                perCategory[c.category, default: Figures()].add(c, at: cutoff, policy: policy)
                perSource[c.source, default: Figures()].add(c, at: cutoff, policy: policy)
            }

            // A unit's figures are the sum of the grids below it. Children before parents:
            // rows come out in tree order with each subtotal after its grids.
            var rows: [Report.Row] = []
            func visit(_ unit: Unit) -> Figures {
                if unit.level == lowest {
                    let f = perGrid[unit.id] ?? Figures()
                    rows.append(Report.Row(unit: unit, figures: f))
                    return f
                }
                let children = org.units.values.filter { $0.parentID == unit.id }.sorted { $0.code < $1.code }
                let sum = children.reduce(Figures()) { $0 + visit($1) }
                rows.append(Report.Row(unit: unit, figures: sum))
                return sum
            }
            let roots: [Unit] =
                if let scope, let unit = org[scope] { [unit] } else {
                    org.units.values.filter { $0.parentID == nil }.sorted { $0.code < $1.code }
                }
            let total = roots.reduce(Figures()) { $0 + visit($1) }
            func ordered(_ groups: [String: Figures], _ terms: [Term]) -> [(code: String, figures: Figures)] {
                terms.compactMap { t in groups[t.code].map { (t.code, $0) } }
                    + groups.filter { g in !terms.contains { $0.code == g.key } }.sorted { $0.key < $1.key }.map {
                        ($0.key, $0.value)
                    }
            }
            return Report(
                start: start, end: end, cutoff: cutoff, rows: rows, total: total,
                byCategory: ordered(perCategory, policy.categories), bySource: ordered(perSource, policy.sources))
        }
    }

    /// Cases filed in [start, end), each as its last event before `cutoff` left it.
    func cohort(start: Int64, end: Int64, cutoff: Int64) throws -> [CohortCase] {
        try db.rows(
            """
            WITH cohort AS (
                SELECT d.id, d.origin_unit_id AS grid, d.source, d.filed_at,
                    (SELECT e.id FROM event e WHERE e.case_id = d.id AND e.effective_at < ?3
                     ORDER BY e.case_seq DESC LIMIT 1) AS last_id,
                    (SELECT e.id FROM event e WHERE e.case_id = d.id AND e.action = '\(ActionKind.resolve.rawValue)' AND e.effective_at < ?3
                     ORDER BY e.case_seq DESC LIMIT 1) AS resolve_id
                FROM dispute d
                WHERE d.filed_at >= ?1 AND d.filed_at < ?2
            )
            SELECT c.grid, l.state, l.top_level, l.category, c.source, c.filed_at, l.due_at,
                (SELECT count(*) FROM event b WHERE b.case_id = c.id AND b.breach > 0 AND b.effective_at < ?3),
                r.effective_at, json_extract(r.detail, '\(DetailKey.amountFen.path)'), json_extract(r.detail, '\(DetailKey.form.path)'),
                CASE WHEN l.state = '\(CaseState.closed.rawValue)' THEN json_extract(l.detail, '\(DetailKey.satisfaction.path)') END,
                CASE WHEN l.state = '\(CaseState.closed.rawValue)' THEN json_extract(l.detail, '\(DetailKey.performance.path)') END
            FROM cohort c
            JOIN event l ON l.id = c.last_id
            LEFT JOIN event r ON r.id = c.resolve_id
            """, [.int(start), .int(end), .int(cutoff)]
        ) { r in
            CohortCase(
                grid: r.int(0), state: CaseState(rawValue: r.text(1)) ?? .open, topLevel: Int(r.int(2)),
                category: r.text(3), source: r.text(4), filedAt: r.int(5), dueAt: r.int(6), breaches: Int(r.int(7)),
                resolvedAt: r.optionalInt(8), amountFen: r.optionalText(9).flatMap { Int64($0) },
                oral: r.optionalText(10) == AgreementForm.oral.rawValue,
                satisfaction: r.optionalText(11).flatMap(Satisfaction.init),
                performance: r.optionalText(12).flatMap(Performance.init))
        }
    }
}
