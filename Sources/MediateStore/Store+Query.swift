import MediateCore

extension Store {
    /// The active states as an SQL list, from the domain's one definition (codes, not input).
    static let activeStates = "(" + CaseState.active.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"

    /// Which cases `list` shows; nil fields do not filter.
    public struct CaseFilter: Sendable {
        public var state: CaseState?
        public var level: Int?
        /// The units whose cases to show (a unit and everything below it).
        public var units: Set<Int64>?
        public var severity: String?
        public var assignee: String?
        /// Only cases overdue at this moment.
        public var overdueAt: Int64?
        public var limit = 200

        public init() {}
    }

    /// Cases matching `filter`, most urgent first (earliest due), with their parties.
    public func cases(_ filter: CaseFilter) throws(StoreError) -> [Case] {
        try sealed {
            var conditions: [String] = []
            var values: [SQLValue] = []
            if let state = filter.state {
                conditions.append("d.state = ?")
                values.append(.text(state.rawValue))
            }
            if let level = filter.level {
                conditions.append("d.level = ?")
                values.append(.int(Int64(level)))
            }
            if let units = filter.units {
                // Bound as one JSON array: no input ever reaches the SQL text.
                conditions.append("d.unit_id IN (SELECT value FROM json_each(?))")
                values.append(.text(JSON.array(units.sorted().map { .int($0) }).rendered()))
            }
            if let severity = filter.severity {
                conditions.append("d.severity = ?")
                values.append(.text(severity))
            }
            if let assignee = filter.assignee {
                conditions.append("d.assignee = ?")
                values.append(.text(assignee))
            }
            if let now = filter.overdueAt {
                conditions.append("d.state IN \(Self.activeStates) AND d.due_at < ?")
                values.append(.int(now))
            }
            let sql = """
                SELECT \(Self.caseColumns) FROM dispute d
                \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
                ORDER BY d.state IN \(Self.activeStates) DESC, d.due_at, d.year, d.serial
                LIMIT ?
                """
            var cases = try db.rows(sql, values + [.int(Int64(filter.limit))], Self.caseRow)
            for i in cases.indices { cases[i].parties = try parties(of: cases[i].id) }
            return cases
        }
    }

    /// Open or mediating cases past their due date at `now`: what sweep looks at.
    public func overdueCases(at now: Int64) throws(StoreError) -> [Case] {
        try sealed {
            try db.rows(
                """
                SELECT \(Self.caseColumns) FROM dispute d
                WHERE d.state IN \(Self.activeStates) AND d.due_at < ? ORDER BY d.due_at, d.id
                """, [.int(now)], Self.caseRow)
        }
    }
}
