import Foundation
import Testing

/// The report as one page to look at: the table and three inline SVG charts.
@Suite struct ReportPageTests {
    @Test func theReportPageIsSelfContainedWithItsCharts() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let a = try s.file()
        try s.ok("accept", a, as: "wang")
        try s.ok("resolve", a, "--agreement", "修好", "--perform-by", "2026-10-06", as: "wang")
        let b = try s.file(grid: "G03", as: "zhao")
        try s.ok("escalate", b, "--reason", "不成", as: "zhao")
        try s.ok("escalate", b, "--reason", "还不成", as: "sun")
        let page = try s.ok("report", "--month", "2026-10", "--format", "html", "--lang", "zh")
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        #expect(page.components(separatedBy: "<svg ").count == 4)
        #expect(!page.contains("<script") && !page.contains("http:") && !page.contains("https:"))
        #expect(page.contains("<figcaption>各网格登记与化解</figcaption>"))
        #expect(page.contains("<figcaption>各社区网格内化解占比（小事不出网格）与违规上报</figcaption>"))
        #expect(page.contains("<figcaption>本期与上期对比</figcaption>"))
        #expect(page.contains(">G01 东湖一网格</text>"))
        #expect(page.contains("1 / 1 · 100.0%"))
        #expect(page.contains("100.0% · 违规上报 0") && page.contains("— · 违规上报 2"))
        #expect(page.contains("@page { size: A4;"))
        // The follow-up's columns (#9) in the table, and the honest figures (#12) under it,
        // as the text report prints them.
        #expect(page.contains("<th>回访</th><th>履行率</th>"), "\(page)")
        #expect(page.contains("<h2>诚信指标（按发生时间计，补录和临时调高等级不能让指标变好看）：</h2>\n<div class=\"honest\">\n<p>G01 东湖一网格：补录 3 条；"))
        // Each chart is as wide as its longest label needs: the label column of the grid
        // chart holds "G02 东湖二网格" (14 display columns) at 7.8 px a column.
        #expect(page.contains(#"<text x="115" "#), "\(page)")
    }

    @Test func theCronWrapperWritesThePageBesideItsText() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        _ = try s.file()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scripts/monthly-report").path
        let page = s.dir.appendingPathComponent("report.html").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, "--html", page]
        process.environment = [
            "PATH": "/usr/bin:/bin", "MEDIATE_BIN": Sandbox.binary.path, "MEDIATE_DB": s.db, "MEDIATE_USER": "admin",
            "MEDIATE_NOW": "2026-11-02T08:00:00+08:00", "LANG": "C.UTF-8",
        ]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problems = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0 && problems == "", "\(problems)")
        // The report of the month before, for the whole deployment, under the title #9
        // gave it; the page beside it carries the same title.
        let title = "Mediation report, 东湖街道, 1–31 October 2026"
        #expect(text.hasPrefix(title + "\n"), "\(text)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("<h1>\(title)</h1>"))
        #expect(html.contains("<svg "))
    }
}
