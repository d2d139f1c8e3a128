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
    }

    public var problem: Problem?
    public var events = 0
    public var cases = 0
    /// The head of the chain as read (nil for a file without events).
    public var head: Witness?
}

extension Store {
    /// Proves the file was not edited behind mediate's back: SQLite's integrity check,
    /// the append-only triggers, the hash chain over every event, and every case row
    /// equal to the replay of its events. Stops at the first problem.
    /// With `witness`, also that the log extends the history the witness was taken of.
    public func verify(witness: Witness.Claim? = nil) throws(StoreError) -> Verification {
        try sealed {
            // One read transaction, so that the chain, the administration and the case
            // rows are read as of one moment while others write (on PostgreSQL a
            // repeatable read: otherwise a case row written after its events were read
            // would look edited).
            try db.execute("BEGIN DEFERRED")
            defer { try? db.execute("COMMIT") }
            var result = Verification()
            let integrity = try db.rows("PRAGMA integrity_check") { $0.text(0) }
            if integrity != ["ok"] {
                result.problem = .integrity(integrity.prefix(3).joined(separator: "; "))
                return result
            }
            let triggers = try db.int(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ('event_no_update', 'event_no_delete')"
            )
            if triggers != 2 {
                result.problem = .triggersMissing
                return result
            }
            let numbers = try caseNumbers()

            // 1. The chain, in order.
            var previous: [UInt8] = []
            var expectedID: Int64 = 1
            var atWitness: [UInt8]? = nil
            var scratch: [UInt8] = []
            try db.each("SELECT \(EventRow.columns), hash FROM event ORDER BY id") { r in
                guard result.problem == nil else { return }
                let row = EventRow(r)
                if row.id != expectedID {
                    result.problem = .gap(eventID: expectedID)
                } else if Chain.hash(row, previous: previous, scratch: &scratch) != r.blob(17) {
                    result.problem = .hash(eventID: row.id, caseNumber: row.caseID.flatMap { numbers[$0] })
                }
                previous = r.blob(17)
                if row.id == witness?.count { atWitness = previous }
                expectedID += 1
                result.events += 1
            }
            if result.problem != nil { return result }
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

            // 2. Every case row, and every event's record of the case, against the replay.
            var current: (id: Int64, events: [Event])? = nil
            func check(_ id: Int64, _ events: [Event]) throws {
                let number = numbers[id] ?? "#\(id)"
                guard let replayed = Case.replay(id: id, events) else {
                    result.problem = .caseRow(caseNumber: number, field: "events")
                    return
                }
                guard var row = try findCase(id: id) else {
                    result.problem = .caseRow(caseNumber: number, field: "id")
                    return
                }
                row.parties = try parties(of: id)
                if let field = Self.firstDifference(row, replayed) {
                    result.problem = .caseRow(caseNumber: number, field: field)
                }
                result.cases += 1
            }
            var state: Case? = nil
            try db.each(
                "SELECT \(EventRow.columns) FROM event WHERE case_id IS NOT NULL ORDER BY case_id, case_seq"
            ) { r in
                guard result.problem == nil else { return }
                let row = EventRow(r)
                let caseID = row.caseID!
                let number = numbers[caseID]
                guard let kind = ActionKind(rawValue: row.action), let detail = JSON.parseFlatObject(row.detail),
                    let change = Change(kind: kind, detail: detail, actor: row.actor), let seq = row.caseSeq
                else {
                    result.problem = .unreadable(eventID: row.id, caseNumber: number)
                    return
                }
                let event = Event(caseSeq: Int(seq), actor: row.actor, effectiveAt: row.effectiveAt, change: change)
                if current?.id != caseID {
                    if let done = current { try check(done.id, done.events) }
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
                    result.problem = .caseRow(caseNumber: number ?? "#\(caseID)", field: "filing")
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
                    result.problem = .snapshot(eventID: row.id, caseNumber: number ?? "#\(caseID)")
                }
            }
            if result.problem == nil, let done = current { try check(done.id, done.events) }
            if result.problem == nil && result.cases != numbers.count {
                let withEvents = Set(
                    try db.rows("SELECT DISTINCT case_id FROM event WHERE case_id IS NOT NULL") { $0.int(0) })
                if let orphan = numbers.keys.sorted().first(where: { !withEvents.contains($0) }) {
                    result.problem = .noEvents(caseNumber: numbers[orphan]!)
                }
            }
            return result
        }
    }

    private func caseNumbers() throws -> [Int64: String] {
        var numbers: [Int64: String] = [:]
        try db.each("SELECT id, year, serial FROM dispute") {
            numbers[$0.int(0)] = CaseNumber(year: Int($0.int(1)), serial: Int($0.int(2))).description
        }
        return numbers
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
