import Foundation
import Testing

/// The sandbox runs mediate in-process; these check that it gets what the binary gets.
@Suite struct SandboxTests {
    /// A process test by design: the same words and input, in-process in one street and
    /// through the binary in another, print the same bytes and end with the same status.
    /// Standard input around the limit shows that in-process reads stop where the
    /// binary's reading of fd 0 stops.
    @Test func inProcessRunsPrintWhatTheBinaryPrints() throws {
        let (inside, binary) = (try Sandbox(), try Sandbox(process: true))
        try inside.setUpStreet()
        try binary.setUpStreet()
        let file = [
            "file", "--grid", "G01", "--category", "neighbour", "--severity", "minor", "--source", "hotline",
            "--summary", "-", "--party", "张三,applicant,13800000000",
        ]
        let long = String(repeating: "楼上漏水导致楼下天花板发霉。", count: 50) + "\r\n第二段。"
        let runs: [(args: [String], lang: String, stdin: Data?)] = [
            ([], "C.UTF-8", nil),
            (["escalte"], "zh_CN.UTF-8", nil),
            (file, "C.UTF-8", nil),
            (file, "C.UTF-8", Data([0xE4, 0xB8, 0x41])),
            // 4000 characters take at most 32000 bytes: one byte more is too long unread.
            (file, "C.UTF-8", Data(repeating: 0x61, count: 32_000)),
            (file, "C.UTF-8", Data(repeating: 0x61, count: 32_001)),
            (file + ["--format", "json"], "C.UTF-8", Data(long.utf8)),
        ]
        for run in runs {
            let a = try inside.run(run.args, as: "wang", lang: run.lang, stdin: run.stdin)
            let b = try binary.run(run.args, as: "wang", lang: run.lang, stdin: run.stdin)
            #expect(a.status == b.status, "\(run.args): \(a) vs \(b)")
            #expect(a.stdout == b.stdout, "\(run.args)")
            #expect(a.stderr == b.stderr, "\(run.args)")
        }
        // Both stored the same summary, CRLF read as a line end (their timelines differ in
        // the real entry times).
        let summary = #""summary": "\#(long.replacing("\r\n", with: "\\n"))""#
        for s in [inside, binary] {
            #expect(try s.ok("show", "2026-0001", "--format", "json", "--reveal").contains(summary))
        }
    }

    @Test func everyStreetIsACopyOfTheTemplateFileAndNothingElse() throws {
        let (a, b) = (try Sandbox(), try Sandbox())
        try a.setUpStreet()
        try b.setUpStreet()
        // A copy of the database alone: no side file came along.
        for s in [a, b] {
            let names = try FileManager.default.contentsOfDirectory(atPath: s.dir.path)
            #expect(names == ["m.db"])
        }
        #expect(FileManager.default.contents(atPath: a.db) == FileManager.default.contents(atPath: b.db))
        try a.ok("person", "add", "--login", "zhou", "--name", "周", "--role", "mediator", "--unit", "C02")
        #expect(!(try b.ok("person", "list").contains("zhou")))
        #expect(try a.ok("verify").hasPrefix("Verified"))
    }
}
