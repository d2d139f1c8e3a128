import MediateCore
import MediateStore

/// Checks of what people type: each failure is a `Problem` naming the field.
enum Input {
    /// Full-width ASCII forms (１２３，－：．) as people type them on a Chinese input
    /// method, read as their ASCII; an ideographic space as a space. For structured
    /// values (dates, numbers, codes, lists), never for free text.
    static func halfWidth(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { (0xFF01...0xFF5E).contains($0.value) || $0.value == 0x3000 })
        else { return text }
        var scalars = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            switch s.value {
            case 0xFF01...0xFF5E: scalars.append(Unicode.Scalar(s.value - 0xFEE0)!)
            case 0x3000: scalars.append(" ")
            default: scalars.append(s)
            }
        }
        return String(scalars)
    }

    /// Free text: no control characters but newline and tab, at most `limit` characters.
    static func text(_ value: String, field: String, limit: Int = 2000, multiline: Bool = true) throws(Problem)
        -> String
    {
        let trimmed = value.trimmingWhitespace()
        if trimmed.unicodeScalars.contains(where: { isForbidden($0, multiline: multiline) }) {
            throw .controlCharacters(field)
        }
        // Characters for people, code points for storage: a letter under ten thousand
        // combining marks is one character, and must not be ten thousand times the bytes.
        let (characters, points) = (trimmed.count, trimmed.unicodeScalars.count)
        if characters > limit { throw .tooLong(field, count: characters, limit: limit) }
        if points > 2 * limit { throw .tooManyMarks(field, points: points, limit: 2 * limit) }
        if !trimmed.unicodeScalars.contains(where: isVisible) { throw .emptyText(field) }
        return trimmed
    }

    /// A text option given as `-`: standard input, as UTF-8, at most `limit` characters.
    static func standardInput(_ read: (Int) -> [UInt8], option: String, limit: Int) throws(Problem) -> String {
        // Enough for `limit` characters of any script, and not a byte more.
        let bytes = read(limit * 8 + 1)
        guard bytes.count <= limit * 8 else { throw .stdinTooLong(option, limit: limit) }
        guard var input = String(validating: bytes, as: UTF8.self) else { throw .stdinNotUTF8 }
        // Text saved on Windows: a byte-order mark and CRLF line ends are not content.
        if input.hasPrefix("\u{FEFF}") { input.removeFirst() }
        do {
            return try text(input.replacing("\r\n", with: "\n"), field: option, limit: limit)
        } catch {
            throw .onStandardInput(error)
        }
    }

    /// Control characters (C0 but newline and tab in multi-line text, DEL, C1), the
    /// replacement for invalid UTF-8, line and paragraph separators in one-line text, and
    /// the bidirectional overrides and isolates that make text read otherwise than stored.
    static func isForbidden(_ s: Unicode.Scalar, multiline: Bool) -> Bool {
        switch s.value {
        case 0x09, 0x0A: !multiline
        case 0x00...0x1F, 0x7F...0x9F, 0xFFFD, 0x202A...0x202E, 0x2066...0x2069: true
        case 0x2028, 0x2029: !multiline
        default: false
        }
    }

    /// A code point that shows something: not a space, a format character or a lone mark.
    static func isVisible(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator, .format, .control, .nonspacingMark,
            .enclosingMark:
            false
        default: !s.properties.isWhitespace
        }
    }

    /// A code (of a unit, a category, a login): letters, digits, '-' and '_'.
    static func code(_ value: String, _ noun: Noun) throws(Problem) -> String {
        let code = halfWidth(value).trimmingWhitespace()
        guard Code.isValid(code) else { throw .badCode(noun, value) }
        return code
    }

    /// A mainland mobile (11 digits starting 1[3-9]) or a landline (area code, '-', number).
    static func phone(_ value: String) throws(Problem) -> String {
        let digits = halfWidth(value).filter { $0 != "-" && $0 != " " }
        let isMobile = digits.count == 11 && digits.hasPrefix("1") && "3456789".contains(digits.dropFirst().first!)
        let isLandline = (7...12).contains(digits.count) && digits.first == "0"
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), isMobile || isLandline else { throw .badPhone }
        return digits
    }

    /// A resident ID number (GB 11643): 17 digits and a check character.
    static func idNumber(_ value: String) throws(Problem) -> String {
        let id = halfWidth(value).uppercased()
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let chars = Array(id)
        guard chars.count == 18, chars.prefix(17).allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .badIDNumber
        }
        let sum = zip(chars.prefix(17), weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        guard chars[17] == Array("10X98765432")[sum % 11] else { throw .badIDNumber }
        return id
    }

    /// `姓名,角色[,电话[,身份证号[,地址]]]`, with CSV quoting for commas inside; the
    /// commas may be full-width (，) as a Chinese input method types them.
    static func party(_ value: String) throws(Problem) -> Party {
        let records: [(line: Int, fields: [String])]
        do {
            records = try CSV.parse(value.replacing("，", with: ","))
        } catch {
            throw .badParty
        }
        // One party per --party: a second line is a second party, given its own --party.
        guard records.count == 1, var fields = records.first?.fields, fields.count >= 2 else { throw .badParty }
        // An address may hold commas of its own: everything after the ID number is the address.
        if fields.count > 5 { fields = Array(fields.prefix(4)) + [fields.dropFirst(4).joined(separator: "，")] }
        let name = try text(fields[0], field: "party", limit: 50, multiline: false)
        guard let role = PartyRole.parse(fields[1]) else { throw .badParty }
        func optional(_ i: Int) -> String? {
            i < fields.count ? fields[i].trimmingWhitespace().nilIfEmpty : nil
        }
        return Party(
            name: name, role: role.code, phone: try optional(2).map(phone), idNumber: try optional(3).map(idNumber),
            address: try optional(4).map { v throws(Problem) in
                try text(v, field: "party", limit: 200, multiline: false)
            })
    }

    /// An amount of money in yuan with at most two decimals, as fen.
    static func amount(_ value: String) throws(Problem) -> Int64 {
        let written = halfWidth(value).trimmingWhitespace()
        let parts = written.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 12,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            parts.count == 1 || (1...2).contains(parts[1].count),
            let yuan = Int64(parts[0])
        else { throw .badAmount(value) }
        // A billion yuan is far beyond any people's mediation; the cap keeps every sum exact.
        guard yuan < 1_000_000_000 else { throw .amountTooLarge(value) }
        let fen = parts.count == 2 ? Int64(String(parts[1]) + String(repeating: "0", count: 2 - parts[1].count))! : 0
        return yuan * 100 + fen
    }

    static func day(_ value: String, field: String) throws(Problem) -> Day {
        guard let day = Day(Substring(halfWidth(value).trimmingWhitespace())) else { throw .badDay(field, value) }
        return day
    }

    static func moment(_ value: String, field: String) throws(Problem) -> WrittenTime {
        guard let time = LocalTime.parse(halfWidth(value)) else { throw .badMoment(field, value) }
        return time
    }

    static func caseNumber(_ value: String) throws(Problem) -> CaseNumber {
        guard let number = CaseNumber(Substring(halfWidth(value).trimmingWhitespace())),
            Day.writable.contains(number.year)
        else { throw .badCaseNumber(value) }
        return number
    }

    /// `YYYY-MM`, `last` or `this` (上月, 本月).
    static func month(_ value: String) throws(Problem) -> MonthChoice {
        let text = halfWidth(value).trimmingWhitespace()
        switch text {
        case "last", "上月": return .last
        case "this", "本月": return .this
        default: break
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            text.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (48...57).contains($0) }),
            let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m), Day.writable.contains(y)
        else { throw .badMonth(value) }
        return .month(year: y, month: m)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return s.startIndex == startIndex && s.endIndex == endIndex ? self : String(s)
    }

    var nilIfEmpty: String? { isEmpty ? nil : self }
}
