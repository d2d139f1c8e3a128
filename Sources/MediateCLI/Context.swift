import MediateCore
import MediateStore

#if canImport(Glibc)
    import Glibc
#endif

/// Exit codes, after BSD's sysexits where they exist.
enum Exit {
    static let ok: Int32 = 0
    /// The rules refuse it, or no such case, unit or person.
    static let refused: Int32 = 1
    static let usage: Int32 = 64
    /// Bad data in an input file.
    static let dataError: Int32 = 65
    /// Storage trouble: locked, read-only, corrupt, full.
    static let storage: Int32 = 74
}

/// One run of the command line, as the process (or a test) gives it: everything the
/// program reads from outside comes in here, so a test can run it in-process.
public struct Invocation: Sendable {
    public var arguments: [String]
    /// How the program was called (argv[0]), for commands it prints for people to copy.
    public var program = "mediate"
    public var environment: [String: String]
    /// Reads standard input, at most the given number of bytes, when a command asks for it.
    public var readInput: @Sendable (_ atMost: Int) -> [UInt8]
    /// The real time of the run: the entry time of every event it writes.
    public var clock: @Sendable () -> Int64
    /// The login of the real user running the program (getuid's), when no one is named.
    public var osLogin: @Sendable () -> String?
    /// The width of the terminal standard output goes to, or nil when it goes to a
    /// pipe or a file (main.swift asks the tty; tests set it).
    public var terminalWidth: @Sendable () -> Int? = { nil }
    /// The real user id (getuid): 0 is root, who may name anyone.
    public var realUID: @Sendable () -> UInt32
    /// The group mediate runs setgid to (the effective group, when it differs from the
    /// real one): then nothing in the environment may redirect it. Nil otherwise.
    public var setgidGroup: UInt32? = getegid() != getgid() ? UInt32(getegid()) : nil
    /// Where a command that streams its output (an export) writes its bytes as they come:
    /// the process's standard output. Nil keeps them in the outcome's `stdout`.
    public var streamOutput: (@Sendable ([UInt8]) -> Bool)? = nil

    public init(
        arguments: [String], environment: [String: String],
        readInput: @escaping @Sendable (_ atMost: Int) -> [UInt8] = { _ in [] },
        clock: @escaping @Sendable () -> Int64 = { Int64(time(nil)) },
        osLogin: @escaping @Sendable () -> String? = Invocation.realLogin,
        realUID: @escaping @Sendable () -> UInt32 = { UInt32(getuid()) }
    ) {
        self.arguments = arguments
        self.environment = environment
        self.readInput = readInput
        self.clock = clock
        self.osLogin = osLogin
        self.realUID = realUID
    }

    /// The same run with other words.
    init(_ arguments: [String], like other: Invocation) {
        self = other
        self.arguments = arguments
    }

    /// The login name of the real user id.
    @Sendable public static func realLogin() -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>? = nil
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(getuid(), &entry, &buffer, buffer.count, &result) == 0, result != nil,
            let name = entry.pw_name
        else { return nil }
        return String(cString: name)
    }
}

/// What a run printed and how it ended.
public struct Outcome: Sendable {
    public var status: Int32
    /// What the run printed on stdout, as the UTF-8 it is written as: built from Strings,
    /// so never checked again on its way out (a list's page is 38 KB of it).
    public var output: [UInt8]
    public var stderr: String

    public var stdout: String { String(decoding: output, as: UTF8.self) }

    init(status: Int32, output: [UInt8], stderr: String) {
        self.status = status
        self.output = output
        self.stderr = stderr
    }

    init(status: Int32, stdout: String, stderr: String) {
        self.init(status: status, output: Array(stdout.utf8), stderr: stderr)
    }
}

/// Everything a command needs: its typed arguments, the language, the output, the
/// clock, and once opened, the store and its zone.
final class Context {
    let invocation: Invocation
    let command: Command
    let args: Arguments
    let lang: Lang
    let format: Format
    /// What the command prints, as UTF-8.
    private(set) var out: [UInt8] = []
    /// The real moment of the run: every event it writes is entered at this time.
    let entered: Int64
    /// The deployment's zone, known once the store is open (UTC before).
    private(set) var zone = Zone.utc

    init(invocation: Invocation, command: Command, args: Arguments, lang: Lang) {
        self.invocation = invocation
        self.command = command
        self.args = args
        self.lang = lang
        self.format = args.choice("format", Format.self) ?? .text
        self.entered = invocation.clock()
    }

    var environment: [String: String] { invocation.environment }

    func say(_ message: some Spoken) -> String { message.text(lang) }

    func print(_ line: String = "") {
        out.append(utf8Of: line)
        out.append(0x0A)
    }

    func print(_ message: some Spoken) { print(message.text(lang)) }

    func write(_ text: String) { out.append(utf8Of: text) }

    /// Writes UTF-8 made from Strings (a table's), as it is.
    func write(utf8 bytes: [UInt8]) { out += bytes }

    /// What a command that succeeded says on stderr (an export's personal-data notice).
    private(set) var err = ""

    func warn(_ message: some Spoken) { err += message.text(lang) + "\n" }

    func printJSON(_ value: JSON) { print(value.pretty()) }

    /// Says that a command did what it was asked: a sentence, or an object under JSON.
    func done(_ message: Said, _ json: [(String, JSON)]) {
        if format == .json { printJSON(.object([("ok", .bool(true))] + json)) } else { print(message) }
    }

    /// The database path: `--db`, else MEDIATE_DB, else under the XDG data directory.
    /// Running setgid, the default is the system's data folder, never one the
    /// environment names (see `checkedDBPath`).
    var dbPath: String {
        if let path = args.text("db") { return path }
        if invocation.setgidGroup != nil {
            if let path = environment["MEDIATE_DB"], !path.isEmpty { return path }
            return GroupModel.defaultDatabase
        }
        if let path = environment["MEDIATE_DB"], !path.isEmpty { return path }
        let data =
            environment["XDG_DATA_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? environment["HOME"].flatMap { $0.hasPrefix("/") ? $0 + "/.local/share" : nil }
        // No home (cron under `env -i`): a relative default would land wherever cron runs.
        guard let data else { return "" }
        return data + "/mediate/mediate.db"
    }

    /// The acting login: `--as`, else MEDIATE_USER, else the real user's login name.
    var login: String {
        if let login = args.text("as") { return login }
        if let login = environment["MEDIATE_USER"], !login.isEmpty { return login }
        return invocation.osLogin() ?? environment["USER"] ?? environment["LOGNAME"] ?? "unknown"
    }

    /// How long a writer waits for another one: MEDIATE_BUSY_TIMEOUT milliseconds, else 30 s.
    func busyTimeout() throws(Problem) -> Int32 {
        guard let text = environment["MEDIATE_BUSY_TIMEOUT"], !text.isEmpty else { return 30_000 }
        guard let ms = Int32(text), ms >= 0 else { throw .badBusyTimeout(text) }
        return ms
    }

    /// Opens the store, takes its zone and identifies who runs the command. With
    /// `anyZone`, a stored zone that is not installed does not stop the opening (so that
    /// `policy set --timezone` can repair it). With `readOnly`, the file is opened for
    /// reading only: never migrated, never written, usable on read-only media.
    func openStore(anyZone: Bool = false, readOnly: Bool = false) throws -> Store {
        if dbPath.isEmpty && !args.has("db") { throw DeskProblem.noDatabasePath }
        let path = try checkedDBPath()
        // Without a stored zone, the process's: TZ (":Asia/Shanghai" too), else /etc/localtime.
        // Running setgid, nothing from the environment redirects it: the system's zone.
        let tz =
            invocation.setgidGroup == nil
            ? environment["TZ"].map { $0.hasPrefix(":") ? String($0.dropFirst()) : $0 } : nil
        let store = try Store.open(
            at: path, readOnly: readOnly, busyTimeout: try busyTimeout(), anyZone: anyZone,
            defaultZone: tz.flatMap(Zone.named) ?? .system())
        zone = store.zone
        store.osLogin = invocation.osLogin()
        acting = try Identity.establish(self, store)
        // MEDIATE_NOW is read in the store's zone: check it before anything is written.
        _ = try now()
        return store
    }

    /// `dbPath`, checked: a path SQLite takes for a file and, running setgid, one in a
    /// folder of mediate's group (no one can point the program at another file of the group).
    func checkedDBPath() throws -> String {
        let path = dbPath
        try Files.checkDatabasePath(path, option: args.has("db") ? "--db" : "MEDIATE_DB")
        // Root can open any file anyway: the check is for everyone else.
        if let group = invocation.setgidGroup, invocation.realUID() != 0 {
            try GroupModel.checkDataFolder(of: path, group: group)
        }
        return path
    }

    /// The person this run acts as, once the store is open (see `Identity`).
    private(set) var acting: Actor?

    /// Records that this run saw or copied residents' data, at the real moment.
    func recordAccess(_ store: Store, _ access: Store.Access) throws {
        try store.recordAccess(access, by: try actor(store), entered: entered)
    }

    /// The acting person: known once the store is open.
    func actor(_ store: Store) throws -> Actor {
        if let acting { return acting }
        let found = try Identity.establish(self, store)
        acting = found
        return found
    }

    /// The effective time of what this run does: MEDIATE_NOW if set (tests, the demo,
    /// paper records entered late), else the real time. Read in the deployment's zone.
    func now() throws -> Int64 {
        guard let text = environment["MEDIATE_NOW"], !text.isEmpty else { return entered }
        guard let written = LocalTime.parse(text) else { throw Problem.badNow(text) }
        let instant = written.instant(in: zone)
        guard Day.writable.contains(zone.day(instant).year) else { throw Problem.badNow(text) }
        // Paper records are entered late, never early (the chain refuses it too, but
        // only once a write has begun: here nothing has been touched yet).
        do {
            try Clock.check(effective: instant, entered: entered)
        } catch {
            throw Problem.nowInFuture(text)
        }
        return instant
    }

    /// Reads times in `zone` from now on (a database the command made itself).
    func use(_ zone: Zone) { self.zone = zone }
}
