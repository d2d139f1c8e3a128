/// One JSON text read once into a flat list of its values (a tape), without building a
/// `JSON` value: a member is found by its key, and a value is decoded only when it is
/// asked for. `import jsonl` reads every line of a million-case export through one tape,
/// its memory reused from line to line.
///
/// It accepts exactly the texts `JSON.parse` accepts, and a value read from it is the one
/// `JSON.parse` gives: the same numbers (whole ones that fit are integers), the same
/// strings (escapes decoded), the first member of a key that is written twice.
public final class JSONTape {
    public enum Kind: UInt8, Sendable {
        case object, array, string, int, double, `true`, `false`, null
    }

    /// A value on the tape: its kind, where its text is, and where the value after it
    /// (past its members or elements) starts.
    struct Token {
        var kind: Kind
        /// A string's bytes (in `bytes`, or in `decoded` when it had escapes); a number's text.
        var start: Int32
        var end: Int32
        var escaped: Bool
        /// The index of the token after this value and everything inside it.
        var next: Int32
        var integer: Int64
    }

    /// One line's tape, never changed once read: looked up without the exclusivity
    /// checks a class's variables cost on every access.
    private final class Line {
        let bytes: [UInt8]
        let tokens: [Token]
        /// The strings that had escapes, decoded, one after the other.
        let decoded: [UInt8]

        init(bytes: [UInt8], tokens: [Token], decoded: [UInt8]) {
            self.bytes = bytes
            self.tokens = tokens
            self.decoded = decoded
        }

        func withBytes<T>(_ t: Token, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
            let range = Int(t.start)..<Int(t.end)
            if t.escaped {
                return decoded.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
            }
            return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
        }

        func matches(_ keyToken: Int, _ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
            let t = tokens[keyToken]
            guard Int(t.end - t.start) == wanted.count else { return false }
            return withBytes(t) { have in
                for i in 0..<wanted.count where have[i] != wanted[i] { return false }
                return true
            }
        }
    }

    private var line = Line(bytes: [], tokens: [], decoded: [])

    public init() {}

    /// Reads `text`; false (and nothing to look at) when it is not one JSON value.
    public func read(_ text: [UInt8]) -> Bool {
        var scanner = Scanner(bytes: text)
        scanner.tokens.reserveCapacity(line.tokens.count)
        let ok = scanner.all()
        line = Line(bytes: text, tokens: ok ? scanner.tokens : [], decoded: scanner.decoded)
        return ok
    }

    /// The whole text's value: the first token. Nil when the last `read` failed.
    public var root: Int? { line.tokens.isEmpty ? nil : 0 }

    public func kind(_ value: Int) -> Kind { line.tokens[value].kind }

    /// The value of `key` in the object at `object`; nil when there is no such member
    /// (or `object` is not an object).
    public func member(_ object: Int, _ key: String) -> Int? {
        let l = line
        guard l.tokens[object].kind == .object else { return nil }
        var key = key
        return key.withUTF8 { wanted -> Int? in
            var i = object + 1
            let end = Int(l.tokens[object].next)
            while i < end {
                if l.matches(i, wanted) { return i + 1 }
                i = Int(l.tokens[i + 1].next)
            }
            return nil
        }
    }

    /// The members of the object at `object`, in order: each key's token and its value's.
    public func members(_ object: Int) -> [(key: Int, value: Int)] {
        let l = line
        guard l.tokens[object].kind == .object else { return [] }
        var out: [(key: Int, value: Int)] = []
        var i = object + 1
        let end = Int(l.tokens[object].next)
        while i < end {
            out.append((i, i + 1))
            i = Int(l.tokens[i + 1].next)
        }
        return out
    }

    /// The elements of the array at `array`, in order.
    public func elements(_ array: Int) -> [Int] {
        let l = line
        guard l.tokens[array].kind == .array else { return [] }
        var out: [Int] = []
        var i = array + 1
        let end = Int(l.tokens[array].next)
        while i < end {
            out.append(i)
            i = Int(l.tokens[i].next)
        }
        return out
    }

    public func string(_ value: Int) -> String? {
        let l = line
        let t = l.tokens[value]
        guard t.kind == .string else { return nil }
        return l.withBytes(t) { String(decoding: $0, as: UTF8.self) }
    }

    /// Reads the string at `value` from its UTF-8 bytes, without making a `String`.
    public func withStringBytes<T>(_ value: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T? {
        let l = line
        let t = l.tokens[value]
        guard t.kind == .string else { return nil }
        return l.withBytes(t, body)
    }

    public func int(_ value: Int) -> Int64? {
        let t = line.tokens[value]
        return t.kind == .int ? t.integer : nil
    }

    public func bool(_ value: Int) -> Bool? {
        switch line.tokens[value].kind {
        case .true: true
        case .false: false
        default: nil
        }
    }

    public func isNull(_ value: Int) -> Bool { line.tokens[value].kind == .null }
}

/// Reads one text onto a tape, as `JSONReader` reads it: a value, whitespace around it,
/// nothing else.
private struct Scanner {
    typealias Token = JSONTape.Token
    typealias Kind = JSONTape.Kind
    let bytes: [UInt8]
    var tokens: [Token] = []
    var decoded: [UInt8] = []
    var index = 0
    /// Deeper nesting than this is refused, as `JSON.parse` refuses it.
    static let maxDepth = 64

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func all() -> Bool {
        guard value(depth: 0) else { return false }
        skipWhitespace()
        return index == bytes.count
    }

    // MARK: Reading, as `JSONReader` reads

    private mutating func skipWhitespace() { JSONSpace.skip(bytes, at: &index) }

    private mutating func consume(_ byte: UInt8) -> Bool { JSONSpace.consume(byte, in: bytes, at: &index) }

    private mutating func literal(_ word: StaticString, _ kind: Kind) -> Bool {
        let n = word.utf8CodeUnitCount
        guard index + n <= bytes.count else { return false }
        let same = word.withUTF8Buffer { w in (0..<n).allSatisfy { bytes[index + $0] == w[$0] } }
        guard same else { return false }
        push(kind, start: index, end: index + n)
        index += n
        return true
    }

    @discardableResult
    private mutating func push(_ kind: Kind, start: Int, end: Int, escaped: Bool = false, integer: Int64 = 0) -> Int {
        tokens.append(
            Token(
                kind: kind, start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: end),
                escaped: escaped, next: Int32(truncatingIfNeeded: tokens.count + 1), integer: integer))
        return tokens.count - 1
    }

    private mutating func value(depth: Int) -> Bool {
        guard depth < Scanner.maxDepth, bytes.count < Int(Int32.max) else { return false }
        skipWhitespace()
        guard index < bytes.count else { return false }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            let at = push(.object, start: index, end: index)
            if !consume(UInt8(ascii: "}")) {
                repeat {
                    skipWhitespace()
                    guard string(), consume(UInt8(ascii: ":")), value(depth: depth + 1) else { return false }
                } while consume(UInt8(ascii: ","))
                guard consume(UInt8(ascii: "}")) else { return false }
            }
            tokens[at].next = Int32(truncatingIfNeeded: tokens.count)
            return true
        case UInt8(ascii: "["):
            index += 1
            let at = push(.array, start: index, end: index)
            if !consume(UInt8(ascii: "]")) {
                repeat {
                    guard value(depth: depth + 1) else { return false }
                } while consume(UInt8(ascii: ","))
                guard consume(UInt8(ascii: "]")) else { return false }
            }
            tokens[at].next = Int32(truncatingIfNeeded: tokens.count)
            return true
        case UInt8(ascii: "\""): return string()
        case UInt8(ascii: "t"): return literal("true", .true)
        case UInt8(ascii: "f"): return literal("false", .false)
        case UInt8(ascii: "n"): return literal("null", .null)
        default: return number()
        }
    }

    /// A number as `JSONReader` scans it: a whole one that fits is an integer, anything
    /// else must read as a `Double`.
    private mutating func number() -> Bool {
        let start = index
        let whole = JSONNumber.scan(bytes, at: &index)
        let negative = index > start && bytes[start] == UInt8(ascii: "-")
        let digits = (negative ? start + 1 : start)..<index
        guard !digits.isEmpty else { return false }
        if whole {
            // Int64(text), digit by digit: nil on overflow, which then reads as a Double.
            var value: Int64 = 0
            var fits = true
            for i in digits {
                let d = Int64(bytes[i] - 48)
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = negative ? times.subtractingReportingOverflow(d) : times.addingReportingOverflow(d)
                if o1 || o2 {
                    fits = false
                    break
                }
                value = sum
            }
            if fits {
                push(.int, start: start, end: index, integer: value)
                return true
            }
        }
        guard Double(String(decoding: bytes[start..<index], as: UTF8.self)) != nil else { return false }
        push(.double, start: start, end: index)
        return true
    }

    /// A string literal starting at the current byte.
    private mutating func string() -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return false }
        index += 1
        // Most strings have no escapes: their bytes stay where they are.
        var end = index
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") {
                push(.string, start: index, end: end)
                index = end + 1
                return true
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            end += 1
        }
        let from = decoded.count
        decoded += bytes[index..<end]
        index = end
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                // Valid UTF-8: the text's own bytes (a String's, cut at ASCII quotes and
                // backslashes), with whole scalars decoded from escapes between them.
                push(.string, start: from, end: decoded.count, escaped: true)
                return true
            case UInt8(ascii: "\\"):
                guard let scalar = escape() else { return false }
                UTF8.encode(scalar) { decoded.append($0) }
            case ..<0x20:
                return false
            default:
                decoded.append(byte)
            }
        }
        return false
    }

    private mutating func escape() -> Unicode.Scalar? { JSONEscape.scalar(bytes, at: &index) }
}
