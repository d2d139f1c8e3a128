import MediateCore

/// What `verify` found: the first broken thing, if any, and what it read.
public struct Verification: Sendable {
    public enum Problem: Sendable, Equatable {
        /// SQLite's own integrity check failed.
        case integrity(String)
        /// The append-only triggers are gone.
        case triggersMissing
        /// The chain skips or repeats a position.
        case gap(eventID: Int64)
        /// An event's hash does not match its content and its predecessor.
        case hash(eventID: Int64, caseNumber: String?)
        /// An event cannot be read back as a change of its case.
        case unreadable(eventID: Int64, caseNumber: String?)
        /// An event's record of the case differs from replaying the events before it.
        case snapshot(eventID: Int64, caseNumber: String)
        /// The case row differs from what its events say.
        case caseRow(caseNumber: String, field: String)
        /// A case row has no events at all.
        case noEvents(caseNumber: String)
        /// The log holds fewer events than the witness counted: the newest were cut, or
        /// an older copy was put back.
        case witnessAhead(witness: Int64, events: Int64)
        /// The event at the witness's position has another hash: the history up to it
        /// was rewritten (and re-hashed), or the witness belongs to another file.
        case witnessDiffers(count: Int64)
        /// A trigger's definition differs from the schema's, or a trigger was added.
        case triggerChanged(name: String)
        /// A row of the organisation, its people or its policy differs from what the
        /// administration events say (`table` and the row's code or login).
        case administration(table: String, key: String)
        /// The tally of a unit's cases in a state (migration 011) differs from a recount
        /// of the case rows (`unit`: its code, or `#id` for no unit).
        case tally(unit: String, state: String)
    }

    public var problem: Problem?
    public var events = 0
    public var cases = 0
    /// The head of the chain as read (nil for a file without events).
    public var head: Witness?
    /// How the cases were proved: cases let go during the one pass and replayed again
    /// from their events, and whether the pass found something that sent it to read
    /// every case again case by case.
    var replayedAgain = 0
    var readCaseByCase = false
}

extension Store {
    /// Proves the file was not edited behind mediate's back: SQLite's integrity check,
    /// the append-only triggers, the hash chain over every event, every case row equal to
    /// the replay of its events, and the tally of cases equal to a recount of the rows.
    /// Stops at the first problem.
    /// With `witness`, also that the log extends the history the witness was taken of.
    public func verify(witness: Witness.Claim? = nil) throws(StoreError) -> Verification {
        try verify(witness: witness, holding: Self.heldCases)
    }

    /// `verify` holding at most `held` cases replayed at a time.
    func verify(witness: Witness.Claim?, holding held: Int) throws(StoreError) -> Verification {
        try sealed {
            // One read transaction, so that the chain, the administration and the case
            // rows are read as of one moment while others write (on PostgreSQL a
            // repeatable read: otherwise a case row written after its events were read
            // would look edited).
            try db.execute("BEGIN DEFERRED")
            defer { try? db.execute("COMMIT") }
            var result = Verification()
            // SQLite's page check, on a file. A server keeps its own pages (WAL, and data
            // checksums where initdb enabled them); SQL has no page check there without
            // the amcheck extension, so none is claimed: the chain and every case are.
            if !db.isPostgreSQL {
                let integrity = try db.rows("PRAGMA integrity_check") { $0.text(0) }
                if integrity != ["ok"] {
                    result.problem = .integrity(integrity.prefix(3).joined(separator: "; "))
                    return result
                }
            }
            let triggers = try db.int(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ('event_no_update', 'event_no_delete')"
            )
            if triggers != 2 {
                result.problem = .triggersMissing
                return result
            }
            // 1. One pass over the chain, in order: each link hashed, each case's events
            // replayed as they come (only the cases still open are held), and each case
            // row compared once its last event (its `version`) is in. A file in which this
            // finds anything wrong with a case is read again case by case (`checkCases`),
            // so that the problem named is the first in case order, as it always was.
            let last = try LastEvents(db)
            var previous: [UInt8] = []
            var expectedID: Int64 = 1
            var atWitness: [UInt8]? = nil
            let content = ContentWriter()
            var fields: [(String, String)] = []
            var open: [Int64: Case] = [:]
            var current: (id: Int64, state: Case)? = nil
            var finished: [(id: Int64, replayed: Case)] = []
            var checked = 0
            var suspect = false
            func compareFinished() throws {
                if !suspect, !finished.isEmpty, try !rowsMatch(finished) { suspect = true }
                if !suspect { checked += finished.count }
                finished.removeAll(keepingCapacity: true)
            }
            // Each row is read in place: its content rendered from the columns' bytes, its
            // detail parsed from them, only the fields the replay keeps made Strings.
            try db.each("SELECT \(EventRow.columns), hash FROM event ORDER BY id") { r in
                guard result.problem == nil else { return }
                let id = r.int(0)
                let stored = r.blob(17)
                if id != expectedID {
                    result.problem = .gap(eventID: expectedID)
                } else {
                    content.render(r)
                    var sha = SHA256()
                    sha.update(previous)
                    sha.update(content.bytes)
                    if sha.finalize() != stored {
                        result.problem = .hash(eventID: id, caseNumber: try caseNumber(r.optionalInt(1)))
                    }
                }
                previous = stored
                if id == witness?.count { atWitness = previous }
                expectedID += 1
                result.events += 1
                guard !suspect, result.problem == nil, let caseID = r.optionalInt(1) else { return }

                let actor = r.text(4)
                guard let kind = ActionKind(rawValue: r.text(3)),
                    r.withText(15, { JSON.parseFlatObject($0, into: &fields) }),
                    let change = Change(kind: kind, detail: fields, actor: actor), let seq = r.optionalInt(2),
                    seq <= last.version(of: caseID)
                else {
                    suspect = true
                    return
                }
                let event = Event(caseSeq: Int(seq), actor: actor, effectiveAt: r.int(5), change: change)
                var state: Case? = nil
                if let c = current, c.id == caseID {
                    state = c.state
                } else {
                    if let c = current {
                        if open.count >= held {
                            // Memory stays flat: half the held cases are let go, each
                            // replayed again from its events if more of them come.
                            for key in Array(open.keys.prefix(open.count / 2)) { open.removeValue(forKey: key) }
                        }
                        open[c.id] = c.state
                    }
                    current = nil
                    state = open.removeValue(forKey: caseID)
                    if state == nil, seq > 1 {
                        // A file made to send the pass back to the same cases again and
                        // again is read case by case instead (linear in the events).
                        guard result.replayedAgain < 2 * last.cases + 65_536 else {
                            suspect = true
                            return
                        }
                        state = try replayed(caseID, before: seq, chainedBefore: id)
                        result.replayedAgain += 1
                    }
                }
                let next: Case
                if let state {
                    next = state.applying(event)
                } else if case .filed = change {
                    next = Case(id: caseID, filed: event)
                } else {
                    suspect = true
                    return
                }
                // The event's record of the case, as `EventRow(snapshot: next)` would write it.
                if r.optionalText(7) != next.state.rawValue || r.optionalInt(8) != next.unitID
                    || r.optionalInt(9) != Int64(next.level) || r.optionalInt(10) != Int64(next.topLevel)
                    || r.optionalText(11) != next.severity || r.optionalText(12) != next.category
                    || r.optionalInt(13) != next.dueAt || r.int(14) != Int64(change.breach)
                    || Int64(next.version) != seq
                {
                    suspect = true
                    return
                }
                if seq == last.version(of: caseID) {
                    current = nil
                    finished.append((caseID, next))
                    if finished.count == Self.verifyBatch { try compareFinished() }
                } else {
                    current = (caseID, next)
                }
            }
            if result.problem != nil { return result }
            try compareFinished()
            if current != nil || !open.isEmpty || checked != last.cases { suspect = true }
            open = [:]
            if result.events > 0 { result.head = Witness(count: Int64(result.events), hash: previous) }
            if let witness {
                if Int64(result.events) < witness.count {
                    result.problem = .witnessAhead(witness: witness.count, events: Int64(result.events))
                    return result
                }
                if let hash = atWitness, !witness.matches(hash) {
                    result.problem = .witnessDiffers(count: witness.count)
                    return result
                }
            }
            if let problem = try checkAdministration() {
                result.problem = problem
                return result
            }
            if suspect {
                result.readCaseByCase = true
                try checkCases(&result)
            } else {
                result.cases = checked
            }
            if result.problem == nil, let problem = try checkTally() { result.problem = problem }
            return result
        }
    }

    /// The tally (migration 011) against one recount of the case rows: the first unit and
    /// state, in that order, whose count differs (a row of zero stands for none). Not for a
    /// role bound to a subtree, which sees only its cases and none of the tally.
    private func checkTally() throws -> Verification.Problem? {
        guard try tallyServes() else { return nil }
        struct Key: Hashable, Comparable {
            let unit: Int64
            let state: String
            static func < (a: Key, b: Key) -> Bool { (a.unit, a.state) < (b.unit, b.state) }
        }
        var counted: [Key: Int64] = [:]
        // SQLite: the table read in its order, not row by row through the index on unit_id
        // (a quarter fewer instructions at 100,000 cases).
        let table = db.isPostgreSQL ? "dispute" : "dispute NOT INDEXED"
        try db.each("SELECT unit_id, state, count(*) FROM \(table) GROUP BY unit_id, state") { r in
            counted[Key(unit: r.int(0), state: r.text(1))] = r.int(2)
        }
        var differs: [Key] = []
        try db.each("SELECT unit_id, state, cases FROM dispute_tally") { r in
            let key = Key(unit: r.int(0), state: r.text(1))
            if (counted.removeValue(forKey: key) ?? 0) != r.int(2) { differs.append(key) }
        }
        differs += counted.keys
        guard let first = differs.min() else { return nil }
        let code = try db.first("SELECT code FROM unit WHERE id = ?", [.int(first.unit)]) { $0.text(0) }
        return .tally(unit: code ?? "#\(first.unit)", state: first.state)
    }

    /// How many finished cases are compared with their rows at a time.
    static let verifyBatch = 256

    /// How many cases with events still to come `verify` holds replayed (about a
    /// kilobyte each); beyond it, half are let go and replayed again when needed.
    static let heldCases = 8_192

    /// Case `caseID` replayed from its events before `seq`, for a case let go while its
    /// later events were still to come: every event of the case met so far in the chain
    /// (before event `chainedBefore`, each link already checked), which must be exactly
    /// its events 1 … seq − 1 in chain order. Nil otherwise — a case already finished, a
    /// position repeated or skipped, an event that cannot be read — and the file is then
    /// read case by case, as for anything else the one pass finds wrong.
    private func replayed(_ caseID: Int64, before seq: Int64, chainedBefore id: Int64) throws -> Case? {
        var state: Case? = nil
        var count: Int64 = 0
        var fields: [(String, String)] = []
        var readable = true
        try db.each(
            "SELECT case_seq, action, actor, effective_at, detail FROM event WHERE case_id = ? AND id < ? ORDER BY id",
            [.int(caseID), .int(id)]
        ) { r in
            count += 1
            let actor = r.text(2)
            guard readable, count < seq, r.int(0) == count, let kind = ActionKind(rawValue: r.text(1)),
                r.withText(4, { JSON.parseFlatObject($0, into: &fields) }),
                let change = Change(kind: kind, detail: fields, actor: actor)
            else {
                readable = false
                return
            }
            let event = Event(caseSeq: Int(count), actor: actor, effectiveAt: r.int(3), change: change)
            if let s = state {
                state = s.applying(event)
            } else if case .filed = change {
                state = Case(id: caseID, filed: event)
            } else {
                readable = false
            }
        }
        return readable && count == seq - 1 ? state : nil
    }

    /// A case's number for a problem to name: looked up only then, since a million of
    /// them in memory would make verify's peak grow with the file.
    func caseNumber(_ id: Int64?) throws -> String? {
        guard let id else { return nil }
        return try db.first("SELECT year, serial FROM dispute WHERE id = ?", [.int(id)]) {
            CaseNumber(year: Int($0.int(0)), serial: Int($0.int(1))).description
        }
    }

    /// Each case's `version` (the `case_seq` of its last event), read once before the
    /// chain: an array by case id (4 bytes a case), or a dictionary where ids are sparse.
    struct LastEvents {
        var dense: [UInt32] = []
        var sparse: [Int64: UInt32] = [:]
        var cases = 0

        init(_ db: Connection) throws {
            let (count, maxID) =
                try db.first("SELECT count(*), coalesce(max(id), 0) FROM dispute") { ($0.int(0), $0.int(1)) } ?? (0, 0)
            cases = Int(count)
            let isDense = maxID >= 0 && maxID <= 2 * count + 65_536
            if isDense { dense = Array(repeating: 0, count: Int(maxID) + 1) }
            try db.each("SELECT id, version FROM dispute") { r in
                let id = r.int(0)
                let version = UInt32(clamping: max(0, r.int(1)))
                if isDense && id >= 0 { dense[Int(id)] = version } else { sparse[id] = version }
            }
        }

        /// 0 for a case without a row.
        func version(of id: Int64) -> Int64 {
            if id >= 0 && id < Int64(dense.count) { return Int64(dense[Int(id)]) }
            return Int64(sparse[id] ?? 0)
        }
    }

    /// Whether every finished case's row, parties included, equals its replay.
    private func rowsMatch(_ finished: [(id: Int64, replayed: Case)]) throws -> Bool {
        var wanted = Set<Int64>(minimumCapacity: finished.count)
        var low = Int64.max
        var high = Int64.min
        for (id, _) in finished {
            wanted.insert(id)
            low = min(low, id)
            high = max(high, id)
        }
        // Cases mostly finish in the order of their ids: then one range of rows is read
        // (those in it not finished yet are skipped), else the finished ids one by one.
        let rows =
            high - low < 2 * Int64(finished.count)
            ? try caseRows("BETWEEN ? AND ?", [.int(low), .int(high)], keeping: wanted.contains)
            : try caseRows(
                "IN (\(Array(repeating: "?", count: finished.count).joined(separator: ", ")))",
                finished.map { .int($0.id) }, keeping: wanted.contains)
        for (id, replayed) in finished {
            guard let row = rows[id], Self.firstDifference(row, replayed) == nil else { return false }
        }
        return true
    }

    /// The case rows whose id is `condition` (bound to `values`) that `keeping` wants,
    /// each with its parties, by id.
    private func caseRows(
        _ condition: String, _ values: [SQLValue], keeping wanted: (Int64) -> Bool = { _ in true }
    ) throws -> [Int64: Case] {
        var rows: [Int64: Case] = [:]
        try db.each("SELECT \(Self.caseColumns) FROM dispute d WHERE d.id \(condition)", values) {
            let id = $0.int(0)
            if wanted(id) { rows[id] = Self.caseRow($0) }
        }
        try db.each(
            "SELECT case_id, \(Self.partyColumns) FROM party WHERE case_id \(condition) ORDER BY case_id, position",
            values
        ) { r in
            let id = r.int(0)
            if rows[id] != nil { rows[id]!.parties.append(Self.partyRow(r, from: 1)) }
        }
        return rows
    }

    /// Every case row, and every event's record of the case, against the replay, case
    /// by case: the first problem in case order. Run only when the pass in chain order
    /// found something wrong with a case.
    private func checkCases(_ result: inout Verification) throws {
        func number(_ id: Int64?) throws -> String? { try caseNumber(id) }
        // 2. Every case row, and every event's record of the case, against the replay.
        // The rows are read a batch of cases at a time, in the order of the events
        // (by case id), not with two queries a case.
        var batch: [(id: Int64, replayed: Case?)] = []
        func checkBatch() throws {
            guard let first = batch.first?.id, let last = batch.last?.id, result.problem == nil else {
                batch.removeAll(keepingCapacity: true)
                return
            }
            let rows = try caseRows("BETWEEN ? AND ?", [.int(first), .int(last)])
            for (id, replayed) in batch {
                guard let replayed else {
                    result.problem = .caseRow(caseNumber: try number(id) ?? "#\(id)", field: "events")
                    break
                }
                guard let row = rows[id] else {
                    result.problem = .caseRow(caseNumber: "#\(id)", field: "id")
                    break
                }
                if let field = Self.firstDifference(row, replayed) {
                    result.problem = .caseRow(caseNumber: row.number.description, field: field)
                    break
                }
                result.cases += 1
            }
            batch.removeAll(keepingCapacity: true)
        }
        /// A problem found at an event: the cases before it are checked first, so that
        /// the first problem in case order is the one reported.
        func fail(_ problem: Verification.Problem) throws {
            try checkBatch()
            if result.problem == nil { result.problem = problem }
        }
        var current: (id: Int64, events: [Event])? = nil
        var state: Case? = nil
        try db.each(
            "SELECT \(EventRow.columns) FROM event WHERE case_id IS NOT NULL ORDER BY case_id, case_seq"
        ) { r in
            guard result.problem == nil else { return }
            let row = EventRow(r)
            let caseID = row.caseID!
            guard let kind = ActionKind(rawValue: row.action), let detail = JSON.parseFlatObject(row.detail),
                let change = Change(kind: kind, detail: detail, actor: row.actor), let seq = row.caseSeq
            else {
                try fail(.unreadable(eventID: row.id, caseNumber: try number(caseID)))
                return
            }
            let event = Event(caseSeq: Int(seq), actor: row.actor, effectiveAt: row.effectiveAt, change: change)
            if current?.id != caseID {
                if let done = current {
                    batch.append((done.id, Case.replay(id: done.id, done.events)))
                    if batch.count == 512 { try checkBatch() }
                }
                if result.problem != nil { return }
                current = (caseID, [])
                state = nil
            }
            current!.events.append(event)
            let next: Case
            if let s = state {
                next = s.applying(event)
            } else if case .filed = change {
                next = Case(id: caseID, filed: event)
            } else {
                try fail(.caseRow(caseNumber: try number(caseID) ?? "#\(caseID)", field: "filing"))
                return
            }
            state = next
            let expected = EventRow(
                caseID: caseID, caseSeq: seq, action: kind.rawValue, actor: row.actor, effectiveAt: row.effectiveAt,
                enteredAt: row.enteredAt, snapshot: next, breach: Int64(change.breach), detail: [])
            if expected.state != row.state || expected.unitID != row.unitID || expected.level != row.level
                || expected.topLevel != row.topLevel || expected.severity != row.severity
                || expected.category != row.category || expected.dueAt != row.dueAt || expected.breach != row.breach
                || Int64(next.version) != seq
            {
                try fail(.snapshot(eventID: row.id, caseNumber: try number(caseID) ?? "#\(caseID)"))
            }
        }
        if result.problem == nil, let done = current {
            batch.append((done.id, Case.replay(id: done.id, done.events)))
        }
        try checkBatch()
        let caseCount = Int(try db.int("SELECT count(*) FROM dispute") ?? 0)
        if result.problem == nil && result.cases != caseCount {
            let orphan = try db.int(
                "SELECT min(d.id) FROM dispute d WHERE NOT EXISTS (SELECT 1 FROM event e WHERE e.case_id = d.id)")
            if let orphan, let name = try number(orphan) {
                result.problem = .noEvents(caseNumber: name)
            }
        }
    }

    /// The name of the first field in which the stored row differs from the replay.
    static func firstDifference(_ a: Case, _ b: Case) -> String? {
        let fields: [(String, Bool)] = [
            ("number", a.number == b.number), ("origin_unit_id", a.originUnitID == b.originUnitID),
            ("unit_id", a.unitID == b.unitID), ("level", a.level == b.level), ("top_level", a.topLevel == b.topLevel),
            ("state", a.state == b.state), ("severity", a.severity == b.severity),
            ("category", a.category == b.category),
            ("source", a.source == b.source), ("source_ref", a.sourceRef == b.sourceRef),
            ("summary", a.summary == b.summary),
            ("parties", a.parties == b.parties), ("assignee", a.assignee == b.assignee),
            ("filed_at", a.filedAt == b.filedAt),
            ("due_at", a.dueAt == b.dueAt), ("resolved_at", a.resolvedAt == b.resolvedAt),
            ("closed_at", a.closedAt == b.closedAt),
            ("follow_up_at", a.followUpAt == b.followUpAt), ("supervised_at", a.supervisedAt == b.supervisedAt),
            ("breaches", a.breaches == b.breaches), ("version", a.version == b.version),
            ("last_event_at", a.lastEventAt == b.lastEventAt), ("perform_by", a.performBy == b.performBy),
            ("agreement_form", a.agreementOral == b.agreementOral), ("follow_up_by", a.followUpBy == b.followUpBy),
            ("performance", a.performance == b.performance), ("confirm_applied", a.confirmApplied == b.confirmApplied),
            ("confirm_ruling", a.confirmRuling == b.confirmRuling),
        ]
        return fields.first { !$0.1 }?.0
    }
}
