import MediateCore
import MediateStore

/// A value a person typed, as an error quotes it: a phone or ID number typed in the
/// wrong place masked as `list` masks it, then cut to at most 40 characters.
func echo(_ value: String) -> String {
    let masked = maskingNumbers(value)
    return masked.count <= 40 ? masked : String(masked.prefix(40)) + "…"
}

/// Every stretch of text that reads as a phone or an ID number, in any form `--party`
/// accepts, masked: a mobile (11 digits from 13 to 19, maybe after +86), a landline with
/// its area code (10 to 12 digits from 0; fewer would take dates like 0001-01-01), an
/// ID number (17 digits and a digit or X). Digits may be grouped by '-' or spaces.
func maskingNumbers(_ text: String) -> String {
    let chars = Array(text)
    var result = ""
    var i = 0
    while i < chars.count {
        guard
            chars[i].isASCII && (chars[i].isNumber || (chars[i] == "+" && i + 1 < chars.count && chars[i + 1].isNumber))
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
            } else if (c == "-" || c == " ") && j + 1 < chars.count && chars[j + 1].isASCII && chars[j + 1].isNumber {
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

/// One sentence per failure, what was wrong and what to do, in the user's language;
/// and the exit code. Values a person typed are quoted through `echo`.
func describe(_ error: any Error, lang: Lang, path: String) -> (message: String, status: Int32) {
    func t(_ zh: String, _ en: String) -> String { lang == .zh ? zh : en }
    switch error {
    case let e as UsageError:
        let hint =
            e.command.map { t("运行 'mediate \($0) --help' 查看用法。", " Run 'mediate \($0) --help' for usage.") } ?? ""
        return (t(e.zh, e.en) + hint, Exit.usage)
    case let e as DataError:
        return (t(e.zh, e.en), Exit.dataError)
    case let e as VerifyFailure:
        return (e.message, e.status)
    case let v as Violation:
        return (rule(v, lang), Exit.refused)
    case let e as StoreError:
        return store(e, lang)
    default:
        return (t("内部错误：\(error)", "Internal error: \(error)"), Exit.storage)
    }
}

/// A CSV syntax problem as a clause of "Line N: …".
func csvClause(_ error: CSVError, _ lang: Lang) -> String {
    guard lang == .zh else { return error.message }
    return switch error.problem {
    case .quoteInsideUnquotedField: "未加引号的字段里有引号：请给整个字段加引号，字段内的引号写成两个引号"
    case .unclosedQuote(let opened): "从第 \(opened) 行开始的带引号字段没有结束：请补上结尾的引号"
    case .textAfterClosingQuote: "带引号字段的结尾引号后还有文字：请在引号后加逗号，或把字段内的引号写成两个引号"
    }
}

/// Why a unit row of an import cannot be added, as a clause of "Line N: …".
private func rowClause(_ error: StoreError, _ lang: Lang) -> String {
    func t(_ zh: String, _ en: String) -> String { lang == .zh ? zh : en }
    switch error {
    case .noSuchUnit(let code):
        return t(
            "上级单位 \(echo(code)) 不存在（请在前面的行列出）", "parent unit \(echo(code)) does not exist (list it on an earlier row)")
    case .unknownTerm(_, let value):
        return t("未知层级 \(echo(value))", "unknown level \(echo(value))")
    case .duplicate(_, let code):
        return t("单位 \(code) 已存在", "unit \(code) already exists")
    case .badParent(let unit, let level, let parent?):
        return t("单位 \(unit)（\(level)）不能挂在 \(parent) 下", "unit \(unit) at level \(level) cannot sit under \(parent)")
    case .badParent(let unit, let level, nil):
        return t("单位 \(unit)（\(level)）需要上级", "unit \(unit) at level \(level) needs a parent")
    case .rule(.outsideJurisdiction(let code)):
        return t("单位 \(code) 不在你的管辖范围内", "unit \(code) is outside your unit")
    default:
        return t("单位代码应为 1 到 32 个字母、数字、- 或 _", "the code must be 1-32 letters, digits, '-' or '_'")
    }
}

private func store(_ e: StoreError, _ lang: Lang) -> (String, Int32) {
    func t(_ zh: String, _ en: String) -> String { lang == .zh ? zh : en }
    switch e {
    case .rule(let v):
        return (rule(v, lang), Exit.refused)
    case .noSuchCase(let n):
        return (
            t("没有案件 \(n)：用 'mediate list' 查看案件编号。", "No case \(n): run 'mediate list' to see case numbers."),
            Exit.refused
        )
    case .noSuchUnit(let code) where code.isEmpty:
        return (t("非管理员必须属于一个单位：请加 --unit CODE。", "Only an admin may have no unit: add --unit CODE."), Exit.refused)
    case .noSuchUnit(let code):
        return (
            t(
                "没有单位 \(echo(code))：用 'mediate unit list' 查看单位代码。",
                "No unit \(echo(code)): run 'mediate unit list' to see unit codes."), Exit.refused
        )
    case .noSuchPerson(let login):
        return (
            t(
                "没有人员 \(echo(login))：用 'mediate person list' 查看登录名。",
                "No person \(echo(login)): run 'mediate person list' to see logins."), Exit.refused
        )
    case .unknownActor(let login):
        return (
            t(
                "操作人 '\(echo(login))' 未登记：用 --as LOGIN 指定已登记的人员，或请管理员用 'mediate person add' 登记。",
                "The actor '\(echo(login))' is not registered: name a registered person with --as LOGIN, or ask an admin to run 'mediate person add'."
            ), Exit.refused
        )
    case .unknownTerm(let kind, let value):
        return (
            t(
                "未知的\(kindZh(kind)) '\(echo(value))'：用 'mediate policy show' 查看可选值。",
                "Unknown \(kind) '\(echo(value))': run 'mediate policy show' to see the valid ones."), Exit.refused
        )
    case .changedMeanwhile(let n):
        return (
            t(
                "案件 \(n) 刚被他人修改：请运行 'mediate show \(n)' 后重试。",
                "Case \(n) changed meanwhile: run 'mediate show \(n)' and try again."), Exit.refused
        )
    case .duplicate(let kind, let code):
        return (
            kind == "person"
                ? t("人员 \(code) 已存在：请换一个登录名。", "The person \(code) already exists: choose another login.")
                : t("\(kindZh(kind)) \(code) 已存在：请换一个代码。", "The \(kind) \(code) already exists: choose another code."),
            Exit.refused
        )
    case .badParent(let unit, let level, let parent):
        if let parent {
            return (
                t(
                    "单位 \(unit)（\(level)）不能挂在 \(parent) 下：上级必须正好高一级。",
                    "Unit \(unit) (\(level)) cannot sit under \(parent): its parent must be exactly one level higher."),
                Exit.refused
            )
        }
        return (
            t(
                "单位 \(unit)（\(level)）需要上级：请加 --parent CODE。",
                "Unit \(unit) (\(level)) needs a parent: add --parent CODE."), Exit.refused
        )
    case .badRow(let line, let message):
        return (
            t(
                "第 \(line) 行有误：\(message)；未导入任何内容，请改正后重试。",
                "Line \(line): \(message); nothing was imported, fix it and try again."), Exit.dataError
        )
    case .unitRow(let line, let inner):
        return store(.badRow(line: line, message: rowClause(inner, lang)), lang)
    case .alreadyInitialised(let path, let version):
        return (
            t(
                "\(path) 已经是数据库（版本 \(version)），未做任何改动。",
                "\(path) is already a database (schema version \(version)); nothing was changed."), Exit.refused
        )
    case .notInitialised(let path):
        return (
            t(
                "\(path) 还没有数据库：先运行 'mediate init'，或用 --db 指定数据库文件。",
                "There is no database at \(path): run 'mediate init' first, or name the file with --db."), Exit.storage
        )
    case .foreign(let path):
        return (
            t(
                "\(path) 是其他程序的 SQLite 数据库：请用 --db 指定 mediate 自己的数据库文件。",
                "\(path) is an SQLite database of another program: name a database of mediate's own with --db."),
            Exit.storage
        )
    case .newerSchema(let path, let found, let known):
        return (
            t(
                "\(path) 来自更新的 mediate（数据库版本 \(found)，本程序只认到 \(known)）：请升级 mediate。",
                "\(path) was written by a newer mediate (schema version \(found); this one knows up to \(known)): upgrade mediate."
            ), Exit.storage
        )
    case .effectiveInFuture(let at):
        return (
            t(
                "生效时间 \(LocalTime.minute(at)) 晚于当前真实时间：MEDIATE_NOW 只能用于补录过去的纸质记录。",
                "The effective time \(LocalTime.minute(at)) is later than the real clock: MEDIATE_NOW may only name the past, for paper records entered late."
            ), Exit.usage
        )
    case .unknownZone(let zone):
        return (
            t(
                "时区 '\(echo(zone))' 未安装：请用 IANA 名称，例如 Asia/Shanghai（需要 tzdata；已存的可用 'mediate policy set --timezone' 改）。",
                "The time zone '\(echo(zone))' is not installed: use an IANA name such as Asia/Shanghai (needs tzdata; 'mediate policy set --timezone' changes a stored one)."
            ),
            Exit.refused
        )
    case .storage(let error, let path):
        return storage(error, path: path, lang)
    }
}

private func kindZh(_ kind: String) -> String {
    ["unit": "单位", "person": "人员", "category": "类别", "source": "来源", "level": "层级", "severity": "等级"][kind] ?? kind
}

func storage(_ problem: StorageProblem, path: String, _ lang: Lang) -> (String, Int32) {
    func t(_ zh: String, _ en: String) -> String { lang == .zh ? zh : en }
    let message: String
    switch problem {
    case .locked:
        message = t(
            "数据库 \(path) 被另一个写入者长时间锁住：请稍后重试。",
            "The database \(path) is locked by another writer for too long: try again in a moment.")
    case .readOnly:
        message = t(
            "数据库 \(path) 是只读的：请检查文件及其目录的写权限。",
            "The database \(path) is read-only: check write permission on the file and its folder.")
    case .corrupt:
        message = t(
            "\(path) 不是 mediate 数据库或已损坏：请检查路径，或从备份恢复。",
            "\(path) is not a mediate database or is damaged: check the path, or restore from a backup.")
    case .full:
        message = t(
            "磁盘已满，无法写入 \(path)：请腾出空间后重试，未写入任何内容。",
            "The disk is full, nothing was written to \(path): free some space and try again.")
    case .cannotOpen:
        message = t(
            "无法打开 \(path)：请检查路径是文件而不是目录，且目录存在可写。",
            "Cannot open \(path): check that the path is a file, not a folder, and that its folder exists and is writable."
        )
    case .io(let code):
        message = t("读写 \(path) 时出错（\(code)）：请检查磁盘。", "An I/O error on \(path) (\(code)): check the disk.")
    case .other(let code, let text):
        message = t("数据库 \(path) 出错（\(code) \(text)）。", "Storage error on \(path) (\(code) \(text)).")
    }
    return (message, Exit.storage)
}

func rule(_ v: Violation, _ lang: Lang) -> String {
    func t(_ zh: String, _ en: String) -> String { lang == .zh ? zh : en }
    switch v {
    case .wrongState(let kind, let state):
        let allowed = CaseState.allCases.filter { kind.allowedFrom?.contains($0) == true }
        return t(
            "案件处于「\(stateName(state, .zh))」，不能\(actionName(kind, .zh))：只有「\(allowed.map { stateName($0, .zh) }.joined(separator: "、"))」的案件可以。",
            "Cannot \(kind.rawValue) a case that is \(state.rawValue): only \(allowed.map(\.rawValue).joined(separator: " or ")) cases can be."
        )
    case .roleCannot(let role, let kind):
        return t(
            "\(roleName(role, .zh))不能\(actionName(kind, .zh))：请找有此权限的人员。",
            "A \(role.rawValue) cannot \(kind.rawValue): ask someone whose role allows it.")
    case .outsideJurisdiction(let code):
        return t(
            "单位 \(code) 不在你的管辖范围内：只能处理本单位及下属单位的案件。",
            "Unit \(code) is outside your unit: you act only on cases in your own unit and below.")
    case .aboveGridWorker:
        return t(
            "网格员只能处理网格层级的案件：该案件已上报，请由调解员处理。",
            "Grid workers act only on grid-level cases: this one was escalated, a mediator handles it.")
    case .atTopLevel:
        return t(
            "案件已在最高层级，不能再上报：如调解不成，请用 'mediate refer' 移交。",
            "The case is at the top level and cannot be escalated further: if mediation fails, refer it with 'mediate refer'."
        )
    case .notAGrid(let code):
        return t("\(code) 不是网格：案件只能在网格登记。", "\(code) is not a grid: cases are filed at a grid.")
    case .beforeLastEvent(let at):
        return t(
            "生效时间早于案件上一条记录（\(LocalTime.minute(at))）：请检查 MEDIATE_NOW。",
            "The effective time is before the case's last event (\(LocalTime.minute(at))): check MEDIATE_NOW.")
    case .nothingToAssess:
        return t(
            "研判没有改变等级或类别：请用 --severity 或 --category 给出新值。",
            "The assessment changes neither severity nor category: give a new --severity or --category.")
    case .extensionNotLater(let due):
        return t(
            "延期日期必须晚于当前期限 \(LocalTime.minute(due))：请给出更晚的 --until。",
            "The extension must end after the current due date \(LocalTime.minute(due)): give a later --until.")
    case .cannotAssign(let login):
        return t(
            "\(login) 不能承办此案件：承办人必须是管辖此案件的调解员或网格员。",
            "\(login) cannot take this case: the mediator must be a mediator or grid worker with jurisdiction over it.")
    case .emptyText(let field):
        return t("\(field) 不能为空：请写明内容。", "The \(field) cannot be empty: write it out.")
    case .adminOnly:
        return t("只有管理员可以设置单位、人员和规则：请找管理员。", "Only an admin sets up units, people and policy: ask an admin.")
    }
}

func stateName(_ s: CaseState, _ lang: Lang) -> String {
    guard lang == .zh else { return s.rawValue }
    switch s {
    case .open: return "待受理"
    case .mediating: return "调解中"
    case .resolved: return "已调解成功"
    case .closed: return "已结案"
    case .referred: return "已移交"
    case .withdrawn: return "已撤回"
    }
}

func actionName(_ k: ActionKind, _ lang: Lang) -> String {
    guard lang == .zh else { return k.rawValue }
    switch k {
    case .file: return "登记"
    case .accept: return "受理"
    case .assess: return "研判"
    case .escalate: return "上报"
    case .extend: return "延期"
    case .resolve: return "调解成功"
    case .reopen: return "重新调解"
    case .close: return "结案"
    case .refer: return "移交"
    case .withdraw: return "撤回"
    case .note: return "记录"
    case .supervise: return "督办"
    }
}

func roleName(_ r: Role, _ lang: Lang) -> String {
    guard lang == .zh else { return r.rawValue }
    switch r {
    case .gridWorker: return "网格员"
    case .mediator: return "调解员"
    case .legalVolunteer: return "法律志愿者"
    case .admin: return "管理员"
    }
}
