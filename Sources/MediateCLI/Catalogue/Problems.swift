import MediateCore
import MediateStore

/// The things a person may have got wrong on the command line or in an input file:
/// each one sentence, what was wrong and what to do. Usage slips exit 64 and point at
/// the command's help; bad data in a file or on standard input exits 65.
indirect enum Problem: Error, Spoken, Equatable {
    // The command line's own grammar.
    case missingCommand
    case needsSubcommand(String, [String])
    case unknownCommand(String, guess: String?)
    case unknownOption(String, guess: String?)
    case missingValue(String, String)
    case emptyValue(String, String)
    case takesNoValue(String)
    case onlyOnce(String)
    case missingOption(String, String)
    case missingArgument(usage: String)
    case unexpectedArgument(String)
    case notAChoice(String, String, Choices)
    case notACount(String, ClosedRange<Int>)
    case notTogether(String, String)
    case oneChangeAtATime(String, String)
    case twoChanges(String, String)
    case sayWhatChanges(Noun)
    case sayWhatToChange(Noun)
    case fromAfterTo(from: String, to: String)
    /// A refusal of the rules that can be known from the words alone, before any file is
    /// opened (the machine refuses the same through every other path).
    case refused(Violation)
    case unknownZone(String)

    // Values.
    case controlCharacters(String)
    case tooLong(String, count: Int, limit: Int)
    case tooManyMarks(String, points: Int, limit: Int)
    case emptyText(String)
    case badCode(Noun, String)
    case badPhone
    case badIDNumber
    case badParty
    case badAmount(String)
    case amountTooLarge(String)
    case badDay(String, String)
    case badMoment(String, String)
    case badCaseNumber(String)
    case badMonth(String)
    case unknownTerm(Noun, String, choices: [Term])

    // The environment.
    case badBusyTimeout(String)
    case badNow(String)
    case nowInFuture(String)

    // Paths and files.
    case notAFilePath(option: String?, String)
    case notARegularFile(option: String?, String)
    case noSuchFile(String)
    case notAFile(String, Noun)
    case fileTooLarge(String, megabytes: Int64)
    case cannotRead(String)
    case readFailed(String)
    case backupExists(String)
    case sideFileName(String)
    case notAFolder(String)
    case cannotMakeTempFolder

    // Bad data (exit 65).
    case stdinTooLong(String, limit: Int)
    case stdinNotUTF8
    /// A text read from standard input that fails its check: bad data, not a slip.
    case onStandardInput(Problem)
    case badRow(line: Int, RowProblem)

    /// Bad data in an input file or on standard input (exit 65), not a usage slip (64).
    var isData: Bool {
        switch self {
        case .stdinTooLong, .stdinNotUTF8, .onStandardInput, .badRow: true
        default: false
        }
    }

    var zh: String {
        switch self {
        case .missingCommand: "缺少子命令。运行 'mediate --help' 查看全部命令。"
        case .needsSubcommand(let group, let subs):
            "'\(group)' 后面要跟子命令：\(subs.map { "'mediate \($0)'" }.joined(separator: "、"))。"
        case .unknownCommand(let word, let guess):
            "未知命令 '\(echo(word))'。" + (guess.map { "是否想用 '\($0)'？" } ?? "运行 'mediate --help' 查看全部命令。")
        case .unknownOption(let name, let guess):
            "未知选项 '--\(echo(name))'。" + (guess.map { "是否想用 '--\($0)'？" } ?? "")
        case .missingValue(let name, let placeholder): "选项 '--\(name) <\(placeholder)>' 缺少值。"
        case .emptyValue(let name, let placeholder): "选项 '--\(name) <\(placeholder)>' 的值是空的：请给出值，或去掉这个选项。"
        case .takesNoValue(let name): "选项 '--\(name)' 不带值。"
        case .onlyOnce(let name): "选项 '--\(name)' 只能给一次。"
        case .missingOption(let name, let placeholder): "缺少必需的选项 '--\(name) <\(placeholder)>'。"
        case .missingArgument(let usage): "缺少参数：用法 \(usage)。"
        case .unexpectedArgument(let word): "多余的参数 '\(echo(word))'。"
        case .notAChoice(let name, let value, let choices):
            "--\(name) 的值 '\(value)' 无法识别：可选 \(choices.listed(.zh))。"
        case .notACount(let name, let range): "--\(name) 应为 \(range.lowerBound) 到 \(range.upperBound) 的整数。"
        case .notTogether(let a, let b): "--\(a) 与 --\(b) 只能选一种。"
        case .oneChangeAtATime(let a, let b): "--\(a) 不能与 --\(b) 一起用：一次只改一条规则。"
        case .twoChanges(let a, let b): "一次只改一条规则：--\(a) 和 --\(b) 请分两次运行。"
        case .sayWhatChanges(let noun), .sayWhatToChange(let noun): "请说明要改什么：\(noun.zh)。"
        case .fromAfterTo(let from, let to): "--\(from) 不能晚于 --\(to)。"
        case .refused(let v): Refusal(violation: v, zone: .utc).zh
        case .unknownZone(let zone):
            "时区 '\(echo(zone))' 未安装：请用 IANA 名称，例如 Asia/Shanghai（需要 tzdata）。"
        case .controlCharacters(let field): "--\(field) 含有控制字符或无效的 UTF-8：请只用可打印文字。"
        case .tooLong(let field, let count, let limit): "--\(field) 太长（\(count) 字，上限 \(limit)）：请精简。"
        case .tooManyMarks(let field, let points, let limit):
            "--\(field) 的组合符号太多（\(points) 个码位，上限 \(limit)）：请去掉多余的符号。"
        case .emptyText(let field): "--\(field) 不能为空。"
        case .badCode(let noun, let value): "\(noun.zh) '\(echo(value))' 只能用字母、数字、- 和 _（最多 32 个）。"
        case .badPhone: "电话号码格式不对：请写 11 位手机号（如 13800000000）或带区号的座机（如 027-87654321）。"
        case .badIDNumber: "身份证号无效（18 位，末位校验码不符）：请核对后重输。"
        case .badParty:
            "--party 格式应为 \"姓名,角色[,电话[,身份证号[,地址]]]\"（逗号可用全角），角色为 \(PartyRole.choices(.zh))。"
        case .badAmount(let value): "金额 '\(echo(value))' 格式不对：请写元，最多两位小数，如 1200 或 350.50。"
        case .amountTooLarge(let value): "金额 '\(echo(value))' 过大：人民调解的协议金额应小于 10 亿元。"
        case .badDay(let field, let value):
            "--\(field) 的日期 '\(echo(value))' 无效：请写成 YYYY-MM-DD（1900–2999 年），如 2026-10-31。"
        case .badMoment(let field, let value):
            "--\(field) 的时间 '\(echo(value))' 无效：请写成 YYYY-MM-DD 或 2026-10-05T09:30（1900–2999 年）。"
        case .badCaseNumber(let value): "'\(echo(value))' 不是案件编号：编号形如 2026-0142。"
        case .badMonth(let value):
            "--month '\(echo(value))' 无效：请写 YYYY-MM（如 2026-10，1900–2999 年）、上月（last）或本月（this）。"
        case .unknownTerm(let noun, let value, let choices):
            "未知的\(noun.zh) '\(echo(value))'：可选 \(choices.map { "\($0.nameZh)（\($0.code)）" }.joined(separator: "、"))。"
        case .badBusyTimeout(let text): "MEDIATE_BUSY_TIMEOUT 的值 '\(echo(text))' 无效：请写毫秒数，如 30000（最多约 24 天）。"
        case .badNow(let text): "MEDIATE_NOW 的时间 '\(echo(text))' 无法识别：请写成 2026-10-05T09:30:00+08:00（1900–2999 年）。"
        case .nowInFuture(let text): "MEDIATE_NOW '\(echo(text))' 晚于当前真实时间：它只能用于补录过去的纸质记录。"
        case .notAFilePath(let option, let path):
            "\(option.map { $0 + " " } ?? "备份路径 ")'\(path)' 不是文件路径：请写文件的路径，如 '~/mediate.db'（以 'file:' 开头的请写成 './file:…'）。"
        case .notARegularFile(let option, let path):
            "\(path) 不是普通文件（是设备、管道或断开的链接）：请给出\(option == nil ? "新备份文件" : "数据库文件")的路径。"
        case .noSuchFile(let path): "没有文件 \(path)：请检查路径。"
        case .notAFile(let path, let what): "\(path) 不是普通文件：请给出\(what.zh)的路径。"
        case .fileTooLarge(let path, let mb): "\(path) 太大（超过 \(mb) MB）：请拆成几个文件。"
        case .cannotRead(let path): "无法读取文件 \(path)：请检查权限。"
        case .readFailed(let path): "读取 \(path) 时出错：请检查文件。"
        case .backupExists(let path): "\(path) 已存在：请给一个新文件名，备份不会覆盖已有文件。"
        case .sideFileName(let path): "\(path) 的结尾是 SQLite 的附属文件名（-wal、-shm、-journal）：请换个名字，如 mediate-备份.db。"
        case .notAFolder(let path): "--dir \(path) 不是已有的文件夹：请先建好，或去掉 --dir 用临时文件夹。"
        case .cannotMakeTempFolder: "无法新建临时目录：请用 --dir 指定。"
        case .stdinTooLong(let field, let limit): "标准输入太长：--\(field) 最多 \(limit) 个字。"
        case .stdinNotUTF8: "标准输入不是有效的 UTF-8 文本：请另存为 UTF-8 后重试。"
        case .onStandardInput(let p): "标准输入：" + p.zh
        case .badRow(let line, let problem): "第 \(line) 行有误：\(problem.zh)；未导入任何内容，请改正后重试。"
        }
    }

    var en: String {
        switch self {
        case .missingCommand: "Missing a subcommand. Run 'mediate --help' to see them all."
        case .needsSubcommand(let group, let subs):
            "'\(group)' needs a subcommand: \(subs.map { "'mediate \($0)'" }.joined(separator: ", "))."
        case .unknownCommand(let word, let guess):
            "Unknown command '\(echo(word))'."
                + (guess.map { " Did you mean '\($0)'?" } ?? " Run 'mediate --help' to see them all.")
        case .unknownOption(let name, let guess):
            "Unknown option '--\(echo(name))'." + (guess.map { " Did you mean '--\($0)'?" } ?? "")
        case .missingValue(let name, let placeholder): "Missing value for '--\(name) <\(placeholder)>'."
        case .emptyValue(let name, let placeholder):
            "The value of '--\(name) <\(placeholder)>' is empty: give one, or leave the option out."
        case .takesNoValue(let name): "Option '--\(name)' takes no value."
        case .onlyOnce(let name): "Option '--\(name)' can be given only once."
        case .missingOption(let name, let placeholder): "Missing required option '--\(name) <\(placeholder)>'."
        case .missingArgument(let usage): "Missing argument: usage is \(usage)."
        case .unexpectedArgument(let word): "Unexpected argument '\(echo(word))'."
        case .notAChoice(let name, let value, let choices):
            name == "lang"
                ? "Unknown language '\(value)': use \(choices.listed(.en))."
                : "--\(name) does not take '\(value)': use \(choices.listed(.en))."
        case .notACount(let name, let range):
            "--\(name) takes a whole number from \(range.lowerBound) to \(range.upperBound)."
        case .notTogether(let a, let b): "Give either --\(a) or --\(b), not both."
        case .oneChangeAtATime(let a, let b): "--\(a) does not go with --\(b): give one change at a time."
        case .twoChanges(let a, let b): "Give one change at a time: run --\(a) and --\(b) separately."
        case .sayWhatChanges(let noun): "Say what changes: \(noun.en)."
        case .sayWhatToChange(let noun): "Say what to change: \(noun.en)."
        case .fromAfterTo(let from, let to): "--\(from) must not be after --\(to)."
        case .refused(let v): Refusal(violation: v, zone: .utc).en
        case .unknownZone(let zone):
            "The time zone '\(echo(zone))' is not installed: use an IANA name such as Asia/Shanghai (needs tzdata)."
        case .controlCharacters(let field):
            "--\(field) contains control characters or invalid UTF-8: use printable text only."
        case .tooLong(let field, let count, let limit):
            "--\(field) is too long (\(count) characters, at most \(limit)): shorten it."
        case .tooManyMarks(let field, let points, let limit):
            "--\(field) carries too many combining marks (\(points) code points, at most \(limit)): remove them."
        case .emptyText(let field): "--\(field) cannot be empty."
        case .badCode(let noun, let value):
            "\(noun.en) '\(echo(value))' may use only letters, digits, '-' and '_' (at most 32)."
        case .badPhone:
            "The phone number is malformed: write an 11-digit mobile (like 13800000000) or a landline with its area code (like 027-87654321)."
        case .badIDNumber:
            "The ID number is invalid (18 characters with a matching check digit): check it and type it again."
        case .badParty:
            "--party takes \"name,role[,phone[,id number[,address]]]\" with role applicant, respondent or other."
        case .badAmount(let value):
            "The amount '\(echo(value))' is malformed: write yuan with at most two decimals, like 1200 or 350.50."
        case .amountTooLarge(let value):
            "The amount '\(echo(value))' is too large: an agreed amount must be below 1,000,000,000 yuan."
        case .badDay(let field, let value):
            "--\(field) '\(echo(value))' is not a valid date: write it as YYYY-MM-DD (years 1900–2999), like 2026-10-31."
        case .badMoment(let field, let value):
            "--\(field) '\(echo(value))' is not a valid time: write YYYY-MM-DD or 2026-10-05T09:30 (years 1900–2999)."
        case .badCaseNumber(let value): "'\(echo(value))' is not a case number: numbers look like 2026-0142."
        case .badMonth(let value):
            "--month '\(echo(value))' is not valid: write YYYY-MM (like 2026-10, years 1900–2999), last or this."
        case .unknownTerm(let noun, let value, let choices):
            "Unknown \(noun.en) '\(echo(value))': use one of \(choices.map(\.code).joined(separator: ", "))."
        case .badBusyTimeout(let text):
            "MEDIATE_BUSY_TIMEOUT '\(echo(text))' is not valid: give milliseconds, like 30000 (at most some 24 days)."
        case .badNow(let text):
            "MEDIATE_NOW '\(echo(text))' is not a time: write it like 2026-10-05T09:30:00+08:00 (years 1900–2999)."
        case .nowInFuture(let text):
            "MEDIATE_NOW '\(echo(text))' is later than the real clock: it may only name the past, for paper records entered late."
        case .notAFilePath(let option, let path):
            "\(option.map { $0 + " " } ?? "The backup path ")'\(path)' is not a file path: give the path of a file, like ~/mediate.db (write a name starting with file: as ./file:…)."
        case .notARegularFile(let option, let path):
            "\(path) is not a regular file (a device, a pipe or a broken link): give the path of \(option == nil ? "a new backup file" : "a database file")."
        case .noSuchFile(let path): "There is no file \(path): check the path."
        case .notAFile(let path, let what): "\(path) is not a regular file: give the path of \(what.en)."
        case .fileTooLarge(let path, let mb): "\(path) is too large (over \(mb) MB): split it into smaller files."
        case .cannotRead(let path): "Cannot read the file \(path): check its permissions."
        case .readFailed(let path): "Reading \(path) failed: check the file."
        case .backupExists(let path): "\(path) already exists: name a new file, backup never overwrites one."
        case .sideFileName(let path):
            "\(path) ends like an SQLite side file (-wal, -shm, -journal): choose another name, like mediate-backup.db."
        case .notAFolder(let path):
            "--dir \(path) is not an existing folder: make it first, or leave --dir out for a temp folder."
        case .cannotMakeTempFolder: "Cannot make a temp folder: name one with --dir."
        case .stdinTooLong(let field, let limit):
            "Standard input is too long: --\(field) holds at most \(limit) characters."
        case .stdinNotUTF8: "Standard input is not valid UTF-8 text: save it as UTF-8 and try again."
        case .onStandardInput(let p): "Standard input: " + p.en
        case .badRow(let line, let problem): "Line \(line): \(problem.en); nothing was imported, fix it and try again."
        }
    }

    static func == (a: Problem, b: Problem) -> Bool { a.en == b.en }
}

/// Why one row of an imported file is wrong, as a clause of "Line N: …".
indirect enum RowProblem: Spoken {
    case notUTF8
    case csv(CSVError.Problem)
    case columns
    case code(String)
    case name(Problem)
    case unit(StoreError)

    var zh: String {
        switch self {
        case .notUTF8: "不是有效的 UTF-8 文本，请另存为 UTF-8"
        case .csv(.quoteInsideUnquotedField): "未加引号的字段里有引号：请给整个字段加引号，字段内的引号写成两个引号"
        case .csv(.unclosedQuote(let opened)): "从第 \(opened) 行开始的带引号字段没有结束：请补上结尾的引号"
        case .csv(.textAfterClosingQuote): "带引号字段的结尾引号后还有文字：请在引号后加逗号，或把字段内的引号写成两个引号"
        case .columns: "应有 3 或 4 列：code,name,level,parent"
        case .code(let code): "单位代码 '\(echo(code))' 只能用字母、数字、- 和 _"
        case .name(let problem): "名称：" + clause(problem.zh)
        case .unit(.noSuchUnit(let code)): "上级单位 \(echo(code)) 不存在（请在前面的行列出）"
        case .unit(.unknownTerm(_, let value)): "未知层级 \(echo(value))"
        case .unit(.duplicate(_, let code)): "单位 \(code) 已存在"
        case .unit(.badParent(let unit, let level, let parent?)): "单位 \(unit)（\(level.nameZh)）不能挂在 \(parent) 下"
        case .unit(.badParent(let unit, let level, nil)): "单位 \(unit)（\(level.nameZh)）需要上级"
        case .unit(.rule(.outsideJurisdiction(let code))): "单位 \(code) 不在你的管辖范围内"
        case .unit: "单位代码应为 1 到 32 个字母、数字、- 或 _"
        }
    }

    var en: String {
        switch self {
        case .notUTF8: "not valid UTF-8 text, save the file as UTF-8"
        case .csv(.quoteInsideUnquotedField):
            "a quote appears inside an unquoted field: put the whole field in quotes and write the quote as two quotes"
        case .csv(.unclosedQuote(let opened)):
            "the quoted field starting on line \(opened) is never closed: add the missing closing quote"
        case .csv(.textAfterClosingQuote):
            "text follows the closing quote of a quoted field: put a comma after the quote, or write a quote inside the field as two quotes"
        case .columns: "expected 3 or 4 columns: code,name,level,parent"
        case .code(let code): "the code '\(echo(code))' may use only letters, digits, '-' and '_'"
        case .name(let problem): "name: " + clause(problem.en)
        case .unit(.noSuchUnit(let code)): "parent unit \(echo(code)) does not exist (list it on an earlier row)"
        case .unit(.unknownTerm(_, let value)): "unknown level \(echo(value))"
        case .unit(.duplicate(_, let code)): "unit \(code) already exists"
        case .unit(.badParent(let unit, let level, let parent?)):
            "unit \(unit) at level \(level.nameEn) cannot sit under \(parent)"
        case .unit(.badParent(let unit, let level, nil)): "unit \(unit) at level \(level.nameEn) needs a parent"
        case .unit(.rule(.outsideJurisdiction(let code))): "unit \(code) is outside your unit"
        case .unit: "the code must be 1-32 letters, digits, '-' or '_'"
        }
    }

    /// A sentence as a clause: without its final stop.
    private func clause(_ sentence: String) -> String {
        var s = sentence
        while s.last == "." || s.last == "。" { s.removeLast() }
        return s
    }
}

/// Nouns that sentences name: what kind of thing was wrong.
enum Noun: Spoken, CaseIterable {
    case unit, unitCode, login, code, category, source, severity, level, csvFile
    case severityOrCategory, policyChange
    case appliedOrRuling

    /// The noun of a deployment list.
    init(_ list: TermList) {
        switch list {
        case .category: self = .category
        case .source: self = .source
        case .severity: self = .severity
        case .level: self = .level
        }
    }

    var zh: String {
        switch self {
        case .unit: "单位"
        case .unitCode: "单位代码"
        case .login: "登录名"
        case .code: "代码"
        case .category: "类别"
        case .source: "来源"
        case .severity: "等级"
        case .level: "层级"
        case .csvFile: "CSV 文件"
        case .severityOrCategory: "--severity、--category 或两者"
        case .policyChange: "--level 与 --days、--severity 与 --ceiling、--timezone、--add-category、--add-source 或 --add-level（与 --zh、--en、--days）"
        case .appliedOrRuling: "--applied、--ruling 或两者"
        }
    }

    var en: String {
        switch self {
        case .unit: "unit"
        case .unitCode: "The unit code"
        case .login: "The login"
        case .code: "The code"
        case .category: "category"
        case .source: "source"
        case .severity: "severity"
        case .level: "level"
        case .csvFile: "a CSV file"
        case .severityOrCategory: "--severity, --category or both"
        case .policyChange:
            "--level with --days, --severity with --ceiling, --timezone, --add-category, --add-source or --add-level (with --zh, --en, --days)"
        case .appliedOrRuling: "--applied, --ruling or both"
        }
    }
}
