import Foundation
import Testing

@testable import MediateStore

/// A temp folder with a database, and a way to run the built `mediate` binary in it
/// as a user would: arguments, environment, standard input; stdout, stderr, status.
final class Sandbox {
    let dir: URL
    var db: String { dir.appendingPathComponent("m.db").path }
    /// The effective time of the next runs (MEDIATE_NOW); nil for the real time.
    var now: String? = "2026-10-05T09:30:00+08:00"

    struct Run: CustomStringConvertible {
        let status: Int32
        let stdout: String
        let stderr: String
        var description: String { "status \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
    }

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("mediate-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

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

    @discardableResult
    func run(
        _ args: [String], as user: String? = "admin", lang: String = "C.UTF-8", stdin: Data? = nil,
        env extra: [String: String] = [:]
    ) throws -> Run {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = args
        var env = ["PATH": "/usr/bin:/bin", "HOME": dir.path, "LANG": lang, "MEDIATE_DB": db]
        if let user { env["MEDIATE_USER"] = user }
        if let now { env["MEDIATE_NOW"] = now }
        env.merge(extra) { _, new in new }
        process.environment = env
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

    /// Runs and expects success; returns stdout.
    @discardableResult
    func ok(_ args: String..., as user: String? = "admin", stdin: String? = nil) throws -> String {
        let r = try run(args, as: user, stdin: stdin.map { Data($0.utf8) })
        #expect(r.status == 0, "\(args): \(r)")
        #expect(r.stderr == "", "\(args): \(r)")
        return r.stdout
    }

    /// A street with two communities and three grids, and people in each.
    func setUpStreet() throws {
        try ok("init", "--admin", "admin", "--timezone", "Asia/Shanghai")
        try ok("unit", "add", "--code", "S1", "--name", "东湖街道", "--level", "street")
        try ok("unit", "add", "--code", "C01", "--name", "东湖社区", "--level", "community", "--parent", "S1")
        try ok("unit", "add", "--code", "C02", "--name", "南湖社区", "--level", "community", "--parent", "S1")
        try ok("unit", "add", "--code", "G01", "--name", "东湖一网格", "--level", "grid", "--parent", "C01")
        try ok("unit", "add", "--code", "G02", "--name", "东湖二网格", "--level", "grid", "--parent", "C01")
        try ok("unit", "add", "--code", "G03", "--name", "南湖一网格", "--level", "grid", "--parent", "C02")
        try ok("person", "add", "--login", "wang", "--name", "王芳", "--role", "grid_worker", "--unit", "G01")
        try ok("person", "add", "--login", "zhao", "--name", "赵强", "--role", "grid_worker", "--unit", "G03")
        try ok("person", "add", "--login", "li", "--name", "李明", "--role", "mediator", "--unit", "C01")
        try ok("person", "add", "--login", "sun", "--name", "孙丽", "--role", "mediator", "--unit", "S1")
        try ok("person", "add", "--login", "chen", "--name", "陈律师", "--role", "legal_volunteer", "--unit", "C01")
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
