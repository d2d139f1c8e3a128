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
    /// and its origin recorded as a key. A row the rules refuse stops it all.
    public func importLedger(
        _ next: () throws -> LedgerEntry?, by actor: Actor, entered: Int64, machine: Machine
    ) throws(StoreError) -> LedgerImport {
        try sealed {
            try db.transaction { try importRows(next, by: actor, entered: entered, machine: machine) }
        }
    }

    private func importRows(_ next: () throws -> LedgerEntry?, by actor: Actor, entered: Int64, machine: Machine) throws
        -> LedgerImport
    {
        var result = LedgerImport()
        var serials: [Int: Int64] = [:]
        while let entry = try next() {
            guard let origin = entry.filing.origin else { continue }
            if try db.int(
                "SELECT 1 FROM ledger_row WHERE file = ? AND key = ?", [.text(origin.file), .text(origin.key)])
                != nil
            {
                result.skipped += 1
                continue
            }
            let year = zone.day(entry.filedAt).year
            let serial: Int64
            if let last = serials[year] {
                serial = last + 1
            } else {
                serial = (try db.int("SELECT max(serial) FROM dispute WHERE year = ?", [.int(Int64(year))]) ?? 0) + 1
            }
            serials[year] = serial
            let number = CaseNumber(year: year, serial: Int(serial))
            let events: [Event]
            switch machine.importing(entry, number: number, by: actor) {
            case .success(let e): events = e
            case .failure(let v): throw RecordFault(line: origin.line, .refused(v))
            }
            guard case .filed(let filing, _, _) = events[0].change else { preconditionFailure() }
            try db.run(
                """
                INSERT INTO dispute (year, serial, origin_unit_id, unit_id, level, top_level, state, severity, category,
                    source, source_ref, summary, assignee, filed_at, due_at, breaches, version, last_event_at)
                VALUES (?, ?, ?, ?, 0, 0, 'open', ?, ?, ?, ?, ?, NULL, 0, 0, 0, 0, 0)
                """,
                [
                    .int(Int64(year)), .int(serial), .int(filing.unitID), .int(filing.unitID), .text(filing.severity),
                    .text(filing.category), .text(filing.source), SQLValue(filing.sourceRef), .text(filing.summary),
                ])
            var c = Case(id: db.lastInsertRowID, filed: events[0])
            for (i, p) in filing.parties.enumerated() {
                try db.run(
                    "INSERT INTO party (case_id, position, name, role, phone, id_number, address) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        .int(c.id), .int(Int64(i + 1)), .text(p.name), .text(p.role), SQLValue(p.phone),
                        SQLValue(p.idNumber), SQLValue(p.address),
                    ])
            }
            try write(c, after: events[0], expecting: 0, entered: entered)
            for event in events.dropFirst() {
                let next = c.applying(event)
                try write(next, after: event, expecting: c.version, entered: entered)
                c = next
            }
            try db.run(
                "INSERT INTO ledger_row (file, key, case_id) VALUES (?, ?, ?)",
                [.text(origin.file), .text(origin.key), .int(c.id)])
            result.created.append(number)
        }
        return result
    }
}
