import MediateCore

extension Store {
    /// The active states as an SQL list, from the domain's one definition (codes, not input).
    static let activeStates = sqlList(Set(CaseState.active))
    /// What is due next for a case: its follow-up day when resolved, else its due date
    /// (the order of the working indexes, migrations 007 and 008: the same text).
    static let dueKey = "(CASE WHEN d.state = '\(CaseState.resolved.rawValue)' THEN d.follow_up_at ELSE d.due_at END)"
    /// The states of the list people work from: active, or resolved awaiting follow-up.
    public static let workingStates: Set<CaseState> = [.open, .mediating, .resolved]

    /// Which cases `list` shows; nil fields do not filter.
    public struct CaseFilter: Sendable, Equatable {
        public var state: CaseState?
        /// Any of these states (empty: any state).
        public var states: Set<CaseState> = []
        public var level: Int?
        /// The units whose cases to show (a unit and everything below it).
        public var units: Set<Int64>?
        public var severity: String?
        public var category: String?
        public var source: String?
        /// The mediator, or the person assigned the follow-up.
        public var assignee: String?
        /// Only cases overdue at this moment.
        public var overdueAt: Int64?
        /// With `overdueAt`: also resolved cases whose follow-up was due before this moment.
        public var followUpLateBefore: Int64?
        /// Only resolved cases whose follow-up is due before this moment.
        public var followUpDueBefore: Int64?
        /// Filed at or after / before these moments.
        public var filedFrom: Int64?
        public var filedBefore: Int64?
        /// In a party's name.
        public var party: String?
        /// In the summary or a party's name.
        public var text: String?
        /// Only cases escalated above their ceiling at least once.
        public var breach = false
        /// Only cases flagged for supervision (督办).
        public var supervised = false
        /// Only resolved cases with a written agreement reached at or after this
        /// moment and no application for judicial confirmation yet.
        public var confirmWindowFrom: Int64?
        public var sort: Sort = .due
        public var reverse = false
        public var limit = 200

        /// The order of a list: by filing, by what is due next (the follow-up day for a
        /// resolved case), or the most recently changed first.
        public enum Sort: String, Sendable, CaseIterable {
            case filed, due, updated
        }

        public init() {}
    }

    /// The WHERE clause of `filter` and its bound values; with `indexed`, the condition of
    /// its partial index too, word for word, so that SQLite may walk it (a partial index
    /// serves a query whose WHERE holds its WHERE).
    private func conditions(_ filter: CaseFilter, _ walk: IndexedOrder.Walk? = nil) -> (String, [SQLValue]) {
        var conditions: [String] = walk?.part.map { [$0] } ?? []
        var values: [SQLValue] = []
        if let state = filter.state {
            conditions.append("d.state = ?")
            values.append(.text(state.rawValue))
        }
        if !filter.states.isEmpty, let admitted = Self.admittedStates(filter) {
            // Codes of the domain's states, never input: written out, so that the
            // working list's partial index (migration 007) serves it. Those the other
            // conditions allow, so that the index walked for them is read in its order.
            conditions.append(admitted.isEmpty ? "0 = 1" : "d.state IN \(Self.sqlList(admitted))")
        }
        if let level = filter.level {
            conditions.append("d.level = ?")
            values.append(.int(Int64(level)))
        }
        if let units = filter.units {
            // Bound as one JSON array: no input ever reaches the SQL text.
            conditions.append("d.unit_id IN (SELECT CAST(value AS BIGINT) FROM json_each(?))")
            values.append(Self.idList(units.sorted()))
        }
        for (column, value) in [
            ("d.severity", filter.severity), ("d.category", filter.category), ("d.source", filter.source),
        ] {
            if let value {
                conditions.append("\(column) = ?")
                values.append(.text(value))
            }
        }
        if let assignee = filter.assignee {
            conditions.append("(d.assignee = ? OR d.follow_up_by = ?)")
            values += [.text(assignee), .text(assignee)]
        }
        if let now = filter.overdueAt {
            let resolved = "'\(CaseState.resolved.rawValue)'"
            if let before = filter.followUpLateBefore {
                // The order's key is below the later of the two moments: a range of the
                // working indexes (migrations 007 and 008), so that reading them stops there.
                conditions.append(
                    """
                    ((d.state IN \(Self.activeStates) AND d.due_at < ?) OR (d.state = \(resolved) AND d.follow_up_at < ?)) \
                    AND \(Self.dueKey) < ?
                    """
                )
                values += [.int(now), .int(before), .int(max(now, before))]
            } else {
                conditions.append("d.state IN \(Self.activeStates) AND d.due_at < ?")
                values.append(.int(now))
            }
        }
        if let before = filter.followUpDueBefore {
            conditions.append("d.state = '\(CaseState.resolved.rawValue)' AND d.follow_up_at < ?")
            values.append(.int(before))
        }
        if let from = filter.filedFrom {
            conditions.append("d.filed_at >= ?")
            values.append(.int(from))
        }
        if let before = filter.filedBefore {
            conditions.append("d.filed_at < ?")
            values.append(.int(before))
        }
        let inParty = "EXISTS (SELECT 1 FROM party p WHERE p.case_id = d.id AND instr(lower(p.name), lower(?)) > 0)"
        if let party = filter.party {
            conditions.append(inParty)
            values.append(.text(party))
        }
        if let text = filter.text {
            conditions.append("(instr(lower(d.summary), lower(?)) > 0 OR \(inParty))")
            values += [.text(text), .text(text)]
        }
        if filter.breach { conditions.append("d.breaches > 0") }
        if filter.supervised { conditions.append("d.supervised_at IS NOT NULL") }
        if let from = filter.confirmWindowFrom {
            conditions.append(
                """
                d.state = '\(CaseState.resolved.rawValue)' AND d.agreement_form = '\(AgreementForm.written.rawValue)' AND d.confirm_applied IS NULL AND d.resolved_at >= ?
                """)
            values.append(.int(from))
        }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), values)
    }

    /// A subtree of at most this many units has its page merged from each unit's range of
    /// its index; a larger one (the whole street) is read from the street's index, filtered.
    static let mergedUnits = 64

    /// An order one index walks, for the street and for each unit: the working list's
    /// (migrations 007, 008, 013), the follow-ups' (004, 010), the final cases' (013), one
    /// active state's (001, its cases by their due dates), or the filing or changing order
    /// (014). For a filter of filing days in what is due next, the street's cases by the
    /// week they were filed in, each week in that order (014).
    struct IndexedOrder {
        /// An index, its key as it holds it (descending, or ascending as most are), and the
        /// condition of a partial index.
        struct Walk {
            let index: String
            let key: String
            let part: String?
            var descending = false
        }

        let street: Walk
        let unit: Walk
        var byFilingWeek: Walk? = nil
    }

    /// The indexed order of `filter`'s cases in its own order.
    func indexedOrder(_ filter: CaseFilter) -> IndexedOrder? {
        typealias Walk = IndexedOrder.Walk
        switch filter.sort {
        case .due:
            return indexes(filter)
        case .filed:
            return IndexedOrder(
                street: Walk(index: "dispute_filed", key: "d.filed_at", part: nil),
                unit: Walk(index: "dispute_unit", key: "d.filed_at", part: nil))
        case .updated:
            return IndexedOrder(
                street: Walk(index: "dispute_updated", key: "d.last_event_at", part: nil, descending: true),
                unit: Walk(index: "dispute_unit_updated", key: "d.last_event_at", part: nil, descending: true))
        }
    }

    /// The week a case was filed in (whole seconds since 1970 / 604800), as migration 014's
    /// indexes hold it.
    static let filingWeek = "(d.filed_at / \(filingWeekSeconds))"
    static let filingWeekSeconds: Int64 = 7 * 86_400
    /// A filter of filing days spanning more weeks than this (five years) is read from the
    /// list's index: each week is a statement.
    static let mergedWeeks = 260

    /// The indexes that hold `filter`'s cases in what is due next, by the states it admits
    /// (a unit's subtree counts its cases from `unit` too, unless filing days start late).
    /// Any other condition (a category, a party, a filing day) is checked on each case as
    /// the walk reaches it, in the index's order: the walk stops at the page's end, so a
    /// page costs the same on any street where the filter keeps the same share of cases.
    private func indexes(_ filter: CaseFilter) -> IndexedOrder? {
        typealias Walk = IndexedOrder.Walk
        let working = "d.state IN \(Self.sqlList(Self.workingStates))"
        let resolved = "d.state = '\(CaseState.resolved.rawValue)'"
        let weeksWorking = Walk(index: "dispute_working_filed", key: Self.dueKey, part: working)
        // Resolved cases: what is due next is the follow-up day (by filing week, the
        // working cases' index: a resolved case's key there is its follow-up day).
        let followUps = IndexedOrder(
            street: Walk(index: "dispute_follow_up", key: "d.follow_up_at", part: nil),
            unit: Walk(index: "dispute_unit_follow_up", key: "d.follow_up_at", part: resolved),
            byFilingWeek: weeksWorking)
        if filter.followUpDueBefore != nil { return followUps }
        guard let states = Self.admittedStates(filter), !states.isEmpty else { return nil }
        let unitWorking = Walk(index: "dispute_unit_working", key: Self.dueKey, part: working)
        if states == [.resolved] { return followUps }
        if states.count == 1, let state = states.first, state.isActive {
            // One active state: its range of (state, due date), the key of a case not resolved.
            return IndexedOrder(
                street: Walk(index: "dispute_state_due", key: "d.due_at", part: nil), unit: unitWorking,
                byFilingWeek: weeksWorking)
        }
        if states.isSubset(of: Self.workingStates) {
            return IndexedOrder(
                street: Walk(index: "dispute_working", key: Self.dueKey, part: working), unit: unitWorking,
                byFilingWeek: weeksWorking)
        }
        if states.isDisjoint(with: Self.workingStates) {
            // A final case is listed by its due date (`dueKey`, for a case not resolved).
            let final = "d.state NOT IN \(Self.sqlList(Self.workingStates))"
            return IndexedOrder(
                street: Walk(index: "dispute_final", key: "d.due_at", part: final),
                unit: Walk(index: "dispute_unit_final", key: "d.due_at", part: final),
                byFilingWeek: Walk(index: "dispute_final_filed", key: "d.due_at", part: final))
        }
        return nil
    }

    /// The states `filter` admits: those of `states` that `state` allows, and of those the
    /// ones its other conditions allow (an overdue case is working, a follow-up's or a
    /// confirmation's case resolved); nil for all.
    static func admittedStates(_ filter: CaseFilter) -> Set<CaseState>? {
        var states = filter.states.isEmpty ? nil : filter.states
        func only(_ allowed: Set<CaseState>) { states = (states ?? allowed).intersection(allowed) }
        if let state = filter.state { only([state]) }
        if filter.overdueAt != nil { only(Self.workingStates) }
        if filter.followUpDueBefore != nil || filter.confirmWindowFrom != nil { only([.resolved]) }
        return states
    }

    /// A filter of the default order over working and final states alike (`--all`), as
    /// two that an index each holds: its working cases, then its final ones (the other
    /// way round in reverse); nil for any other filter.
    static func splitByIndex(_ filter: CaseFilter) -> [CaseFilter]? {
        guard filter.sort == .due, filter.followUpDueBefore == nil else { return nil }
        let states = admittedStates(filter) ?? Set(CaseState.allCases)
        let working = states.intersection(workingStates)
        let final = states.subtracting(workingStates)
        guard !working.isEmpty && !final.isEmpty else { return nil }
        var parts: [CaseFilter] = []
        for part in filter.reverse ? [final, working] : [working, final] {
            var f = filter
            f.state = nil
            f.states = part
            parts.append(f)
        }
        return parts
    }

    /// `states` as an SQL list of their codes, in the domain's order (never input).
    static func sqlList(_ states: Set<CaseState>) -> String {
        "(" + CaseState.allCases.filter(states.contains).map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
    }

    /// Cases matching `filter` in its order (by default the most urgent first: what is
    /// due next, final cases last), with their parties.
    public func cases(_ filter: CaseFilter) throws(StoreError) -> [Case] {
        // A page read by more than one statement is read as of one moment.
        try snapshot { () throws(StoreError) in try sealed {
            if let ids = try pageIDsInParts(filter) { return try withParties(try caseRows(ids: ids)) }
            let (sql, values) = page(filter, indexedOrder(filter), columns: Self.caseColumns)
            return try withParties(try db.rows(sql, values, Self.caseRow))
        } }
    }

    /// The ids of `filter`'s page where more than one statement reads it: split by index
    /// (`--all`: each part read in turn until the page is full) or merged from each unit's
    /// range; nil where one statement reads the page.
    func pageIDsInParts(_ filter: CaseFilter) throws -> [Int64]? {
        if let parts = Self.splitByIndex(filter) {
            var ids: [Int64] = []
            for var part in parts where ids.count < filter.limit {
                part.limit = filter.limit - ids.count
                if let merged = try pageIDsInParts(part) {
                    ids += merged
                } else {
                    let (sql, values) = page(part, indexedOrder(part), columns: "d.id")
                    ids += try db.rows(sql, values) { $0.int(0) }
                }
            }
            return ids
        }
        guard let indexed = indexedOrder(filter) else { return nil }
        if let units = filter.units, units.count <= Self.mergedUnits {
            if let ids = try recentFilingsSorted(filter) { return ids }
            var each = filter
            each.units = nil
            return try mergedPage(each, indexed.unit, runs: "d.unit_id = ?", units.sorted())
        }
        if let walk = indexed.byFilingWeek, let weeks = try filingWeeks(filter) {
            return try mergedPage(filter, walk, runs: "\(Self.filingWeek) = ?", weeks)
        }
        return nil
    }

    /// The weeks (as `filingWeek` numbers them) that `filter`'s filing days cover, when they
    /// start after the first filing and span no more than `mergedWeeks`; nil otherwise. A
    /// case falls due after it is filed, so the walk in what is due next reaches the cases
    /// filed before a day first: a filter of days up to a day (`--until`), or from before
    /// the first filing, finds its cases at the walk's start and walks; one from a later
    /// day (`--since`) would pass every older case due before them, and is merged.
    ///
    /// Resolved cases alone gather in the last weeks (each is closed once followed up): a
    /// week before them holds none, and its run reads the whole week. They are merged by
    /// week from the later half of the street's filings on (`startsLate`); from earlier,
    /// their own index finds those filed since as soon.
    private func filingWeeks(_ filter: CaseFilter) throws -> [Int64]? {
        guard let from = filter.filedFrom, let span = try filingSpan(), from > span.first else { return nil }
        if filter.followUpDueBefore != nil || Self.admittedStates(filter) == [.resolved],
            !Self.startsLate(from, in: span)
        {
            return nil
        }
        let last = filter.filedBefore.map { $0 - 1 } ?? span.last
        guard from <= last else { return [] }
        let (start, end) = (from / Self.filingWeekSeconds, last / Self.filingWeekSeconds)
        guard end - start < Int64(Self.mergedWeeks) else { return nil }
        return Array(start...end)
    }

    /// At most this many cases of a subtree filed since a day are read and sorted.
    static let sortedAtMost = 2_000

    /// The page of a unit's subtree filed since a day (`--since`) in what is due next, when
    /// the subtree filed no more than `sortedAtMost` cases of the filter's states since:
    /// those read from each unit's range of the filing index (014, their states in it) and
    /// sorted, where each unit's walk in what is due next would pass its older cases due
    /// before them; nil when more (the walks then find matches soon enough).
    private func recentFilingsSorted(_ filter: CaseFilter) throws -> [Int64]? {
        guard filter.sort == .due, filter.filedFrom != nil, filter.units != nil else { return nil }
        // Counted from the index alone: its units, states and filing days.
        var range = CaseFilter()
        (range.units, range.state, range.states) = (filter.units, filter.state, filter.states)
        (range.filedFrom, range.filedBefore) = (filter.filedFrom, filter.filedBefore)
        let (rangeWhere, rangeValues) = conditions(range)
        let cap = Int64(Self.sortedAtMost)
        let filed = try db.int(
            "SELECT count(*) FROM (SELECT 1 FROM dispute d INDEXED BY dispute_unit \(rangeWhere) LIMIT ?) AS counted",
            rangeValues + [.int(cap + 1)])
        guard let filed, filed <= cap else { return nil }
        let (sql, values) = page(filter, nil, columns: "d.id", sortedFrom: "dispute_unit")
        return try db.rows(sql, values) { $0.int(0) }
    }

    /// The first and the last filing moment of the street; nil for an empty street. Each
    /// bound alone, so that SQLite reads it from an end of the filing index.
    private func filingSpan() throws -> (first: Int64, last: Int64)? {
        guard let first = try db.int("SELECT min(filed_at) FROM dispute"),
            let last = try db.int("SELECT max(filed_at) FROM dispute")
        else { return nil }
        return (first, last)
    }

    /// Whether filing days from `from` start in the later half of the street's filings
    /// (`span`): there the filing index holds the range's cases together, and a count of
    /// them reads that range; from earlier, most of the street is in the range, and the
    /// states' own indexes find its cases as soon.
    private static func startsLate(_ from: Int64, in span: (first: Int64, last: Int64)) -> Bool {
        from > span.first + (span.last - span.first) / 2
    }

    /// The statement of `filter`'s page in its order, reading `columns` (of `d`, and of
    /// the tables `joins` adds to it), and its bound values. An order an index holds walks
    /// it and stops at the limit; the whole street's index serves a large subtree too,
    /// filtered by unit.
    func page(
        _ filter: CaseFilter, _ indexed: IndexedOrder?, columns: String, joins: String = "",
        sortedFrom: String? = nil
    ) -> (String, [SQLValue]) {
        let (asc, desc) = filter.reverse ? ("DESC", "ASC") : ("ASC", "DESC")
        let (whereClause, values) = conditions(filter, indexed?.street)
        let index = (indexed?.street.index ?? sortedFrom).map { "INDEXED BY \($0)" } ?? ""
        // Without an index, the default order (every other order has one, `indexedOrder`):
        // working cases first, what is due next.
        assert(indexed != nil || filter.sort == .due)
        let order =
            indexed.map { "\($0.street.key) \($0.street.descending ? desc : asc)" }
            ?? "d.state IN \(Self.activeStates) OR d.state = '\(CaseState.resolved.rawValue)' \(desc), \(Self.dueKey) \(asc)"
        let sql = """
            SELECT \(columns) FROM dispute d \(index)\(joins)
            \(whereClause)
            ORDER BY \(order), d.year \(asc), d.serial \(asc)
            LIMIT ?
            """
        return (sql, values + [.int(Int64(filter.limit))])
    }

    /// The ids of `filter`'s page in an order `walk`'s index holds, merged from its runs:
    /// the ranges where the condition `run` (`d.unit_id = ?`: a unit's cases; a filing
    /// week's) holds each of `values`, the first keys of each in order. Each run gives
    /// first a share of the page (twice its even part); a run whose share ran out before
    /// the merged page's last key might hold more of the page, and is asked for twice as
    /// many, until none may. So a page of C01's eleven units at a million cases reads about
    /// 400 keys, not 2,200, and a year of filing weeks about as many, not 23,000.
    func mergedPage(_ filter: CaseFilter, _ walk: IndexedOrder.Walk, runs run: String, _ values: [Int64]) throws
        -> [Int64]
    {
        let (whereClause, bound) = conditions(filter, walk)
        let (asc, desc) = filter.reverse ? ("DESC", "ASC") : ("ASC", "DESC")
        let sql = """
            SELECT d.id, \(walk.key), d.year, d.serial FROM dispute d INDEXED BY \(walk.index)
            \(whereClause.isEmpty ? "WHERE" : whereClause + " AND") \(run)
            ORDER BY \(walk.key) \(walk.descending ? desc : asc), d.year \(asc), d.serial \(asc)
            LIMIT ?
            """
        typealias Key = (id: Int64, key: Int64, year: Int64, serial: Int64)
        // The page's order (the keys are never NULL: a working case has its due date, a
        // resolved one its follow-up day, every case its filing and its last change; year
        // and serial are unique, so it is total). A descending key is held negated.
        func before(_ a: Key, _ b: Key) -> Bool {
            let (x, y) = filter.reverse ? (b, a) : (a, b)
            return (x.key, x.year, x.serial) < (y.key, y.year, y.serial)
        }
        func read(_ value: Int64, _ limit: Int) throws -> [Key] {
            try db.rows(sql, bound + [.int(value), .int(Int64(limit))]) {
                ($0.int(0), walk.descending ? -$0.int(1) : $0.int(1), $0.int(2), $0.int(3))
            }
        }
        let limit = filter.limit
        let share = min(limit, max(2, 2 * ((limit + values.count - 1) / max(values.count, 1))))
        var runs: [(value: Int64, asked: Int, keys: [Key])] = try values.map { ($0, share, try read($0, share)) }
        var page: [Key] = []
        while true {
            page = Array(runs.flatMap(\.keys).sorted(by: before).prefix(limit))
            // A run that gave all it was asked for may hold keys before the page's last one
            // (or, the page not full, any key): asked for twice as many, the page merged
            // again, until every run either ran out or reached past the page's end.
            let last = page.count == limit ? page.last : nil
            var again = false
            for i in runs.indices where runs[i].asked < limit && runs[i].keys.count == runs[i].asked {
                if let last, let end = runs[i].keys.last, !before(end, last) { continue }
                runs[i].asked = min(limit, 2 * runs[i].asked)
                runs[i].keys = try read(runs[i].value, runs[i].asked)
                again = true
            }
            if !again { break }
        }
        return page.map(\.id)
    }

    /// The rows of the cases `ids` names, in that order.
    private func caseRows(ids: [Int64]) throws -> [Case] {
        guard !ids.isEmpty else { return [] }
        let rows = try db.rows(
            """
            SELECT \(Self.caseColumns) FROM dispute d WHERE d.id IN (SELECT CAST(value AS BIGINT) FROM json_each(?))
            """, [Self.idList(ids)], Self.caseRow)
        return Self.inOrder(rows, of: ids, \.id)
    }

    /// `rows` in the order of `ids` (each row's id by `id`): a statement that reads rows by
    /// a list of ids returns them in its own order.
    static func inOrder<T>(_ rows: [T], of ids: [Int64], _ id: (T) -> Int64) -> [T] {
        var at: [Int64: Int] = [:]
        at.reserveCapacity(ids.count)
        for (i, k) in ids.enumerated() { at[k] = i }
        // Each row put in its place: one lookup a row, not two a comparison of a sort.
        var placed = [T?](repeating: nil, count: ids.count)
        var elsewhere: [T] = []
        for row in rows {
            if let i = at[id(row)], placed[i] == nil { placed[i] = row } else { elsewhere.append(row) }
        }
        return elsewhere + placed.compactMap { $0 }
    }

    /// Ids bound as one JSON array (`json_each(?)`): no input ever reaches the SQL text.
    /// Written digit by digit into the String's own buffer.
    static func idList(_ ids: [Int64]) -> SQLValue {
        .text(
            String(unsafeUninitializedCapacity: ids.count * 21 + 2) { text in
                var end = 0
                func put(_ byte: UInt8) {
                    text[end] = byte
                    end += 1
                }
                put(UInt8(ascii: "["))
                for (i, id) in ids.enumerated() {
                    if i > 0 { put(UInt8(ascii: ",")) }
                    if id < 0 { put(UInt8(ascii: "-")) }
                    var digits = 1
                    var rest = id.magnitude
                    while rest >= 10 {
                        rest /= 10
                        digits += 1
                    }
                    rest = id.magnitude
                    for at in stride(from: end + digits - 1, through: end, by: -1) {
                        text[at] = UInt8(ascii: "0") + UInt8(rest % 10)
                        rest /= 10
                    }
                    end += digits
                }
                put(UInt8(ascii: "]"))
                return end
            })
    }

    /// `cases` with the parties of each, the whole page's in one statement.
    private func withParties(_ page: [Case]) throws -> [Case] {
        var cases = page
        guard !cases.isEmpty else { return cases }
        var at: [Int64: Int] = [:]
        for (i, c) in cases.enumerated() { at[c.id] = i }
        try db.each(
            """
            SELECT case_id, \(Self.partyColumns) FROM party
            WHERE case_id IN (SELECT CAST(value AS BIGINT) FROM json_each(?)) ORDER BY case_id, position
            """, [Self.idList(cases.map(\.id))]
        ) { r in
            guard let i = at[r.int(0)] else { return }
            cases[i].parties.append(Self.partyRow(r, from: 1))
        }
        return cases
    }

    /// How many cases match `filter`, whatever its limit: from the tally (migration 011)
    /// when the filter chooses by state and unit alone, else counted. With `cap`, a count
    /// that would grow with the street stops: nil when more than `cap` cases match and the
    /// tally cannot say how many.
    public func countCases(_ filter: CaseFilter, upTo cap: Int? = nil) throws(StoreError) -> Int? {
        try sealed {
            if Self.choosesByStateAndUnit(filter), try tallyServes() { return try tallied(filter) }
            let (sql, values) = try matching(filter)
            guard let cap else { return Int(try db.int("SELECT count(*) FROM (\(sql)) AS counted", values) ?? 0) }
            let n = Int(
                try db.int("SELECT count(*) FROM (\(sql) LIMIT ?) AS counted", values + [.int(Int64(cap) + 1)]) ?? 0)
            return n > cap ? nil : n
        }
    }

    /// A statement selecting a row for each of `filter`'s cases (to count them), and its
    /// values.
    private func matching(_ filter: CaseFilter) throws -> (String, [SQLValue]) {
        // A unit's subtree: each unit's range of its index (migrations 008, 010, 013), not
        // every case of the street (the follow-ups' from that index alone). Filing days
        // from late in the street's filings: their range of the filing index (014, each
        // case's state in it), for the street or for each unit, which a count past its cap
        // leaves early.
        var late = false
        if let from = filter.filedFrom, let span = try filingSpan() { late = Self.startsLate(from, in: span) }
        let walk =
            late
            ? IndexedOrder.Walk(index: filter.units == nil ? "dispute_filed" : "dispute_unit", key: "d.filed_at", part: nil)
            : filter.units == nil ? nil : indexes(filter)?.unit
        let (whereClause, values) = conditions(filter, walk)
        let index = walk.map { "INDEXED BY \($0.index)" } ?? ""
        return ("SELECT 1 FROM dispute d \(index) \(whereClause)", values)
    }

    /// Whether `filter` chooses its cases by their states and units only (its order and
    /// limit aside): a filter holding just those fields, compared whole, so that a field
    /// added to `CaseFilter` is counted, never summed from the tally.
    static func choosesByStateAndUnit(_ filter: CaseFilter) -> Bool {
        var only = CaseFilter()
        only.state = filter.state
        only.states = filter.states
        only.units = filter.units
        only.sort = filter.sort
        only.reverse = filter.reverse
        only.limit = filter.limit
        return only == filter
    }

    /// Whether the tally counts what this connection sees: always on a file; on a server,
    /// for a role that sees every case and every row of the tally (the owner, a superuser,
    /// an admin of the whole deployment). A role bound to a subtree sees none of the tally
    /// (Schema/postgresql/011) and counts its own cases. Each table's row security is
    /// asked of itself: a tally owned by another role than the cases' (011 run by a
    /// superuser) binds the cases' owner, who would otherwise sum no row.
    func tallyServes() throws -> Bool {
        guard db.isPostgreSQL else { return true }
        return try db.int(
            """
            SELECT 1 WHERE (NOT row_security_active('dispute') OR mediate_sees_all(current_user))
                AND (NOT row_security_active('dispute_tally') OR mediate_sees_all(current_user))
            """) != nil
    }

    /// The sum of the tally's rows of `filter`'s states (none named: every state) and units.
    private func tallied(_ filter: CaseFilter) throws -> Int {
        var conditions: [String] = []
        var values: [SQLValue] = []
        if let states = Self.admittedStates(filter) {
            conditions.append(states.isEmpty ? "false" : "state IN \(Self.sqlList(states))")
        }
        if let units = filter.units {
            conditions.append("unit_id IN (SELECT CAST(value AS BIGINT) FROM json_each(?))")
            values.append(Self.idList(units.sorted()))
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT CAST(coalesce(sum(cases), 0) AS BIGINT) FROM dispute_tally \(whereClause)"
        return Int(try db.int(sql, values) ?? 0)
    }

    /// The terms of the agreement each of the cases `ids` stands on (its last one), for a
    /// page of cases in one statement; a case without terms has no entry.
    public func agreementTerms(of ids: [Int64]) throws(StoreError) -> [Int64: String] {
        try sealed {
            var terms: [Int64: String] = [:]
            guard !ids.isEmpty else { return terms }
            // Each case's resolutions in their order: the last one read wins.
            try db.each(
                """
                SELECT case_id, json_extract(detail, '\(DetailKey.terms.path)') FROM event
                WHERE case_id IN (SELECT CAST(value AS BIGINT) FROM json_each(?))
                    AND action = '\(ActionKind.resolve.rawValue)'
                ORDER BY case_id, case_seq
                """, [Self.idList(ids)]
            ) { r in terms[r.int(0)] = r.optionalText(1) }
            return terms
        }
    }
}
