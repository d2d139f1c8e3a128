import MediateCore

extension Store {
    /// Disables the person `login`: they may no longer act or be assigned cases. People
    /// are never deleted, so that every event keeps naming someone who existed.
    public func disablePerson(_ login: String, reason: String, by actor: Actor, at now: Int64, entered: Int64)
        throws(StoreError)
    {
        try sealed {
            try requireAdmin(actor)
            try db.transaction {
                guard
                    let unitID = try db.first(
                        "SELECT unit_id FROM person WHERE login = ?", [.text(login)], { $0.optionalInt(0) })
                else { throw StoreError.noSuchPerson(login) }
                // A community's admin disables people of that community only.
                if let home = actor.unitID {
                    guard let unitID, try organisation().contains(home, unitID) else {
                        throw StoreError.rule(
                            .outsideJurisdiction(unitCode: try unitID.flatMap { try unitCode($0) } ?? login))
                    }
                }
                if try isDisabled(login) { throw StoreError.disabledPerson(login) }
                try db.run("UPDATE person SET disabled_at = ? WHERE login = ?", [.int(entered), .text(login)])
                try audit(
                    "person.disable", actor: actor.login, at: now, entered: entered,
                    [("login", login), ("reason", reason)])
            }
        }
    }

    func unitCode(_ id: Int64) throws -> String? {
        try db.first("SELECT code FROM unit WHERE id = ?", [.int(id)]) { $0.text(0) }
    }

    /// Brings the file up to this binary's schema: the one command that migrates.
    /// `caller` must be an admin registered in the file (nil: root, who may).
    /// Returns the versions before and after.
    public static func upgrade(at path: String, caller: String?, busyTimeout: Int32 = 30_000) throws(StoreError)
        -> (before: Int32, after: Int32)
    {
        try sealed(path: path) {
            let before: Int32
            do {
                let db = try Connection(path: path, mode: .readOnly, busyTimeoutMilliseconds: busyTimeout)
                guard try Migrator.owner(db) == .mediate else { throw StoreError.foreign(path: path) }
                before = try Migrator.version(db)
                if let caller {
                    let role = try db.first("SELECT role FROM person WHERE login = ?", [.text(caller)]) { $0.text(0) }
                    guard role != nil else { throw StoreError.unknownActor(caller) }
                    guard role == Role.admin.rawValue else { throw StoreError.rule(.adminOnly) }
                }
            }
            let store = try open(at: path, busyTimeout: busyTimeout, anyZone: true)
            return (before, try Migrator.version(store.db))
        }
    }

    /// The names of the people with these logins (any not registered left out).
    public func names(of logins: Set<String>) throws(StoreError) -> [String: String] {
        guard !logins.isEmpty else { return [:] }
        return try sealed {
            var names: [String: String] = [:]
            // Bound as one JSON array: no input ever reaches the SQL text.
            try db.each(
                "SELECT login, name FROM person WHERE login IN (SELECT value FROM json_each(?))",
                [.text(JSON.array(logins.sorted().map(JSON.string)).rendered())]
            ) { names[$0.text(0)] = $0.text(1) }
            return names
        }
    }
}
