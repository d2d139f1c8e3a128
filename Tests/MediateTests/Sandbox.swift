import Foundation
import MediateCLI
import Synchronization
import Testing

@testable import MediateStore

/// A temp folder with a database, and a way to run mediate in it as a user would:
/// arguments, environment, standard input; stdout, stderr, status.
///
/// Runs go through `CLI.run` in this process by default, with the very inputs the
/// built binary would get (see `run`). A sandbox made with `process: true`, or a run
/// given `process: true`, launches the real binary instead: kept for the few things
/// only a process shows (its exit status, standard input from a pipe, argv[0]).
final class Sandbox {
    let dir: URL
    /// The database: `m.db` in the folder, or on PostgreSQL (see `server`) a database of
    /// this sandbox's own on the server.
    var db: String { database.map(Self.uri) ?? dir.appendingPathComponent("m.db").path }
    /// The sandbox's PostgreSQL database, when the tests run against a server.
    let database: String?

    /// The server the tests run against: MEDIATE_TEST_POSTGRESQL, a URI of a database
    /// where databases may be created (Scripts/with-postgres sets it); else none, and
    /// every sandbox is an SQLite file.
    static let server: String? = ProcessInfo.processInfo.environment["MEDIATE_TEST_POSTGRESQL"].flatMap {
        $0.isEmpty ? nil : $0
    }

    /// Whether the sandboxes are SQLite files: a test of a file's own rules (its OS
    /// login, its lock, its backup, its bytes edited) runs only then, and says so on a server.
    static var onFile: Bool { server == nil }

    /// The URI of the database `name` on `server`: the server's URI with another path.
    static func uri(_ name: String) -> String {
        let admin = server ?? ""
        let scheme = admin.hasPrefix("postgres://") ? "postgres://" : "postgresql://"
        let rest = admin.dropFirst(scheme.count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        let query = rest.firstIndex(of: "?").map { String(rest[$0...]) } ?? ""
        return scheme + authority + "/" + name + query
    }

    /// Runs SQL on the server's own database (creating and dropping databases).
    static func onServer(_ sql: String) throws {
        try Connection(path: server ?? "", mode: .readWrite).execute(sql)
    }
    /// The effective time of the next runs (MEDIATE_NOW); nil for the real time.
    var now: String? = Sandbox.streetNow
    /// Whether runs launch the built binary unless a run says otherwise.
    let process: Bool
    /// The real user as in-process runs see it (a process asks getuid and getpwuid):
    /// root by default, who may name anyone with MEDIATE_USER, as every test does.
    var osLogin: String? = "root"
    var realUID: UInt32 = 0
    /// Set for the street template only: its folder outlives the sandbox.
    private let keepsFolder: Bool

    /// The effective time every test starts at, and the street template was built at.
    static let streetNow = "2026-10-05T09:30:00+08:00"

    struct Run: CustomStringConvertible {
        let status: Int32
        let stdout: String
        let stderr: String
        var description: String { "status \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
    }

    struct Failed: Error, CustomStringConvertible {
        let args: [String]
        let run: Run
        var description: String { "\(args): \(run)" }
    }

    convenience init(process: Bool = false) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mediate-test-\(UUID().uuidString)")
        try self.init(folder: folder, process: process, keepsFolder: false)
    }

    private init(folder: URL, process: Bool, keepsFolder: Bool) throws {
        dir = folder
        self.process = process
        self.keepsFolder = keepsFolder
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        if Self.server != nil {
            let name = "mediate_" + folder.lastPathComponent.filter { $0.isLetter || $0.isNumber }.lowercased()
            try Self.onServer("CREATE DATABASE \(name)")
            database = name
        } else {
            database = nil
        }
    }

    deinit {
        if !keepsFolder {
            try? FileManager.default.removeItem(at: dir)
            if let database { try? Self.onServer("DROP DATABASE IF EXISTS \(database) WITH (FORCE)") }
        }
    }

    static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    static let binary: URL = {
        // The test bundle and the executable are built into the same folder.
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("mediate")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/mediate")
    }()

    /// Runs mediate with `args`: in this process unless `process` (or the sandbox's own
    /// `process`) says to launch the built binary. Either way it gets the same inputs.
    @discardableResult
    func run(
        _ args: [String], as user: String? = "admin", lang: String = "C.UTF-8", stdin: Data? = nil,
        env extra: [String: String] = [:], process: Bool? = nil
    ) throws -> Run {
        var env = ["PATH": "/usr/bin:/bin", "HOME": dir.path, "LANG": lang, "MEDIATE_DB": db]
        if let user { env["MEDIATE_USER"] = user }
        if let now { env["MEDIATE_NOW"] = now }
        env.merge(extra) { _, new in new }
        if process ?? self.process { return try Self.launch(args, environment: env, stdin: stdin) }
        let input = StandardInput(stdin ?? Data())
        let (login, uid) = (osLogin, realUID)
        var invocation = Invocation(
            arguments: args, environment: env, readInput: { input.read(atMost: $0) },
            clock: { Int64(time(nil)) }, osLogin: { login }, realUID: { uid })
        // The binary is called by its path, which main.swift passes on as the program.
        invocation.program = Self.binary.path
        let outcome = CLI.run(invocation)
        return Run(status: outcome.status, stdout: outcome.stdout, stderr: outcome.stderr)
    }

    /// The built binary, launched with exactly these arguments, environment and input.
    static func launch(_ args: [String], environment: [String: String], stdin: Data?) throws -> Run {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = args
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        // A child may stop reading early (input too long): that is its answer, not ours
        // to die of, so a broken pipe is an error to ignore rather than a SIGPIPE.
        _ = Sandbox.ignoreBrokenPipes
        if let stdin { try? input.fileHandleForWriting.write(contentsOf: stdin) }
        try? input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Standard input for an in-process run: the bytes a pipe would deliver, read as
    /// main.swift's readAll reads fd 0 (at most `atMost` bytes a call, then the rest).
    final class StandardInput: Sendable {
        private let rest: Mutex<ArraySlice<UInt8>>

        init(_ data: Data) { rest = Mutex(ArraySlice(data)) }

        func read(atMost limit: Int) -> [UInt8] {
            rest.withLock { rest in
                let bytes = Array(rest.prefix(max(0, limit)))
                rest.removeFirst(bytes.count)
                return bytes
            }
        }
    }

    /// Runs and expects success; returns stdout.
    @discardableResult
    func ok(_ args: String..., as user: String? = "admin", stdin: String? = nil, process: Bool? = nil) throws -> String
    {
        let r = try run(args, as: user, stdin: stdin.map { Data($0.utf8) }, process: process)
        #expect(r.status == 0, "\(args): \(r)")
        #expect(r.stderr == "", "\(args): \(r)")
        return r.stdout
    }

    /// Runs and throws unless it succeeded quietly; returns stdout.
    @discardableResult
    func must(_ args: String...) throws -> String {
        let r = try run(args)
        guard r.status == 0, r.stderr == "" else { throw Failed(args: args, run: r) }
        return r.stdout
    }

    /// A street with two communities and three grids, and people in each: a copy of
    /// the one template built once per test process, at the same effective time.
    func setUpStreet() throws {
        guard now == Self.streetNow else { return try buildStreet() }
        let template = try Self.street.get()
        if let database {
            // The server's copy of a whole database: CREATE DATABASE … TEMPLATE.
            try Self.onServer("DROP DATABASE \(database)")
            try Self.onServer("CREATE DATABASE \(database) TEMPLATE \(template)")
            return
        }
        try FileManager.default.copyItem(atPath: template, toPath: db)
    }

    /// The street template, built in its own folder by the first test that asks for it
    /// (a lazily initialised static: tests asking at the same moment wait for that one)
    /// and removed when the test process exits. Only its database file is ever copied,
    /// so the build must leave no side file beside it: every run closes the database,
    /// and the last connection to close checkpoints the WAL and deletes it.
    private static let street: Result<String, any Error> = Result {
        let template = try Sandbox(folder: streetFolder, process: false, keepsFolder: true)
        atexit { try? FileManager.default.removeItem(at: Sandbox.streetFolder) }
        try template.buildStreet()
        if let database = template.database {
            atexit { try? Sandbox.onServer("DROP DATABASE IF EXISTS \(Sandbox.streetDatabase) WITH (FORCE)") }
            return database
        }
        let sides = ["-wal", "-shm", "-journal"].map { template.db + $0 }
            .filter { FileManager.default.fileExists(atPath: $0) }
        guard sides.isEmpty else { throw SideFiles(paths: sides) }
        return template.db
    }

    struct SideFiles: Error, CustomStringConvertible {
        let paths: [String]
        var description: String { "the street template left \(paths) beside it: a run left its database open" }
    }

    /// The street template's database on the server, when there is one.
    private static var streetDatabase: String {
        "mediate_" + streetFolder.lastPathComponent.filter { $0.isLetter || $0.isNumber }.lowercased()
    }

    /// Where the street template lives while the test process runs.
    private static let streetFolder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "mediate-street-\(UUID().uuidString)")

    /// Builds the street with a dozen commands, as an admin would.
    private func buildStreet() throws {
        try must("init", "--admin", "admin", "--timezone", "Asia/Shanghai")
        try must("unit", "add", "--code", "S1", "--name", "东湖街道", "--level", "street")
        try must("unit", "add", "--code", "C01", "--name", "东湖社区", "--level", "community", "--parent", "S1")
        try must("unit", "add", "--code", "C02", "--name", "南湖社区", "--level", "community", "--parent", "S1")
        try must("unit", "add", "--code", "G01", "--name", "东湖一网格", "--level", "grid", "--parent", "C01")
        try must("unit", "add", "--code", "G02", "--name", "东湖二网格", "--level", "grid", "--parent", "C01")
        try must("unit", "add", "--code", "G03", "--name", "南湖一网格", "--level", "grid", "--parent", "C02")
        try must("person", "add", "--login", "wang", "--name", "王芳", "--role", "grid_worker", "--unit", "G01")
        try must("person", "add", "--login", "zhao", "--name", "赵强", "--role", "grid_worker", "--unit", "G03")
        try must("person", "add", "--login", "li", "--name", "李明", "--role", "mediator", "--unit", "C01")
        try must("person", "add", "--login", "sun", "--name", "孙丽", "--role", "mediator", "--unit", "S1")
        try must("person", "add", "--login", "chen", "--name", "陈律师", "--role", "legal_volunteer", "--unit", "C01")
    }

    /// Files a minor neighbour case at `grid` and returns its number.
    func file(grid: String = "G01", severity: String = "minor", as user: String = "wang", category: String = "邻里")
        throws -> String
    {
        try ok(
            "file", "--grid", grid, "--category", category, "--severity", severity, "--source", "patrol",
            "--summary", "单车棚被邻居上锁", "--party", "张三,applicant,13800000000", "--party", "李四,respondent",
            as: user
        ).trimmingCharacters(in: .newlines)
    }

    /// Plain SQL on the file, behind mediate's back.
    func sql(_ statements: String) throws {
        try Connection(path: db, mode: .readWrite).execute(statements)
    }
}
