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

    /// No line ends in spaces: a cell's own last spaces go with the padding when nothing
    /// follows them, and stay when a cell follows; a cell of spaces alone is padding too.
    @Test func aCellsOwnSpacesAreTrimmedOnlyAtTheEndOfALine() {
        var table = TextTable(headers: ["A", "B", "C"], alignments: [.left, .right, .left])
        table.add(["x  ", "1", "end "])
        table.add(["y", "  ", "   "])
        table.add(["  ", "", "z"])
        table.add(["东湖 ", "22", ""])
        #expect(
            table.rendered() == """
                A       B  C
                -----  --  ----
                x       1  end
                y
                           z
                东湖   22

                """)
    }

    /// Padding longer than one run of spaces is written in runs.
    @Test func widePaddingIsWhole() {
        var table = TextTable(headers: ["N", "M"], alignments: [.left, .right])
        table.add([String(repeating: "a", count: 150), "1"])
        table.add(["b", String(repeating: "c", count: 100)])
        let lines = table.rendered().split(separator: "\n")
        #expect(lines[2] == String(repeating: "a", count: 150) + "  " + String(repeating: " ", count: 99) + "1")
        #expect(lines[3] == "b" + String(repeating: " ", count: 151) + String(repeating: "c", count: 100))
    }

    /// Clipping walks the text once; it must cut where measuring each prefix would.
    @Test(arguments: ["楼上卫生间漏水，楼下天花板发霉", "abc 东湖 G03（二）", "👍🏽漏水e\u{301}x", "한국어 text", "", "ab"])
    func clippedAsMeasured(text: String) {
        for width in 0...20 {
            for mark in ["…", "..."] {
                var expected = text
                if text.displayWidth > width {
                    var out = ""
                    for character in text {
                        if (out + String(character)).displayWidth > width - mark.displayWidth { break }
                        out.append(character)
                    }
                    expected = out + mark
                }
                #expect(text.clipped(toWidth: width, mark: mark) == expected, "\(text) at \(width)")
            }
        }
    }

    /// The CJK fast path agrees with measuring character by character.
    @Test func fastPathAgrees() {
        let samples = ["\u{3000}", "\u{3029}", "\u{302A}", "\u{303E}", "\u{3400}", "\u{9FFF}", "\u{FF01}", "\u{FF60}", "\u{FF61}", "a\u{7F}", "\t"]
        let widths = [2, 2, 0, 2, 2, 2, 2, 2, 1, 1, 0]
        for (text, width) in zip(samples, widths) { #expect(text.displayWidth == width, "\(text.unicodeScalars.map(\.value))") }
    }
}
