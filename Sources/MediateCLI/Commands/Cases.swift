import MediateCore
import MediateStore

private let reason = Option("reason", .text(limit: 2000, multiline: true, stdin: true), required: true, .optionReason)
private let longText = ValueKind.text(limit: 4000, multiline: true, stdin: true)

/// Every case action but filing takes `--if-version N`: a script or the JSON API that
/// pins the version it saw is told "changed meanwhile" rather than acting on a case that
/// moved; without it, each action decides on the case as it finds it.
let caseCommands: [Command] = caseActions.map { command in
    guard command.name != "file" else { return command }
    var pinned = command
    pinned.options.append(Option("if-version", .count(1...1_000_000), help: TrustHelp.optionIfVersion))
    return pinned
}

private let caseActions: [Command] = [
    Command(
        name: "file", help: .commandFile,
        options: [
            Option("grid", .code(.unitCode), required: true, .optionGrid),
            Option("category", .term(.category), required: true, .optionCategory),
            Option("severity", .term(.severity), required: true, .optionSeverity),
            Option("source", .term(.source), required: true, .optionSource),
            Option("ref", .text(limit: 64, multiline: false, stdin: false), .optionRef),
            Option("summary", longText, required: true, .optionSummary),
            Option("party", .party, repeatable: true, .optionParty, missing: .refused(.noParties)),
        ], run: fileCase),
    Command(
        name: "accept", help: .commandAccept, positionals: [.caseNumber],
        options: [Option("mediator", .login, .optionMediator)],
        run: { c in
            try act(c) { store, _ in
                guard let login = c.args.text("mediator") else { return .accept(mediator: try c.actor(store)) }
                guard let mediator = try store.person(login) else { throw StoreError.noSuchPerson(login) }
                return .accept(mediator: mediator)
            }
        }),
    Command(
        name: "assess", help: .commandAssess, positionals: [.caseNumber],
        options: [
            Option("severity", .term(.severity), .optionNewSeverity),
            Option("category", .term(.category), .optionNewCategory), reason,
        ],
        validate: { args throws(Problem) in
            guard args.has("severity") || args.has("category") else { throw .sayWhatChanges(.severityOrCategory) }
        },
        run: { c in
            try act(c) { _, machine in
                .assess(
                    severity: try c.args.text("severity").map { try c.term(.severity, $0, machine.policy) },
                    category: try c.args.text("category").map { try c.term(.category, $0, machine.policy) },
                    reason: c.args.text("reason")!)
            }
        }),
    Command(
        name: "escalate", help: .commandEscalate, positionals: [.caseNumber], options: [reason],
        run: { c in try act(c) { _, _ in .escalate(reason: c.args.text("reason")!) } }),
    Command(
        name: "extend", help: .commandExtend, positionals: [.caseNumber],
        options: [
            Option("until", .day, required: true, .optionUntil), reason,
            Option("consent", .optionConsent, missing: .refused(.extensionNeedsConsent)),
        ],
        run: { c in
            try act(c) { _, _ in
                .extend(
                    until: c.zone.endOfDay(c.args.day("until")!), reason: c.args.text("reason")!,
                    consent: c.args.has("consent"))
            }
        }),
    Command(
        name: "resolve", help: .commandResolve, positionals: [.caseNumber],
        options: [
            Option("agreement", longText, required: true, .optionAgreement), Option("oral", .optionOral),
            Option("amount", .amount, .optionAmount), Option("perform-by", .day, required: true, .optionPerformBy),
            Option("follow-up", .day, .optionFollowUp),
            Option("facts", longText, help: AgreementHelp.facts),
            Option("responsibility", longText, help: AgreementHelp.responsibility),
        ],
        run: { c in
            try act(c) { _, _ in
                let performBy = c.args.day("perform-by")!
                return .resolve(
                    Agreement(
                        terms: c.args.text("agreement")!, oral: c.args.has("oral"), amountFen: c.args.amount("amount"),
                        performBy: performBy.description,
                        followUpAt: c.args.day("follow-up").map { c.zone.instant($0) } ?? c.zone.endOfDay(performBy),
                        facts: c.args.text("facts"), responsibility: c.args.text("responsibility")))
            }
        }),
    Command(
        name: "reopen", help: .commandReopen, positionals: [.caseNumber], options: [reason],
        run: { c in try act(c) { _, _ in .reopen(reason: c.args.text("reason")!) } }),
    Command(
        name: "close", help: .commandClose, positionals: [.caseNumber],
        options: [
            Option("note", longText, required: true, .optionNote),
            Option("satisfaction", .choice(.of(Satisfaction.self)), required: true, .optionSatisfaction),
            Option("outcome", .choice(.of(Performance.self)), required: true, help: DeskHelp.optionOutcome),
            Option("early", help: DeskHelp.optionEarly),
            Option("reason", .text(limit: 2000, multiline: true, stdin: true), help: DeskHelp.optionEarlyReason),
        ],
        validate: { args throws(Problem) in
            if args.has("early") && !args.has("reason") { throw .missingOption("reason", "TEXT") }
        },
        run: { c in
            try act(c) { _, _ in
                .close(
                    note: c.args.text("note")!, satisfaction: c.args.choice("satisfaction", Satisfaction.self)!,
                    performance: c.args.choice("outcome", Performance.self)!,
                    early: c.args.has("early") ? c.args.text("reason") : nil)
            }
        }),
    Command(
        name: "refer", help: .commandRefer, positionals: [.caseNumber],
        options: [Option("to", .choice(.of(ReferralTarget.self)), required: true, .optionTo), reason],
        run: { c in
            try act(c) { _, _ in .refer(to: c.args.choice("to", ReferralTarget.self)!, reason: c.args.text("reason")!) }
        }),
    Command(
        name: "withdraw", help: .commandWithdraw, positionals: [.caseNumber], options: [reason],
        run: { c in try act(c) { _, _ in .withdraw(reason: c.args.text("reason")!) } }),
    Command(
        name: "note", help: .commandNote, positionals: [.caseNumber],
        options: [Option("text", longText, required: true, .optionText)],
        run: { c in try act(c) { _, _ in .note(text: c.args.text("text")!) } }),
]

extension Context {
    /// A word of one of the deployment's lists (category, source, severity, level), by
    /// code or name, as its code; an unknown one lists the choices.
    func term(_ list: TermList, _ value: String, _ policy: Policy) throws(Problem) -> String {
        let found: String? =
            switch list {
            case .category: policy.category(value)?.code
            case .source: policy.source(value)?.code
            case .severity: policy.severity(named: value)?.code
            case .level: policy.level(named: value)?.code
            }
        guard let found else {
            let terms: [Term] =
                switch list {
                case .category: policy.categories
                case .source: policy.sources
                case .severity: policy.severities.map { Term(code: $0.code, nameZh: $0.nameZh, nameEn: $0.nameEn) }
                case .level: policy.levels.map { Term(code: $0.code, nameZh: $0.nameZh, nameEn: $0.nameEn) }
                }
            throw .unknownTerm(Noun(list), value, choices: terms)
        }
        return found
    }
}

private func fileCase(_ c: Context) throws -> Int32 {
    let store = try c.openStore()
    let gridCode = c.args.text("grid")!
    // The grid and the units above it: what the rules read to decide on a filing.
    guard let (machine, grid) = try store.machine(decidingCode: gridCode) else { throw StoreError.noSuchUnit(gridCode) }
    let policy = machine.policy
    let category = try c.term(.category, c.args.text("category")!, policy)
    let severity = try c.term(.severity, c.args.text("severity")!, policy)
    let source = try c.term(.source, c.args.text("source")!, policy)
    let actor = try c.actor(store)
    let filed = try store.file(
        { number in
            Filing(
                number: number, unitID: grid.id, severity: severity, category: category, source: source,
                sourceRef: c.args.text("ref"), summary: c.args.text("summary")!, parties: c.args.parties("party"))
        }, by: actor, at: try c.now(), entered: c.entered, machine: machine)
    if c.format == .json {
        c.printJSON(CaseView(c, machine).json(filed, reveal: false))
    } else {
        c.print(filed.number.description)
    }
    return Exit.ok
}

/// The shared flow of every case action: the rules decide on the case as the write
/// transaction finds it, the event and the case are written together, and the run
/// says what happened.
func act(_ c: Context, _ build: (Store, Machine) throws -> Action) throws -> Int32 {
    let number = try Input.caseNumber(c.args.positionals[0])
    let store = try c.openStore()
    let machine = try store.machine()
    let actor = try c.actor(store)
    let action = try build(store, machine)
    let (after, event) = try store.perform(
        action, on: number, by: actor, at: try c.now(), entered: c.entered, machine: machine,
        ifVersion: c.args.count("if-version"))
    if c.format == .json {
        c.printJSON(CaseView(c, machine).json(after, reveal: false))
        return Exit.ok
    }
    let place = machine.organisation[after.unitID].map { "\($0.code) \($0.name)" } ?? "?"
    c.print(Said.acted(after.number, event.change.kind, after.state, place))
    if event.change.breach > 0 {
        let p = machine.policy
        c.print(Said.breach(ceiling: p.level(p.ceiling(after.severity)), left: p.level(event.change.breach)))
    }
    return Exit.ok
}
