import MediateCore

/// On PostgreSQL the connected role is the person: a role of the same name as a
/// registered login. The server's row-level security (Schema/postgresql/009) keeps each
/// role to its unit's subtree; these are the store's side of it.
extension Store {
    /// The role this store is connected as, on a server; nil on a file. `administers`:
    /// a superuser or the owner of mediate's tables, whom row-level security does not
    /// bind and who may do anything to the database anyway (as root to a file).
    public func connectedRole() throws(StoreError) -> (login: String, administers: Bool)? {
        try sealed {
            guard db.isPostgreSQL else { return nil }
            return try db.first(
                """
                SELECT session_user::text,
                    coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
                    OR coalesce((SELECT pg_has_role(session_user, c.relowner, 'MEMBER') FROM pg_class c
                                 WHERE c.oid = to_regclass('event')), false)
                """
            ) { ($0.text(0), $0.int(1) != 0) }
        }
    }

    /// Makes the server role of the registered person `login`, audited: an admin of the
    /// whole deployment, for someone registered before (a street moved up with `migrate`).
    public func createRole(for login: String, by actor: Actor, at now: Int64, entered: Int64) throws(StoreError) {
        try sealed {
            try requireAdmin(actor)
            guard actor.unitID == nil else { throw StoreError.rule(.adminOnly) }
            guard db.isPostgreSQL else { throw StoreError.rolesNeedServer }
            try db.transaction {
                guard let person = try self.person(login) else { throw StoreError.noSuchPerson(login) }
                if try isDisabled(login) { throw StoreError.disabledPerson(login) }
                try createRole(login, admin: person.role == .admin)
                try audit("person.role", actor: actor.login, at: now, entered: entered, [("login", login)])
            }
        }
    }

    /// Makes the server role `login` for a person just registered, in the same
    /// transaction: it may log in (no password: the server's own authentication applies,
    /// see README), read mediate's tables, and write what its role lets it write. The
    /// server's row-level security then keeps it to its unit's subtree.
    func createRole(_ login: String, admin: Bool) throws {
        guard db.isPostgreSQL else { throw StoreError.rolesNeedServer }
        if try db.int("SELECT 1 FROM pg_roles WHERE rolname = ?", [.text(login)]) != nil {
            throw StoreError.roleExists(login)
        }
        // A login is a code (letters, digits, '-', '_'), quoted as an identifier all the same.
        let role =
            "\"" + login.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
        let schema = try db.first("SELECT quote_ident(current_schema())") { $0.text(0) } ?? "public"
        // Never mediate_meta, mediate's mark and schema version: the owner's alone.
        let all = try db.rows(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'mediate_meta' ORDER BY tablename"
        ) { $0.text(0) }
        do {
            try db.execute("CREATE ROLE \(role) LOGIN")
            try db.execute("GRANT USAGE ON SCHEMA \(schema) TO \(role)")
            try db.execute("GRANT SELECT ON ALL TABLES IN SCHEMA \(schema) TO \(role)")
            // Cases and their parties; events and the ledger rows that file cases are
            // only added (the server's trigger and policies, Schema/postgresql/009, keep
            // each to what mediate would write); the organisation, people and policy only
            // for an admin.
            // The tally only through its trigger (Schema/postgresql/011), never by hand.
            let writes =
                admin ? all.filter { !["event", "ledger_row", "dispute_tally"].contains($0) } : ["dispute", "party"]
            try db.execute("GRANT INSERT, UPDATE ON \(writes.joined(separator: ", ")) TO \(role)")
            try db.execute("GRANT INSERT ON event, ledger_row TO \(role)")
            // What row-level security and every writer call (PUBLIC may not, 009).
            try db.execute(
                """
                GRANT EXECUTE ON FUNCTION mediate_visible_units(TEXT), mediate_sees_all(TEXT),
                    mediate_sees_case(BIGINT, TEXT), mediate_sets_policy(TEXT), mediate_chain_head(),
                    mediate_last_serial(BIGINT), mediate_last_case_id() TO \(role)
                """)
        } catch {
            // 42501 insufficient privilege, and the like: the server's own words.
            guard error.sqlstate?.hasPrefix("42") == true else { throw error }
            throw StoreError.roleRefused(login, message: error.message)
        }
    }
}
