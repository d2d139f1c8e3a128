import MediateCore
import MediateStore

/// Renders what a run ends with: a failure as one sentence and its exit code, the
/// overview and each command's help.
enum Say {
    /// A usage slip or bad data, with the hint to the command's help for a slip.
    static func problem(_ p: Problem, command: String?, _ lang: Lang) -> String {
        guard !p.isData, let command else { return p.text(lang) }
        return p.text(lang) + Help.seeHelp(command).text(lang)
    }

    /// Any error a command throws, as one sentence in the user's language and its exit
    /// code. Values a person typed are quoted through `echo`.
    static func failure(_ error: any Error, command: String, zone: Zone = .utc, _ lang: Lang) -> (String, Int32) {
        switch error {
        case let p as Problem:
            return (problem(p, command: command, lang), p.isData ? Exit.dataError : Exit.usage)
        case let v as Violation:
            return failure(StoreError.rule(v), command: command, zone: zone, lang)
        case let e as StoreError:
            let refusal = StoreRefusal(error: e, zone: zone)
            let hint = refusal.status == Exit.usage ? Help.seeHelp(command).text(lang) : ""
            return (refusal.text(lang) + hint, refusal.status)
        case let e as DeskProblem:
            return (e.text(lang), Exit.usage)
        case let e as RecordsProblem:
            return (e.text(lang), e.status)
        case let e as MigrateProblem:
            return (e.text(lang) + (e.status == Exit.usage ? Help.seeHelp(command).text(lang) : ""), e.status)
        case let e as AgreementProblem:
            return (e.text(lang), Exit.refused)
        case let e as LedgerFailure:
            return (LedgerSaid.problem(e.problem, zone: zone).text(lang), Exit.dataError)
        case let e as LedgerUsage:
            return (e.text(lang) + Help.seeHelp(command).text(lang), Exit.usage)
        case let e as VerifyFailure:
            return (e.message, e.status)
        case let g as GroupProblem:
            return (g.text(lang), Exit.storage)
        case let r as TrustRefusal:
            return (r.text(lang), Exit.refused)
        case let p as TrustProblem:
            return (p.text(lang) + Help.seeHelp(command).text(lang), Exit.usage)
        default:
            return (Help.internalError(String(describing: error)).text(lang), Exit.storage)
        }
    }

    /// `mediate --help`: every command, the environment, where to start.
    static func overview(_ lang: Lang) -> String {
        var text = Help.overviewTitle.text(lang) + "\n\n" + Help.usageLine.text(lang) + "\n\n"
        text += Help.commandsHeading.text(lang) + "\n"
        let width = CLI.commands.map(\.name.count).max() ?? 0
        for c in CLI.commands {
            text += "  " + c.name + String(repeating: " ", count: width - c.name.count + 2) + c.help.text(lang) + "\n"
        }
        text += "\n" + Help.environmentHeading.text(lang) + "\n"
        let variables: [(String, Blurb)] = [
            ("MEDIATE_DB", .envDB), ("MEDIATE_USER", .envUser), ("MEDIATE_NOW", .envNow),
            ("MEDIATE_BUSY_TIMEOUT", .envBusy),
        ]
        for (name, blurb) in variables {
            text += "  " + name + String(repeating: " ", count: 22 - name.count) + blurb.text(lang) + "\n"
        }
        return text + "\n" + Help.startHere.text(lang) + "\n"
    }

    /// `mediate CMD --help`: what it does, its usage line, its options with their choices.
    static func help(_ c: Command, _ lang: Lang) -> String {
        var text = "mediate \(c.name) — \(c.help.text(lang))\n\n"
        text += Help.usagePrefix.text(lang) + c.usage + "\n\n" + Help.optionsHeading.text(lang) + "\n"
        let all = c.allOptions
        let labels = all.map(\.label)
        let width = labels.map(\.count).max() ?? 0
        for (label, o) in zip(labels, all) {
            text += "  " + label + String(repeating: " ", count: width - label.count + 2) + o.help.text(lang)
            if o.required { text += Help.required.text(lang) }
            if o.repeatable { text += Help.repeatable.text(lang) }
            if case .choice(let choices)? = o.kind, lang == .zh, o.name != "format", o.name != "lang" {
                text += "：" + choices.listed(.zh)
            }
            text += "\n"
        }
        return text
    }
}

/// A failed verification: its sentence goes to stderr.
struct VerifyFailure: Error {
    let message: String
    let status: Int32
}
