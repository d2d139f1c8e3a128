import MediateCore

/// One case of a report's cohort, as it stood at the report's cutoff: its filing, and
/// what its events before the cutoff made of it.
struct CohortCase {
    let id: Int64
    let grid: Int64
    let source: String
    let filedAt: Int64
    var state = CaseState.open
    var topLevel = 0
    var category = ""
    var dueAt: Int64 = 0
    /// Escalations above the severity's ceiling.
    var breaches = 0
    /// What the last event recorded, when it left the case closed: the parties'
    /// satisfaction, and what the follow-up found of the agreement's performance.
    var satisfaction: Satisfaction?
    var performance: Performance?
    /// The latest agreement: when it was reached, its amount, whether oral.
    var resolvedAt: Int64?
    var amountFen: Int64?
    var oral = false
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
    /// figures whenever it is run. `policy` and `org`, where the caller has read them in
    /// the same snapshot, are not read again.
    public func report(
        start: Int64, end: Int64, cutoff: Int64, scope: Int64?, policy: Policy? = nil, org: Organisation? = nil
    ) throws(StoreError) -> Report {
        try sealed {
            let policy = try policy ?? self.policy()
            let org = try org ?? organisation()
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
            var children: [Int64: [Unit]] = [:]
            for unit in org.units.values { if let parent = unit.parentID { children[parent, default: []].append(unit) } }
            func visit(_ unit: Unit) -> Figures {
                if unit.level == lowest {
                    let f = perGrid[unit.id] ?? Figures()
                    rows.append(Report.Row(unit: unit, figures: f))
                    return f
                }
                let sum = (children[unit.id] ?? []).sorted { $0.code < $1.code }.reduce(Figures()) { $0 + visit($1) }
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

    /// The statement of `cohort`: each case of the period by filing, its events in order.
    /// In the filing index's own order, whole (migration 014: filing moment, year, serial,
    /// state, then the row): the state and the id only complete it, so that SQLite reads
    /// the period's cases in it, each case's events from its range of `event_case_seq`,
    /// and sorts nothing.
    static let cohortSQL = {
        let (closed, resolve) = (CaseState.closed.rawValue, ActionKind.resolve.rawValue)
        return """
        SELECT d.id, d.origin_unit_id, d.source, d.filed_at,
            e.state, e.top_level, e.category, e.due_at, CASE WHEN e.breach > 0 THEN 1 ELSE 0 END,
            CASE WHEN e.state = '\(closed)' THEN json_extract(e.detail, '\(DetailKey.satisfaction.path)') END,
            CASE WHEN e.state = '\(closed)' THEN json_extract(e.detail, '\(DetailKey.performance.path)') END,
            CASE WHEN e.action = '\(resolve)' THEN 1 ELSE 0 END, e.effective_at,
            CASE WHEN e.action = '\(resolve)' THEN json_extract(e.detail, '\(DetailKey.amountFen.path)') END,
            CASE WHEN e.action = '\(resolve)' THEN json_extract(e.detail, '\(DetailKey.form.path)') END
        FROM dispute d JOIN event e ON e.case_id = d.id
        WHERE d.filed_at >= ? AND d.filed_at < ? AND e.effective_at < ?
        ORDER BY d.filed_at, d.year, d.serial, d.state, d.id, e.case_seq
        """
    }()

    /// Cases filed in [start, end), each as its last event before `cutoff` left it.
    ///
    /// One pass: each case of the period (the filing index) with its events before the
    /// cutoff in their order (the case's range of `event_case_seq`: walked forwards,
    /// each event's row is the next one read), every event read once. The last is the
    /// case as it stood, the last `resolve` its agreement.
    func cohort(start: Int64, end: Int64, cutoff: Int64) throws -> [CohortCase] {
        var cases: [CohortCase] = []
        var current: CohortCase?
        try db.each(Self.cohortSQL, [.int(start), .int(end), .int(cutoff)]) { r in
            let id = r.int(0)
            if current?.id != id {
                if let c = current { cases.append(c) }
                current = CohortCase(id: id, grid: r.int(1), source: r.text(2), filedAt: r.int(3))
            }
            current?.state = CaseState(rawValue: r.text(4)) ?? .open
            current?.topLevel = Int(r.int(5))
            current?.category = r.text(6)
            current?.dueAt = r.int(7)
            current?.breaches += Int(r.int(8))
            current?.satisfaction = r.optionalText(9).flatMap(Satisfaction.init)
            current?.performance = r.optionalText(10).flatMap(Performance.init)
            if r.int(11) != 0 {
                current?.resolvedAt = r.int(12)
                current?.amountFen = r.optionalText(13).flatMap { Int64($0) }
                current?.oral = r.optionalText(14) == AgreementForm.oral.rawValue
            }
        }
        if let c = current { cases.append(c) }
        return cases
    }
}
