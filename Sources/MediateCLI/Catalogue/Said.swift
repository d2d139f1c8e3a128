import MediateCore
import MediateStore

/// What the program says when things go well: a case moved, a list, a report's lines.
enum Said: Spoken {
    // Case actions.
    case acted(CaseNumber, ActionKind, CaseState, String)
    case breach(ceiling: Level?, left: Level?)
    // Show.
    case caseHeading(CaseNumber, String, String, CaseState)
    case caseWhere(origin: String, now: String, level: String)
    case caseSource(String, ref: String?)
    case caseSummary(String)
    case bracketed(String)
    case party(String)
    case mediator(String)
    case breaches(Int)
    case enteredLate(Day)
    case mediatorIs(String)
    case severityBecomes(String)
    case categoryBecomes(String)
    case breachMark
    case extendedUntil(String, String)
    case agreement(oral: Bool, String)
    case amount(String)
    case performBy(String)
    case referredTo(String, String)
    case supervision(String)
    case semicolon
    case listSeparator
    // List.
    case noCasesMatch
    case moreParties(Int)
    case listed(Int, more: Bool)
    // Set-up.
    case created(String, admin: String)
    case nextStep
    case addedUnit(String, String)
    case attachedUnit(String, parent: String)
    case importedUnits(Int)
    case registered(String, login: String, Role)
    case policyChanged
    // Upkeep.
    case nothingOverdue
    case sweptUp(CaseNumber, from: String, to: String, dryRun: Bool)
    case sweptFlagged(CaseNumber, at: String, dryRun: Bool)
    case verified(events: Int, cases: Int)
    case backupFailed(String, String)
    case backedUp(String, events: Int)
    // Report.
    case reportTitle(String, String)
    case reportScope(PeriodName, asOf: String, zone: String)
    case reportBalance(Int, Int, Int, Int, Int)
    case againstPrevious(PeriodName)
    case agreementsLine(Int, oral: Int, String)
    // Demo.
    case demoDatabase(String)
    case demoStreet(communities: Int, grids: Int, cases: Int, months: Int, swept: Int)
    case tryThese
    case demoOverdue(String)
    case demoFiling(program: String, db: String, grid: String)
    case communityName(Int)

    var zh: String {
        switch self {
        case .acted(let n, let kind, let state, let place): "案件 \(n)：已\(kind.zh)；现为「\(state.zh)」，在 \(place)。"
        case .breach(let ceiling, let left):
            "注意：此案件等级的上限是\(ceiling?.nameZh ?? "?")，离开\(left?.nameZh ?? "?")已记为一次违规上报（违反「小事不出网格、大事不出社区」）。"
        case .caseHeading(let n, let category, let severity, let state):
            "案件 \(n)  \(category) · \(severity) · \(state.zh)"
        case .caseWhere(let origin, let now, let level): "发生地：\(origin)    当前：\(now)（\(level)）"
        case .caseSource(let name, let ref): "来源：\(name)" + (ref.map { "（编号 \($0)）" } ?? "")
        case .caseSummary(let text): "摘要：\(text)"
        case .bracketed(let text): "（\(text)）"
        case .party(let line): "当事人：\(line)"
        case .mediator(let name): "承办：\(name)"
        case .breaches(let n): "违规上报：\(n) 次"
        case .enteredLate(let day): "（补录 \(day)）"
        case .mediatorIs(let login): "承办人 \(login)"
        case .severityBecomes(let name): "等级改为\(name)"
        case .categoryBecomes(let name): "类别改为\(name)"
        case .breachMark: "【违规上报】"
        case .extendedUntil(let due, let reason): "期限延至 \(due)，双方同意；\(reason)"
        case .agreement(let oral, let terms): (oral ? "口头协议：" : "书面协议：") + terms
        case .amount(let yuan): "金额 \(yuan) 元"
        case .performBy(let day): "履行期限 \(day)"
        case .referredTo(let to, let reason): "移交\(to)：\(reason)"
        case .supervision(let reason): "督办：\(reason)"
        case .semicolon: "；"
        case .listSeparator: "、"
        case .noCasesMatch: "没有符合条件的案件。"
        case .moreParties(let n): " 等 \(n) 人"
        case .listed(let n, let more): "共 \(n) 件" + (more ? "（还有更多，加大 --limit 可看到）" : "")
        case .created(let path, let admin): "已新建数据库 \(path)，管理员 \(admin)。"
        case .nextStep: "下一步：'mediate unit add --code S1 --name 某街道 --level street'"
        case .addedUnit(let code, let name): "已添加单位 \(code) \(name)。"
        case .attachedUnit(let code, let parent): "单位 \(code) 已挂到 \(parent) 下。"
        case .importedUnits(let n): "已导入 \(n) 个单位。"
        case .registered(let name, let login, let role): "已登记 \(name)（\(login)，\(role.zh)）。"
        case .policyChanged: "规则已修改并留痕；用 'mediate policy show' 查看。"
        case .nothingOverdue: "没有需要处理的逾期案件。"
        case .sweptUp(let n, let from, let to, let dry): "\(n) 逾期，\(dry ? "将" : "已")从 \(from) 上报到 \(to)"
        case .sweptFlagged(let n, let at, let dry): "\(n) 逾期且已在上限层级 \(at)，\(dry ? "将" : "已")督办"
        case .verified(let events, let cases): "校验通过：\(events) 条记录的哈希链完整，\(cases) 件案件与其记录一致。"
        case .backupFailed(let path, let why): "备份 \(path) 未通过校验：\(why)"
        case .backedUp(let path, let events): "已备份到 \(path)，校验通过（\(events) 条记录）。"
        case .reportTitle(let period, let place): "\(place)人民调解统计（\(period)）"
        case .reportScope(let period, let asOf, let zone):
            "按案件发生地网格统计 \(period.zh)登记的案件，记录截至 \(asOf)（\(zone)）"
        case .reportBalance(let filed, let resolved, let open, let referred, let withdrawn):
            "登记 = 化解 + 未结 + 移交 + 终止：\(filed) = \(resolved) + \(open) + \(referred) + \(withdrawn)"
        case .againstPrevious(let period): "与上期（\(period.zh)）比较"
        case .agreementsLine(let n, let oral, let yuan): "协议 \(n) 份（书面 \(n - oral)、口头 \(oral)），协议金额合计 \(yuan) 元"
        case .demoDatabase(let path): "示例数据库：\(path)"
        case .demoStreet(let communities, let grids, let n, let months, let swept):
            "东湖街道：\(communities) 个社区、\(grids) 个网格、\(n) 件纠纷（近 \(months) 个月），今日巡查处理逾期案件 \(swept) 件。"
        case .tryThese: "试试这些命令："
        case .communityName(let n): "第\(n)社区"
        case .demoOverdue(let unit): "逾期案件（\(unit)）："
        case .demoFiling(let program, let db, let grid):
            "MEDIATE_USER=\(grid.lowercased())-worker \(program) file \(db) --grid \(grid) --category 邻里 --severity 一般 --source 网格排查 --summary \"楼道堆物\" --party \"张三，申请人，13800000000\""
        }
    }

    var en: String {
        switch self {
        case .acted(let n, let kind, let state, let place): "Case \(n): \(kind.en) done; now \(state.en) at \(place)."
        case .breach(let ceiling, let left):
            "Note: this severity belongs at the \(ceiling?.nameEn ?? "?") level; leaving the \(left?.nameEn ?? "?") is recorded as a breach of the rule."
        case .caseHeading(let n, let category, let severity, let state):
            "Case \(n)  \(category) · \(severity) · \(state.en)"
        case .caseWhere(let origin, let now, let level): "Origin: \(origin)    now at: \(now) (\(level))"
        case .caseSource(let name, let ref): "Source: \(name)" + (ref.map { " [\($0)]" } ?? "")
        case .caseSummary(let text): "Summary: \(text)"
        case .bracketed(let text): " (\(text))"
        case .party(let line): "Party: \(line)"
        case .mediator(let name): "Mediator: \(name)"
        case .breaches(let n): "Breaches of the rule: \(n)"
        case .enteredLate(let day): " (entered \(day))"
        case .mediatorIs(let login): "mediator \(login)"
        case .severityBecomes(let name): "severity→\(name)"
        case .categoryBecomes(let name): "category→\(name)"
        case .breachMark: "[breach]"
        case .extendedUntil(let due, let reason): "until \(due), both parties consent; \(reason)"
        case .agreement(let oral, let terms): (oral ? "oral agreement: " : "written agreement: ") + terms
        case .amount(let yuan): "amount \(yuan)"
        case .performBy(let day): "perform by \(day)"
        case .referredTo(let to, let reason): "to \(to): \(reason)"
        case .supervision(let reason): "supervision: \(reason)"
        case .semicolon: "; "
        case .listSeparator: ", "
        case .noCasesMatch: "No cases match."
        case .moreParties(let n): " +\(n - 3)"
        case .listed(let n, let more):
            (n == 1 ? "1 case" : "\(n) cases") + (more ? " (more match: raise --limit to see them)" : "")
        case .created(let path, let admin): "Created the database \(path) with admin \(admin)."
        case .nextStep: "Next: mediate unit add --code S1 --name 'Donghu Street' --level street"
        case .addedUnit(let code, let name): "Added unit \(code) \(name)."
        case .attachedUnit(let code, let parent): "Unit \(code) now sits under \(parent)."
        case .importedUnits(let n): "Imported \(n) units."
        case .registered(let name, let login, let role): "Registered \(name) (\(login), \(role.en))."
        case .policyChanged: "Policy changed and audited; see 'mediate policy show'."
        case .nothingOverdue: "No overdue case needs action."
        case .sweptUp(let n, let from, let to, let dry):
            "\(n) overdue: \(dry ? "would escalate" : "escalated") from \(from) to \(to)"
        case .sweptFlagged(let n, let at, let dry):
            "\(n) overdue at its ceiling \(at): \(dry ? "would flag" : "flagged") for supervision"
        case .verified(let events, let cases):
            "Verified: the hash chain over \(events) events is intact and all \(cases) cases match their events."
        case .backupFailed(let path, let why): "The backup \(path) failed verification: \(why)"
        case .backedUp(let path, let events): "Backed up to \(path) and verified (\(events) events)."
        case .reportTitle(let period, let place): "Mediation report, \(place), \(period)"
        case .reportScope(let period, let asOf, let zone):
            "Cases registered \(period.en), counted by origin grid, as the records stood at \(asOf) (\(zone))"
        case .reportBalance(let filed, let resolved, let open, let referred, let withdrawn):
            "filed = resolved + open + referred + withdrawn: \(filed) = \(resolved) + \(open) + \(referred) + \(withdrawn)"
        case .againstPrevious(let period): "Against the previous period (\(period.en))"
        case .agreementsLine(let n, let oral, let yuan):
            "Agreements: \(n) (written \(n - oral), oral \(oral)); agreed amounts: ¥\(yuan)"
        case .demoDatabase(let path): "Demo database: \(path)"
        case .demoStreet(let communities, let grids, let n, let months, let swept):
            "Donghu Street: \(communities) communities, \(grids) grids, \(n) disputes over \(months) months; today's sweep acted on \(swept) overdue cases."
        case .tryThese: "Try these:"
        case .communityName(let n): "Community \(n)"
        case .demoOverdue(let unit): "Overdue cases in \(unit):"
        case .demoFiling(let program, let db, let grid):
            "MEDIATE_USER=\(grid.lowercased())-worker \(program) file \(db) --grid \(grid) --category neighbour --severity minor --source patrol --summary \"楼道堆物\" --party \"张三,applicant,13800000000\""
        }
    }
}

/// A period as people write it: 2026年10月1日至10月31日 / 1–31 October 2026.
struct PeriodName: Spoken {
    let first: Day
    let last: Day

    init(_ period: Period) {
        first = period.firstDay
        last = period.lastDay
    }

    var zh: String {
        let start = "\(first.year)年\(first.month)月\(first.day)日"
        if first.year == last.year { return start + "至\(last.month)月\(last.day)日" }
        return start + "至\(last.year)年\(last.month)月\(last.day)日"
    }

    var en: String {
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        if first.year == last.year && first.month == last.month {
            return first.day == last.day
                ? "\(first.day) \(months[first.month - 1]) \(first.year)"
                : "\(first.day)–\(last.day) \(months[first.month - 1]) \(first.year)"
        }
        if first.year == last.year {
            return "\(first.day) \(months[first.month - 1]) – \(last.day) \(months[last.month - 1]) \(last.year)"
        }
        return
            "\(first.day) \(months[first.month - 1]) \(first.year) – \(last.day) \(months[last.month - 1]) \(last.year)"
    }
}

/// A policy change as `policy show` lists it: what changed, from what, to what.
struct PolicyChangeLine: Spoken {
    let detail: [String: String]
    let names: Names

    init(_ detail: [(String, String)], _ names: Names) {
        self.detail = Dictionary(detail, uniquingKeysWith: { a, _ in a })
        self.names = names
    }

    private func level(_ code: String?) -> (zh: String, en: String) {
        let l = code.flatMap { names.policy.level(code: $0) }
        return (l?.nameZh ?? code ?? "?", l?.nameEn ?? code ?? "?")
    }

    var zh: String {
        if let code = detail["level"], let from = detail["from_days"], let to = detail["to_days"] {
            return "\(level(code).zh)时限 \(from) 天 → \(to) 天"
        }
        if let code = detail["severity"] {
            let s = names.policy.severity(code)?.nameZh ?? code
            return "\(s)案件上限 \(level(detail["from_ceiling"]).zh) → \(level(detail["to_ceiling"]).zh)"
        }
        if let to = detail["timezone_to"] {
            let from = detail["timezone_from"].flatMap { $0.isEmpty ? nil : $0 } ?? "系统时区"
            return "时区 \(from) → \(to)"
        }
        if detail["table"] == "level", let code = detail["code"], let days = detail["days"] {
            return "新增层级 \(code) \(detail["name_zh"] ?? "")（在最高一级之上，时限 \(days) 天）"
        }
        if let table = detail["table"], let code = detail["code"] {
            return "新增\(table == "category" ? "类别" : "来源") \(code) \(detail["name_zh"] ?? "")"
        }
        return detail.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    var en: String {
        if let code = detail["level"], let from = detail["from_days"], let to = detail["to_days"] {
            return "time limit at the \(level(code).en) level: \(from) days → \(to) days"
        }
        if let code = detail["severity"] {
            let s = names.policy.severity(code)?.nameEn ?? code
            return "ceiling of \(s) cases: \(level(detail["from_ceiling"]).en) → \(level(detail["to_ceiling"]).en)"
        }
        if let to = detail["timezone_to"] {
            let from = detail["timezone_from"].flatMap { $0.isEmpty ? nil : $0 } ?? "the system's"
            return "time zone: \(from) → \(to)"
        }
        if detail["table"] == "level", let code = detail["code"], let days = detail["days"] {
            return "added level \(code) \(detail["name_en"] ?? "") above the top one, time limit \(days) days"
        }
        if let table = detail["table"], let code = detail["code"] {
            return "added \(table) \(code) \(detail["name_en"] ?? "")"
        }
        return detail.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }
}

/// What `verify` found broken, and what to do.
struct Broken: Spoken {
    let problem: Verification.Problem
    init(_ problem: Verification.Problem) { self.problem = problem }

    /// The Chinese name of a column of the case row that `verify` compares.
    static func fieldZh(_ field: String) -> String {
        [
            "number": "编号", "origin_unit_id": "发生地", "unit_id": "所在单位", "level": "层级", "top_level": "最高层级",
            "state": "状态", "severity": "等级", "category": "类别", "source": "来源", "source_ref": "外部编号",
            "summary": "摘要", "parties": "当事人", "assignee": "承办人", "filed_at": "登记时间", "due_at": "期限",
            "resolved_at": "调解成功时间", "closed_at": "结案时间", "follow_up_at": "回访日期", "supervised_at": "督办时间",
            "breaches": "违规上报次数", "version": "版本", "last_event_at": "最后记录时间", "events": "记录", "id": "编号",
            "filing": "登记记录", "perform_by": "履行期限", "agreement_form": "协议形式", "follow_up_by": "回访人",
            "performance": "履行情况", "confirm_applied": "司法确认申请日期", "confirm_ruling": "司法确认结果",
        ][field] ?? "记录（\(field)）"
    }

    private func event(_ id: Int64, _ number: String?) -> (zh: String, en: String) {
        (
            "第 \(id) 条记录" + (number.map { "（案件 \($0)）" } ?? ""),
            "Event \(id)" + (number.map { " (case \($0))" } ?? "") + " "
        )
    }

    var zh: String {
        let advice = "历史在 mediate 之外被改动过：请从备份恢复并调查。"
        switch problem {
        case .integrity(let detail): return "SQLite 完整性检查失败（\(detail)）：文件已损坏，请从备份恢复。"
        case .triggersMissing: return "记录表的只增不改触发器不见了：" + advice
        case .gap(let id): return "哈希链在第 \(id) 条记录处断开（缺失或多出）：" + advice
        case .hash(let id, let number): return event(id, number).zh + "的哈希与内容不符：" + advice
        case .unreadable(let id, let number): return event(id, number).zh + "无法读取：" + advice
        case .snapshot(let id, let number): return event(id, number).zh + "记录的案件状态与回放不符：" + advice
        case .caseRow(let number, let field): return "案件 \(number) 的\(Self.fieldZh(field))与其记录不符：" + advice
        case .noEvents(let number): return "案件 \(number) 没有任何记录：" + advice
        case .witnessAhead(let witness, let events):
            return "留存的链头记到第 \(witness) 条，文件里只有 \(events) 条：最新的记录被删除，或换上了旧的副本：" + advice
        case .witnessDiffers(let count):
            return "第 \(count) 条记录的哈希与留存的链头不同：此前的历史被改写并重算了哈希（或链头属于另一个文件）：" + advice
        case .triggerChanged(let name): return "触发器 \(name) 的定义与数据库结构不符：" + advice
        case .administration(let table, let key):
            return "\(TrustSaid.tableName(table).zh)中的 \(key) 与管理记录的回放不符：" + advice
        case .tally(let unit, let state):
            return "案件计数表中 \(unit) 的“\(CaseState(rawValue: state)?.zh ?? state)”案件数与案件不符：" + advice
        }
    }

    var en: String {
        let advice = "the history was changed outside mediate: restore from a backup and investigate."
        switch problem {
        case .integrity(let detail):
            return "SQLite's integrity check failed (\(detail)): the file is damaged, restore it from a backup."
        case .triggersMissing: return "The append-only triggers of the event table are missing: " + advice
        case .gap(let id): return "The chain breaks at event \(id) (missing or extra): " + advice
        case .hash(let id, let number): return event(id, number).en + "does not match its hash: " + advice
        case .unreadable(let id, let number): return event(id, number).en + "cannot be read: " + advice
        case .snapshot(let id, let number):
            return event(id, number).en + "records a case state that its replay does not give: " + advice
        case .caseRow(let number, let field): return "Case \(number) differs from its events in \(field): " + advice
        case .noEvents(let number): return "Case \(number) has no events: " + advice
        case .witnessAhead(let witness, let events):
            return
                "The witness counts \(witness) events but the file holds \(events): the newest events were deleted or an older copy was put back: "
                + advice
        case .witnessDiffers(let count):
            return
                "Event \(count) does not have the witness's hash: the history up to it was rewritten and re-hashed (or the witness is another file's): "
                + advice
        case .triggerChanged(let name): return "The trigger \(name) is not defined as the schema defines it: " + advice
        case .administration(let table, let key):
            return "\(TrustSaid.tableName(table).en) \(key) differs from the replay of the administration events: "
                + advice
        case .tally(let unit, let state):
            return "The tally of \(unit)'s \(state) cases differs from the cases: " + advice
        }
    }
}
