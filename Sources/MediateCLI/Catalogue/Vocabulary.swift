import MediateCore

/// A closed list of codes (states, roles, referral targets, …) and the words people
/// read and type for them. Wherever a code is accepted, its Chinese name is too.
protocol Vocabulary: Spoken, CaseIterable, Equatable {
    var code: String { get }
    /// Other words people type for an entry (e.g. 撤回 for a withdrawal), besides the
    /// code, the Chinese name and the English name.
    static var aliases: [String: Self] { get }
}

extension Vocabulary {
    static var aliases: [String: Self] { [:] }

    /// The entry named by `text`: its code, its Chinese or English name, or an alias.
    static func parse(_ text: String) -> Self? {
        let t = Input.halfWidth(text).trimmingWhitespace()
        let lower = t.lowercased()
        return allCases.first { $0.code == t || $0.zh == t || $0.en.lowercased() == lower || $0.code == lower }
            ?? aliases[t]
    }

    /// "open, mediating or resolved" / "待受理（open）、调解中（mediating）…": the choices
    /// as an error lists them, in the user's language.
    static func choices(_ lang: Lang) -> String {
        list(allCases.map { lang == .zh ? "\($0.zh)（\($0.code)）" : $0.code }, lang)
    }
}

extension Vocabulary where Self: RawRepresentable, RawValue == String {
    /// The stored code is the raw value.
    var code: String { rawValue }
    /// In English, the code itself unless the type says otherwise.
    var en: String { rawValue }
}

extension CaseState: Vocabulary {
    var zh: String {
        switch self {
        case .open: "待受理"
        case .mediating: "调解中"
        case .resolved: "已调解成功"
        case .closed: "已结案"
        case .referred: "已移交"
        case .withdrawn: "已终止"
        }
    }
    static var aliases: [String: CaseState] {
        ["调解成功": .resolved, "结案": .closed, "移交": .referred, "已撤回": .withdrawn, "撤回": .withdrawn]
    }
}

extension ActionKind: Vocabulary {
    var zh: String {
        switch self {
        case .file: "登记"
        case .accept: "受理"
        case .assess: "研判"
        case .escalate: "上报"
        case .extend: "延期"
        case .resolve: "调解成功"
        case .reopen: "重新调解"
        case .close: "结案"
        case .refer: "移交"
        case .withdraw: "终止调解"
        case .note: "记录"
        case .supervise: "督办"
        case .assign: "指派回访"
        case .confirm: "司法确认"
        }
    }
}

extension Role: Vocabulary {
    var zh: String {
        switch self {
        case .gridWorker: "网格员"
        case .mediator: "调解员"
        case .legalVolunteer: "法律志愿者"
        case .admin: "管理员"
        }
    }
}

extension Satisfaction: Vocabulary {
    var zh: String {
        switch self {
        case .satisfied: "满意"
        case .basic: "基本满意"
        case .unsatisfied: "不满意"
        case .unreached: "无法联系"
        }
    }
    var en: String {
        switch self {
        case .satisfied: "satisfied"
        case .basic: "basically satisfied"
        case .unsatisfied: "unsatisfied"
        case .unreached: "not reached"
        }
    }
}

extension ReferralTarget: Vocabulary {
    var zh: String {
        switch self {
        case .court: "法院"
        case .arbitration: "仲裁"
        case .police: "公安"
        case .department: "部门"
        }
    }
    var en: String {
        switch self {
        case .court: "court"
        case .arbitration: "arbitration"
        case .police: "police"
        case .department: "a department"
        }
    }
    static var aliases: [String: ReferralTarget] {
        ["人民法院": .court, "仲裁委员会": .arbitration, "派出所": .police, "公安机关": .police, "有关部门": .department]
    }
}

extension PartyRole: Vocabulary {
    var zh: String {
        switch self {
        case .applicant: "申请人"
        case .respondent: "被申请人"
        case .other: "其他当事人"
        }
    }
    static var aliases: [String: PartyRole] { ["其他": .other, "其它": .other] }
}

/// The output formats a command may offer.
enum Format: String, Vocabulary {
    case text, json, csv, jsonl, html
    var zh: String {
        switch self {
        case .text: "文本"
        case .json: "JSON"
        case .csv: "CSV"
        case .jsonl: "JSONL"
        case .html: "HTML"
        }
    }
}

extension Lang: Vocabulary {
    var zh: String {
        switch self {
        case .zh: "中文"
        case .en: "英文"
        }
    }
    var en: String {
        switch self {
        case .zh: "Chinese"
        case .en: "English"
        }
    }
}
