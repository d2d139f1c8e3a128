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

/// The streaming pieces of the records path: the writer gives `rendered()`'s bytes, and
/// the tape accepts what `JSON.parse` accepts and reads the same values.
@Suite struct JSONStreamingTests {
    static let texts: [String] = [
        #"{"kind":"case","id":7,"n":-12,"big":92233720368547758070,"neg":-9223372036854775808,"f":1.5e3}"#,
        #"{"a":[1,[2,[3,{}]],[]],"b":{"c":null,"d":true,"e":false},"a":"second"}"#,
        "{ \"s\" : \"esc \\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u4e1c\\u6e56 \\ud83d\\ude00\" , \"t\":\"东湖\" }\n",
        #"{"x":01,"y":-0,"z":.5}"#,
        #"["top",1,null]"#, #""just a string""#, "42", "true", " null ",
        // Refused by both.
        "", "{", #"{"a":}"#, #"{"a":1,}"#, #"{"a" 1}"#, "[1 2]", #"{"a":1}x"#, "tru", "nul", "-", "1-2", "1.2.3",
        #""\ud800""#, #""\udc00x""#, #""\x""#, "\"a\u{1}b\"", #""open"#, #"{"a":"b"}}"#,
        String(repeating: "[", count: 64) + String(repeating: "]", count: 64),
        String(repeating: "[", count: 63) + String(repeating: "]", count: 63),
    ]

    /// The value at `at` on the tape, rebuilt as `JSON` to compare with `JSON.parse`.
    static func rebuilt(_ tape: JSONTape, _ at: Int) -> JSON {
        switch tape.kind(at) {
        case .object:
            return .object(tape.members(at).map { (tape.string($0.key)!, rebuilt(tape, $0.value)) })
        case .array: return .array(tape.elements(at).map { rebuilt(tape, $0) })
        case .string: return .string(tape.string(at)!)
        case .int: return .int(tape.int(at)!)
        case .double: return .double(0)
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .null: return .null
        }
    }

    /// `JSON.parse`'s value with every double read as 0: the tape keeps a double's text only.
    static func plain(_ value: JSON) -> JSON {
        switch value {
        case .double: .double(0)
        case .array(let a): .array(a.map(plain))
        case .object(let o): .object(o.map { ($0.0, plain($0.1)) })
        default: value
        }
    }

    @Test(arguments: texts) func theTapeReadsWhatParseReads(_ text: String) {
        let tape = JSONTape()
        // A tape reused: what the line before left must not matter.
        _ = tape.read(Array(#"{"left":["over",{"from":"before"}]}"#.utf8))
        let parsed = JSON.parse(text)
        #expect(tape.read(Array(text.utf8)) == (parsed != nil), "\(text)")
        guard let parsed, let root = tape.root else { return }
        #expect(Self.rebuilt(tape, root) == Self.plain(parsed), "\(text)")
        if case .object(let members) = parsed {
            // A key found as `subscript` finds it: the first of a key written twice.
            for (key, _) in members {
                #expect(tape.member(root, key).map { Self.rebuilt(tape, $0) } == parsed[key].map(Self.plain))
            }
            #expect(tape.member(root, "no such key") == nil)
        }
    }

    @Test func theWriterWritesWhatRenderedWrites() {
        let zone = Zone.named("America/St_Johns") ?? .utc
        let text = "东湖 \"quoted\" \\ back\nline\u{1}"
        var w = JSONWriter()
        w.bytes.append(contentsOf: "left over".utf8)
        w.reset()
        w.openObject()
        w.member("a", text)
        w.member("b", nil)
        w.member("c", -7)
        w.key("d")
        w.openArray()
        w.bool(true)
        w.openObject()
        w.closeObject()
        w.openArray()
        w.closeArray()
        w.time(1_791_000_000, in: zone)
        w.value(.object([("x", .array([.int(1), .null]))]))
        w.hex([0, 15, 16, 255])
        w.closeArray()
        w.key(text: "a \"key\"")
        w.string("v")
        w.closeObject()
        let expected = JSON.object([
            ("a", .string(text)), ("b", .null), ("c", .int(-7)),
            (
                "d",
                .array([
                    .bool(true), .object([]), .array([]), .string(zone.iso(1_791_000_000)),
                    .object([("x", .array([.int(1), .null]))]), .string("000f10ff"),
                ])
            ), ("a \"key\"", .string("v")),
        ])
        #expect(String(decoding: w.bytes, as: UTF8.self) == expected.rendered())
        // The builder, given the same calls, builds the same value.
        let built = JSONBuilder.build {
            $0.openObject()
            $0.member("a", text)
            $0.member("b", nil)
            $0.member("c", -7)
            $0.key("d")
            $0.openArray()
            $0.bool(true)
            $0.openObject()
            $0.closeObject()
            $0.openArray()
            $0.closeArray()
            $0.time(1_791_000_000, in: zone)
            $0.value(.object([("x", .array([.int(1), .null]))]))
            $0.hex([0, 15, 16, 255])
            $0.closeArray()
            $0.key(text: "a \"key\"")
            $0.string("v")
            $0.closeObject()
        }
        #expect(built == expected)
    }

    /// Each value the writer puts down in one append (a key, a plain string, null, a
    /// time, a hash), first in its container and after a value, beside the general way
    /// for text that needs an escape or is long: the bytes `rendered()` gives.
    @Test func everyPieceIsWrittenAsRenderedWritesIt() {
        let zone = Zone.named("Asia/Kathmandu") ?? .utc
        let long = String(repeating: "东湖", count: 100)  // 600 bytes: past the one-append size
        let strings = ["", "a", "东湖社区", "tab\there", "quote \"", "back \\", "\u{7}", long, long + "\n", "\u{7F}é"]
        var w = JSONWriter()
        var expected: [JSON] = []
        w.openArray()
        for text in strings {
            w.openObject()
            w.member("s", text)
            w.key("after")
            w.string(text)
            w.closeObject()
            expected.append(.object([("s", .string(text)), ("after", .string(text))]))
            w.openArray()
            w.string(text)
            w.null()
            w.closeArray()
            expected.append(.array([.string(text), .null]))
        }
        for t: Int64 in [0, -1, 1_791_012_345] {
            w.openArray()
            w.time(t, in: zone)
            w.time(t, in: .utc)
            w.null()
            w.closeArray()
            expected.append(.array([.string(zone.iso(t)), .string(Zone.utc.iso(t)), .null]))
        }
        w.openArray()
        w.null()
        w.hex([])
        w.hex(Array(0...31))
        w.closeArray()
        expected.append(.array([.null, .string(""), .string(Array(0...31).map { (b: UInt8) in String(b >> 4, radix: 16) + String(b & 15, radix: 16) }.joined())]))
        // A member in one step: a number of every width and sign, an instant or none.
        let numbers: [Int64] = [0, 7, -7, 1_234_567_890, .max, .min]
        w.openObject()
        for n in numbers { w.member("n", n) }
        w.member("at", 1_791_012_345, in: zone)
        w.member("at_utc", 0, in: .utc)
        w.member("never", nil, in: zone)
        w.member("none", nil)
        w.closeObject()
        expected.append(
            .object(
                numbers.map { ("n", .int($0)) } + [
                    ("at", .string(zone.iso(1_791_012_345))), ("at_utc", .string(Zone.utc.iso(0))), ("never", .null),
                    ("none", .null),
                ]))
        w.openObject()
        w.key("")
        w.null()
        w.key("a_rather_long_key_name_for_a_member")
        w.hex([171])
        w.closeObject()
        expected.append(.object([("", .null), ("a_rather_long_key_name_for_a_member", .string("ab"))]))
        w.closeArray()
        #expect(String(decoding: w.bytes, as: UTF8.self) == JSON.array(expected).rendered())
    }

    @Test(arguments: ["UTC", "Asia/Shanghai", "America/St_Johns", "Asia/Kathmandu", "Pacific/Apia", "Europe/Dublin"])
    func anInstantIsAppendedAsISOWritesIt(_ name: String) throws {
        let zone = try #require(Zone.named(name))
        var out: [UInt8] = []
        // Both ends of the nameable range, a century back and around the present.
        for t in [Int64.min, -62_135_596_800, -2_208_988_800, 0, 1_700_000_000, 1_791_012_345, Int64.max] {
            out.removeAll()
            zone.appendISO(t, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == zone.iso(t), "\(name) \(t)")
        }
    }
}
