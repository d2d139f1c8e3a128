import CSQLite
import MediateCore

/// Why the store could not do what was asked. The command line turns each into one
/// sentence in the user's language, with its exit code.
public enum StoreError: Error, Sendable, Equatable {
    /// The rules refuse the action.
    case rule(Violation)
    case noSuchCase(String)
    case noSuchUnit(String)
    case noSuchPerson(String)
    case unknownActor(String)
    case unknownTerm(kind: String, value: String)
    /// Someone else changed the case between reading and writing.
    case changedMeanwhile(CaseNumber)
    case duplicate(kind: String, code: String)
    /// The unit tree would break: a level that does not sit one below its parent's.
    case badParent(unit: String, level: Level, parent: String?)
    /// A unit on a row of an input file cannot be added.
    indirect case unitRow(line: Int, StoreError)
    case alreadyInitialised(path: String, version: Int32)
    case notInitialised(path: String)
    /// An SQLite database of another program.
    case foreign(path: String)
    case newerSchema(path: String, found: Int32, known: Int32)
    case unknownZone(String)
    /// The file underneath failed: `path` is the database, or the backup being written.
    case storage(StorageProblem, path: String)
    /// The person is disabled and may no longer act or be assigned.
    case disabledPerson(String)
    /// A command that only reads met a file of an older schema: it never migrates.
    case olderSchema(path: String, found: Int32, known: Int32)
    /// The time zone stored in the file has no zone file on this machine.
    case storedZoneMissing(String)
    /// A file of records (an export) cannot be restored.
    case records(RecordFault)
    /// A `postgresql://` or `postgres://` database given to a mediate built without the
    /// PostgreSQL trait.
    case postgreSQLNotBuilt
    /// A PostgreSQL database that has tables and not mediate's mark: another program's.
    case foreignServerDatabase(String)
    /// `backup` on PostgreSQL, which the server's own tools back up.
    case backupOnServer
    /// `person add --create-role` on a file, which has no roles.
    case rolesNeedServer
    /// `person add --create-role` for a login the server already has a role of.
    case roleExists(String)
    /// The server refused to make or grant a role: the connected role may not (CREATEROLE).
    case roleRefused(String, message: String)
    /// `migrate --merge`: the street's file does not verify.
    case mergeUnverified
    /// `migrate --merge`: these unit codes and logins are in both databases.
    case mergeCollides(units: [String], logins: [String])
    /// `migrate --merge`: the street's file has this many top units, not one.
    case mergeOneTop(Int)
    /// `migrate --merge`: the street's case table has other columns than the district's.
    case mergeColumnsDiffer
    /// `migrate --merge`: the street's policy differs from the district's in this table.
    case mergePolicyDiffers(String)
}

extension StoreError {
    /// Any error met inside the store, as it leaves the store: a StoreError as it is,
    /// a refusal of the rules as `.rule`, an SQLite error classified against `path`.
    init(_ error: any Error, path: String) {
        switch error {
        case let e as StoreError: self = e
        case let v as Violation: self = .rule(v)
        case let f as RecordFault: self = .records(f)
        case let e as SQLiteError where e.engineNotBuilt: self = .postgreSQLNotBuilt
        case let e as SQLiteError: self = .storage(StorageProblem(e), path: Engine.redacted(path))
        // Nothing else is thrown inside the store; should it ever be, it is reported
        // as an internal error rather than lost.
        default: self = .storage(.other(code: SQLITE_INTERNAL, message: "\(error)"), path: path)
        }
    }
}

extension Store {
    /// The boundary of the store: every public method runs its body through this, so
    /// callers meet only StoreError, whatever the SQLite layer or the rules threw.
    static func sealed<T>(path: String, _ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch {
            throw StoreError(error, path: path).redacted(path)
        }
    }

    /// `sealed(path:_:)` for this store's own file.
    func sealed<T>(_ body: () throws -> T) throws(StoreError) -> T {
        try Self.sealed(path: path, body)
    }
}

extension StoreError {
    /// The error with `uri` shown without its password, wherever the error names it.
    func redacted(_ uri: String) -> StoreError {
        guard Engine.isServerURI(uri) else { return self }
        let shown = Engine.redacted(uri)
        func r(_ p: String) -> String { p == uri ? shown : p }
        switch self {
        case .alreadyInitialised(let p, let v): return .alreadyInitialised(path: r(p), version: v)
        case .notInitialised(let p): return .notInitialised(path: r(p))
        case .foreign(let p): return .foreign(path: r(p))
        case .foreignServerDatabase(let p): return .foreignServerDatabase(r(p))
        case .newerSchema(let p, let f, let k): return .newerSchema(path: r(p), found: f, known: k)
        case .olderSchema(let p, let f, let k): return .olderSchema(path: r(p), found: f, known: k)
        case .storage(let problem, let p): return .storage(problem, path: r(p))
        default: return self
        }
    }
}
