import MediateCore

#if canImport(Glibc)
    import Glibc
#endif

/// A subcommand: its name (one or two words), what it does, what it takes.
struct Command: Sendable {
    let name: String
    let zh: String
    let en: String
    /// What follows the name in the usage line, e.g. "CASE --reason TEXT".
    let usage: String
    let options: [OptionSpec]
    /// How many positional words it takes.
    let positionals: ClosedRange<Int>
    let run: @Sendable (Context) throws -> Int32
}

public enum CLI {
    /// Runs one invocation and returns what it printed; never exits the process.
    public static func run(_ invocation: Invocation) -> Outcome {
        var words = leadingGlobalsMovedBack(invocation.arguments)[...]
        let lang = language(words, invocation.environment)
        func fail(_ e: UsageError) -> Outcome {
            Outcome(status: Exit.usage, stdout: "", stderr: describe(e, lang: lang, path: "").message + "\n")
        }
        guard let first = words.first, !first.hasPrefix("--") || first == "--version" || first == "--help" else {
            if words.contains("--help") || words.isEmpty {
                return Outcome(status: words.isEmpty ? Exit.usage : Exit.ok, stdout: overview(lang), stderr: "")
            }
            return fail(
                UsageError(
                    zh: "缺少子命令。运行 'mediate --help' 查看全部命令。",
                    en: "Missing a subcommand. Run 'mediate --help' to see them all.", command: nil))
        }
        if first == "--help" || first == "help" { return Outcome(status: Exit.ok, stdout: overview(lang), stderr: "") }
        if first == "--version" { return Outcome(status: Exit.ok, stdout: "mediate \(version)\n", stderr: "") }

        // A command is named by one word, or two for the groups (unit add, policy show).
        let two = words.count >= 2 ? "\(first) \(words[words.startIndex + 1])" : ""
        guard let command = commands.first(where: { $0.name == two }) ?? commands.first(where: { $0.name == first })
        else {
            let names = Set(commands.map { String($0.name.split(separator: " ")[0]) })
            if names.contains(first) {
                let subs = commands.filter { $0.name.hasPrefix(first + " ") }.map { "'mediate \($0.name)'" }
                return fail(
                    UsageError(
                        zh: "'\(first)' 后面要跟子命令：\(subs.joined(separator: "、"))。",
                        en: "'\(first)' needs a subcommand: \(subs.joined(separator: ", ")).", command: nil))
            }
            let guess = closest(first, among: Array(names)).map { ($0, $0) }
            return fail(
                UsageError(
                    zh: "未知命令 '\(echo(first))'。" + (guess.map { "是否想用 '\($0.0)'？" } ?? "运行 'mediate --help' 查看全部命令。"),
                    en: "Unknown command '\(echo(first))'."
                        + (guess.map { " Did you mean '\($0.1)'?" } ?? " Run 'mediate --help' to see them all."),
                    command: nil))
        }
        words = words.dropFirst(command.name.split(separator: " ").count)

        let args: Arguments
        do {
            args = try Arguments(words, specs: command.options + globalOptions, command: command.name)
        } catch {
            return fail(error)
        }
        if args.has("help") { return Outcome(status: Exit.ok, stdout: help(command, lang), stderr: "") }
        if let given = args["lang"], Lang(rawValue: given) == nil {
            return fail(
                UsageError(
                    zh: "不支持的语言 '\(echo(given))'：请用 zh 或 en。", en: "Unknown language '\(echo(given))': use zh or en.",
                    command: command.name))
        }
        let format: Format
        switch args["format"] {
        case nil, "text": format = .text
        case "json": format = .json
        case "csv" where command.name == "report": format = .csv
        case let other?:
            return fail(
                UsageError(
                    zh: "不支持的格式 '\(echo(other))'：请用 text 或 json。",
                    en: "Unknown format '\(echo(other))': use text or json.",
                    command: command.name))
        }
        guard command.positionals.contains(args.positionals.count) else {
            let extra = args.positionals.count > command.positionals.upperBound
            return fail(
                UsageError(
                    zh: extra
                        ? "多余的参数 '\(echo(args.positionals.last!))'。"
                        : "缺少参数：用法 mediate \(command.name) \(command.usage)。",
                    en: extra
                        ? "Unexpected argument '\(echo(args.positionals.last!))'."
                        : "Missing argument: usage is mediate \(command.name) \(command.usage).",
                    command: command.name))
        }
        let context = Context(invocation: invocation, command: command, args: args, lang: lang, format: format)
        do {
            let status = try command.run(context)
            return Outcome(status: status, stdout: context.out, stderr: "")
        } catch var error {
            // Input checks do not know their command: point the help at this one.
            if let usage = error as? UsageError, usage.command == nil {
                error = UsageError(zh: usage.zh, en: usage.en, command: command.name)
            }
            let (message, status) = describe(error, lang: lang, path: context.dbPath)
            return Outcome(status: status, stdout: context.out, stderr: message + "\n")
        }
    }

    /// `mediate --db x list` means `mediate list --db x`: global options may come first.
    static func leadingGlobalsMovedBack(_ words: [String]) -> [String] {
        var leading: [String] = []
        var rest = words[...]
        while let word = rest.first, let spec = globalOptions.first(where: { "--" + $0.name == word }),
            spec.value != nil,
            rest.count >= 2
        {
            leading += rest.prefix(2)
            rest = rest.dropFirst(2)
        }
        return Array(rest) + leading
    }

    /// `--lang`, else the locale: LC_ALL, LC_MESSAGES, LANG.
    static func language(_ words: ArraySlice<String>, _ env: [String: String]) -> Lang {
        if let i = words.firstIndex(of: "--lang"), i + 1 < words.endIndex, let lang = Lang(rawValue: words[i + 1]) {
            return lang
        }
        if let word = words.first(where: { $0.hasPrefix("--lang=") }),
            let lang = Lang(rawValue: String(word.dropFirst(7)))
        {
            return lang
        }
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = env[key], !value.isEmpty { return value.hasPrefix("zh") ? .zh : .en }
        }
        return .en
    }

    static let version = "0.1.0"

    static func overview(_ lang: Lang) -> String {
        var text =
            lang == .zh
            ? "mediate — 社区人民调解案件登记与统计（小事不出网格、大事不出社区、矛盾不上交）\n\n用法：mediate <命令> [选项]\n\n命令：\n"
            : "mediate — a case tracker for community dispute mediation (小事不出网格、大事不出社区、矛盾不上交)\n\nUsage: mediate <command> [options]\n\nCommands:\n"
        let width = commands.map(\.name.count).max() ?? 0
        for c in commands {
            text +=
                "  " + c.name + String(repeating: " ", count: width - c.name.count + 2) + (lang == .zh ? c.zh : c.en)
                + "\n"
        }
        let environment: [(String, String, String)] = [
            ("MEDIATE_DB", "数据库文件（即 --db）", "the database file (as --db)"),
            ("MEDIATE_USER", "操作人登录名（即 --as）", "the acting login (as --as)"),
            ("MEDIATE_NOW", "操作生效时间，用于补录纸质记录", "when an action takes effect, for paper records entered late"),
            ("MEDIATE_BUSY_TIMEOUT", "等待其他写入者的毫秒数（默认 30000）", "milliseconds to wait for another writer (30000)"),
        ]
        text += lang == .zh ? "\n环境变量：\n" : "\nEnvironment:\n"
        for (name, zh, en) in environment {
            text += "  " + name + String(repeating: " ", count: 22 - name.count) + (lang == .zh ? zh : en) + "\n"
        }
        text +=
            lang == .zh
            ? "\n每个命令都有 --help。先试试：mediate demo\n"
            : "\nEvery command takes --help. Start with: mediate demo\n"
        return text
    }

    static func help(_ c: Command, _ lang: Lang) -> String {
        var text = "mediate \(c.name) — \(lang == .zh ? c.zh : c.en)\n\n"
        text += (lang == .zh ? "用法：" : "Usage: ") + "mediate \(c.name) \(c.usage)".trimmingWhitespace() + "\n\n"
        text += lang == .zh ? "选项：\n" : "Options:\n"
        let all = c.options + globalOptions
        let labels = all.map { "--\($0.name)" + ($0.value.map { " \($0)" } ?? "") }
        let width = labels.map(\.count).max() ?? 0
        for (label, o) in zip(labels, all) {
            text += "  " + label + String(repeating: " ", count: width - label.count + 2) + (lang == .zh ? o.zh : o.en)
            text += o.repeatable ? (lang == .zh ? "（可重复）" : " (repeatable)") : ""
            text += "\n"
        }
        return text
    }
}
