/// A JSON value (RFC 8259) whose objects keep their keys in order.
public indirect enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSON])
    /// Members in the order they are written; equality compares that order too.
    case object([(String, JSON)])

    public static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let l), .bool(let r)): l == r
        case (.int(let l), .int(let r)): l == r
        case (.double(let l), .double(let r)): l == r
        case (.string(let l), .string(let r)): l == r
        case (.array(let l), .array(let r)): l == r
        case (.object(let l), .object(let r)):
            l.count == r.count && zip(l, r).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// Compact rendering: keys in the given order, no spaces.
    ///
    /// Strings escape `"`, `\` and control characters (`\n`, `\r`, `\t`, `\b`,
    /// `\f`, otherwise `\u00XX`); other text is left as UTF-8. Finite doubles
    /// print in their shortest round-trip form; NaN and infinities as `null`.
    public func rendered() -> String {
        var out: [UInt8] = []
        write(to: &out, indent: nil)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `rendered()`'s bytes to `out`: for a buffer reused from one value to the next.
    public func render(into out: inout [UInt8]) {
        write(to: &out, indent: nil)
    }

    /// Rendering indented by two spaces per level, otherwise as `rendered()`.
    /// There is no final line end.
    public func pretty() -> String {
        var out: [UInt8] = []
        write(to: &out, indent: 0)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `value` as a JSON string (quoted and escaped as `rendered()` writes it):
    /// for a hot path that writes into a reused buffer rather than building values.
    public static func append(_ value: String, to out: inout [UInt8]) {
        writeString(value, to: &out)
    }

    /// Appends `value` as a JSON number, as `rendered()` writes it.
    public static func append(_ value: Int64, to out: inout [UInt8]) {
        // Digits written from the right into a small buffer on the stack, then appended.
        if value < 0 { out.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var i = 20
            var rest = value.magnitude
            repeat {
                i -= 1
                digits[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[i...]))
        }
    }

    /// Parses an object whose values are all strings or `null` (skipped).
    ///
    /// Returns `nil` for malformed text or for any other kind of value.
    public static func parseFlatObject(_ text: String) -> [(String, String)]? {
        JSONReader.flatObject(text)
    }

    /// `parseFlatObject` straight from bytes (a database column read in place): bytes
    /// that are not UTF-8 read as U+FFFD, as `String(decoding:)` reads them.
    public static func parseFlatObject(_ bytes: UnsafeBufferPointer<UInt8>) -> [(String, String)]? {
        JSONReader.flatObject(bytes)
    }

    /// `parseFlatObject` from bytes into `fields` (emptied first, its room kept), for a
    /// loop that reads one object after another; false for anything but a flat object.
    public static func parseFlatObject(
        _ bytes: UnsafeBufferPointer<UInt8>, into fields: inout [(String, String)]
    ) -> Bool {
        JSONReader.flatObject(bytes, into: &fields)
    }
}

// MARK: Writing

extension JSON {
    /// Writes the value; `indent` is the current depth, or nil for compact output.
    private func write(to out: inout [UInt8], indent: Int?) {
        switch self {
        case .null: out += "null".utf8
        case .bool(let value): out += (value ? "true" : "false").utf8
        case .int(let value): out += value.description.utf8
        case .double(let value): out += (value.isFinite ? value.description : "null").utf8
        case .string(let value): Self.writeString(value, to: &out)
        case .array(let elements):
            Self.writeContainer(elements, open: "[", close: "]", to: &out, indent: indent) {
                $0.write(to: &$1, indent: $2)
            }
        case .object(let members):
            Self.writeContainer(members, open: "{", close: "}", to: &out, indent: indent) {
                Self.writeString($0.0, to: &$1)
                $1 += (indent == nil ? ":" : ": ").utf8
                $0.1.write(to: &$1, indent: $2)
            }
        }
    }

    private static func writeContainer<Element>(
        _ elements: [Element], open: Unicode.Scalar, close: Unicode.Scalar,
        to out: inout [UInt8], indent: Int?,
        element: (Element, inout [UInt8], Int?) -> Void
    ) {
        out.append(UInt8(ascii: open))
        let inner = indent.map { $0 + 1 }
        for (position, value) in elements.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            newline(to: &out, indent: inner)
            element(value, &out, inner)
        }
        if !elements.isEmpty { newline(to: &out, indent: indent) }
        out.append(UInt8(ascii: close))
    }

    private static func newline(to out: inout [UInt8], indent: Int?) {
        guard let indent else { return }
        out.append(UInt8(ascii: "\n"))
        out += repeatElement(UInt8(ascii: " "), count: 2 * indent)
    }

    private static func writeString(_ value: String, to out: inout [UInt8]) {
        let hexDigits: StaticString = "0123456789abcdef"
        out.append(UInt8(ascii: "\""))
        func escaped(_ letter: UInt8) {
            out.append(UInt8(ascii: "\\"))
            out.append(letter)
        }
        var text = value
        text.withUTF8 { bytes in
            // Runs that need no escape are copied whole; most text is one run.
            var start = 0
            for i in 0..<bytes.count {
                let byte = bytes[i]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                start = i + 1
                switch byte {
                // Two bytes each, appended as bytes (not through a String's view).
                case UInt8(ascii: "\""): escaped(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): escaped(UInt8(ascii: "\\"))
                case UInt8(ascii: "\n"): escaped(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): escaped(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"): escaped(UInt8(ascii: "t"))
                case 0x08: escaped(UInt8(ascii: "b"))
                case 0x0C: escaped(UInt8(ascii: "f"))
                default:
                    out += #"\u00"#.utf8
                    hexDigits.withUTF8Buffer { hex in
                        out.append(hex[Int(byte >> 4)])
                        out.append(hex[Int(byte & 0x0F)])
                    }
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        out.append(UInt8(ascii: "\""))
    }
}
