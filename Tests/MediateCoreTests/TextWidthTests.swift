import MediateCore
import Testing

@Suite struct TextWidthTests {
    @Test(arguments: [
        ("", 0), ("abc", 3), ("网格", 4), ("东湖社区 G03", 12), ("（）", 4), ("，。、：", 8),
        ("\u{E9}", 1), ("e\u{301}", 1), ("한국어", 6), ("カタカナ", 8), ("ｶﾀ", 2),
        ("😀", 2), ("👍🏽", 2), ("👨‍👩‍👧", 2), ("🇨🇳", 2), ("❤️", 2), ("a\u{200B}b", 2),
    ])
    func displayWidth(text: String, width: Int) {
        #expect(text.displayWidth == width)
    }

    @Test func mixedTable() {
        var table = TextTable(headers: ["网格", "名称", "户数"], alignments: [.left, .left, .right])
        table.add(["G01", "东湖社区", "12"])
        table.addSeparator()
        table.add(["G10", "Lake", "1234"])
        #expect(
            table.rendered() == """
                网格  名称      户数
                ----  --------  ----
                G01   东湖社区    12
                ----  --------  ----
                G10   Lake      1234

                """)
    }

    @Test func rightAlignedLastColumnEndsTogether() {
        var table = TextTable(headers: ["Grid", "社区", "Households"], alignments: [.left, .left, .right])
        table.add(["G03", "东湖社区", "7"])
        table.add(["网格十二", "", "1024"])
        table.addSeparator()
        table.add(["", "Lakeside", "（12）"])
        let lines = table.rendered().split(separator: "\n").map(String.init)
        let rows = lines.filter { !$0.hasPrefix("-") }
        #expect(rows.count == 4)
        #expect(Set(rows.map(\.displayWidth)).count == 1)
        #expect(lines.allSatisfy { $0.last != " " })
    }

    @Test func noTrailingSpaces() {
        var table = TextTable(headers: ["名称", "Note"], alignments: [.left, .left])
        table.add(["东湖社区", "ok"])
        table.add(["x", ""])
        #expect(table.rendered() == "名称      Note\n--------  ----\n东湖社区  ok\nx\n")
    }
}
