import MediateCore
import MediateStore

/// Who runs a command: the person the system vouches for, not the one a caller claims.
///
/// The caller is the real user id's OS login, which must be a registered person who is
/// not disabled. `--as` and MEDIATE_USER name someone else only for an admin (or root),
/// on a server only for an admin of the whole deployment (or the tables' owner);
/// back-dating with MEDIATE_NOW is an admin's act too. Every event then records both the
/// acting person and the OS login (see `Store.osLogin`).
enum Identity {
    static func establish(_ c: Context, _ store: Store) throws -> Actor {
        if let role = try store.connectedRole() { return try establish(c, store, role: role) }
        let os = c.invocation.osLogin()
        let named = c.args.text("as") ?? c.environment["MEDIATE_USER"].flatMap { $0.isEmpty ? nil : $0 }
        if c.invocation.realUID() != 0 {
            guard let os, let caller = try store.person(os) else { throw TrustRefusal.notRegistered(os) }
            if try store.isDisabled(os) { throw StoreError.disabledPerson(os) }
            if let named, named != os, caller.role != .admin {
                throw TrustRefusal.cannotActAs(caller: os, named: named)
            }
            if let now = c.environment["MEDIATE_NOW"], !now.isEmpty, caller.role != .admin {
                throw TrustRefusal.backDatingNeedsAdmin(caller: os)
            }
        }
        let login = named ?? os ?? "root"
        // Root can open the file whatever mediate says, so it is not asked to register:
        // unnamed and unregistered, it acts as the deployment's admin, under its own name.
        if c.invocation.realUID() == 0, named == nil, try store.person(login) == nil {
            return Actor(login: login, name: login, role: .admin, unitID: nil)
        }
        return try store.actor(login)
    }

    /// On a server, what reads the whole chain (verify, export) needs a role that sees it
    /// whole: row-level security shows anyone else only their subtree's events, which
    /// would read as a broken chain. The tables' owner, a superuser, or an admin of the
    /// whole deployment.
    static func requireWholeView(_ c: Context, _ store: Store) throws {
        guard let role = try store.connectedRole(), !role.administers else { return }
        _ = try c.actor(store)
        guard let person = try store.person(role.login), person.role == .admin, person.unitID == nil else {
            throw TrustRefusal.wholeViewNeeded(role.login)
        }
    }

    /// On PostgreSQL the connected role is the caller, whoever runs the program: the
    /// server authenticated it. A superuser or the tables' owner stands where root does
    /// for a file; every other role must be a registered person who is not disabled.
    private static func establish(_ c: Context, _ store: Store, role: (login: String, administers: Bool)) throws
        -> Actor
    {
        let named = c.args.text("as") ?? c.environment["MEDIATE_USER"].flatMap { $0.isEmpty ? nil : $0 }
        if !role.administers {
            guard let caller = try store.person(role.login) else { throw TrustRefusal.roleNotRegistered(role.login) }
            if try store.isDisabled(role.login) { throw StoreError.disabledPerson(role.login) }
            if let named, named != role.login, caller.role != .admin {
                throw TrustRefusal.cannotActAs(caller: role.login, named: named)
            }
            // On a server an admin of a unit acts only as itself: its role's rights are
            // what the server lets it do, and another's name in its events would be a
            // claim the server cannot check (Schema/postgresql/009 refuses it).
            if let named, named != role.login, caller.unitID != nil {
                throw TrustRefusal.cannotActAsOnServer(caller: role.login, named: named)
            }
            if let now = c.environment["MEDIATE_NOW"], !now.isEmpty, caller.role != .admin {
                throw TrustRefusal.backDatingNeedsAdmin(caller: role.login)
            }
        }
        let login = named ?? role.login
        if role.administers, named == nil, try store.person(login) == nil {
            return Actor(login: login, name: login, role: .admin, unitID: nil)
        }
        return try store.actor(login)
    }
}
