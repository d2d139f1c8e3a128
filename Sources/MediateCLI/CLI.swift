import MediateCore

/// A subcommand: its name (one or two words), what it does, what it takes. The usage
/// line, the help and every check of the words typed come from this declaration.
struct Command: Sendable {
    let name: String
    /// What it does: a `Blurb`, or a case of another catalogue's enum.
    let help: any Spoken
    var positionals: [Positional] = []
    var options: [Option] = []
    /// The output formats it offers; text is the default.
    var formats: [Format] = [.text, .json]
    /// Checks among options (one of two, not both) before anything is opened.
    var validate: (@Sendable (Arguments) throws(Problem) -> Void)? = nil
    let run: @Sendable (Context) throws -> Int32

    init(
        name: String, help: Blurb, positionals: [Positional] = [], options: [Option] = [],
        formats: [Format] = [.text, .json], validate: (@Sendable (Arguments) throws(Problem) -> Void)? = nil,
        run: @escaping @Sendable (Context) throws -> Int32
    ) {
        self.init(
            name: name, spoken: help, positionals: positionals, options: options, formats: formats, validate: validate,
            run: run)
    }

    /// A command whose help comes from another catalogue than `Blurb`.
    init(
        name: String, spoken help: any Spoken, positionals: [Positional] = [], options: [Option] = [],
        formats: [Format] = [.text, .json], validate: (@Sendable (Arguments) throws(Problem) -> Void)? = nil,
        run: @escaping @Sendable (Context) throws -> Int32
    ) {
        self.name = name
        self.help = help
        self.positionals = positionals
        self.options = options
        self.formats = formats
        self.validate = validate
        self.run = run
    }

    /// `mediate show CASE [--reveal]`: positionals, required options, then the others.
    var usage: String {
        var parts = ["mediate", name] + positionals.map(\.name)
        for o in options where o.required { parts.append(o.label + (o.repeatable ? "..." : "")) }
        for o in options where !o.required { parts.append("[" + o.label + "]" + (o.repeatable ? "..." : "")) }
        return parts.joined(separator: " ")
    }

    /// Its options and the global ones, `--format` offering just this command's formats.
    var allOptions: [Option] {
        options + [
            Option("db", .path, .optionDB), Option("as", .login, .optionAs),
            Option("lang", .choice(.of(Lang.self)), .optionLang),
            Option("format", .choice(.of(formats)), .optionFormat(formats)), Option("help", .optionHelp),
        ]
    }
}

public enum CLI {
    /// Runs one invocation and returns what it printed; never exits the process.
    public static func run(_ invocation: Invocation) -> Outcome {
        var words = leadingGlobalsMovedBack(invocation.arguments)[...]
        let lang = language(words, invocation.environment)
        func fail(_ problem: Problem, _ command: String? = nil) -> Outcome {
            Outcome(
                status: problem.isData ? Exit.dataError : Exit.usage, stdout: "",
                stderr: Say.problem(problem, command: command, lang) + "\n")
        }
        if words.isEmpty { return Outcome(status: Exit.usage, stdout: Say.overview(lang), stderr: "") }
        let first = words.first!
        if first == "--version" { return Outcome(status: Exit.ok, stdout: "mediate \(version)\n", stderr: "") }
        if ["--help", "-h", "help"].contains(first) || (first.hasPrefix("-") && words.contains("--help")) {
            // `mediate help CMD` is `mediate CMD --help`.
            if first == "help", words.count > 1 {
                return run(Invocation(words.dropFirst() + ["--help"], like: invocation))
            }
            return Outcome(status: Exit.ok, stdout: Say.overview(lang), stderr: "")
        }
        guard !first.hasPrefix("-") else { return fail(.missingCommand) }

        // A command is named by one word, or two for the groups (unit add, policy show).
        var two = words.count >= 2 ? "\(first) \(words[words.startIndex + 1])" : ""
        // `unit import` is `units import`, as people type it.
        if let same = aliases[two] { two = same }
        guard let command = commands.first(where: { $0.name == two }) ?? commands.first(where: { $0.name == first })
        else {
            let names = Set(commands.map { String($0.name.split(separator: " ")[0]) })
            if names.contains(first) {
                if words.contains("--help") || words.contains("-h") {
                    return Outcome(status: Exit.ok, stdout: Say.overview(lang), stderr: "")
                }
                return fail(.needsSubcommand(first, commands.filter { $0.name.hasPrefix(first + " ") }.map(\.name)))
            }
            return fail(.unknownCommand(first, guess: closest(first, among: Array(names))))
        }
        words = words.dropFirst(command.name.split(separator: " ").count)

        let args: Arguments
        do throws(Problem) {
            args = try Arguments(words, options: command.allOptions, stdin: invocation.readInput)
            if args.wantsHelp { return Outcome(status: Exit.ok, stdout: Say.help(command, lang), stderr: "") }
            // MEDIATE_NOW is read in the deployment's zone once the store is open; a time
            // that cannot be read at all is refused before any file is touched.
            if let now = invocation.environment["MEDIATE_NOW"], !now.isEmpty, LocalTime.parse(now) == nil {
                throw .badNow(now)
            }
            if args.positionals.count > command.positionals.count {
                throw .unexpectedArgument(args.positionals[command.positionals.count])
            }
            if args.positionals.count < command.positionals.count {
                throw .missingArgument(usage: command.usage)
            }
            for (word, p) in zip(args.positionals, command.positionals) where p.kind == .caseNumber {
                _ = try Input.caseNumber(word)
            }
            try command.validate?(args)
        } catch {
            return fail(error, command.name)
        }
        let context = Context(invocation: invocation, command: command, args: args, lang: lang)
        do {
            let status = try command.run(context)
            return Outcome(status: status, output: context.out, stderr: context.err)
        } catch {
            let (message, status) = Say.failure(error, command: command.name, zone: context.zone, lang)
            return Outcome(status: status, output: context.out, stderr: message + "\n")
        }
    }

    /// `mediate --db x list` means `mediate list --db x`: global options may come first.
    static func leadingGlobalsMovedBack(_ words: [String]) -> [String] {
        var leading: [String] = []
        var rest = words[...]
        while let word = rest.first, ["--db", "--as", "--lang", "--format"].contains(word), rest.count >= 2 {
            leading += rest.prefix(2)
            rest = rest.dropFirst(2)
        }
        return Array(rest) + leading
    }

    /// `--lang`, else the locale: LC_ALL, LC_MESSAGES, LANG.
    static func language(_ words: ArraySlice<String>, _ env: [String: String]) -> Lang {
        if let i = words.firstIndex(of: "--lang"), i + 1 < words.endIndex, let lang = Lang.parse(words[i + 1]) {
            return lang
        }
        if let word = words.first(where: { $0.hasPrefix("--lang=") }), let lang = Lang.parse(String(word.dropFirst(7)))
        {
            return lang
        }
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = env[key], !value.isEmpty { return value.hasPrefix("zh") ? .zh : .en }
        }
        return .en
    }

    /// Other names of commands, as people type them.
    static let aliases = ["unit import": "units import", "units add": "unit add", "units list": "unit list"]

    static let version = "0.2.0"

    /// Every command, in the order the overview lists them.
    static let commands: [Command] =
        caseCommands + viewCommands + deskCommands + reportCommands + upkeepCommands + setupCommands + demoCommands
        + trustCommands + recordCommands + agreementCommands + migrateCommands
}
