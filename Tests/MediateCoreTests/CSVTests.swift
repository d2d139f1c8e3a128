import MediateCore
import Testing

@Suite struct CSVTests {
    @Test func roundTrip() throws {
        let records: [[String]] = [
            ["编号", "名称", "备注"],
            ["1", "东湖社区 G03", #"say "hi""#],
            ["2", "line one\nline two", "a,b"],
            ["", "", ""],
            ["3", "x", ""],
            [" padded ", "\r\n", "\""],
            [""],
        ]
        let text = records.map(CSV.record).joined()
        let parsed = try CSV.parse(text)
        #expect(parsed.map(\.fields) == records)
        #expect(parsed.map(\.line) == [1, 2, 3, 5, 6, 7, 9])
    }

    @Test func fieldQuotesOnlyWhenNeeded() {
        #expect(CSV.field("plain") == "plain")
        #expect(CSV.field("") == "")
        #expect(CSV.field("东湖社区") == "东湖社区")
        #expect(CSV.field("inner space") == "inner space")
        #expect(CSV.field("a,b") == #""a,b""#)
        #expect(CSV.field(#"say "hi""#) == #""say ""hi""""#)
        #expect(CSV.field("a\nb") == "\"a\nb\"")
        #expect(CSV.field("a\rb") == "\"a\rb\"")
        #expect(CSV.field(" lead") == #"" lead""#)
        #expect(CSV.field("trail ") == #""trail ""#)
    }

    @Test func record() {
        #expect(CSV.record(["a", "", "b c"]) == "a,,b c\r\n")
        #expect(CSV.record(["a", ""]) == "a,\r\n")
        #expect(CSV.record([""]) == "\"\"\r\n")
    }

    @Test func lineEnds() throws {
        let expected = [["a", "b"], ["c", "d"]]
        for text in ["a,b\nc,d", "a,b\nc,d\n", "a,b\r\nc,d", "a,b\r\nc,d\r\n"] {
            #expect(try CSV.parse(text).map(\.fields) == expected, "\(text.debugDescription)")
        }
        #expect(try CSV.parse("\"x\r\ny\"\r\n").map(\.fields) == [["x\r\ny"]])
    }

    @Test func byteOrderMarkIsDropped() throws {
        let parsed = try CSV.parse("\u{FEFF}id,name\r\n1,x\r\n")
        #expect(parsed.map(\.fields) == [["id", "name"], ["1", "x"]])
    }

    @Test func blankLinesAreSkipped() throws {
        let parsed = try CSV.parse("\n\na\r\n\r\nb,\n\n")
        #expect(parsed.map(\.line) == [3, 5])
        #expect(parsed.map(\.fields) == [["a"], ["b", ""]])
        #expect(try CSV.parse("").isEmpty)
    }

    @Test func quoteInUnquotedField() {
        // Line 2 starts a quoted field that runs onto line 3; line 4 is broken.
        let error = parseError("id,note\n\"multi\nline\",ok\n3,bro\"ken\n")
        #expect(error?.line == 4)
        #expect(error?.problem == .quoteInsideUnquotedField)
    }

    @Test func textAfterClosingQuote() {
        #expect(parseError("a,b\n\"x\"y,z\n")?.line == 2)
        let error = parseError("a\n\"x\ny\" z\n")
        #expect(error?.line == 2)
        #expect(error?.problem == .textAfterClosingQuote)
    }

    @Test func unterminatedQuotedField() {
        let error = parseError("a,b\n\n1,\"open\n2,3\n")
        #expect(error?.line == 3)
        #expect(error?.problem == .unclosedQuote(openedOnLine: 3))
    }

    private func parseError(_ text: String) -> CSVError? {
        do {
            _ = try CSV.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func cellsASpreadsheetWouldRunAreWrittenAsText() {
        #expect(CSV.safeRecord(["=1+1", "+86", "-2", "@SUM(A1)", "\tx", "东湖", "12"]) == "'=1+1,'+86,'-2,'@SUM(A1),'\tx,东湖,12\r\n")
    }
}
