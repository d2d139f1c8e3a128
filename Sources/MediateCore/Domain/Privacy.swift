/// Residents' phone and ID numbers: shown in part, enough to recognise, not to call.
public enum Privacy {
    /// `13812345678` → `138****5678`. A mobile or an ID number keeps its first three and
    /// last four; a shorter number (a landline without its area code) its last two.
    public static func mask(_ value: String) -> String {
        // ASCII, the usual number: one byte a character, written into the String's own
        // buffer from the bytes in place.
        func ascii(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            let count = bytes.count
            let (from, to) = count >= 11 ? (3, count - 4) : (0, max(0, count - 2))
            return String(unsafeUninitializedCapacity: count) { out in
                for i in 0..<count { out[i] = i >= from && i < to ? UInt8(ascii: "*") : bytes[i] }
                return count
            }
        }
        if let masked = value.utf8.withContiguousStorageIfAvailable(ascii)
            ?? Array(value.utf8).withUnsafeBufferPointer(ascii)
        {
            return masked
        }
        let chars = Array(value)
        guard chars.count >= 11 else {
            return String(repeating: "*", count: max(0, chars.count - 2)) + String(chars.suffix(2))
        }
        return String(chars.prefix(3)) + String(repeating: "*", count: chars.count - 7) + String(chars.suffix(4))
    }

    /// Whether `text` holds a digit, ASCII or full-width (U+FF10–FF19, bytes EF BC 90–99):
    /// read in place, a byte at a time.
    private static func hasDigit(_ text: String) -> Bool {
        func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            for (i, b) in bytes.enumerated() {
                if b &- UInt8(ascii: "0") < 10 { return true }
                if b == 0xEF, i + 2 < bytes.count, bytes[i + 1] == 0xBC, bytes[i + 2] &- 0x90 < 10 { return true }
            }
            return false
        }
        return text.utf8.withContiguousStorageIfAvailable(scan) ?? Array(text.utf8).withUnsafeBufferPointer(scan)
    }

    /// A character as the ASCII one it stands for in a number: a digit, '+', '-', a space
    /// or an ID number's X, typed half-width or full-width (a Chinese input method's
    /// default: `１３８１２３４５６７８`, `＋８６`, the ideographic space); nil otherwise.
    private static func numeral(_ c: Character) -> Character? {
        if c.isASCII { return c }
        guard let scalar = c.unicodeScalars.first, c.unicodeScalars.count == 1 else { return nil }
        switch scalar.value {
        case 0xFF01...0xFF5E: return Character(Unicode.Scalar(scalar.value - 0xFEE0)!)
        case 0x3000: return " "
        default: return nil
        }
    }

    /// Every stretch of text that reads as a phone or an ID number, in any form `--party`
    /// accepts, masked: a mobile (11 digits from 13 to 19, maybe after +86), a landline with
    /// its area code (10 to 12 digits from 0; fewer would take dates like 0001-01-01), an
    /// ID number (17 digits and a digit or X). Digits may be grouped by '-' or spaces.
    public static func maskingNumbers(_ text: String) -> String {
        // Every number starts with a digit (or '+' before one): most text has none.
        guard hasDigit(text) else { return text }
        let chars = Array(text)
        // Each character as it counts in a number; the text shown keeps its own.
        let plainChars = chars.map { numeral($0) ?? "\u{0}" }
        func isDigit(_ k: Int) -> Bool { plainChars[k].isASCII && plainChars[k].isNumber }
        var result = ""
        var i = 0
        while i < chars.count {
            guard isDigit(i) || (plainChars[i] == "+" && i + 1 < chars.count && isDigit(i + 1)) else {
                result.append(chars[i])
                i += 1
                continue
            }
            var j = i + 1
            var digits = isDigit(i) ? 1 : 0
            while j < chars.count {
                let c = plainChars[j]
                if isDigit(j) {
                    digits += 1
                } else if (c == "-" || c == " ") && j + 1 < chars.count && isDigit(j + 1) {
                    // a separator between digits
                } else if (c == "x" || c == "X") && digits == 17 {
                    digits += 1
                    j += 1
                    break
                } else {
                    break
                }
                j += 1
            }
            let run = String(chars[i..<j])
            let plainRun = String(plainChars[i..<j])
            var plain = plainRun.filter { $0.isNumber || $0 == "x" || $0 == "X" }
            if plainRun.hasPrefix("+86") { plain = String(plain.dropFirst(2)) }
            let mobile = plain.count == 11 && plain.hasPrefix("1") && "3456789".contains(plain.dropFirst().first!)
            let landline = (10...12).contains(plain.count) && plain.hasPrefix("0")
            result += mobile || landline || plain.count == 18 ? mask(run) : run
            i = j
        }
        return result
    }
}
