import MediateCore

extension Store {
    /// The keys of the rows of ledger `file` already imported.
    public func importedKeys(of file: String) throws(StoreError) -> Set<String> {
        try sealed {
            Set(try db.rows("SELECT key FROM ledger_row WHERE file = ?", [.text(file)]) { $0.text(0) })
        }
    }

    /// The rows of one ledger file a command has met so far, and whether an earlier
    /// import made a case of a row: asked of the database, so that a ledger of a million
    /// rows keeps no key in memory. An import finds the rows it has written by
    /// `ledger_row`'s primary key (the case of each row is written before the next row is
    /// read); the rows it leaves alone (imported before), and every row of a dry run,
    /// which writes nothing, are noted in a temporary table with its own bounded page
    /// cache. Not Sendable: it stays with its command.
    public final class LedgerKeys {
        private let store: Store
        private let file: String
        private let writing: Bool
        /// The last case id before this import's first: asked inside its transaction.
        private var before: Int64? = nil
        /// The temporary table's statements, once a row needs it: an import of rows none
        /// of which was imported before never makes it.
        private var noted: (find: Statement, note: Statement)? = nil
        private let imported: Statement

        fileprivate init(store: Store, file: String, writing: Bool) throws {
            self.store = store
            self.file = file
            self.writing = writing
            imported = try store.db.statement("SELECT case_id FROM ledger_row WHERE file = ? AND key = ?")
        }

        private func table() throws -> (find: Statement, note: Statement) {
            if let noted { return noted }
            let db = store.db
            try db.execute(
                """
                CREATE TEMP TABLE IF NOT EXISTS ledger_key (key TEXT PRIMARY KEY, line INTEGER NOT NULL);
                DELETE FROM temp.ledger_key;
                """)
            let made = (
                find: try db.statement("SELECT line FROM temp.ledger_key WHERE key = ?"),
                note: try db.statement("INSERT INTO temp.ledger_key (key, line) VALUES (?, ?)")
            )
            noted = made
            return made
        }

        /// The line `key` was first met on, if this command met it before; else nil, and
        /// the key is noted as met on `line`. An import calls it inside its transaction,
        /// for each row before the row is written.
        public func firstLine(of key: String, line: Int) throws(StoreError) -> Int? {
            try store.sealed {
                let db = store.db
                if let caseID = try imported.first([.text(file), .text(key)], { $0.int(0) }) {
                    if writing {
                        let before = try self.before ?? (db.int(db.lastCaseIDSQL) ?? 0)
                        self.before = before
                        // Written by this import: the line its filing came from.
                        if caseID > before {
                            let detail = try db.first(
                                "SELECT detail FROM event WHERE case_id = ? AND case_seq = 1", [.int(caseID)]
                            ) { $0.text(0) }
                            let origin = detail.flatMap(JSON.parseFlatObject)?.first { $0.0 == "origin_line" }?.1
                            return origin.flatMap { Int($0) } ?? line
                        }
                    }
                } else if writing {
                    // Not written yet: the import writes it now.
                    if before == nil { before = try db.int(db.lastCaseIDSQL) ?? 0 }
                    return nil
                }
                let (find, note) = try table()
                if let first = try find.first([.text(key)], { $0.int(0) }) { return Int(first) }
                try note.run([.text(key), .int(Int64(line))])
                return nil
            }
        }

        /// Whether an earlier import made a case of the row `key`.
        public func wasImported(_ key: String) throws(StoreError) -> Bool {
            try store.sealed { try imported.first([.text(file), .text(key)], { _ in true }) ?? false }
        }
    }

    /// The keys of ledger `file` as this command meets them (none yet): for an import
    /// that writes (`writing`), or for a dry run.
    public func ledgerKeys(of file: String, writing: Bool) throws(StoreError) -> LedgerKeys {
        try sealed { try LedgerKeys(store: self, file: file, writing: writing) }
    }

    /// What an import did: how many cases it created (numbered from `first` to `last`, in
    /// the order of their ids from `caseIDs`), and how many rows it left alone.
    public struct LedgerImport: Sendable {
        public var count = 0
        public var first: CaseNumber? = nil
        public var last: CaseNumber? = nil
        /// The ids of the cases created: consecutive, in the one transaction.
        public var caseIDs: ClosedRange<Int64>? = nil
        /// Rows already imported before: left alone.
        public var skipped = 0
    }

    /// The numbers of the cases an import of `file` created, in order, read back once it
    /// has committed: never all held at once.
    public func importedNumbers(
        of file: String, _ result: LedgerImport, _ each: (CaseNumber) -> Void
    ) throws(StoreError) {
        guard let ids = result.caseIDs else { return }
        try sealed {
            try db.each(
                """
                SELECT d.year, d.serial FROM ledger_row l JOIN dispute d ON d.id = l.case_id
                WHERE l.file = ? AND l.case_id BETWEEN ? AND ? ORDER BY l.case_id
                """, [.text(file), .int(ids.lowerBound), .int(ids.upperBound)]
            ) { r in
                each(CaseNumber(year: Int(r.int(0)), serial: Int(r.int(1))))
            }
        }
    }

    /// Imports ledger rows, all in one transaction: each row not imported before becomes
    /// a case numbered in its filing year, with the events `Machine.importing` decides,
    /// and its origin recorded as a key. A row the rules refuse stops it all. Written by
    /// the bulk path: each case once with all its events, the chain's head in memory.
    public func importLedger(
        _ next: () throws -> LedgerEntry?, by actor: Actor, entered: Int64, machine: Machine
    ) throws(StoreError) -> LedgerImport {
        try sealed {
            try inBulk(machine: machine, commitEvery: nil) { bulk in
                try importRows(next, by: actor, entered: entered, machine: machine, into: bulk)
            }
        }
    }

    private func importRows(
        _ next: () throws -> LedgerEntry?, by actor: Actor, entered: Int64, machine: Machine, into bulk: Bulk
    ) throws -> LedgerImport {
        var result = LedgerImport()
        let imported = try db.statement("SELECT 1 FROM ledger_row WHERE file = ? AND key = ?")
        let record = try db.statement("INSERT INTO ledger_row (file, key, case_id) VALUES (?, ?, ?)")
        while let entry = try next() {
            guard let origin = entry.filing.origin else { continue }
            if try imported.first([.text(origin.file), .text(origin.key)], { _ in true }) != nil {
                result.skipped += 1
                continue
            }
            let year = zone.day(entry.filedAt).year
            let number = CaseNumber(year: year, serial: Int(try bulk.nextSerial(year)))
            let events: [Event]
            switch machine.importing(entry, number: number, by: actor) {
            case .success(let e): events = e
            case .failure(let v): throw RecordFault(line: origin.line, .refused(v))
            }
            let c = try bulk.start(events[0], entered: entered)
            for event in events.dropFirst() { try bulk.apply(event, entered: entered) }
            // The row's key, with the case (written when the next one starts).
            try bulk.flush()
            try record.run([.text(origin.file), .text(origin.key), .int(c.id)])
            result.count += 1
            result.first = result.first ?? number
            result.last = number
            result.caseIDs = (result.caseIDs?.lowerBound ?? c.id)...c.id
        }
        return result
    }
}
