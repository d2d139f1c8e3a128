import Foundation
import Testing

/// The written mediation agreement (人民调解协议书) and the record of an oral one.
@Suite struct AgreementTests {
    static func resolvedCase(oral: Bool = false) throws -> (Sandbox, String) {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.ok(
            "file", "--grid", "G01", "--category", "邻里", "--severity", "minor", "--source", "patrol", "--summary",
            "楼上漏水影响楼下", "--party", "张三,申请人,13800000000,11010519491231002X,东湖路1号", "--party", "李四,被申请人,13900000000",
            as: "wang"
        ).trimmingCharacters(in: .newlines)
        try s.ok("accept", n, as: "wang")
        var resolve = [
            "resolve", n, "--agreement", "李四于十日内修复防水层，赔偿张三1200元", "--amount", "1200", "--perform-by", "2026-10-15",
            "--facts", "九月起楼上卫生间漏水，双方就维修和赔偿发生争议", "--responsibility", "李四负主要责任",
        ]
        if oral { resolve.append("--oral") }
        let r = try s.run(resolve, as: "wang")
        #expect(r.status == 0, "\(r)")
        return (s, n)
    }

    @Test func aWrittenAgreementStatesWhatArticle29Requires() throws {
        let (s, n) = try Self.resolvedCase()
        let text = try s.ok("agreement", n)
        // It lists the parties' numbers in full: a reveal, recorded.
        #expect(try s.ok("audit", "--format", "json").contains(#""access": "reveal""#))
        for line in [
            "人民调解协议书", "编号：2026-0001",
            "当事人（申请人）：张三，性别：女，出生日期或年龄：1949年12月31日（76岁），身份证号：11010519491231002X，住址：东湖路1号，联系方式：13800000000",
            "当事人（被申请人）：李四，性别：________，出生日期或年龄：________，身份证号：________，住址：________，联系方式：13900000000",
            "纠纷主要事实、争议事项：", "    楼上漏水影响楼下", "    九月起楼上卫生间漏水，双方就维修和赔偿发生争议", "各方当事人的责任：", "    李四负主要责任",
            "    李四于十日内修复防水层，赔偿张三1200元", "    协议金额：人民币 1200.00 元。", "    按上述约定履行，于 2026年10月15日前履行完毕。",
            "本协议一式三份，当事人各执一份，人民调解委员会留存一份。", "三十日内共同向人民法院申请司法确认", "当事人（签名）：  __________  __________",
            "人民调解员（签名）：__________（王芳）", "东湖社区人民调解委员会（印章）", "2026年10月5日",
        ] {
            #expect(text.contains(line), "the agreement lacks \(line):\n\(text)")
        }
        let html = try s.ok("agreement", n, "--format", "html")
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        #expect(html.contains("@page { size: A4;"))
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"))
        #expect(html.contains("default-src 'none'"))
        #expect(html.contains("<span class=\"sign\">张三</span><span class=\"sign\">李四</span>"))
        #expect(try s.ok("agreement", n, "--lang", "en").hasPrefix("People's Mediation Agreement\nNo. 2026-0001\n"))
    }

    @Test func anOralAgreementPrintsTheCommitteesRecord() throws {
        let (s, n) = try Self.resolvedCase(oral: true)
        let text = try s.ok("agreement", n)
        #expect(text.hasPrefix("口头调解协议登记\n"))
        #expect(text.contains("口头调解协议自各方当事人达成协议之日起生效"))
        #expect(!text.contains("一式"))
    }

    @Test func aCaseNotResolvedHasNoAgreement() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        let r = try s.run(["agreement", n])
        #expect(r.status == 1)
        #expect(
            r.stderr
                == "Case 2026-0001 is open and has no agreement: only a resolved (or closed) case has one to print.\n")
        let outside = try s.run(["agreement", n], as: "zhao")
        #expect(outside.status == 1 && outside.stderr.contains("outside your unit"), "\(outside)")
    }
}
