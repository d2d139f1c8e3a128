import MediateCore
import MediateStore

#if canImport(Glibc)
    import Glibc
#endif

/// The language people read: Chinese under a zh locale, English otherwise.
enum Lang: String { case zh, en }

enum Format: String { case text, json, csv }

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

/// One run of the command line, as the process (or a test) gives it.
public struct Invocation: Sendable {
    public var arguments: [String]
    /// How the program was called (argv[0]), for commands it prints for people to copy.
    public var program = "mediate"
    public var environment: [String: String]
    /// Reads standard input, at most the given number of bytes, when a command asks for it.
    public var readInput: @Sendable (_ atMost: Int) -> [UInt8]
    /// The real time of the run: the entry time of every event it writes.
    public var clock: @Sendable () -> Int64

    public init(
        arguments: [String], environment: [String: String],
        readInput: @escaping @Sendable (_ atMost: Int) -> [UInt8] = { _ in [] },
        clock: @escaping @Sendable () -> Int64 = { Int64(time(nil)) }
    ) {
        self.arguments = arguments
        self.environment = environment
        self.readInput = readInput
        self.clock = clock
    }
}

/// What a run printed and how it ended.
public struct Outcome: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Everything a command needs: its arguments, the language, the output, the clock.
final class Context {
    let invocation: Invocation
    let command: Command
    let args: Arguments
    let lang: Lang
    let format: Format
    private(set) var out = ""
    let entered: Int64

    init(invocation: Invocation, command: Command, args: Arguments, lang: Lang, format: Format) {
        self.invocation = invocation
        self.command = command
        self.args = args
        self.lang = lang
        self.format = format
        self.entered = invocation.clock()
    }

    var environment: [String: String] { invocation.environment }

    func t(_ zh: String, _ en: String) -> String { lang == .zh ? zh : en }

    func print(_ line: String = "") {
        out += line
        out += "\n"
    }

    func write(_ text: String) { out += text }

    func printJSON(_ value: JSON) { print(value.pretty()) }

    /// Says that a command did what it was asked: a sentence, or an object under JSON.
    func done(_ zh: String, _ en: String, _ json: [(String, JSON)]) {
        if format == .json { printJSON(.object([("ok", .bool(true))] + json)) } else { print(t(zh, en)) }
    }

    /// The database path: `--db`, else MEDIATE_DB, else under the XDG data directory.
    var dbPath: String {
        if let path = args["db"] { return path }
        if let path = environment["MEDIATE_DB"], !path.isEmpty { return path }
        let data =
            environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? ".") + "/.local/share")
        return data + "/mediate/mediate.db"
    }

    /// The acting login: `--as`, else MEDIATE_USER, else the login name.
    var login: String {
        if let login = args["as"] { return login }
        if let login = environment["MEDIATE_USER"], !login.isEmpty { return login }
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return environment["USER"] ?? environment["LOGNAME"] ?? "unknown"
    }

    /// How long a writer waits for another one: MEDIATE_BUSY_TIMEOUT milliseconds, else 30 s.
    func busyTimeout() throws(UsageError) -> Int32 {
        guard let text = environment["MEDIATE_BUSY_TIMEOUT"], !text.isEmpty else { return 30_000 }
        guard let ms = Int32(text), ms >= 0 else {
            throw UsageError(
                zh: "MEDIATE_BUSY_TIMEOUT 的值 '\(echo(text))' 无效：请写毫秒数，如 30000（最多约 24 天）。",
                en:
                    "MEDIATE_BUSY_TIMEOUT '\(echo(text))' is not valid: give milliseconds, like 30000 (at most some 24 days).",
                command: nil)
        }
        return ms
    }

    func openStore(anyZone: Bool = false) throws -> Store {
        let path = dbPath
        try Files.checkDatabasePath(path, option: args.has("db") ? "--db" : "MEDIATE_DB")
        return try Store.open(at: path, busyTimeout: try busyTimeout(), anyZone: anyZone)
    }

    /// The effective time of what this run does: MEDIATE_NOW if set (tests, the demo,
    /// paper records entered late), else the real time. Parse after the store set the zone.
    func now() throws -> Int64 {
        guard let text = environment["MEDIATE_NOW"], !text.isEmpty else { return entered }
        guard let instant = LocalTime.parse(text), Day.writable.contains(LocalTime.day(instant).year) else {
            throw UsageError(
                zh: "MEDIATE_NOW 的时间 '\(echo(text))' 无法识别：请写成 2026-10-05T09:30:00+08:00（1900–2999 年）。",
                en:
                    "MEDIATE_NOW '\(echo(text))' is not a time: write it like 2026-10-05T09:30:00+08:00 (years 1900–2999).",
                command: nil)
        }
        // Paper records are entered late, never early (the chain refuses it too, but
        // only once a write has begun: here nothing has been touched yet).
        guard instant <= entered + 60 else {
            throw UsageError(
                zh: "MEDIATE_NOW '\(echo(text))' 晚于当前真实时间：它只能用于补录过去的纸质记录。",
                en:
                    "MEDIATE_NOW '\(echo(text))' is later than the real clock: it may only name the past, for paper records entered late.",
                command: nil)
        }
        return instant
    }

    // MARK: - Reading option values

    func required(_ name: String) throws -> String {
        guard let value = args[name] else {
            let placeholder = command.options.first { $0.name == name }?.value ?? "VALUE"
            throw UsageError(
                zh: "缺少必需的选项 '--\(name) <\(placeholder)>'。",
                en: "Missing required option '--\(name) <\(placeholder)>'.",
                command: command.name)
        }
        return value
    }

    func usage(_ zh: String, _ en: String) -> UsageError { UsageError(zh: zh, en: en, command: command.name) }
}
