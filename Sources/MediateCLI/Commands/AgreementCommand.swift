import MediateCore
import MediateStore

let agreementCommands: [Command] = [
    Command(
        name: "agreement", spoken: AgreementHelp.command, positionals: [.caseNumber], formats: [.text, .html],
        run: printAgreement)
]

/// A party's particulars as the agreement lists them; sex and date of birth are read
/// from a resident ID number (GB 11643: digits 7–14 the birth date, the 17th odd for a man).
struct Particulars {
    let party: Party
    let day: Day

    var birth: Day? {
        guard let id = party.idNumber, id.count == 18 else { return nil }
        let digits = Array(id)
        guard let y = Int(String(digits[6..<10])), let m = Int(String(digits[10..<12])),
            let d = Int(String(digits[12..<14]))
        else { return nil }
        return Day(year: y, month: m, day: d)
    }

    var male: Bool? {
        guard let id = party.idNumber, id.count == 18, let n = Int(String(Array(id)[16])) else { return nil }
        return n % 2 == 1
    }

    var age: Int? {
        guard let b = birth else { return nil }
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day) ? 1 : 0)
    }
}

/// Everything the agreement prints, gathered from the case and its last agreement.
struct AgreementDocument {
    let number: String
    let agreement: Agreement
    let parties: [Particulars]
    let roles: [String]
    let summary: String
    let committee: String
    let mediator: String
    let day: Day

    func say(_ w: AgreementWords, _ lang: Lang) -> String { w.text(lang) }

    /// The party lines: name, then each particular or a blank to fill in by hand.
    func partyLines(_ lang: Lang) -> [(String, [(String, String)])] {
        zip(parties, roles).map { p, role in
            let blank = say(.blank, lang)
            let sex = p.male.map { say($0 ? .male : .female, lang) } ?? blank
            let born = p.birth.flatMap { b in p.age.map { say(.bornOn(b, age: $0), lang) } } ?? blank
            return (
                say(.party(role: role, name: p.party.name), lang),
                [
                    (say(.sex, lang), sex), (say(.born, lang), born),
                    (say(.idNumber, lang), p.party.idNumber ?? blank), (say(.address, lang), p.party.address ?? blank),
                    (say(.phone, lang), p.party.phone ?? blank),
                ]
            )
        }
    }

    func text(_ lang: Lang) -> String {
        let sep = lang == .zh ? "，" : ", "
        let colon = lang == .zh ? "：" : ": "
        var out: [String] = []
        if agreement.oral {
            out.append(say(.oralTitle, lang))
        } else {
            out.append(say(.title, lang))
        }
        out.append(say(.number(number), lang))
        out.append("")
        for (head, fields) in partyLines(lang) {
            out.append(head + sep + fields.map { $0.0 + colon + $0.1 }.joined(separator: sep))
        }
        out.append("")
        out.append(say(.facts, lang))
        out.append("    " + summary)
        if let facts = agreement.facts { out.append("    " + facts) }
        if !agreement.oral {
            out.append(say(.responsibility, lang))
            out.append("    " + (agreement.responsibility ?? say(.blank, lang)))
        }
        out.append("")
        out.append(say(.agreedIntro, lang))
        out.append("    " + agreement.terms)
        if let fen = agreement.amountFen { out.append("    " + say(.amount(yuan(fen)), lang)) }
        out.append(say(.performance, lang))
        if let due = Day(Substring(agreement.performBy)) { out.append("    " + say(.performBy(due), lang)) }
        out.append("")
        if agreement.oral {
            out.append(say(.oralEffect, lang))
            out.append("")
            out.append(say(.mediatorSignature(mediator), lang))
            out.append(committee)
            out.append(say(.recordedOn(day), lang))
        } else {
            out.append(say(.copies(parties.count + 1), lang))
            out.append(say(.confirmation, lang))
            out.append("")
            out.append(say(.partySignature, lang) + String(repeating: "  __________", count: parties.count))
            out.append(say(.mediatorSignature(mediator), lang))
            out.append(say(.seal(committee), lang))
            out.append(say(.date(day), lang))
        }
        return out.map { $0 + "\n" }.joined()
    }

    /// One self-contained page for A4: print CSS, no scripts, nothing fetched.
    func html(_ lang: Lang) -> String {
        func e(_ s: String) -> String { HTML.escape(s) }
        var body = ""
        body += "<h1>\(e(say(agreement.oral ? .oralTitle : .title, lang)))</h1>\n"
        body += "<p class=\"number\">\(e(say(.number(number), lang)))</p>\n"
        body += "<table class=\"parties\">\n"
        for (head, fields) in partyLines(lang) {
            // Two particulars a row: sex and birth, ID number and contact; the address alone.
            body += "<tr><th colspan=\"4\">\(e(head))</th></tr>\n"
            let f = fields
            for (a, b) in [(f[0], f[1]), (f[2], f[4])] {
                body +=
                    "<tr><td class=\"l\">\(e(a.0))</td><td>\(e(a.1))</td><td class=\"l\">\(e(b.0))</td><td>\(e(b.1))</td></tr>\n"
            }
            body += "<tr><td class=\"l\">\(e(f[3].0))</td><td colspan=\"3\">\(e(f[3].1))</td></tr>\n"
        }
        body += "</table>\n"
        body += "<h2>\(e(say(.facts, lang)))</h2>\n<p>\(e(summary))</p>\n"
        if let facts = agreement.facts { body += "<p>\(e(facts))</p>\n" }
        if !agreement.oral {
            body += "<h2>\(e(say(.responsibility, lang)))</h2>\n"
            body += "<p>\(e(agreement.responsibility ?? say(.blank, lang)))</p>\n"
        }
        body += "<h2>\(e(say(.agreedIntro, lang)))</h2>\n<p>\(e(agreement.terms))</p>\n"
        if let fen = agreement.amountFen { body += "<p>\(e(say(.amount(yuan(fen)), lang)))</p>\n" }
        body += "<h2>\(e(say(.performance, lang)))</h2>\n"
        if let due = Day(Substring(agreement.performBy)) { body += "<p>\(e(say(.performBy(due), lang)))</p>\n" }
        if agreement.oral {
            body += "<p>\(e(say(.oralEffect, lang)))</p>\n"
            body += "<div class=\"signatures\"><p>\(e(say(.mediatorSignature(mediator), lang)))</p>"
            body += "<p>\(e(committee))</p><p>\(e(say(.recordedOn(day), lang)))</p></div>\n"
        } else {
            body += "<p>\(e(say(.copies(parties.count + 1), lang)))</p>\n"
            body += "<p>\(e(say(.confirmation, lang)))</p>\n"
            body += "<div class=\"signatures\">\n<p>\(e(say(.partySignature, lang)))"
            for p in parties { body += "<span class=\"sign\">\(e(p.party.name))</span>" }
            body += "</p>\n<p>\(e(say(.mediatorSignature(mediator), lang)))</p>\n"
            body += "<p class=\"seal\">\(e(say(.seal(committee), lang)))</p>\n"
            body += "<p class=\"date\">\(e(say(.date(day), lang)))</p>\n</div>\n"
        }
        return HTML.page(
            title: say(agreement.oral ? .oralTitle : .title, lang) + " " + number, lang: lang,
            style: Self.style, body: body)
    }

    static let style = """
        @page { size: A4; margin: 20mm 18mm; }
        body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "SimSun", serif;
          font-size: 12pt; line-height: 1.6; color: #000; max-width: 174mm; margin: 0 auto; padding: 8mm 4mm; }
        @media print { body { padding: 0; max-width: none; font-size: 11pt; line-height: 1.5; } }
        h1 { text-align: center; font-size: 20pt; letter-spacing: 0.3em; margin: 0 0 4mm; }
        h2 { font-size: 1em; margin: 3mm 0 0.5mm; }
        p { margin: 1mm 0; white-space: pre-wrap; overflow-wrap: anywhere; }
        .number { text-align: right; }
        table.parties { width: 100%; border-collapse: collapse; }
        table.parties th { text-align: left; padding-top: 2mm; }
        table.parties td { border-bottom: 0.5pt solid #999; padding: 0.5mm 2mm; vertical-align: top; }
        table.parties td.l { width: 1%; white-space: nowrap; color: #333; }
        .signatures { margin-top: 6mm; page-break-inside: avoid; break-inside: avoid; }
        .sign { display: inline-block; min-width: 30mm; margin-left: 6mm; padding-top: 8mm;
          border-bottom: 0.5pt solid #000; color: #777; font-size: 9pt; vertical-align: bottom; }
        .seal, .date { text-align: right; }
        @media screen and (max-width: 600px) { body { padding: 4mm; font-size: 11pt; } }
        """
}

private func printAgreement(_ c: Context) throws -> Int32 {
    let number = try Input.caseNumber(c.args.positionals[0])
    let store = try c.openStore()
    let machine = try store.machine()
    let k = try store.requireCase(number)
    let actor = try c.actor(store)
    guard machine.mayReveal(k, to: actor) else {
        throw StoreError.rule(.outsideJurisdiction(unitCode: machine.organisation[k.unitID]?.code ?? "?"))
    }
    guard k.state.isResolved else { throw AgreementProblem.notResolved(number.description, k.state) }
    // The last agreement, and the unit that mediated it.
    var state: Case? = nil
    var found: (Agreement, Case, Int64)? = nil
    for e in try store.events(of: k.id) {
        let next = state.map { $0.applying(e.event) } ?? Case(id: k.id, filed: e.event)
        if case .resolved(let a) = e.event.change { found = (a, next, e.event.effectiveAt) }
        state = next
    }
    guard let (agreement, atResolution, when) = found else {
        throw AgreementProblem.notResolved(number.description, k.state)
    }
    // Chinese unless asked otherwise: it is a document of Chinese law.
    let lang = c.args.choice("lang", Lang.self) ?? .zh
    let day = c.zone.day(when)
    // A grid has no committee of its own: its community's committee signs (人民调解委员会
    // sit in the 村居 communities and the street).
    var committeeUnit = machine.organisation[atResolution.unitID]
    while let u = committeeUnit, u.level < machine.policy.communityRank, let parent = u.parentID {
        committeeUnit = machine.organisation[parent]
    }
    let unit = committeeUnit?.name ?? "?"
    let mediator = atResolution.assignee.map { login in (try? store.person(login))??.name ?? login } ?? "__________"
    let roles = k.parties.map { p in PartyRole(rawValue: p.role).map { $0.text(lang) } ?? p.role }
    let doc = AgreementDocument(
        number: number.description, agreement: agreement, parties: k.parties.map { Particulars(party: $0, day: day) },
        roles: roles, summary: k.summary, committee: AgreementWords.committee(unit).text(lang), mediator: mediator,
        day: day)
    c.write(c.format == .html ? doc.html(lang) : doc.text(lang))
    // The agreement lists the parties' phone and ID numbers in full: a reveal, recorded.
    try c.recordAccess(store, .reveal([k.number]))
    return Exit.ok
}
