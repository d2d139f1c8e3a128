import MediateCore
import MediateStore

// The daily desk: follow-ups (回访), judicial confirmation (司法确认), the list to work
// from, and quiet cron. Its sentences, headings, help and refusals.

extension Performance: Vocabulary {
    var zh: String {
        switch self {
        case .performed: "履行"
        case .partly: "部分履行"
        case .not: "未履行"
        }
    }
    var en: String {
        switch self {
        case .performed: "performed"
        case .partly: "partly performed"
        case .not: "not performed"
        }
    }
    static var aliases: [String: Performance] {
        ["已履行": .performed, "全部履行": .performed, "partial": .partly, "not_performed": .not, "unperformed": .not]
    }
}

extension Ruling: Vocabulary {
    var zh: String {
        switch self {
        case .valid: "确认有效"
        case .invalid: "确认无效"
        }
    }
    var en: String {
        switch self {
        case .valid: "valid"
        case .invalid: "invalid"
        }
    }
    static var aliases: [String: Ruling] { ["有效": .valid, "无效": .invalid, "驳回": .invalid] }
}

extension Store.CaseFilter.Sort: Vocabulary {
    var zh: String {
        switch self {
        case .filed: "登记时间"
        case .due: "期限"
        case .updated: "最近更新"
        }
    }
}

/// Headings of the follow-up and confirmation lists.
enum DeskLabel: Spoken, CaseIterable {
    case followUpDay, performBy, terms, followUpBy, daysLeft, lastDay, confirmation, performance

    var zh: String {
        switch self {
        case .followUpDay: "回访日"
        case .performBy: "履行期限"
        case .terms: "协议内容"
        case .followUpBy: "回访人"
        case .daysLeft: "剩余天数"
        case .lastDay: "申请截止"
        case .confirmation: "司法确认"
        case .performance: "履行情况"
        }
    }
    var en: String {
        switch self {
        case .followUpDay: "follow-up"
        case .performBy: "perform by"
        case .terms: "terms"
        case .followUpBy: "follow-up by"
        case .daysLeft: "days left"
        case .lastDay: "apply by"
        case .confirmation: "judicial confirmation"
        case .performance: "performance"
        }
    }
}

/// What the desk's commands say when things go well.
enum DeskSaid: Spoken {
    /// A list stopped by --limit: how many are shown and how many more match.
    case listedOf(shown: Int, total: Int)
    /// The same, past the count's cap: more than `cap` match.
    case listedOfMoreThan(shown: Int, cap: Int)
    case noFollowUpsDue
    case followUpsDue(Int)
    case sweptFollowUp(CaseNumber, at: String, dryRun: Bool)
    case followUpLate
    case closedEarly(String)
    case performance(Performance)
    case noConfirmWindow
    case confirmApplied(Day)

    var zh: String {
        switch self {
        case .listedOf(let shown, let total): "共 \(total) 件，显示 \(shown) 件：还有 \(total - shown) 件未列出（加大 --limit 可看到）"
        case .listedOfMoreThan(let shown, let cap):
            "超过 \(cap) 件，显示 \(shown) 件：其余未列出（加大 --limit 或缩小筛选范围可看到）"
        case .noFollowUpsDue: "没有到期的回访。"
        case .followUpsDue(let n): "到期回访 \(n) 件"
        case .sweptFollowUp(let n, let at, let dryRun):
            "\(n) 回访逾期超过 \(Case.followUpGraceDays) 天（\(at)）：" + (dryRun ? "将督办" : "已督办")
        case .followUpLate: "回访逾期"
        case .closedEarly(let reason): "提前结案：\(reason)"
        case .performance(let p): "履行情况：\(p.zh)"
        case .noConfirmWindow: "没有仍可申请司法确认的书面协议。"
        case .confirmApplied(let day): "已于 \(day) 申请司法确认"
        }
    }

    var en: String {
        switch self {
        case .listedOf(let shown, let total):
            "\(shown) of \(total) cases shown: \(total - shown) more match (raise --limit to see them)"
        case .listedOfMoreThan(let shown, let cap):
            "\(shown) of more than \(cap) cases shown (raise --limit or narrow the filter to see the rest)"
        case .noFollowUpsDue: "No follow-up is due."
        case .followUpsDue(let n): n == 1 ? "1 follow-up due" : "\(n) follow-ups due"
        case .sweptFollowUp(let n, let at, let dryRun):
            "\(n) follow-up more than \(Case.followUpGraceDays) days late at \(at): "
                + (dryRun ? "would flag for supervision" : "flagged for supervision")
        case .followUpLate: "follow-up late"
        case .closedEarly(let reason): "closed early: \(reason)"
        case .performance(let p): "agreement \(p.en)"
        case .noConfirmWindow: "No written agreement is still open for judicial confirmation."
        case .confirmApplied(let day): "judicial confirmation applied for on \(day)"
        }
    }
}

/// Help of the desk's commands and options.
enum DeskHelp: Spoken {
    case commandAssign, commandConfirm, commandFollowups
    case optionAssignTo, optionApplied, optionRuling, optionOutcome, optionEarly, optionEarlyReason
    case optionStates, optionAll, optionCategory, optionSource, optionSince, optionUntil, optionParty, optionText
    case optionBreach, optionSupervised, optionSort, optionReverse, optionMine, optionAssignee, optionOverdue
    case optionFollowUpDue, optionConfirmWindow, optionLimit, optionVerbose, optionFollowupsUnit
    case optionBom, optionWidth, commandUnitsImport, optionSeed

    var zh: String {
        switch self {
        case .commandAssign: "指派回访人（调解员或管理员操作）"
        case .commandConfirm: "记录司法确认的申请日期或法院裁定"
        case .commandFollowups: "列出到期或逾期的回访（本人所在单位）"
        case .optionAssignTo: "回访人的登录名（法律志愿者或调解员）"
        case .optionApplied: "当事人向法院申请司法确认的日期（协议生效后 30 日内）"
        case .optionRuling: "法院裁定"
        case .optionOutcome: "回访发现的履行情况"
        case .optionEarly: "在履行期限之前结案（须加 --reason 说明理由）"
        case .optionEarlyReason: "提前结案的理由"
        case .optionStates: "状态（默认：待受理、调解中、待回访）"
        case .optionAll: "所有状态，包括已结案、已移交、已终止"
        case .optionCategory: "类别"
        case .optionSource: "来源"
        case .optionSince: "登记日期从（含）"
        case .optionUntil: "登记日期到（含）"
        case .optionParty: "当事人姓名包含此文字"
        case .optionText: "摘要或当事人姓名包含此文字"
        case .optionBreach: "只列违规上报过的案件"
        case .optionSupervised: "只列被督办的案件"
        case .optionSort: "排序"
        case .optionReverse: "倒序"
        case .optionMine: "只列本人承办或回访的案件（同 --assignee me）"
        case .optionAssignee: "承办人或回访人的登录名；me 表示本人"
        case .optionOverdue: "只列逾期案件，包括回访逾期的"
        case .optionFollowUpDue: "只列回访已到期的案件（同 mediate followups）"
        case .optionConfirmWindow: "只列仍可申请司法确认的书面协议（30 日内），显示剩余天数"
        case .optionLimit: "最多列出几件（默认 200）"
        case .optionVerbose: "成功时也打印结果（默认在终端上才打印）"
        case .optionFollowupsUnit: "单位（含下属单位）；默认本人所在单位"
        case .optionSeed: "随机种子：同一种子（和同一 MEDIATE_NOW）生成同一个演示街道"
        case .optionBom: "CSV 开头加 BOM，便于中文 Windows 上的电子表格识别 UTF-8"
        case .optionWidth: "表格宽度（列数），超出时分块显示，每块都保留单位列；默认终端宽度"
        case .commandUnitsImport:
            "从 CSV 导入单位，全部成功或全部不导入：列 代码,名称,层级,上级（code,name,level,parent），示例 Scripts/examples/units.csv"
        }
    }

    var en: String {
        switch self {
        case .commandAssign: "assign a resolved case's follow-up to a person (a mediator or admin does)"
        case .commandConfirm: "record an application for judicial confirmation, or the court's ruling"
        case .commandFollowups: "list the follow-ups due or late in your units"
        case .optionAssignTo: "login of the person to follow up (a legal volunteer or mediator)"
        case .optionApplied: "day the parties applied to the court (within 30 days of the agreement)"
        case .optionRuling: "the court's ruling"
        case .optionOutcome: "how the agreement was performed, as the follow-up found"
        case .optionEarly: "close before the perform-by day (with --reason)"
        case .optionEarlyReason: "why it closes early"
        case .optionStates: "state (default: open, mediating and resolved awaiting follow-up)"
        case .optionAll: "every state, closed, referred and withdrawn included"
        case .optionCategory: "category"
        case .optionSource: "source"
        case .optionSince: "filed on or after this day"
        case .optionUntil: "filed on or before this day"
        case .optionParty: "a party's name contains this text"
        case .optionText: "the summary or a party's name contains this text"
        case .optionBreach: "only cases escalated above their ceiling"
        case .optionSupervised: "only cases flagged for supervision"
        case .optionSort: "order"
        case .optionReverse: "reverse the order"
        case .optionMine: "only your cases, mediating or following up (same as --assignee me)"
        case .optionAssignee: "login of the mediator or follow-up person; me for yourself"
        case .optionOverdue: "only overdue cases, late follow-ups included"
        case .optionFollowUpDue: "only resolved cases whose follow-up is due (as mediate followups)"
        case .optionConfirmWindow: "only written agreements still open for judicial confirmation, with days left"
        case .optionLimit: "at most this many (default 200)"
        case .optionVerbose: "print what it did on success too (by default only on a terminal)"
        case .optionFollowupsUnit: "unit and everything below it; default: your own unit"
        case .optionSeed: "random seed: the same seed (and MEDIATE_NOW) builds the same street"
        case .optionBom: "start the CSV with a byte-order mark, for spreadsheets on Chinese Windows"
        case .optionWidth:
            "table width in columns; a wider table wraps into blocks that keep the unit column (default: the terminal's)"
        case .commandUnitsImport:
            "import units from CSV, all rows or none: columns code,name,level,parent (example: Scripts/examples/units.csv)"
        }
    }
}

/// A problem of the desk's commands found before anything is written.
enum DeskProblem: Error, Spoken {
    /// No --db, no MEDIATE_DB, and no HOME or XDG_DATA_HOME: the default path would be relative.
    case noDatabasePath

    var zh: String {
        switch self {
        case .noDatabasePath:
            "没有设置 HOME，默认数据库路径会变成相对路径：请用 MEDIATE_DB（或 --db）给出数据库的绝对路径。"
        }
    }
    var en: String {
        switch self {
        case .noDatabasePath:
            "HOME is not set, so the default database path would be relative: set MEDIATE_DB (or --db) to the database's absolute path."
        }
    }
}

/// Why the rules refuse a follow-up or confirmation, in words.
struct DeskRefusal: Spoken {
    let violation: Violation

    var zh: String {
        switch violation {
        case .closeBeforePerformBy(let day):
            "协议的履行期限是 \(day)，还没到：回访确认已履行后再结案，或加 --early --reason 说明提前结案的理由。"
        case .confirmNeedsWrittenAgreement: "只有书面调解协议可以申请司法确认：此案没有书面协议。"
        case .outsideConfirmWindow(let applied, let agreed, let last):
            "申请日期 \(applied) 不在协议生效后 30 日内（\(agreed) 至 \(last)）：人民调解法第三十三条。"
        case .rulingBeforeApplication: "还没有记录司法确认的申请：请先用 --applied 记录申请日期。"
        case .confirmAlreadyRecorded: "此案的司法确认已经记录过：不能重复记录。"
        case .cannotTakeFollowUp(let login): "\(login) 不能回访此案件：回访人必须是管辖此案件的法律志愿者或调解员。"
        default: Refusal(violation: violation, zone: .utc).zh
        }
    }
    var en: String {
        switch violation {
        case .closeBeforePerformBy(let day):
            "The agreement is to be performed by \(day), which has not come yet: close once the follow-up finds it performed, or add --early with --reason."
        case .confirmNeedsWrittenAgreement:
            "Only a written mediation agreement can be confirmed by a court: this case has none."
        case .outsideConfirmWindow(let applied, let agreed, let last):
            "\(applied) is not within the 30 days after the agreement (\(agreed) to \(last)): Art. 33 of the People's Mediation Law."
        case .rulingBeforeApplication:
            "No application for judicial confirmation is recorded: record it first with --applied."
        case .confirmAlreadyRecorded:
            "This is already recorded for the case's judicial confirmation: it cannot be recorded twice."
        case .cannotTakeFollowUp(let login):
            "\(login) cannot follow this case up: it takes a legal volunteer or mediator with jurisdiction over it."
        default: Refusal(violation: violation, zone: .utc).en
        }
    }
}
