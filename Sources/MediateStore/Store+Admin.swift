import MediateCore

/// Setting up the organisation, its people and its policy. Every change is audited
/// as an event of the chain.
extension Store {
    /// A unit to add: its level and parent given by code.
    public struct NewUnit: Sendable {
        public var code: String
        public var name: String
        public var level: String
        public var parent: String?

        public init(code: String, name: String, level: String, parent: String?) {
            self.code = code
            self.name = name
            self.level = level
            self.parent = parent
        }
    }

    /// Adds units in order, all or none; a unit may name as parent one added before it
    /// in the same call. `line(i)` names the input line of the i-th unit for errors.
    public func addUnits(
        _ units: [NewUnit], by actor: Actor, at now: Int64, entered: Int64, line: ((Int) -> Int)? = nil
    )
        throws(StoreError)
    {
        try sealed {
            try requireAdmin(actor)
            let policy = try self.policy()
            try db.transaction {
                for (i, unit) in units.enumerated() {
                    do {
                        try insert(unit, policy: policy, by: actor)
                    } catch let error as StoreError {
                        // A fault of the file is no fault of the row.
                        guard let line else { throw error }
                        if case .storage = error { throw error }
                        throw StoreError.unitRow(line: line(i), error)
                    }
                    try audit(
                        "unit.add", actor: actor.login, at: now, entered: entered,
                        [
                            ("code", unit.code), ("name", unit.name), ("level", unit.level),
                            ("parent", unit.parent ?? ""),
                        ])
                }
            }
        }
    }

    private func insert(_ unit: NewUnit, policy: Policy, by actor: Actor) throws {
        guard Code.isValid(unit.code) else { throw StoreError.unknownTerm(kind: "unit", value: unit.code) }
        guard let level = policy.level(named: unit.level) else {
            throw StoreError.unknownTerm(kind: "level", value: unit.level)
        }
        var parentID: Int64? = nil
        if let parent = unit.parent, !parent.isEmpty {
            guard
                let p = try db.first(
                    "SELECT id, level FROM unit WHERE code = ?", [.text(parent)], { ($0.int(0), $0.int(1)) })
            else { throw StoreError.noSuchUnit(parent) }
            guard p.1 == Int64(level.rank + 1) else {
                throw StoreError.badParent(unit: unit.code, level: level, parent: parent)
            }
            if let home = actor.unitID, !(try organisation().contains(home, p.0)) {
                throw StoreError.rule(.outsideJurisdiction(unitCode: parent))
            }
            parentID = p.0
        } else if actor.unitID != nil || level.rank != policy.topRank {
            throw StoreError.badParent(unit: unit.code, level: level, parent: nil)
        }
        if try db.int("SELECT 1 FROM unit WHERE code = ?", [.text(unit.code)]) != nil {
            throw StoreError.duplicate(kind: "unit", code: unit.code)
        }
        try db.run(
            "INSERT INTO unit (code, name, level, parent_id) VALUES (?, ?, ?, ?)",
            [.text(unit.code), .text(unit.name), .int(Int64(level.rank)), SQLValue(parentID)])
    }

    /// Puts a unit that has no parent (a street of the old top, once a district rung is
    /// added) under a unit one level above it. Only an admin of the whole deployment
    /// (or of its top unit).
    /// The unit's cases and their figures stay its own; reports gain the parent's total.
    public func attachUnit(_ code: String, to parent: String, by actor: Actor, at now: Int64, entered: Int64)
        throws(StoreError)
    {
        try sealed {
            try requireAdmin(actor)
            try requireStreetWide(actor)
            let policy = try self.policy()
            try db.transaction {
                guard
                    let u = try db.first(
                        "SELECT id, level, parent_id FROM unit WHERE code = ?", [.text(code)],
                        { ($0.int(0), Int($0.int(1)), $0.optionalInt(2)) })
                else { throw StoreError.noSuchUnit(code) }
                guard
                    let p = try db.first(
                        "SELECT id, level FROM unit WHERE code = ?", [.text(parent)], { ($0.int(0), Int($0.int(1))) })
                else { throw StoreError.noSuchUnit(parent) }
                guard let level = policy.level(u.1) else { throw StoreError.noSuchUnit(code) }
                guard u.2 == nil, p.1 == u.1 + 1 else {
                    throw StoreError.badParent(unit: code, level: level, parent: parent)
                }
                try db.run("UPDATE unit SET parent_id = ? WHERE id = ?", [.int(p.0), .int(u.0)])
                try audit(
                    "unit.attach", actor: actor.login, at: now, entered: entered, [("code", code), ("parent", parent)])
            }
        }
    }

    public func addPerson(
        login: String, name: String, role: Role, unit: String?, createRole: Bool = false, by actor: Actor, at now: Int64,
        entered: Int64
    ) throws(StoreError) {
        try sealed {
            try requireAdmin(actor)
            try Actor.checkLogin(login)
            try db.transaction {
                var unitID: Int64? = nil
                if let unit {
                    guard let id = try db.int("SELECT id FROM unit WHERE code = ?", [.text(unit)]) else {
                        throw StoreError.noSuchUnit(unit)
                    }
                    if let home = actor.unitID, !(try organisation().contains(home, id)) {
                        throw StoreError.rule(.outsideJurisdiction(unitCode: unit))
                    }
                    unitID = id
                } else if role != .admin || actor.unitID != nil {
                    throw StoreError.noSuchUnit("")
                }
                // Logins differ in more than case: 'Wang' and 'wang' would be one person to a reader.
                if let existing = try db.first(
                    "SELECT login FROM person WHERE lower(login) = lower(?)", [.text(login)], { $0.text(0) })
                {
                    throw StoreError.duplicate(kind: "person", code: existing)
                }
                try db.run(
                    "INSERT INTO person (login, name, role, unit_id) VALUES (?, ?, ?, ?)",
                    [.text(login), .text(name), .text(role.rawValue), SQLValue(unitID)])
                try audit(
                    "person.add", actor: actor.login, at: now, entered: entered,
                    [("login", login), ("name", name), ("role", role.rawValue), ("unit", unit ?? "")])
                if createRole { try self.createRole(login, admin: role == .admin) }
            }
        }
    }

    /// One change of policy.
    public enum PolicyChange: Sendable {
        case timeLimit(level: String, days: Int)
        case ceiling(severity: String, level: String)
        case timezone(String)
        case addCategory(Term)
        case addSource(Term)
        /// A rung above the top of the ladder (a district 区 above the streets): data,
        /// like every level; the units of the old top may then sit under its units.
        case addLevel(Term, days: Int)
    }

    public func setPolicy(_ change: PolicyChange, by actor: Actor, at now: Int64, entered: Int64) throws(StoreError) {
        try sealed {
            try requireAdmin(actor)
            try requireStreetWide(actor)
            let policy = try self.policy()
            var newZone: Zone?
            try db.transaction {
                let detail: [(String, String)]
                switch change {
                case .timeLimit(let code, let days):
                    guard let level = policy.level(named: code) else {
                        throw StoreError.unknownTerm(kind: "level", value: code)
                    }
                    try db.run(
                        "UPDATE level SET time_limit_days = ? WHERE rank = ?",
                        [.int(Int64(days)), .int(Int64(level.rank))])
                    detail = [
                        ("level", level.code), ("from_days", String(level.timeLimitDays)), ("to_days", String(days)),
                    ]
                case .ceiling(let code, let levelCode):
                    guard let severity = policy.severity(named: code) else {
                        throw StoreError.unknownTerm(kind: "severity", value: code)
                    }
                    guard let level = policy.level(named: levelCode) else {
                        throw StoreError.unknownTerm(kind: "level", value: levelCode)
                    }
                    try db.run(
                        "UPDATE severity SET ceiling = ? WHERE code = ?",
                        [.int(Int64(level.rank)), .text(severity.code)])
                    detail = [
                        ("severity", severity.code), ("from_ceiling", policy.level(severity.ceiling)?.code ?? ""),
                        ("to_ceiling", level.code),
                    ]
                case .timezone(let name):
                    guard let zone = Zone.named(name) else { throw StoreError.unknownZone(name) }
                    let old = try setting("timezone") ?? ""
                    try db.run(
                        """
                        INSERT INTO setting (key, value) VALUES ('timezone', ?)
                        ON CONFLICT (key) DO UPDATE SET value = excluded.value
                        """, [.text(name)])
                    detail = [("timezone_from", old), ("timezone_to", name)]
                    newZone = zone
                case .addLevel(let term, let days):
                    guard Code.isValid(term.code) else { throw StoreError.unknownTerm(kind: "level", value: term.code) }
                    if policy.levels.contains(where: {
                        $0.code == term.code || $0.nameZh == term.nameZh
                            || $0.nameEn.lowercased() == term.nameEn.lowercased()
                    }) {
                        throw StoreError.duplicate(kind: "level", code: term.code)
                    }
                    let rank = policy.topRank + 1
                    try db.run(
                        "INSERT INTO level (rank, code, name_zh, name_en, time_limit_days) VALUES (?, ?, ?, ?, ?)",
                        [
                            .int(Int64(rank)), .text(term.code), .text(term.nameZh), .text(term.nameEn),
                            .int(Int64(days)),
                        ])
                    detail = [
                        ("table", "level"), ("code", term.code), ("name_zh", term.nameZh), ("name_en", term.nameEn),
                        ("rank", String(rank)), ("days", String(days)),
                    ]
                case .addCategory(let term), .addSource(let term):
                    let table = if case .addCategory = change { "category" } else { "source" }
                    guard Code.isValid(term.code) else { throw StoreError.unknownTerm(kind: table, value: term.code) }
                    let known = table == "category" ? policy.categories : policy.sources
                    if known.contains(where: { $0.code == term.code || $0.nameZh == term.nameZh }) {
                        throw StoreError.duplicate(kind: table, code: term.code)
                    }
                    try db.run(
                        "INSERT INTO \(table) (code, name_zh, name_en, position) VALUES (?, ?, ?, ?)",
                        [.text(term.code), .text(term.nameZh), .text(term.nameEn), .int(Int64(known.count + 1))])
                    detail = [
                        ("table", table), ("code", term.code), ("name_zh", term.nameZh), ("name_en", term.nameEn),
                    ]
                }
                try audit("policy.set", actor: actor.login, at: now, entered: entered, detail)
            }
            // Once committed, the store's days are the new zone's, as on the next opening.
            if let newZone { zone = newZone }
        }
    }

    public func policyChanges() throws(StoreError) -> [(at: Int64, actor: String, detail: [(String, String)])] {
        try sealed {
            try db.rows("SELECT effective_at, actor, detail FROM event WHERE action = 'policy.set' ORDER BY id") {
                ($0.int(0), $0.text(1), JSON.parseFlatObject($0.text(2)) ?? [])
            }
        }
    }

    func requireAdmin(_ actor: Actor) throws {
        guard actor.role == .admin else { throw StoreError.rule(.adminOnly) }
    }

    /// An admin of the whole deployment, or of its top unit (the street); an admin of
    /// a community or a grid administers only that subtree.
    func requireStreetWide(_ actor: Actor) throws {
        guard let home = actor.unitID else { return }
        let top = try policy().topRank
        guard try db.int("SELECT level FROM unit WHERE id = ?", [.int(home)]) == Int64(top) else {
            throw StoreError.rule(.streetAdminOnly)
        }
    }
}
