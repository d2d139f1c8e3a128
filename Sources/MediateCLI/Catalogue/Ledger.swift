import MediateCore
import MediateStore

/// What is wrong with a ledger row or its file: the reason part of a ledger problem.
enum LedgerFault: Equatable, Sendable {
    case mapColumnMissing(String)
    case missingColumn(String)
    case noGridColumn
    case noHeader
    case duplicateKey(String, firstLine: Int)
    case badDate(String)
    case dateInFuture(Day)
    case empty
    case notAGrid(String)
    case unknownGrid(String)
    case unknownTerm(String, [String])
    case tooLong(Int)
    case noParties
    case badPhone
    case unknownResult(String)
    case badAmount(String)
    case badForm(String)
    case needsClosedOn
    case closedBeforeFiled(closed: Day, filed: Day)
    case refused(Violation)
    case notText(TextEncoding)
    case unclosedQuote
    case readFailed
}

/// A `--map` that names no field.
enum LedgerUsage: Error, Spoken {
    case badMap(String)

    var zh: String {
        switch self {
        case .badMap(let text):
            "--map '\(text)' 不对：请写 字段=列名，字段是 \(LedgerField.allCases.map { $0.headers[0] }.joined(separator: "、")) 之一。"
        }
    }
    var en: String {
        switch self {
        case .badMap(let text):
            "--map '\(text)' is not FIELD=COLUMN with FIELD one of \(LedgerField.allCases.map { $0.headers[0] }.joined(separator: ", "))."
        }
    }
}

/// What `import ledger` says.
enum LedgerSaid: Spoken {
    /// Kept in a note of an imported case, in the ledger's language.
    case ledgerMediator(String)
    case ledgerFollowUp(String)
    case problem(LedgerProblem, zone: Zone = .utc)
    case wouldCreate(line: Int, key: String, day: Day, grid: String, outcome: CaseState, parties: [String])
    case checked(String, create: Int, skipped: Int, problems: Int)
    case nothingNew(String, rows: Int)
    case imported(String, count: Int, first: String, last: String, skipped: Int)
    /// A resolved row whose 回访情况 does not say how the agreement was performed.
    case followUpUnread(line: Int)

    var zh: String {
        switch self {
        case .ledgerMediator(let name): "台账调解员：\(name)"
        case .ledgerFollowUp(let text): "回访情况：\(text)"
        case .problem(let p, let zone):
            "第 \(p.line) 行" + (p.column.map { "「\($0)」列" } ?? "") + "：" + Self.reason(p.reason, zone, zh: true)
        case .wouldCreate(let line, let key, let day, let grid, let outcome, let parties):
            "第 \(line) 行（序号 \(key)）：将新建 \(day) \(grid) \(outcome.zh)，当事人 \(parties.joined(separator: "、"))"
        case .checked(let file, let create, let skipped, let problems):
            "已检查 \(file)：将新建 \(create) 件案件，已导入过 \(skipped) 行，发现 \(problems) 个问题"
                + (problems == 0 ? "。未写入任何内容。" : "：请改正后再导入。未写入任何内容。")
        case .nothingNew(let file, let rows): "\(file) 的 \(rows) 行都已导入过：这次没有新建任何案件。"
        case .imported(let file, let count, let first, let last, let skipped):
            "已从 \(file) 导入 \(count) 件案件（\(first) 至 \(last)）" + (skipped > 0 ? "，\(skipped) 行已导入过，跳过。" : "。")
        case .followUpUnread(let line):
            "第 \(line) 行：回访情况没有写明协议履行情况（履行、部分履行、未履行），案件保持调解成功、待回访；回访情况记入备注。"
        }
    }

    var en: String {
        switch self {
        case .ledgerMediator(let name): "台账调解员：\(name)"
        case .ledgerFollowUp(let text): "回访情况：\(text)"
        case .problem(let p, let zone):
            "Line \(p.line)" + (p.column.map { ", column \($0)" } ?? "") + ": " + Self.reason(p.reason, zone, zh: false)
        case .wouldCreate(let line, let key, let day, let grid, let outcome, let parties):
            "Line \(line) (序号 \(key)): would create a case of \(day) at \(grid), \(outcome.en), parties \(parties.joined(separator: ", "))"
        case .checked(let file, let create, let skipped, let problems):
            "Checked \(file): \(create) cases to create, \(skipped) rows imported before, \(problems) problems"
                + (problems == 0 ? ". Nothing was written." : ": correct them and import again. Nothing was written.")
        case .nothingNew(let file, let rows):
            "All \(rows) rows of \(file) were imported before: no case was created this time."
        case .imported(let file, let count, let first, let last, let skipped):
            "Imported \(count) cases from \(file) (\(first) to \(last))"
                + (skipped > 0 ? "; \(skipped) rows imported before were skipped." : ".")
        case .followUpUnread(let line):
            "Line \(line): its 回访情况 does not say how the agreement was performed (履行, 部分履行, 未履行), so the case stays resolved with its follow-up due; the 回访情况 is kept in a note."
        }
    }

    private static func reason(_ r: LedgerFault, _ zone: Zone, zh: Bool) -> String {
        switch r {
        case .mapColumnMissing(let field):
            return zh
                ? "--map 给 \(field) 指的列不在表头里：请照表头原样写列名。"
                : "the column --map names for \(field) is not in the header: write it as the header does."
        case .missingColumn(let field):
            return zh
                ? "表头里没有「\(field)」列：请加上，或用 --map \(field)=列名 指明。"
                : "the header has no column \(field): add it, or name it with --map \(field)=COLUMN."
        case .noGridColumn:
            return zh
                ? "表头里没有网格列：请加「网格」列，或用 --grid CODE 指定网格。"
                : "the header has no grid column: add 网格, or give --grid CODE."
        case .noHeader:
            return zh
                ? "文件是空的：第一行应是表头（序号、登记日期、当事人……）。"
                : "the file is empty: its first line should be the header (序号, 登记日期, 当事人…)."
        case .duplicateKey(let key, let first):
            return zh
                ? "序号 \(key) 与第 \(first) 行重复：每行的序号必须不同。" : "序号 \(key) repeats line \(first): each row needs its own."
        case .badDate(let text):
            return zh
                ? "'\(text)' 不是日期：请写 2026-10-05、2026/10/5、2026.10.5、2026年10月5日或表格的日期。"
                : "'\(text)' is not a date: write 2026-10-05, 2026/10/5, 2026.10.5, 2026年10月5日 or a spreadsheet date."
        case .dateInFuture(let day): return zh ? "日期 \(day) 还没到：请检查。" : "the date \(day) is in the future: check it."
        case .empty: return zh ? "不能为空：请填写。" : "must not be empty: fill it in."
        case .notAGrid(let text):
            return zh ? "\(text) 不是网格：案件只能登记在网格。" : "\(text) is not a grid: cases are filed at a grid."
        case .unknownGrid(let text):
            return zh
                ? "没有网格 '\(text)'：请写网格代码或名称（'mediate unit list'）。"
                : "no grid '\(text)': write a grid's code or name ('mediate unit list')."
        case .unknownTerm(let text, let names):
            return zh
                ? "'\(text)' 不在可选值中：请写 \(names.joined(separator: "、")) 之一。"
                : "'\(text)' is not one of \(names.joined(separator: ", "))."
        case .tooLong(let limit): return zh ? "太长（最多 \(limit) 字）。" : "too long (at most \(limit) characters)."
        case .noParties: return zh ? "没有当事人：请写至少一位当事人的姓名。" : "no party: write at least one party's name."
        case .badPhone:
            return zh
                ? "电话号码不对：手机 11 位，座机带区号，多个号码用顿号隔开。"
                : "a phone number is wrong: 11-digit mobiles or landlines with their area code, several separated by 、."
        case .unknownResult(let text):
            return zh
                ? "'\(text)' 不是调解结果：请写 调解成功、调解不成功、未结、移交 或 终止。"
                : "'\(text)' is not a result: write 调解成功, 调解不成功, 未结, 移交 or 终止."
        case .badAmount(let text):
            return zh
                ? "'\(text)' 不是金额：请写元，如 1200 或 1200.50。"
                : "'\(text)' is not an amount: write yuan, e.g. 1200 or 1200.50."
        case .badForm(let text):
            return zh ? "'\(text)' 不是协议形式：请写 书面 或 口头。" : "'\(text)' is not a form of agreement: write 书面 or 口头."
        case .needsClosedOn:
            return zh ? "调解成功的案件需要结案日期：请填写。" : "a resolved row needs its 结案日期: fill it in."
        case .closedBeforeFiled(let closed, let filed):
            return zh
                ? "结案日期 \(closed) 早于登记日期 \(filed)：请检查。" : "the 结案日期 \(closed) is before the 登记日期 \(filed): check them."
        case .refused(let v):
            let refusal = Refusal(violation: v, zone: zone)
            return zh ? refusal.zh : refusal.en
        case .notText(let encoding):
            return zh
                ? "这里的内容不是 \(encoding.zh) 文本：请用 --encoding \(encoding == .utf8 ? "gb18030" : "utf-8") 再试，或在表格软件中另存为 CSV UTF-8。"
                : "this is not \(encoding.en) text: try --encoding \(encoding == .utf8 ? "gb18030" : "utf-8"), or save the sheet as CSV UTF-8."
        case .unclosedQuote:
            return zh
                ? "从这一行开始的引号没有闭合：请检查这一行的双引号。" : "a quote opened on this line is never closed: check its double quotes."
        case .readFailed: return zh ? "读取文件出错：请检查磁盘后重试。" : "reading the file failed: check the disk and try again."
        }
    }
}
