import MediateCore

extension Store {
    /// Writes many new cases fast (the demo, ledger imports): thousands of cases a
    /// commit, each case written once with all its events, statements prepared once,
    /// the chain's head kept in memory. `body` files cases and acts on each as it goes;
    /// every action is still decided by `machine`, exactly as `file` and `perform`
    /// decide it: the bulk path skips reading back, never a rule.
    ///
    /// With `commitEvery` nil everything is one transaction: an error anywhere writes
    /// nothing. With a count, a commit follows every that many cases, and an error
    /// leaves the batches committed before it. `body` writes through the writer only:
    /// the chain's head it keeps would not know of an event written around it.
    public func bulk<T>(machine: Machine, commitEvery: Int? = nil, _ body: (Bulk) throws -> T) throws(StoreError)
        -> T
    {
        try sealed { try inBulk(machine: machine, commitEvery: commitEvery, body) }
    }

    /// `bulk` inside the store, errors as thrown.
    func inBulk<T>(machine: Machine, commitEvery: Int?, _ body: (Bulk) throws -> T) throws -> T {
        let bulk = try Bulk(store: self, machine: machine, commitEvery: commitEvery)
        try db.execute("BEGIN IMMEDIATE")
        do {
            try bulk.begin()
            let result = try body(bulk)
            try bulk.flush()
            try db.execute("COMMIT")
            return result
        } catch {
            if db.inTransaction { try? db.execute("ROLLBACK") }
            throw error
        }
    }

    /// The writer a `bulk` run hands its body. It holds one case at a time: `file`
    /// starts the next case (writing the one before), `perform` acts on the case last
    /// filed. Not Sendable: it stays inside its `bulk` call.
    public final class Bulk {
        let store: Store
        let machine: Machine
        let commitEvery: Int?
        private let insertCase: Statement
        private let insertParty: Statement
        private let insertEvent: Statement
        /// The chain's last event, as this transaction left it.
        private var head: (id: Int64, hash: [UInt8]) = (0, [])
        private var nextCaseID: Int64 = 1
        private var serials: [Int: Int64] = [:]
        private var disabled: Set<String> = []
        private var casesInTransaction = 0
        /// The case being built, and its events (as stored) so far.
        private var current: Case?
        private var rows: [EventRow] = []
        private var scratch: [UInt8] = []

        init(store: Store, machine: Machine, commitEvery: Int?) throws {
            self.store = store
            self.machine = machine
            self.commitEvery = commitEvery
            let db = store.db
            insertCase = try db.statement(Store.insertCaseSQL)
            insertParty = try db.statement(Store.insertPartySQL)
            insertEvent = try db.statement(
                "INSERT INTO event (\(EventRow.columns), hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            )
        }

        /// Reads what this transaction builds on: the chain's head, the last case id,
        /// who is disabled. Numbers are read per year when first needed.
        func begin() throws {
            let db = store.db
            // On PostgreSQL, appends are serialised by a lock held to commit (a no-op on
            // SQLite, whose BEGIN IMMEDIATE already holds the one write lock).
            try db.lockAppends()
            head = try db.chainHead()
            nextCaseID = (try db.int(db.lastCaseIDSQL) ?? 0) + 1
            serials = [:]
            disabled = Set(try db.rows("SELECT login FROM person WHERE disabled_at IS NOT NULL") { $0.text(0) })
            casesInTransaction = 0
        }

        /// The next number of `year`: one more than the last one given.
        func nextSerial(_ year: Int) throws -> Int64 {
            let serial: Int64
            if let last = serials[year] {
                serial = last + 1
            } else {
                serial =
                    (try store.db.int(store.db.lastSerialSQL, [.int(Int64(year))]) ?? 0) + 1
            }
            serials[year] = serial
            return serial
        }

        /// Files a new case, numbered next in the year of `now`, as `Store.file` does.
        @discardableResult
        public func file(_ make: (CaseNumber) -> Filing, by actor: Actor, at now: Int64, entered: Int64)
            throws(StoreError) -> Case
        {
            try store.sealed {
                // The case before is written first: a commit there reads the numbers afresh.
                try flush()
                let year = store.zone.day(now).year
                let serial = try nextSerial(year)
                let event = try machine.decide(
                    nil, .file(make(CaseNumber(year: year, serial: Int(serial)))), by: actor, at: now
                ).get()
                return try start(event, entered: entered)
            }
        }

        /// Starts a case with a filing the machine decided outside (a ledger row's
        /// events, from `Machine.importing`), writing the case before it.
        @discardableResult
        func start(_ filed: Event, entered: Int64) throws -> Case {
            try flush()
            let c = Case(id: nextCaseID, filed: filed)
            nextCaseID += 1
            current = c
            try append(filed, leaving: c, entered: entered)
            return c
        }

        /// Applies `action` to the case last filed, as `Store.perform` does on the case
        /// as the transaction finds it.
        @discardableResult
        public func perform(_ action: Action, by actor: Actor, at now: Int64, entered: Int64) throws(StoreError)
            -> (Case, Event)
        {
            try store.sealed {
                guard let c = current else { preconditionFailure("perform before file in a bulk run") }
                if case .accept(let mediator) = action, disabled.contains(mediator.login) {
                    throw StoreError.disabledPerson(mediator.login)
                }
                let effective = machine.effectiveTime(of: c, at: now, entered: entered)
                let event = try machine.decide(c, action, by: actor, at: effective).get()
                let next = c.applying(event)
                try append(event, leaving: next, entered: entered)
                current = next
                return (next, event)
            }
        }

        /// The daily sweep at `now` on the case being built, as `Store.sweep` decides it
        /// (escalated when overdue below its ceiling, else flagged for supervision); nil
        /// when the machine leaves it alone.
        @discardableResult
        public func sweep(at now: Int64, entered: Int64, by actor: String = Actor.system.login) throws(StoreError)
            -> Event?
        {
            try store.sealed {
                guard let c = current, let event = machine.sweep(c, at: now, by: actor) else { return nil }
                try apply(event, entered: entered)
                return event
            }
        }

        /// Appends an event already decided by the machine to the case being built.
        func apply(_ event: Event, entered: Int64) throws {
            guard let c = current else { preconditionFailure("apply before file in a bulk run") }
            let next = c.applying(event)
            try append(event, leaving: next, entered: entered)
            current = next
        }

        private func append(_ event: Event, leaving c: Case, entered: Int64) throws {
            try Clock.check(effective: event.effectiveAt, entered: entered)
            var row = EventRow(
                caseID: c.id, caseSeq: Int64(event.caseSeq), action: event.change.kind.rawValue, actor: event.actor,
                effectiveAt: event.effectiveAt, enteredAt: entered, snapshot: c, breach: Int64(event.change.breach),
                detail: event.change.detail)
            row.osLogin = store.osLogin
            rows.append(row)
        }

        /// Writes the case being built: its row as its last event left it, its parties,
        /// its events chained on the head kept in memory. Commits when a batch is full.
        func flush() throws {
            guard let c = current else { return }
            current = nil
            try insertCase.run(Store.caseValues(c))
            for (i, p) in c.parties.enumerated() {
                try insertParty.run(Store.partyValues(c.id, i + 1, p))
            }
            for var row in rows {
                row.id = head.id + 1
                let digest = Chain.hash(row, previous: head.hash, scratch: &scratch)
                try insertEvent.run(row.values + [.blob(digest)])
                head = (row.id, digest)
            }
            rows.removeAll(keepingCapacity: true)
            casesInTransaction += 1
            if let every = commitEvery, casesInTransaction >= every {
                try store.db.execute("COMMIT")
                try store.db.execute("BEGIN IMMEDIATE")
                try begin()
            }
        }
    }
}
