import MediateCore

/// Why the store could not do what was asked. The command line turns each into one
/// sentence in the user's language, with its exit code.
public enum StoreError: Error, Sendable {
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
    case badParent(unit: String, level: String, parent: String?)
    /// A row of an input file is wrong (1-based line).
    case badRow(line: Int, message: String)
    /// A unit on a row of an input file cannot be added.
    indirect case unitRow(line: Int, StoreError)
    case alreadyInitialised(path: String, version: Int32)
    case notInitialised(path: String)
    /// An SQLite database of another program.
    case foreign(path: String)
    case newerSchema(path: String, found: Int32, known: Int32)
    case unknownZone(String)
    /// An action would take effect after the moment it is entered.
    case effectiveInFuture(Int64)
    case storage(SQLiteError, path: String)
}
