import MediateCore
import MediateStore

/// Checks of what people type: each failure is a usage error naming the field.
enum Input {
    /// Free text: no control characters but newline and tab, at most `limit` characters.
    static func text(_ value: String, field: String, limit: Int = 2000, multiline: Bool = true) throws(UsageError)
        -> String
    {
        let trimmed = value.trimmingWhitespace()
        if trimmed.unicodeScalars.contains(where: { isForbidden($0, multiline: multiline) }) {
            throw UsageError(
                zh: "--\(field) 含有控制字符或无效的 UTF-8：请只用可打印文字。",
                en: "--\(field) contains control characters or invalid UTF-8: use printable text only.", command: nil)
        }
        // Characters for people, code points for storage: a letter under ten thousand
        // combining marks is one character, and must not be ten thousand times the bytes.
        let (characters, points) = (trimmed.count, trimmed.unicodeScalars.count)
        if characters > limit {
            throw UsageError(
                zh: "--\(field) 太长（\(characters) 字，上限 \(limit)）：请精简。",
                en: "--\(field) is too long (\(characters) characters, at most \(limit)): shorten it.", command: nil)
        }
        if points > 2 * limit {
            throw UsageError(
                zh: "--\(field) 的组合符号太多（\(points) 个码位，上限 \(2 * limit)）：请去掉多余的符号。",
                en:
                    "--\(field) carries too many combining marks (\(points) code points, at most \(2 * limit)): remove them.",
                command: nil)
        }
        if !trimmed.unicodeScalars.contains(where: isVisible) {
            throw UsageError(zh: "--\(field) 不能为空。", en: "--\(field) cannot be empty.", command: nil)
        }
        return trimmed
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
    static func code(_ value: String, _ noun: (zh: String, en: String)) throws(UsageError) -> String {
        guard Store.isCode(value) else {
            throw UsageError(
                zh: "\(noun.zh) '\(echo(value))' 只能用字母、数字、- 和 _（最多 32 个）。",
                en: "\(noun.en) '\(echo(value))' may use only letters, digits, '-' and '_' (at most 32).", command: nil)
        }
        return value
    }

    /// A login for a new person: a code, and not the sweep's own name.
    static func login(_ value: String) throws(UsageError) -> String {
        _ = try code(value, ("登录名", "The login"))
        guard value.lowercased() != Actor.system.login else {
            throw UsageError(
                zh: "登录名 '\(echo(value))' 留给每日巡查（sweep）使用：请换一个。",
                en: "The login '\(echo(value))' is the daily sweep's own: choose another.", command: nil)
        }
        return value
    }

    /// A mainland mobile (11 digits starting 1[3-9]) or a landline (area code, '-', number).
    static func phone(_ value: String) throws(UsageError) -> String {
        let digits = value.filter { $0 != "-" && $0 != " " }
        let isMobile = digits.count == 11 && digits.hasPrefix("1") && "3456789".contains(digits.dropFirst().first!)
        let isLandline = (7...12).contains(digits.count) && digits.first == "0"
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), isMobile || isLandline else {
            throw UsageError(
                zh: "电话号码格式不对：请写 11 位手机号（如 13800000000）或带区号的座机（如 027-87654321）。",
                en:
                    "The phone number is malformed: write an 11-digit mobile (like 13800000000) or a landline with its area code (like 027-87654321).",
                command: nil)
        }
        return digits
    }

    /// A resident ID number (GB 11643): 17 digits and a check character.
    static func idNumber(_ value: String) throws(UsageError) -> String {
        let id = value.uppercased()
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let chars = Array(id)
        guard chars.count == 18, chars.prefix(17).allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw badID
        }
        let sum = zip(chars.prefix(17), weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        let check = Array("10X98765432")[sum % 11]
        guard chars[17] == check else { throw badID }
        return id
    }

    private static let badID = UsageError(
        zh: "身份证号无效（18 位，末位校验码不符）：请核对后重输。",
        en: "The ID number is invalid (18 characters with a matching check digit): check it and type it again.",
        command: nil)

    /// `姓名,角色[,电话[,身份证号[,地址]]]`, with CSV quoting for commas inside.
    static func party(_ value: String) throws(UsageError) -> Party {
        let records: [(line: Int, fields: [String])]
        do {
            records = try CSV.parse(value)
        } catch {
            throw partyError
        }
        // One party per --party: a second line is a second party, given its own --party.
        guard records.count == 1, let fields = records.first?.fields else { throw partyError }
        guard (2...5).contains(fields.count) else { throw partyError }
        let name = try text(fields[0], field: "party", limit: 50, multiline: false)
        let role = try partyRole(fields[1])
        func optional(_ i: Int) -> String? {
            i < fields.count ? fields[i].trimmingWhitespace().nilIfEmpty : nil
        }
        return Party(
            name: name, role: role, phone: try optional(2).map(phone), idNumber: try optional(3).map(idNumber),
            address: try optional(4).map { v throws(UsageError) in
                try text(v, field: "party", limit: 200, multiline: false)
            })
    }

    private static let partyError = UsageError(
        zh: "--party 格式应为 \"姓名,角色[,电话[,身份证号[,地址]]]\"，角色为 applicant、respondent 或 other。",
        en: "--party takes \"name,role[,phone[,id number[,address]]]\" with role applicant, respondent or other.",
        command: nil)

    static let partyRoles: [(code: String, zh: String)] = [
        ("applicant", "申请人"), ("respondent", "被申请人"), ("other", "其他当事人"),
    ]

    static func partyRole(_ value: String) throws(UsageError) -> String {
        let v = value.trimmingWhitespace()
        guard let role = partyRoles.first(where: { $0.code == v || $0.zh == v }) else { throw partyError }
        return role.code
    }

    /// An amount of money in yuan with at most two decimals, as fen.
    static func amount(_ value: String) throws(UsageError) -> Int64 {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 12,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            parts.count == 1 || (1...2).contains(parts[1].count),
            let yuan = Int64(parts[0])
        else {
            throw UsageError(
                zh: "金额 '\(echo(value))' 格式不对：请写元，最多两位小数，如 1200 或 350.50。",
                en:
                    "The amount '\(echo(value))' is malformed: write yuan with at most two decimals, like 1200 or 350.50.",
                command: nil)
        }
        // A billion yuan is far beyond any people's mediation; the cap keeps every sum exact.
        guard yuan < 1_000_000_000 else {
            throw UsageError(
                zh: "金额 '\(echo(value))' 过大：人民调解的协议金额应小于 10 亿元。",
                en: "The amount '\(echo(value))' is too large: an agreed amount must be below 1,000,000,000 yuan.",
                command: nil)
        }
        let fen = parts.count == 2 ? Int64(parts[1].padding(2))! : 0
        return yuan * 100 + fen
    }

    static func day(_ value: String, field: String) throws(UsageError) -> Day {
        guard let day = Day(Substring(value.trimmingWhitespace())) else {
            throw UsageError(
                zh: "--\(field) 的日期 '\(echo(value))' 无效：请写成 YYYY-MM-DD（1900–2999 年），如 2026-10-31。",
                en:
                    "--\(field) '\(echo(value))' is not a valid date: write it as YYYY-MM-DD (years 1900–2999), like 2026-10-31.",
                command: nil)
        }
        return day
    }

    static func moment(_ value: String, field: String) throws(UsageError) -> Int64 {
        guard let instant = LocalTime.parse(value) else {
            throw UsageError(
                zh: "--\(field) 的时间 '\(echo(value))' 无效：请写成 YYYY-MM-DD 或 2026-10-05T09:30（1900–2999 年）。",
                en:
                    "--\(field) '\(echo(value))' is not a valid time: write YYYY-MM-DD or 2026-10-05T09:30 (years 1900–2999).",
                command: nil)
        }
        return instant
    }

    static func caseNumber(_ value: String) throws(UsageError) -> CaseNumber {
        guard let number = CaseNumber(Substring(value)), Day.writable.contains(number.year) else {
            throw UsageError(
                zh: "'\(echo(value))' 不是案件编号：编号形如 2026-0142。",
                en: "'\(echo(value))' is not a case number: numbers look like 2026-0142.", command: nil)
        }
        return number
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }

    var nilIfEmpty: String? { isEmpty ? nil : self }
}

extension Substring {
    fileprivate func padding(_ width: Int) -> String { String(self) + String(repeating: "0", count: width - count) }
}
