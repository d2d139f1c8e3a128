import MediateCore

/// The columns of a dispute ledger (矛盾纠纷排查化解台账), by the headers offices use.
/// `export --format csv` writes them in this order under their first name.
enum LedgerField: String, CaseIterable, Sendable {
    case serial, filedOn, grid, parties, applicant, respondent, phone, category, source, severity, summary
    case result, mediator, closedOn, amount, form, performBy, followUp

    /// The headers recognised without a map; the first is the one `export` writes.
    var headers: [String] {
        switch self {
        case .serial: ["序号", "编号"]
        case .filedOn: ["登记日期", "受理日期", "登记时间", "受理时间", "排查日期"]
        case .grid: ["网格", "所属网格", "网格名称"]
        case .parties: ["当事人", "当事人姓名"]
        case .applicant: ["申请人"]
        case .respondent: ["被申请人"]
        case .phone: ["联系电话", "电话", "联系方式"]
        case .category: ["纠纷类型", "纠纷类别", "类型"]
        case .source: ["纠纷来源", "来源"]
        case .severity: ["纠纷等级", "等级"]
        case .summary: ["纠纷简要情况", "基本情况", "简要情况", "纠纷情况", "主要情况"]
        case .result: ["调解结果", "化解结果", "处理结果", "办理结果"]
        case .mediator: ["调解员", "调解人", "承办人"]
        case .closedOn: ["结案日期", "办结日期", "结案时间"]
        case .amount: ["协议金额", "涉及金额", "金额"]
        case .form: ["协议形式"]
        case .performBy: ["履行期限", "履行日期", "约定履行期限"]
        case .followUp: ["回访情况", "回访"]
        }
    }

    /// The field `--map` names, by its header or its code.
    static func named(_ text: String) -> LedgerField? {
        let t = text.trimmingWhitespace()
        return allCases.first { $0.rawValue.lowercased() == t.lowercased() || $0.headers.contains(t) }
    }
}

/// What a ledger's 调解结果 says, in the words offices write.
enum LedgerResult: Sendable {
    case open, resolved, failed, referred, ended

    static func parse(_ text: String) -> LedgerResult? {
        let t = text.trimmingWhitespace()
        if t.isEmpty { return .open }
        let words: [(LedgerResult, [String])] = [
            (.failed, ["调解不成功", "不成功", "调解失败", "未成功", "未达成协议"]),
            (.resolved, ["调解成功", "成功", "已调解", "达成协议", "已化解", "化解成功", "已结"]),
            (.open, ["未结", "调解中", "正在调解", "在调", "待调解", "未化解", "办理中"]),
            (.referred, ["移交", "转办", "移送", "转交", "已移交"]),
            (.ended, ["终止", "终止调解", "撤回", "不予受理", "撤销"]),
        ]
        for (result, list) in words where list.contains(t) { return result }
        for (result, list) in words where list.contains(where: { t.hasPrefix($0) }) { return result }
        return nil
    }

    /// Where a referral goes, from the words after 移交 (法院, 仲裁, 派出所…).
    static func target(_ text: String) -> ReferralTarget {
        if text.contains("法院") || text.contains("诉讼") { return .court }
        if text.contains("仲裁") { return .arbitration }
        if text.contains("派出所") || text.contains("公安") || text.contains("110") { return .police }
        return .department
    }

    /// The word `export` writes for a case in `state`.
    static func word(_ state: CaseState) -> String {
        switch state {
        case .open, .mediating: "未结"
        case .resolved, .closed: "调解成功"
        case .referred: "移交"
        case .withdrawn: "终止"
        }
    }
}

/// Dates as ledgers write them: 2026-10-05, 2026/10/5, 2026.10.5, 2026年10月5日, with
/// or without a time after; or a spreadsheet's serial number (days since 1899-12-30).
func ledgerDay(_ text: String) -> Day? {
    let t = Input.halfWidth(text).trimmingWhitespace()
    guard !t.isEmpty else { return nil }
    if t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
        !t.contains(".") || t.split(separator: ".").count == 2,
        let serial = Double(t), serial >= 1, serial < 2_958_466, t.count <= 12, !t.hasPrefix("0")
    {
        // A serial number: Excel counts 1900-02-29, which never was, so from serial 61 on
        // the days are those since 1899-12-30.
        let days = Int64(serial)
        guard days >= 61 else { return nil }
        let epoch = LocalTime.utc(Day(year: 1899, month: 12, day: 30)!)
        return Zone.utc.day(epoch + days * 86_400)
    }
    var s = Substring(t)
    if let space = s.firstIndex(where: { $0 == " " || $0 == "T" }) { s = s[..<space] }
    // 年 月 / . separate, 日 ends: one pass over the scalars.
    var normal = String.UnicodeScalarView()
    for scalar in s.unicodeScalars {
        switch scalar {
        case "年", "月", "/", ".": normal.append("-")
        case "日": break
        default: normal.append(scalar)
        }
    }
    let parts = String(normal).split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
        parts[0].count == 4, parts[1].count <= 2, parts[2].count <= 2,
        let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), Day.writable.contains(y)
    else { return nil }
    return Day(year: y, month: m, day: d)
}

/// An amount as ledgers write it: 1200, 1,200.50, 1200元, ￥1200; nil for none.
func ledgerAmount(_ text: String) throws(Problem) -> Int64? {
    var t = Input.halfWidth(text).trimmingWhitespace()
    // Most cells are plain digits: the marks are looked for only in the others.
    if !t.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: ".") }) {
        for mark in ["元", "￥", "¥", ",", "，", "RMB", "人民币"] { t = t.replacing(mark, with: "") }
    }
    t = t.trimmingWhitespace()
    if t.isEmpty || t == "0" || t == "无" || t == "-" { return nil }
    return try Input.amount(t)
}

/// A ledger's 回访情况 of a resolved row, read as a follow-up done: how the agreement was
/// performed (履行, 部分履行, 未履行…) and, if it says, how satisfied the parties were
/// (满意, 基本满意, 不满意, 无法联系); a text that gives no rating is not counted as one.
/// An export writes the two in brackets after the note when the note alone does not
/// read as them, so that the row comes back the same. Half-width, as the import reads
/// every cell: 已回访(履行,满意).
enum LedgerFollowUpText {
    static func read(_ text: String) -> LedgerFollowUp? {
        let t = text.trimmingWhitespace()
        if t.isEmpty { return nil }
        // The bracket an export writes: (履行,满意)
        if t.hasSuffix(")"), let open = t.lastIndex(of: "(") {
            let inside = t[t.index(after: open)..<t.index(before: t.endIndex)].split(separator: ",")
            if inside.count == 2, let p = Performance.allCases.first(where: { $0.zh == inside[0] }),
                let s = Satisfaction.allCases.first(where: { $0.zh == inside[1] })
            {
                return LedgerFollowUp(note: text, performance: p, satisfaction: s)
            }
        }
        guard let performance = performance(t) else { return nil }
        return LedgerFollowUp(note: text, performance: performance, satisfaction: satisfaction(t) ?? .unreached)
    }

    private static func performance(_ t: String) -> Performance? {
        if t.contains("部分履行") { return .partly }
        if ["未履行", "不履行", "没有履行", "没履行", "未能履行"].contains(where: t.contains) { return .not }
        if t.contains("履行") { return .performed }
        return nil
    }

    private static func satisfaction(_ t: String) -> Satisfaction? {
        if t.contains("不满意") { return .unsatisfied }
        if t.contains("基本满意") { return .basic }
        if t.contains("满意") { return .satisfied }
        if ["无法联系", "联系不上", "未联系上"].contains(where: t.contains) { return .unreached }
        return nil
    }

    /// The 回访情况 of a closed case: its note, with what it found in brackets unless the
    /// note already reads as that.
    static func write(note: String, performance: Performance?, satisfaction: Satisfaction) -> String {
        guard let performance else { return note }
        if let read = read(note), read.performance == performance, read.satisfaction == satisfaction { return note }
        return note + "(\(performance.zh),\(satisfaction.zh))"
    }
}
