import MediateCore
import MediateStore

/// Who runs a command: the person the system vouches for, not the one a caller claims.
///
/// The caller is the real user id's OS login, which must be a registered person who is
/// not disabled. `--as` and MEDIATE_USER name someone else only for an admin (or root);
/// back-dating with MEDIATE_NOW is an admin's act too. Every event then records both the
/// acting person and the OS login (see `Store.osLogin`).
enum Identity {
    static func establish(_ c: Context, _ store: Store) throws -> Actor {
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
}
