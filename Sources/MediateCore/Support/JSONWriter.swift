/// Where JSON goes as it is produced, one piece at a time: `JSONWriter` appends the bytes
/// to a reused buffer, `JSONBuilder` builds a `JSON` value. A shape described once against
/// it serves both: `show --format json` builds its value, `export` streams the same bytes
/// for a million cases without building one.
public protocol JSONSink {
    mutating func openObject()
    mutating func closeObject()
    mutating func openArray()
    mutating func closeArray()
    /// The key of the open object's next member, written in the source (no escapes
    /// needed, checked when it is built); its value follows.
    mutating func key(_ name: StaticString)
    /// A key that comes from data (a stored detail's), escaped as any string.
    mutating func key(text name: String)
    mutating func string(_ value: String)
    mutating func int(_ value: Int64)
    mutating func bool(_ value: Bool)
    mutating func null()
    /// An instant as `zone.iso` writes it.
    mutating func time(_ instant: Int64, in zone: Zone)
    /// A value built beforehand, written whole.
    mutating func value(_ json: JSON)
    /// Bytes as a string of lowercase hex digits (a hash).
    mutating func hex(_ bytes: [UInt8])
    /// `key`, then `value` (null for none): one member of the open object. The
    /// extension below writes it so; a sink may write it in one step, to the same effect.
    mutating func member(_ name: StaticString, _ value: String?)
    /// `key`, then the number.
    mutating func member(_ name: StaticString, _ value: Int64)
    /// `key`, then the instant as `zone.iso` writes it (null for none).
    mutating func member(_ name: StaticString, _ instant: Int64?, in zone: Zone)
}

extension JSONSink {
    public mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    public mutating func time(_ instant: Int64?, in zone: Zone) {
        if let instant { time(instant, in: zone) } else { null() }
    }

    /// `key`, then the instant as `zone.iso` writes it (null for none).
    public mutating func member(_ name: StaticString, _ instant: Int64?, in zone: Zone) {
        key(name)
        time(instant, in: zone)
    }

    /// `key`, then `value`: one member of the open object.
    public mutating func member(_ name: StaticString, _ value: String?) {
        key(name)
        string(value)
    }

    public mutating func member(_ name: StaticString, _ value: Int64) {
        key(name)
        int(value)
    }
}

/// Writes JSON compactly into `bytes`, exactly as `JSON.rendered()` writes the same value.
/// Clear `bytes` (keeping its capacity) to write the next value into the same memory.
public struct JSONWriter: JSONSink {
    public var bytes: [UInt8] = []
    /// Whether a value was just written at this depth: the next key or element needs a comma.
    private var afterValue = false

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// Empties the buffer for the next value, keeping its memory.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        afterValue = false
    }

    private mutating func separate() {
        if afterValue { bytes.append(UInt8(ascii: ",")) }
    }

    public mutating func openObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        afterValue = false
    }

    public mutating func closeObject() {
        bytes.append(UInt8(ascii: "}"))
        afterValue = true
    }

    public mutating func openArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        afterValue = false
    }

    public mutating func closeArray() {
        bytes.append(UInt8(ascii: "]"))
        afterValue = true
    }

    public mutating func key(_ name: StaticString) {
        // Byte by byte here: measured, one composed append is no cheaper for a key's
        // few bytes (the name's copy and the append cost what the single appends do).
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        afterValue = false
    }

    // A member in one append: the comma, the quoted key, the colon and the value
    // composed on the stack (a member is most of what an export writes). A value this
    // cannot take whole (a long string, one with an escape) goes key, then value.

    public mutating func member(_ name: StaticString, _ value: String?) {
        guard var text = value else {
            member(name) { out in
                for byte in "null".utf8 {
                    out.pointee = byte
                    out += 1
                }
            }
            return
        }
        let whole = text.withUTF8 { text in
            guard Self.isPlain(text) else { return false }
            member(name, room: text.count + 2) { out in
                out.pointee = UInt8(ascii: "\"")
                if let base = text.baseAddress { (out + 1).update(from: base, count: text.count) }
                out += text.count + 1
                out.pointee = UInt8(ascii: "\"")
                out += 1
            }
            return true
        }
        if !whole {
            key(name)
            string(text)
        }
    }

    public mutating func member(_ name: StaticString, _ value: Int64) {
        member(name, room: 20) { out in
            // Digits written from the right, then moved to their place.
            if value < 0 {
                out.pointee = UInt8(ascii: "-")
                out += 1
            }
            var digits = 0
            var rest = value.magnitude
            repeat {
                digits += 1
                rest /= 10
            } while rest > 0
            rest = value.magnitude
            for i in stride(from: digits - 1, through: 0, by: -1) {
                out[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            }
            out += digits
        }
    }

    public mutating func member(_ name: StaticString, _ instant: Int64?, in zone: Zone) {
        member(name, room: Zone.isoLimit + 2) { out in
            guard let instant else {
                for byte in "null".utf8 {
                    out.pointee = byte
                    out += 1
                }
                return
            }
            out.pointee = UInt8(ascii: "\"")
            out += 1
            out += zone.writeISO(instant, to: out)
            out.pointee = UInt8(ascii: "\"")
            out += 1
        }
    }

    /// Writes the comma (when one is due), `"name":` and then what `value` writes (at
    /// most `room` bytes, advancing the pointer it is given past them), in one append.
    @inline(__always)
    private mutating func member(
        _ name: StaticString, room: Int = 4, _ value: (inout UnsafeMutablePointer<UInt8>) -> Void
    ) {
        let comma = afterValue
        name.withUTF8Buffer { name in
            compose(limit: name.count + 4 + room) { start in
                var out = start
                if comma {
                    out.pointee = UInt8(ascii: ",")
                    out += 1
                }
                out.pointee = UInt8(ascii: "\"")
                if let base = name.baseAddress { (out + 1).update(from: base, count: name.count) }
                out += name.count + 1
                out[0] = UInt8(ascii: "\"")
                out[1] = UInt8(ascii: ":")
                out += 2
                value(&out)
                return out - start
            }
        }
        afterValue = true
    }

    /// Whether a string's bytes go into JSON as they are, whole in one append: no
    /// escape needed (no control character, quote or backslash), and short.
    private static func isPlain(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        text.count <= 512
            && !text.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") })
    }

    /// Appends the bytes `fill` writes into a buffer of `limit` bytes on the stack (it
    /// returns how many), in one append.
    @inline(__always)
    private mutating func compose(limit: Int, _ fill: (UnsafeMutablePointer<UInt8>) -> Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: limit) { buffer in
            let start = buffer.baseAddress!
            bytes.append(contentsOf: UnsafeBufferPointer(start: start, count: fill(start)))
        }
    }

    /// A value in quotes in one append: the comma if one is due, then `fill`'s at most
    /// `limit` bytes (which need no escape) between the quotes.
    private mutating func composeQuoted(limit: Int, _ fill: (UnsafeMutablePointer<UInt8>) -> Int) {
        let comma = afterValue
        compose(limit: limit + 3) { out in
            var n = 0
            if comma {
                out[n] = UInt8(ascii: ",")
                n += 1
            }
            out[n] = UInt8(ascii: "\"")
            n += 1
            n += fill(out + n)
            out[n] = UInt8(ascii: "\"")
            return n + 1
        }
        afterValue = true
    }

    public mutating func key(text name: String) {
        separate()
        JSON.append(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        afterValue = false
    }

    public mutating func string(_ value: String) {
        // Most strings (codes, names, a line of text) need no escape: the comma and the
        // quoted bytes in one append. Longer text, or text with an escape, goes the
        // general way (`JSON.append`), which writes the same bytes.
        var text = value
        let plain = text.withUTF8 { text in
            guard Self.isPlain(text) else { return false }
            composeQuoted(limit: text.count) { out in
                if let base = text.baseAddress { out.update(from: base, count: text.count) }
                return text.count
            }
            return true
        }
        if !plain {
            separate()
            JSON.append(value, to: &bytes)
            afterValue = true
        }
    }

    public mutating func int(_ value: Int64) {
        separate()
        JSON.append(value, to: &bytes)
        afterValue = true
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes += (value ? "true" : "false").utf8
        afterValue = true
    }

    public mutating func null() {
        let comma = afterValue
        compose(limit: 5) { out in
            var n = 0
            if comma {
                out[n] = UInt8(ascii: ",")
                n += 1
            }
            for byte in "null".utf8 {
                out[n] = byte
                n += 1
            }
            return n
        }
        afterValue = true
    }

    public mutating func time(_ instant: Int64, in zone: Zone) {
        // The comma, the quotes and the instant's 20 or 25 characters in one append.
        composeQuoted(limit: Zone.isoLimit) { out in zone.writeISO(instant, to: out) }
    }

    public mutating func value(_ json: JSON) {
        separate()
        json.render(into: &bytes)
        afterValue = true
    }

    public mutating func hex(_ digest: [UInt8]) {
        composeQuoted(limit: 2 * digest.count) { out in
            let digits: StaticString = "0123456789abcdef"
            digits.withUTF8Buffer { digit in
                for (i, byte) in digest.enumerated() {
                    out[2 * i] = digit[Int(byte >> 4)]
                    out[2 * i + 1] = digit[Int(byte & 15)]
                }
            }
            return 2 * digest.count
        }
    }

    static func appendHex(_ digest: [UInt8], to out: inout [UInt8]) {
        let digits: StaticString = "0123456789abcdef"
        digits.withUTF8Buffer { digit in
            for byte in digest {
                out.append(digit[Int(byte >> 4)])
                out.append(digit[Int(byte & 15)])
            }
        }
    }
}

/// Builds the `JSON` value a shape describes, member by member.
public struct JSONBuilder: JSONSink {
    private struct Frame {
        /// The key this container takes in the one around it.
        var key: String?
        var members: [(String, JSON)] = []
        var elements: [JSON] = []
        let isObject: Bool
    }

    private var stack: [Frame] = []
    private var pendingKey: String? = nil
    /// The value, once its outermost container is closed (or its one scalar written).
    public private(set) var result: JSON = .null

    public init() {}

    private mutating func add(_ value: JSON) {
        guard !stack.isEmpty else {
            result = value
            return
        }
        if stack[stack.count - 1].isObject {
            stack[stack.count - 1].members.append((pendingKey ?? "", value))
            pendingKey = nil
        } else {
            stack[stack.count - 1].elements.append(value)
        }
    }

    public mutating func openObject() {
        stack.append(Frame(key: pendingKey, isObject: true))
        pendingKey = nil
    }

    public mutating func closeObject() {
        let frame = stack.removeLast()
        pendingKey = frame.key
        add(.object(frame.members))
    }

    public mutating func openArray() {
        stack.append(Frame(key: pendingKey, isObject: false))
        pendingKey = nil
    }

    public mutating func closeArray() {
        let frame = stack.removeLast()
        pendingKey = frame.key
        add(.array(frame.elements))
    }

    public mutating func key(_ name: StaticString) {
        let text = name.description
        // Written as it is by `JSONWriter`: a key in the source needs no escape.
        assert(!text.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") })
        pendingKey = text
    }
    public mutating func key(text name: String) { pendingKey = name }
    public mutating func string(_ value: String) { add(.string(value)) }
    public mutating func int(_ value: Int64) { add(.int(value)) }
    public mutating func bool(_ value: Bool) { add(.bool(value)) }
    public mutating func null() { add(.null) }
    public mutating func time(_ instant: Int64, in zone: Zone) { add(.string(zone.iso(instant))) }
    public mutating func value(_ json: JSON) { add(json) }
    public mutating func hex(_ digest: [UInt8]) {
        var out: [UInt8] = []
        JSONWriter.appendHex(digest, to: &out)
        add(.string(String(decoding: out, as: UTF8.self)))
    }

    /// The value `write` describes.
    public static func build(_ write: (inout JSONBuilder) -> Void) -> JSON {
        var builder = JSONBuilder()
        write(&builder)
        return builder.result
    }
}

extension Zone {
    /// The most bytes `writeISO` writes: 2026-10-05T09:30:00+08:00.
    public static let isoLimit = 25

    /// Appends `iso(instant)` as bytes, without making a string.
    public func appendISO(_ instant: Int64, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Zone.isoLimit) { buffer in
            let start = buffer.baseAddress!
            out.append(contentsOf: UnsafeBufferPointer(start: start, count: writeISO(instant, to: start)))
        }
    }

    /// Writes `iso(instant)` as bytes at `out`, which has room for `isoLimit`; returns
    /// how many it wrote (20 with Z, else 25). An export writes several for every event.
    public func writeISO(_ instant: Int64, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let f = fields(instant)
        func two(_ at: Int, _ value: Int) {
            out[at] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value / 10 % 10)
            out[at + 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)
        }
        // A year is 1…9999 (`Day`), written with four digits as `Day.description` does.
        let year = f.day.year
        two(0, year / 100)
        two(2, year % 100)
        out[4] = UInt8(ascii: "-")
        two(5, f.day.month)
        out[7] = UInt8(ascii: "-")
        two(8, f.day.day)
        out[10] = UInt8(ascii: "T")
        two(11, f.hour)
        out[13] = UInt8(ascii: ":")
        two(14, f.minute)
        out[16] = UInt8(ascii: ":")
        two(17, f.second)
        if f.offset == 0 {
            out[19] = UInt8(ascii: "Z")
            return 20
        }
        out[19] = f.offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
        // Whole minutes, as `iso` writes them; no zone's offset reaches 100 hours.
        let minutes = abs(f.offset) / 60
        two(20, minutes / 60)
        out[22] = UInt8(ascii: ":")
        two(23, minutes % 60)
        return 25
    }
}
