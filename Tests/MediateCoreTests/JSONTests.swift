import MediateCore
import Testing

@Suite struct JSONTests {
    @Test func escaping() {
        #expect(JSON.string("\"\\/").rendered() == #""\"\\/""#)
        #expect(JSON.string("\n\r\t\u{08}\u{0C}").rendered() == #""\n\r\t\b\f""#)
        #expect(JSON.string("\u{0}\u{1}\u{1F}\u{7F}").rendered() == "\"\\u0000\\u0001\\u001f\u{7F}\"")
        #expect(JSON.string("东湖社区").rendered() == "\"东湖社区\"")
        #expect(JSON.string("😀👨‍👩‍👧").rendered() == "\"😀👨‍👩‍👧\"")
    }

    @Test func scalars() {
        #expect(JSON.null.rendered() == "null")
        #expect(JSON.bool(false).rendered() == "false")
        #expect(JSON.int(-42).rendered() == "-42")
        #expect(JSON.int(.max).rendered() == "9223372036854775807")
        #expect(JSON.double(0.1).rendered() == "0.1")
        #expect(JSON.double(1e300).rendered() == "1e+300")
        #expect(JSON.double(.nan).rendered() == "null")
        #expect(JSON.double(-.infinity).rendered() == "null")
    }

    @Test func compactKeepsKeyOrder() {
        let value = JSON.object([("b", .int(1)), ("a", .array([.null, .string("x")])), ("c", .object([]))])
        #expect(value.rendered() == #"{"b":1,"a":[null,"x"],"c":{}}"#)
    }

    @Test func equality() {
        #expect(JSON.object([("a", .int(1)), ("b", .int(2))]) == .object([("a", .int(1)), ("b", .int(2))]))
        #expect(JSON.object([("a", .int(1)), ("b", .int(2))]) != .object([("b", .int(2)), ("a", .int(1))]))
        #expect(JSON.object([("a", .int(1))]) != .object([("a", .int(1)), ("b", .int(2))]))
        #expect(JSON.int(1) != .double(1))
        #expect(JSON.array([.string("x")]) == .array([.string("x")]))
    }

    @Test func pretty() {
        let value = JSON.object([
            ("name", .string("东湖")),
            ("tags", .array([.string("a"), .int(2)])),
            ("empty", .object([])),
            ("none", .array([])),
            ("nested", .object([("ok", .bool(true)), ("x", .null)])),
        ])
        #expect(
            value.pretty() == """
                {
                  "name": "东湖",
                  "tags": [
                    "a",
                    2
                  ],
                  "empty": {},
                  "none": [],
                  "nested": {
                    "ok": true,
                    "x": null
                  }
                }
                """)
        #expect(JSON.array([]).pretty() == "[]")
    }

    @Test func writerToFlatObjectRoundTrip() throws {
        let tricky = [
            "", "plain", #"quote " and \ backslash"#, "line\nbreak\r\n", "\t\u{0}\u{1F}\u{7F}",
            "/ slash", "东湖社区 G03", "😀👨‍👩‍👧", "\u{2028}", "e\u{301}",
        ]
        let members = tricky.enumerated().map { ("\($0.element)#\($0.offset)", $0.element) }
        let text = JSON.object(members.map { ($0.0, .string($0.1)) }).rendered()
        let parsed = try #require(JSON.parseFlatObject(text))
        #expect(parsed.map(\.0) == members.map(\.0))
        #expect(parsed.map(\.1) == members.map(\.1))
    }

    @Test func flatObjectEscapesAndNull() throws {
        let parsed = try #require(
            JSON.parseFlatObject(#" { "a" : "\/\u00e9\uD83D\uDE00\u4e1C" , "skip": null, "b":"" } "#))
        #expect(parsed.map(\.0) == ["a", "b"])
        #expect(parsed.map(\.1) == ["/é😀东", ""])
        #expect(JSON.parseFlatObject("{}")?.isEmpty == true)
    }

    @Test(arguments: [
        "", "{", "}", "[]", "null", #""a""#, "{,}",
        #"{"a":1}"#, #"{"a":true}"#, #"{"a":{"b":"c"}}"#, #"{"a":["x"]}"#,
        #"{"a":"x",}"#, #"{"a" "x"}"#, #"{"a":"x" "b":"y"}"#, #"{"a":"x"} extra"#, #"{"a":"x""#,
        #"{a:"x"}"#, #"{"a":nul}"#, #"{"a":nullx}"#,
        #"{"a":"\q"}"#, #"{"a":"\qnull}"#, #"{"a":"\u12"}"#, #"{"a":"\u12G4"}"#,
        #"{"a":"\uD83D"}"#, #"{"a":"\uD83Dx"}"#, #"{"a":"\uD83D\u0041"}"#, #"{"a":"\uDE00"}"#,
        "{\"a\":\"raw\nnewline\"}",
    ])
    func malformedFlatObject(text: String) {
        #expect(JSON.parseFlatObject(text) == nil)
    }

    /// One array reused across objects, from bytes: each read as `parseFlatObject(text)`
    /// reads it, a malformed one in between refused, nothing of an earlier object kept;
    /// bytes that are not UTF-8 read as U+FFFD, as a String made of them would.
    @Test func flatObjectsReadIntoOneArray() {
        var fields: [(String, String)] = []
        for text in [
            #"{"a":"x","b":"东"}"#, #"{"a":"x","#, "{}", #"{"c":"\n\u00e9","skip":null}"#, #"{"a":1}"#,
            #"{"d":"y"}"#,
        ] {
            var bytes = Array(text.utf8)
            let read = bytes.withUnsafeBufferPointer { JSON.parseFlatObject($0, into: &fields) }
            let expected = JSON.parseFlatObject(text)
            #expect(read == (expected != nil), "\(text)")
            if let expected {
                #expect(fields.map(\.0) == expected.map(\.0) && fields.map(\.1) == expected.map(\.1), "\(text)")
            }
            bytes.removeAll()
        }
        let bad: [UInt8] = Array(#"{"k":""#.utf8) + [0xFF] + Array(#"x"}"#.utf8)
        #expect(bad.withUnsafeBufferPointer { JSON.parseFlatObject($0, into: &fields) })
        #expect(fields.count == 1 && fields[0].0 == "k" && fields[0].1 == "\u{FFFD}x")
    }
}
