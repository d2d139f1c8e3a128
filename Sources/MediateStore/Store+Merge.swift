import MediateCore

/// Several streets in one district database: a street's file merged into a database
/// that holds others already. The district has one chain: the street's events are
/// appended to it, each re-chained (a new id and hash) with its case and units
/// renumbered, and one `street.merge` event records the street's verified witness, so
/// that the street's file (kept, never changed by this) still proves its own history
/// with `verify --witness`, and the district's chain proves what was taken from it.
extension Store {
    public struct Merged: Sendable {
        public let street: String
        public let cases: Int
        public let events: Int
        /// The street's chain as it was verified before the merge.
        public let witness: Witness
        /// Each case's number in the street and in the district, where they differ.
        public let renumbered: [(from: CaseNumber, to: CaseNumber)]
    }

    /// The columns of the case row (`dispute`) as Schema/ and Schema/postgresql make them,
    /// and whether each holds an integer.
    static let disputeColumns = caseColumnNames.map { (name: $0, isInt: !caseTextColumns.contains($0)) }

    /// Merges the street file `street` into this database, all or nothing. Refused, with
    /// nothing written, when a unit code or login is already here, when the two differ in
    /// policy (levels, severities, categories, sources, time zone), when the street's
    /// file does not verify, or when it has more than one top unit.
    public func merge(_ street: Store, by actor: Actor, at now: Int64, entered: Int64) throws(StoreError) -> Merged {
        try sealed {
            try requireAdmin(actor)
            guard actor.unitID == nil else { throw StoreError.rule(.adminOnly) }
            let verified = try street.verify()
            guard verified.problem == nil, let witness = verified.head else { throw StoreError.mergeUnverified }
            let sdb = street.db

            // Checked and written in one transaction, under the chain's lock (another merge
            // waits); a unit or login that still slipped in meanwhile fails its UNIQUE
            // constraint, and then nothing is written.
            return try db.transaction {
                try db.lockAppends()
                // What would collide, all of it named at once.
                let units = try sdb.rows("SELECT id, code, level, parent_id FROM unit ORDER BY level DESC, id") {
                    (id: $0.int(0), code: $0.text(1), level: $0.int(2), parent: $0.optionalInt(3))
                }
                let people = try sdb.rows("SELECT login, name, role, unit_id, disabled_at FROM person ORDER BY id") {
                    (
                        login: $0.text(0), name: $0.text(1), role: $0.text(2), unit: $0.optionalInt(3),
                        off: $0.optionalInt(4)
                    )
                }
                let codes = Set(try db.rows("SELECT code FROM unit") { $0.text(0) })
                let logins = Set(try db.rows("SELECT lower(login) FROM person") { $0.text(0) })
                let unitClash = units.map(\.code).filter(codes.contains).sorted()
                let loginClash = people.map(\.login).filter { logins.contains($0.lowercased()) }.sorted()
                if !unitClash.isEmpty || !loginClash.isEmpty {
                    throw StoreError.mergeCollides(units: unitClash, logins: loginClash)
                }
                let roots = units.filter { $0.parent == nil }
                guard roots.count == 1, let root = roots.first else { throw StoreError.mergeOneTop(roots.count) }
                // The same policy: replaying the street's own policy events then leaves the
                // district's as it is. The district may have rungs above the street's top.
                let theirs = try Administration.read(sdb, disabledColumn: true)
                let ours = try Administration.read(db, disabledColumn: true)
                for table in ["level", "severity", "category", "source", "setting"] {
                    let a = theirs.tables[table] ?? [:]
                    let b = ours.tables[table] ?? [:]
                    let differs =
                        table == "level"
                        ? a.contains { b[$0.key] != $0.value }
                            || b.contains { a[$0.key] == nil && (Int($0.value[0]) ?? 0) <= Int(root.level) }
                        : a != b
                    if differs { throw StoreError.mergePolicyDiffers(table) }
                }
                // The case row's columns are the district's own, never names read from the
                // street's file (which are put into SQL run here as the owner): a street
                // whose case table has other columns is refused.
                let columns = Self.disputeColumns
                let theirColumns = try sdb.rows("SELECT name FROM pragma_table_info('dispute')") { $0.text(0) }
                if Set(theirColumns) != Set(columns.map(\.name)) || theirColumns.count != columns.count {
                    throw StoreError.mergeColumnsDiffer
                }

                // Units, parents first (a parent is one level up), with ids of this database.
                var unitID: [Int64: Int64] = [:]
                for u in units {
                    let name = try sdb.first("SELECT name FROM unit WHERE id = ?", [.int(u.id)]) { $0.text(0) } ?? ""
                    try db.run(
                        "INSERT INTO unit (code, name, level, parent_id) VALUES (?, ?, ?, ?)",
                        [.text(u.code), .text(name), .int(u.level), SQLValue(u.parent.flatMap { unitID[$0] })])
                    // The id as the engine gives it (SQLite's rowid, the server's mediate_rowid).
                    unitID[u.id] = db.lastInsertRowID
                }
                // People; the street's admins of its whole file become admins of the street.
                var rescoped: [String] = []
                for p in people {
                    let unit = p.unit.flatMap { unitID[$0] } ?? unitID[root.id]
                    if p.unit == nil { rescoped.append(p.login) }
                    try db.run(
                        "INSERT INTO person (login, name, role, unit_id, disabled_at) VALUES (?, ?, ?, ?, ?)",
                        [.text(p.login), .text(p.name), .text(p.role), SQLValue(unit), SQLValue(p.off)])
                }
                // Cases: ids of this database, numbers after the year's last one here.
                var caseID: [Int64: Int64] = [:]
                var number: [Int64: CaseNumber] = [:]
                var renumbered: [(from: CaseNumber, to: CaseNumber)] = []
                var lastSerial: [Int64: Int64] = [:]
                let list = columns.map(\.name).joined(separator: ", ")
                let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
                let rows = try sdb.rows("SELECT \(list) FROM dispute ORDER BY id") { r in
                    (0..<Int32(columns.count)).map { i -> SQLValue in
                        if r.isNull(i) { return .null }
                        return columns[Int(i)].isInt ? .int(r.int(i)) : .text(r.text(i))
                    }
                }
                func column(_ name: String) -> Int { columns.firstIndex { $0.name == name } ?? 0 }
                for var row in rows {
                    guard case .int(let old) = row[column("id")], case .int(let year) = row[column("year")],
                        case .int(let serial) = row[column("serial")]
                    else { continue }
                    if lastSerial[year] == nil {
                        lastSerial[year] =
                            try db.int(db.lastSerialSQL, [.int(year)]) ?? 0
                    }
                    let new = lastSerial[year]! + 1
                    lastSerial[year] = new
                    let from = CaseNumber(year: Int(year), serial: Int(serial))
                    let to = CaseNumber(year: Int(year), serial: Int(new))
                    if from != to { renumbered.append((from, to)) }
                    number[old] = to
                    row[column("id")] = .null
                    row[column("serial")] = .int(new)
                    for key in ["origin_unit_id", "unit_id"] {
                        if case .int(let u) = row[column(key)] { row[column(key)] = SQLValue(unitID[u]) }
                    }
                    try db.run("INSERT INTO dispute (\(list)) VALUES (\(marks))", row)
                    caseID[old] = db.lastInsertRowID
                }
                try sdb.each("SELECT case_id, position, name, role, phone, id_number, address FROM party") { r in
                    try db.run(
                        Self.insertPartySQL,
                        [
                            SQLValue(caseID[r.int(0)]), .int(r.int(1)), .text(r.text(2)), .text(r.text(3)),
                            SQLValue(r.optionalText(4)), SQLValue(r.optionalText(5)), SQLValue(r.optionalText(6)),
                        ])
                }
                try sdb.each("SELECT file, key, case_id FROM ledger_row") { r in
                    try db.run(
                        "INSERT INTO ledger_row (file, key, case_id) VALUES (?, ?, ?)",
                        [.text(r.text(0)), .text(r.text(1)), SQLValue(caseID[r.int(2)])])
                }
                // The street's events, in its order, appended to this chain: a case's
                // event with its case, units and number as they are here.
                let events = try sdb.rows("SELECT \(EventRow.columns) FROM event ORDER BY id") { EventRow($0) }
                var first: Int64 = 0
                for var e in events {
                    if let old = e.caseID {
                        e.caseID = caseID[old]
                        e.unitID = e.unitID.flatMap { unitID[$0] }
                        let detail = (JSON.parseFlatObject(e.detail) ?? []).map { pair -> (String, String) in
                            switch pair.0 {
                            case DetailKey.unit.rawValue:
                                return (pair.0, Int64(pair.1).flatMap { unitID[$0] }.map { String($0) } ?? pair.1)
                            case DetailKey.number.rawValue:
                                return (pair.0, number[old]?.description ?? pair.1)
                            default: return pair
                            }
                        }
                        e.detail = JSON.object(detail.map { ($0.0, JSON.string($0.1)) }).rendered()
                    }
                    let id = try Chain.append(db, e)
                    if first == 0 { first = id }
                }
                try audit(
                    "street.merge", actor: actor.login, at: now, entered: entered,
                    [
                        ("street", root.code), ("witness", witness.text), ("witness_hash", SHA256.hex(witness.hash)),
                        ("events", String(events.count)),
                        ("cases", String(rows.count)), ("first_event", String(first)),
                        ("admins", rescoped.joined(separator: ",")),
                        ("numbers", renumbered.map { "\($0.from)=\($0.to)" }.joined(separator: " ")),
                    ])
                return Merged(
                    street: root.code, cases: rows.count, events: events.count, witness: witness,
                    renumbered: renumbered)
            }
        }
    }
}
