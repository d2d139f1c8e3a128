import Foundation
import Testing

/// The README's "Five minutes with a case", run verbatim: the block is read from the
/// README and given to bash with the built `mediate` on the PATH, in the repository's
/// folder and a fresh HOME, on whatever day the test runs.
@Suite struct WalkthroughTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The first ```sh block after the heading.
    static func walkthrough() throws -> String {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "## Five minutes with a case"))
        let rest = readme[section.upperBound...]
        let start = try #require(rest.range(of: "```sh\n"))
        let end = try #require(rest[start.upperBound...].range(of: "\n```"))
        return String(rest[start.upperBound..<end.lowerBound])
    }

    @Test func theReadmeWalkthroughRunsAsWritten() throws {
        let script = try Self.walkthrough()
        #expect(script.contains("mediate followups") && script.contains("MEDIATE_NOW"))
        let s = try Sandbox()
        // `mediate` on the PATH, as after Scripts/install.
        let bin = s.dir.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: bin.appendingPathComponent("mediate"), withDestinationURL: Sandbox.binary)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-e", "-o", "pipefail", "-c", script]
        process.currentDirectoryURL = Self.root
        process.environment = [
            "PATH": bin.path + ":/usr/bin:/bin", "HOME": s.dir.path, "LANG": "C.UTF-8",
            // The person who runs `mediate init` becomes its first admin.
            "USER": "walker", "LOGNAME": "walker",
        ]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "stdout: \(stdout)\nstderr: \(stderr)")
        #expect(stderr.isEmpty, "\(stderr)")
        #expect(stdout.contains("\n2026-0001\n"), "the case number comes back: \(stdout)")
        #expect(stdout.contains("1 follow-up due"))
        #expect(stdout.contains("Case 2026-0001  neighbours · minor · closed"), "\(stdout)")
        #expect(FileManager.default.fileExists(atPath: s.dir.appendingPathComponent("mediate-walkthrough.db").path))
    }
}
