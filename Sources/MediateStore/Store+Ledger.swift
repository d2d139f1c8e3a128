import MediateCore

extension Store {
    /// The keys of the rows of ledger `file` already imported.
    public func importedKeys(of file: String) throws(StoreError) -> Set<String> {
        try sealed {
            Set(try db.rows("SELECT key FROM ledger_row WHERE file = ?", [.text(file)]) { $0.text(0) })
        }
    }

    /// What an import did.
    public struct LedgerImport: Sendable {
        public var created: [CaseNumber] = []
        /// Rows already imported before: left alone.
        public var skipped = 0
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
            result.created.append(number)
        }
        return result
    }
}
