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

    /// Whether `text` holds an ASCII digit: read in place, a byte at a time.
    private static func hasDigit(_ text: String) -> Bool {
        func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            for b in bytes where b &- UInt8(ascii: "0") < 10 { return true }
            return false
        }
        return text.utf8.withContiguousStorageIfAvailable(scan) ?? Array(text.utf8).withUnsafeBufferPointer(scan)
    }

    /// Every stretch of text that reads as a phone or an ID number, in any form `--party`
    /// accepts, masked: a mobile (11 digits from 13 to 19, maybe after +86), a landline with
    /// its area code (10 to 12 digits from 0; fewer would take dates like 0001-01-01), an
    /// ID number (17 digits and a digit or X). Digits may be grouped by '-' or spaces.
    public static func maskingNumbers(_ text: String) -> String {
        // Every number starts with an ASCII digit (or '+' before one): most text has none.
        guard hasDigit(text) else { return text }
        let chars = Array(text)
        var result = ""
        var i = 0
        while i < chars.count {
            guard
                chars[i].isASCII
                    && (chars[i].isNumber || (chars[i] == "+" && i + 1 < chars.count && chars[i + 1].isNumber))
            else {
                result.append(chars[i])
                i += 1
                continue
            }
            var j = i + 1
            var digits = chars[i].isNumber ? 1 : 0
            while j < chars.count {
                let c = chars[j]
                if c.isASCII && c.isNumber {
                    digits += 1
                } else if (c == "-" || c == " ") && j + 1 < chars.count && chars[j + 1].isASCII && chars[j + 1].isNumber
                {
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
            var plain = run.filter { $0.isASCII && ($0.isNumber || $0 == "x" || $0 == "X") }
            if run.hasPrefix("+86") { plain = String(plain.dropFirst(2)) }
            let mobile = plain.count == 11 && plain.hasPrefix("1") && "3456789".contains(plain.dropFirst().first!)
            let landline = (10...12).contains(plain.count) && plain.hasPrefix("0")
            result += mobile || landline || plain.count == 18 ? mask(run) : run
            i = j
        }
        return result
    }
}
