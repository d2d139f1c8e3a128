import MediateCore

// `list`'s text page: what its table shows and no more. The unit's code and the
// mediator's name come with each row, joined to it, rather than the whole `Case` and the
// page's units and people read by statements of their own.

extension Store {
    /// A line of `list`'s text page.
    public struct Listed: Sendable {
        public let id: Int64
        public let number: CaseNumber
        public let state: CaseState
        /// nil when the row names no unit that exists.
        public let unitCode: String?
        public let severity: String
        public let category: String
        /// Who works on it (the follow-up's person when there is one, else the mediator):
        /// the name where registered, else the login; nil for nobody.
        public let worker: String?
        public let dueAt: Int64
        public let followUpAt: Int64?
        public let summary: String
        /// The parties' names and phones, in their order: a part of the page's one array.
        public internal(set) var parties: ArraySlice<ListedParty> = []
    }

    /// A party as the list shows it.
    public struct ListedParty: Sendable {
        public let name: String
        public let phone: String?
    }

    /// The columns `listedRow` reads, of `d` and of `listedJoins`' tables.
    private static let listedColumns = """
        d.id, d.year, d.serial, d.state, u.code, d.severity, d.category, coalesce(w.name, d.follow_up_by, d.assignee), \
        d.due_at, d.follow_up_at, d.summary
        """
    /// The unit's code and the worker's name (`Listed.worker`), by the unit's key and the
    /// unique login.
    private static let listedJoins = """
         LEFT JOIN unit u ON u.id = d.unit_id LEFT JOIN person w ON w.login = coalesce(d.follow_up_by, d.assignee)
        """

    private static func listedRow(_ r: Row) -> Listed {
        Listed(
            id: r.int(0), number: CaseNumber(year: Int(r.int(1)), serial: Int(r.int(2))),
            state: CaseState(rawValue: r.text(3)) ?? .open, unitCode: r.optionalText(4), severity: r.text(5),
            category: r.text(6), worker: r.optionalText(7), dueAt: r.int(8), followUpAt: r.optionalInt(9),
            summary: r.text(10))
    }

    /// The cases `cases(filter)` returns, as `list`'s text page shows them.
    public func listed(_ filter: CaseFilter) throws(StoreError) -> [Listed] {
        // A page read by more than one statement is read as of one moment.
        try snapshot { () throws(StoreError) in try sealed {
            let indexed = indexedOrder(filter)
            let rows: [Listed]
            if let ids = try pageIDsInParts(filter) {
                rows = try listed(ids: ids)
            } else if indexed != nil {
                // The index walk stops at the limit: the joins run for the page's rows only.
                let (sql, values) = page(filter, indexed, columns: Self.listedColumns, joins: Self.listedJoins)
                rows = try db.rows(sql, values, Self.listedRow)
            } else {
                // A sort: of the ids alone, not of every matching row joined.
                let (sql, values) = page(filter, nil, columns: "d.id")
                rows = try listed(ids: try db.rows(sql, values) { $0.int(0) })
            }
            return try withPartyNames(rows)
        } }
    }

    /// The rows of the cases `ids` names, in that order.
    private func listed(ids: [Int64]) throws -> [Listed] {
        guard !ids.isEmpty else { return [] }
        let rows = try db.rows(
            """
            SELECT \(Self.listedColumns) FROM dispute d\(Self.listedJoins)
            WHERE d.id IN (SELECT CAST(value AS BIGINT) FROM json_each(?))
            """, [Self.idList(ids)], Self.listedRow)
        return Self.inOrder(rows, of: ids, \.id)
    }

    /// `page` with each case's parties, the whole page's in one statement: in the order of
    /// the cases' ids, which the rows are walked in by their ids sorted.
    private func withPartyNames(_ page: [Listed]) throws -> [Listed] {
        var rows = page
        guard !rows.isEmpty else { return rows }
        var byID = rows.indices.map { (id: rows[$0].id, at: $0) }
        byID.sort { $0.id < $1.id }
        var next = 0
        // In the order of the cases' ids, each case's together: one array for the page,
        // each case's part of it.
        var all: [ListedParty] = []
        all.reserveCapacity(rows.count * 3)
        var spans = Array(repeating: (start: 0, end: 0), count: rows.count)
        try db.each(
            """
            SELECT case_id, name, phone FROM party
            WHERE case_id IN (SELECT CAST(value AS BIGINT) FROM json_each(?)) ORDER BY case_id, position
            """, [Self.idList(byID.map(\.id))]
        ) { r in
            let id = r.int(0)
            while next < byID.count && byID[next].id < id { next += 1 }
            guard next < byID.count && byID[next].id == id else { return }
            let at = byID[next].at
            if spans[at].start == spans[at].end { spans[at].start = all.count }
            all.append(ListedParty(name: r.text(1), phone: r.optionalText(2)))
            spans[at].end = all.count
        }
        for i in rows.indices { rows[i].parties = all[spans[i].start..<spans[i].end] }
        return rows
    }
}
