extension JSON {
    /// Parses one JSON value (RFC 8259): objects keep their members' order, whole
    /// numbers that fit are `.int`, others `.double`. Nil when the text is not JSON.
    public static func parse(_ text: String) -> JSON? {
        var text = text
        return text.withUTF8 { bytes in
            var reader = JSONReader(bytes)
            guard let value = reader.value(depth: 0) else { return nil }
            reader.skipWhitespace()
            return reader.atEnd ? value : nil
        }
    }

    /// The member `key` of an object; nil for a missing member or for anything but an object.
    public subscript(key: String) -> JSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var int: Int64? {
        if case .int(let i) = self { return i }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var array: [JSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var isNull: Bool { self == .null }
}

/// A recursive-descent reader over UTF-8 bytes, borrowed for the length of one read
/// (a String's own, or a database row's column: not copied).
struct JSONReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    /// Deeper nesting than this is refused rather than overflowing the stack.
    private static let maxDepth = 64

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// An object whose values are all strings or `null` (skipped), read without building
    /// `JSON` values: what every stored event's detail is. Nil for anything else.
    static func flatObject(_ text: String) -> [(String, String)]? {
        var text = text
        return text.withUTF8 { flatObject($0) }
    }

    /// `flatObject` over bytes that need not be a String's: text that is not valid
    /// UTF-8 reads with U+FFFD in place of each bad sequence, as `String(decoding:)` does.
    static func flatObject(_ bytes: UnsafeBufferPointer<UInt8>) -> [(String, String)]? {
        var fields: [(String, String)] = []
        fields.reserveCapacity(12)
        return flatObject(bytes, into: &fields) ? fields : nil
    }

    /// `flatObject` into `fields` (emptied first, its room kept): a loop over many
    /// objects reuses one array. False, `fields` left partly filled, for anything else.
    static func flatObject(_ bytes: UnsafeBufferPointer<UInt8>, into fields: inout [(String, String)]) -> Bool {
        fields.removeAll(keepingCapacity: true)
        var reader = JSONReader(bytes)
        guard reader.consume(UInt8(ascii: "{")) else { return false }
        if !reader.consume(UInt8(ascii: "}")) {
            repeat {
                reader.skipWhitespace()
                guard let key = reader.string(), reader.consume(UInt8(ascii: ":")) else { return false }
                reader.skipWhitespace()
                guard reader.index < reader.bytes.count else { return false }
                if reader.bytes[reader.index] == UInt8(ascii: "\"") {
                    guard let value = reader.string() else { return false }
                    fields.append((key, value))
                } else {
                    guard reader.literal("null") else { return false }
                }
            } while reader.consume(UInt8(ascii: ","))
            guard reader.consume(UInt8(ascii: "}")) else { return false }
        }
        reader.skipWhitespace()
        return reader.atEnd
    }

    var atEnd: Bool { index == bytes.count }

    mutating func skipWhitespace() { JSONSpace.skip(bytes, at: &index) }

    private mutating func consume(_ byte: UInt8) -> Bool { JSONSpace.consume(byte, in: bytes, at: &index) }

    private mutating func literal(_ word: String) -> Bool {
        guard bytes[index...].starts(with: word.utf8) else { return false }
        index += word.utf8.count
        return true
    }

    mutating func value(depth: Int) -> JSON? {
        guard depth < Self.maxDepth else { return nil }
        skipWhitespace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var members: [(String, JSON)] = []
            if consume(UInt8(ascii: "}")) { return .object(members) }
            repeat {
                skipWhitespace()
                guard let key = string(), consume(UInt8(ascii: ":")), let v = value(depth: depth + 1) else {
                    return nil
                }
                members.append((key, v))
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "}")) ? .object(members) : nil
        case UInt8(ascii: "["):
            index += 1
            var elements: [JSON] = []
            if consume(UInt8(ascii: "]")) { return .array(elements) }
            repeat {
                guard let v = value(depth: depth + 1) else { return nil }
                elements.append(v)
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "]")) ? .array(elements) : nil
        case UInt8(ascii: "\""):
            return string().map(JSON.string)
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        default: return number()
        }
    }

    private mutating func number() -> JSON? {
        let start = index
        let whole = JSONNumber.scan(bytes, at: &index)
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard !text.isEmpty, text != "-" else { return nil }
        if whole, let i = Int64(text) { return .int(i) }
        return Double(text).map(JSON.double)
    }

    /// A string literal starting at the current byte.
    private mutating func string() -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        // Most strings have no escapes: taken straight from the bytes, in one piece.
        var end = index
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") {
                // Cut at ASCII quotes; bytes that are not UTF-8 decode as U+FFFD.
                let plain = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
                index = end + 1
                return plain
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            end += 1
        }
        var value = Array(bytes[index..<end])
        index = end
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: value, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let scalar = escape() else { return nil }
                UTF8.encode(scalar) { value.append($0) }
            case ..<0x20:
                return nil
            default:
                value.append(byte)
            }
        }
        return nil
    }

    private mutating func escape() -> Unicode.Scalar? { JSONEscape.scalar(bytes, at: &index) }
}
