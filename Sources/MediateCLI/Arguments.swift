/// An option a command takes: `--name VALUE`, or a flag `--name` when `value` is nil.
struct OptionSpec: Sendable {
    let name: String
    let value: String?
    let repeatable: Bool
    let zh: String
    let en: String

    init(_ name: String, _ value: String? = nil, repeatable: Bool = false, zh: String, en: String) {
        self.name = name
        self.value = value
        self.repeatable = repeatable
        self.zh = zh
        self.en = en
    }
}

/// Options every command takes.
let globalOptions: [OptionSpec] = [
    OptionSpec(
        "db", "PATH", zh: "数据库文件（默认 MEDIATE_DB，或 XDG 数据目录）",
        en: "database file (default MEDIATE_DB, else the XDG data directory)"),
    OptionSpec(
        "as", "LOGIN", zh: "以此人身份操作（默认 MEDIATE_USER，或登录名）",
        en: "act as this person (default MEDIATE_USER, else the login name)"),
    OptionSpec("lang", "zh|en", zh: "输出语言", en: "language of the output"),
    OptionSpec("format", "text|json", zh: "输出格式", en: "output format"),
    OptionSpec("help", zh: "显示帮助", en: "show this help"),
]

/// A usage error: one sentence, exit 64.
struct UsageError: Error, Equatable {
    let zh: String
    let en: String
    /// The command whose help to point at.
    let command: String?
}

/// Bad data in an input (a file or standard input): exit 65, one sentence.
struct DataError: Error, Equatable {
    let zh: String
    let en: String
}

/// The words after the command name, sorted into options and positionals.
struct Arguments {
    private(set) var values: [String: [String]] = [:]
    private(set) var positionals: [String] = []

    /// Parses `words` against `specs`: `--name value`, `--name=value`, flags, and `--`
    /// to end options. Unknown options get a "did you mean".
    init(_ words: ArraySlice<String>, specs: [OptionSpec], command: String) throws(UsageError) {
        var rest = words[...]
        var optionsEnded = false
        while let word = rest.popFirst() {
            guard !optionsEnded, word.hasPrefix("--"), word.count > 2 else {
                if word == "--" && !optionsEnded {
                    optionsEnded = true
                } else {
                    positionals.append(word)
                }
                continue
            }
            var name = String(word.dropFirst(2))
            var inline: String? = nil
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let spec = specs.first(where: { $0.name == name }) else {
                let guess = closest(name, among: specs.map(\.name)).map { " Did you mean '--\($0)'?" } ?? ""
                let guessZh = closest(name, among: specs.map(\.name)).map { "是否想用 '--\($0)'？" } ?? ""
                throw UsageError(
                    zh: "未知选项 '--\(echo(name))'。\(guessZh)", en: "Unknown option '--\(echo(name))'.\(guess)",
                    command: command)
            }
            let value: String
            if let placeholder = spec.value {
                if let inline {
                    value = inline
                } else if let next = rest.first, !(next.hasPrefix("--") && next.count > 2) {
                    value = next
                    rest = rest.dropFirst()
                } else {
                    throw UsageError(
                        zh: "选项 '--\(name) <\(placeholder)>' 缺少值。",
                        en: "Missing value for '--\(name) <\(placeholder)>'.",
                        command: command)
                }
                // An empty value is never meant: `--unit ""` is a slip, not "no unit".
                guard !value.allSatisfy(\.isWhitespace) else {
                    throw UsageError(
                        zh: "选项 '--\(name) <\(placeholder)>' 的值是空的：请给出值，或去掉这个选项。",
                        en: "The value of '--\(name) <\(placeholder)>' is empty: give one, or leave the option out.",
                        command: command)
                }
            } else {
                guard inline == nil else {
                    throw UsageError(
                        zh: "选项 '--\(name)' 不带值。", en: "Option '--\(name)' takes no value.", command: command)
                }
                value = ""
            }
            if values[name] != nil && !spec.repeatable {
                throw UsageError(
                    zh: "选项 '--\(name)' 只能给一次。", en: "Option '--\(name)' can be given only once.", command: command)
            }
            values[name, default: []].append(value)
        }
    }

    func has(_ name: String) -> Bool { values[name] != nil }
    subscript(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }
}

/// The nearest candidate by edit distance, if it is near enough to be a typo.
func closest(_ word: String, among candidates: [String]) -> String? {
    guard word.count <= 64 else { return nil }  // no name is that long; spare the quadratic work
    let scored = candidates.map { ($0, editDistance(word, $0)) }.min { $0.1 < $1.1 }
    guard let (best, distance) = scored, distance <= max(2, word.count / 3) else { return nil }
    return best
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    var row = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var previous = row[0]
        row[0] = i
        for j in stride(from: 1, through: b.count, by: 1) {
            let current = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
            previous = current
        }
    }
    return a.isEmpty ? b.count : row[b.count]
}
