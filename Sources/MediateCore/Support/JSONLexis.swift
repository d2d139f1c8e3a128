/// JSON's whitespace and its structural bytes, read the same way by every reader of JSON
/// text here (`JSONReader`, `JSONTape`).
enum JSONSpace {
    /// Moves `index` past spaces, tabs and line ends.
    static func skip<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at index: inout Int)
    where Bytes.Index == Int {
        while index < bytes.endIndex {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// Moves `index` past whitespace and then `byte`, if `byte` comes next; true if it did.
    static func consume<Bytes: RandomAccessCollection<UInt8>>(_ byte: UInt8, in bytes: Bytes, at index: inout Int)
        -> Bool
    where Bytes.Index == Int {
        skip(bytes, at: &index)
        guard index < bytes.endIndex, bytes[index] == byte else { return false }
        index += 1
        return true
    }
}

/// How a number's text runs, read the same way by every reader of JSON text here
/// (`JSONReader`, `JSONTape`).
enum JSONNumber {
    /// Moves `index` past the number's bytes (a sign, digits, and any of `.eE+-` after
    /// the first byte); true when they are a sign and digits only, a whole number.
    static func scan<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at index: inout Int) -> Bool
    where Bytes.Index == Int {
        let start = index
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") { index += 1 }
        var whole = true
        while index < bytes.endIndex {
            let b = bytes[index]
            if (48...57).contains(b) {
                index += 1
            } else if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
                || b == UInt8(ascii: "+") || (b == UInt8(ascii: "-") && index > start)
            {
                whole = false
                index += 1
            } else {
                break
            }
        }
        return whole
    }
}

/// JSON's escapes, read the same way by every reader of JSON text here (`JSONReader`,
/// `JSONTape`): the scalar an escape stands for, surrogate pairs joined, lone halves refused.
enum JSONEscape {
    /// The scalar of the escape whose letter (the byte after the backslash) is at `index`,
    /// with `index` moved past the escape; nil for an escape JSON does not have.
    static func scalar<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at index: inout Int) -> Unicode.Scalar?
    where Bytes.Index == Int {
        guard index < bytes.endIndex else { return nil }
        let letter = bytes[index]
        index += 1
        switch letter {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            guard let unit = hex4(bytes, at: &index) else { return nil }
            switch unit {
            case 0xD800..<0xDC00:
                guard index + 2 <= bytes.endIndex, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                else { return nil }
                index += 2
                guard let low = hex4(bytes, at: &index), (0xDC00..<0xE000).contains(low) else { return nil }
                return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
            case 0xDC00..<0xE000: return nil
            default: return Unicode.Scalar(unit)
            }
        default: return nil
        }
    }

    /// Four hex digits at `index` (either case), `index` moved past them.
    private static func hex4<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at index: inout Int) -> UInt32?
    where Bytes.Index == Int {
        guard index + 4 <= bytes.endIndex else { return nil }
        var unit: UInt32 = 0
        for byte in bytes[index..<index + 4] {
            let digit: UInt32
            switch byte {
            case 48...57: digit = UInt32(byte - 48)
            case 97...102: digit = UInt32(byte - 87)
            case 65...70: digit = UInt32(byte - 55)
            default: return nil
            }
            unit = unit << 4 | digit
        }
        index += 4
        return unit
    }
}
