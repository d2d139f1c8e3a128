import MediateCore

/// What an option's value is. Each kind is parsed and checked before a command runs,
/// before any file is touched; the usage line and the "use one of" lists come from it.
enum ValueKind: Sendable {
    /// Free text; `-` reads it from standard input when `stdin`.
    case text(limit: Int, multiline: Bool, stdin: Bool)
    /// A code of a unit, a category, a source: letters, digits, '-' and '_'.
    case code(Noun)
    /// A person's login.
    case login
    /// A word of a list the deployment keeps (category, source, severity, level),
    /// checked against the database once it is open.
    case term(TermList)
    /// A closed list: one of its codes or names.
    case choice(Choices)
    case day
    case moment
    case amount
    case count(ClosedRange<Int>)
    /// `YYYY-MM`, `last` or `this`.
    case month
    case zone
    case party
    case path

    /// The placeholder in usage lines: `DATE`, `TEXT`, `open|mediating|…`.
    var placeholder: String {
        switch self {
        case .text: "TEXT"
        case .code: "CODE"
        case .login: "LOGIN"
        case .term(let list): list.placeholder
        case .choice(let choices): choices.codes.joined(separator: "|")
        case .day: "DATE"
        case .moment: "TIME"
        case .amount: "YUAN"
        case .count: "N"
        case .month: "YYYY-MM|last|this"
        case .zone: "ZONE"
        case .party: "\"姓名,角色,电话\""
        case .path: "PATH"
        }
    }
}

/// The deployment's own lists, named in usage lines and checked once the store is open.
enum TermList: String, Sendable {
    case category, source, severity, level

    var placeholder: String {
        switch self {
        case .category: "C"
        case .source: "S"
        case .severity: "S"
        case .level: "LEVEL"
        }
    }
}

/// A closed list of codes with their names, from a `Vocabulary` type.
struct Choices: Sendable {
    let codes: [String]
    let parse: @Sendable (String) -> String?
    let listed: @Sendable (Lang) -> String

    static func of<V: Vocabulary>(_ type: V.Type) -> Choices {
        Choices(
            codes: V.allCases.map(\.code), parse: { V.parse($0)?.code }, listed: { V.choices($0) })
    }

    /// Some entries of a closed list: the formats one command offers.
    static func of<V: Vocabulary>(_ entries: [V]) -> Choices {
        Choices(
            codes: entries.map(\.code),
            parse: { text in V.parse(text).flatMap { entries.contains($0) ? $0.code : nil } },
            listed: { lang in list(entries.map { lang == .zh ? "\($0.zh)（\($0.code)）" : $0.code }, lang) })
    }
}

/// An option a command takes: `--name VALUE`, or a flag `--name` when `kind` is nil.
struct Option: Sendable {
    let name: String
    let kind: ValueKind?
    let required: Bool
    let repeatable: Bool
    /// What to say when a required option is missing, if not "missing required option".
    var missing: Problem? = nil
    /// What it is for: a `Blurb`, or a case of another catalogue's enum.
    let help: any Spoken

    init(_ name: String, _ kind: ValueKind? = nil, required: Bool = false, repeatable: Bool = false, _ help: Blurb) {
        self.init(name, kind, required: required, repeatable: repeatable, help: help)
    }

    init(
        _ name: String, _ kind: ValueKind? = nil, required: Bool = false, repeatable: Bool = false, help: any Spoken
    ) {
        self.name = name
        self.kind = kind
        self.required = required
        self.repeatable = repeatable
        self.help = help
    }

    /// A required option whose absence the rules name (a flag that records consent,
    /// a party a case cannot go without).
    init(_ name: String, _ kind: ValueKind? = nil, repeatable: Bool = false, _ help: Blurb, missing: Problem) {
        self.init(name, kind, required: true, repeatable: repeatable, help: help)
        self.missing = missing
    }

    /// A required flag whose absence the rules name.
    init(_ name: String, _ help: Blurb, missing: Problem) {
        self.init(name, nil, help, missing: missing)
    }

    /// A flag: `--oral`.
    init(_ name: String, _ help: Blurb) {
        self.init(name, nil, help)
    }

    /// `--grid CODE`, or `--oral` for a flag.
    var label: String { "--\(name)" + (kind.map { " " + $0.placeholder } ?? "") }
}

/// A positional word a command takes.
struct Positional: Sendable {
    enum Kind: Sendable { case caseNumber, path, file }
    let name: String
    let kind: Kind

    static let caseNumber = Positional(name: "CASE", kind: .caseNumber)
}

/// A value after parsing: typed, checked, ready for the command.
enum Value: Sendable {
    case flag
    case text(String)
    case day(Day)
    case moment(WrittenTime)
    case amount(fen: Int64)
    case count(Int)
    case month(MonthChoice)
    case party(Party)
}

/// Which month `--month` names.
enum MonthChoice: Sendable, Equatable {
    case last, this
    case month(year: Int, month: Int)
}

/// The words after the command name, sorted into typed option values and positionals.
struct Arguments: Sendable {
    private(set) var values: [String: [Value]] = [:]
    private(set) var positionals: [String] = []
    /// Set when `--help` or `-h` was given: nothing else is checked.
    private(set) var wantsHelp = false

    init() {}

    /// Parses `words` against `options`: `--name value`, `--name=value`, flags, `--` to
    /// end options; unknown options get a "did you mean". Values are checked by kind;
    /// `stdin` reads standard input for a text given as `-`.
    init(_ words: ArraySlice<String>, options: [Option], stdin: (Int) -> [UInt8]) throws(Problem) {
        var rest = words[...]
        var optionsEnded = false
        var raw: [(Option, String)] = []
        while let word = rest.popFirst() {
            if !optionsEnded && (word == "--help" || word == "-h") {
                wantsHelp = true
                continue
            }
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
            guard let option = options.first(where: { $0.name == name }) else {
                if rest.contains("--help") || rest.contains("-h") {
                    wantsHelp = true
                    return
                }
                throw .unknownOption(name, guess: closest(name, among: options.map(\.name)))
            }
            let value: String
            if let kind = option.kind {
                if let inline {
                    value = inline
                } else if let next = rest.first, !(next.hasPrefix("--") && next.count > 2) {
                    value = next
                    rest = rest.dropFirst()
                } else {
                    throw .missingValue(option.name, kind.placeholder)
                }
                // An empty value is never meant: `--unit ""` is a slip, not "no unit".
                guard !value.allSatisfy(\.isWhitespace) else { throw .emptyValue(option.name, kind.placeholder) }
            } else {
                guard inline == nil else { throw .takesNoValue(option.name) }
                value = ""
            }
            if raw.contains(where: { $0.0.name == name }) && !option.repeatable { throw .onlyOnce(option.name) }
            raw.append((option, value))
        }
        if wantsHelp { return }
        for option in options where option.required && !raw.contains(where: { $0.0.name == option.name }) {
            throw option.missing ?? .missingOption(option.name, option.kind?.placeholder ?? "")
        }
        for (option, text) in raw {
            values[option.name, default: []].append(try Self.value(text, option, stdin: stdin))
        }
    }

    /// Checks one value by its option's kind.
    static func value(_ text: String, _ option: Option, stdin: (Int) -> [UInt8]) throws(Problem) -> Value {
        let name = option.name
        guard let kind = option.kind else { return .flag }
        switch kind {
        case .text(let limit, let multiline, let fromStdin):
            if fromStdin && text == "-" { return .text(try Input.standardInput(stdin, option: name, limit: limit)) }
            return .text(try Input.text(text, field: name, limit: limit, multiline: multiline))
        case .code(let noun): return .text(try Input.code(text, noun))
        case .login: return .text(try Input.code(text, .login))
        case .term: return .text(Input.halfWidth(text).trimmingWhitespace())
        case .choice(let choices):
            guard let code = choices.parse(text) else { throw .notAChoice(name, echo(text), choices) }
            return .text(code)
        case .day: return .day(try Input.day(text, field: name))
        case .moment: return .moment(try Input.moment(text, field: name))
        case .amount: return .amount(fen: try Input.amount(text))
        case .count(let range):
            guard let n = Int(Input.halfWidth(text).trimmingWhitespace()), range.contains(n) else {
                throw .notACount(name, range)
            }
            return .count(n)
        case .month: return .month(try Input.month(text))
        case .zone:
            guard Zone.named(text) != nil else { throw .unknownZone(text) }
            return .text(text)
        case .party: return .party(try Input.party(text))
        case .path: return .text(text)
        }
    }

    func has(_ name: String) -> Bool { values[name] != nil }
    func text(_ name: String) -> String? {
        if case .text(let v)? = values[name]?.last { return v }
        return nil
    }
    func day(_ name: String) -> Day? {
        if case .day(let v)? = values[name]?.last { return v }
        return nil
    }
    func moment(_ name: String) -> WrittenTime? {
        if case .moment(let v)? = values[name]?.last { return v }
        return nil
    }
    func amount(_ name: String) -> Int64? {
        if case .amount(let v)? = values[name]?.last { return v }
        return nil
    }
    func count(_ name: String) -> Int? {
        if case .count(let v)? = values[name]?.last { return v }
        return nil
    }
    func month(_ name: String) -> MonthChoice? {
        if case .month(let v)? = values[name]?.last { return v }
        return nil
    }
    func parties(_ name: String) -> [Party] {
        (values[name] ?? []).compactMap { if case .party(let p) = $0 { p } else { nil } }
    }
    func texts(_ name: String) -> [String] {
        (values[name] ?? []).compactMap { if case .text(let t) = $0 { t } else { nil } }
    }
    /// A closed-list value as its type.
    func choice<V: Vocabulary>(_ name: String, _ type: V.Type) -> V? {
        text(name).flatMap { code in V.allCases.first { $0.code == code } }
    }
    func choices<V: Vocabulary>(_ name: String, _ type: V.Type) -> [V] {
        texts(name).compactMap { code in V.allCases.first { $0.code == code } }
    }
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
