import MediateCore
import MediateStore

let reportCommands: [Command] = [
    Command(
        name: "report", help: .commandReport,
        options: [
            Option("month", .month, .optionMonth), Option("from", .day, .optionFrom), Option("to", .day, .optionToDay),
            Option("unit", .code(.unitCode), .optionUnitOnly), Option("as-of", .moment, .optionAsOf),
            Option("bom", help: DeskHelp.optionBom), Option("width", .count(40...1000), help: DeskHelp.optionWidth),
        ], formats: [.text, .csv, .json, .html],
        validate: { args throws(Problem) in
            if args.has("month") && (args.has("from") || args.has("to")) { throw .notTogether("month", "from/--to") }
            if args.has("from") != args.has("to") {
                throw .missingOption(args.has("from") ? "to" : "from", "DATE")
            }
            if let from = args.day("from"), let to = args.day("to"), from > to {
                throw .fromAfterTo(from: "from", to: "to")
            }
            if args.has("bom"), let format = args.choice("format", Format.self), format != .csv {
                throw .notTogether("bom", "format \(format.code)")
            }
        }, run: report)
]

private func report(_ c: Context) throws -> Int32 {
    let store = try c.openStore(readOnly: true)
    let now = try c.now()
    let z = c.zone
    let period = Period(c.args, now: now, zone: z)
    // A period that has ended is counted as it stood at its end: the same bytes whenever run.
    // Events that took effect before the cutoff count; now's own events count too.
    var cutoff = min(period.end, now + 1)
    if let asOf = c.args.moment("as-of") { cutoff = min(period.end, asOf.instant(in: z) + 1) }
    let previousPeriod = period.previous(zone: z)
    // The policy and the tree, read once, then the period, the one before and the honest
    // figures: all as of one moment.
    let unitCode = c.args.text("unit")
    let (policy, org, scope, current, previous, figures) = try store.snapshot { () throws(StoreError) in
        let policy = try store.policy()
        let org = try store.organisation()
        var scope: Int64? = nil
        if let code = unitCode {
            guard let unit = org.unit(code: code) else { throw StoreError.noSuchUnit(code) }
            scope = unit.id
        }
        return (
            policy, org, scope,
            try store.report(
                start: period.start, end: period.end, cutoff: cutoff, scope: scope, policy: policy, org: org),
            try store.report(
                start: previousPeriod.start, end: previousPeriod.end, cutoff: min(period.start, cutoff), scope: scope,
                policy: policy, org: org),
            try store.honestFigures(start: period.start, end: period.end, cutoff: cutoff, policy: policy)
        )
    }
    let view = ReportView(
        c: c, policy: policy, org: org, report: current, previous: previous.total, period: period,
        previousPeriod: previousPeriod, zone: try store.setting("timezone"))
    let honest = HonestSection(c: c, org: org, scope: scope, figures: figures)
    switch c.format {
    case .json:
        guard case .object(let fields) = view.json() else { return Exit.ok }
        c.printJSON(.object(fields + [("honest", honest.json())]))
    // A byte-order mark tells spreadsheets on Chinese Windows that the file is UTF-8.
    case .csv: c.write((c.args.has("bom") ? "\u{FEFF}" : "") + view.csv())
    case .html: c.write(view.html(honest: honest.html()))
    case .text, .jsonl:  // jsonl is not offered: see `formats`
        let width = c.args.count("width") ?? c.outputWidth
        c.write(view.text(width: width) + honest.text(width: width))
    }
    return Exit.ok
}

/// The period a report counts: [start, end), a month or a run of days.
struct Period {
    let start: Int64
    let end: Int64
    /// The calendar month, when the period is one.
    let month: (year: Int, month: Int)?
    let firstDay: Day
    let lastDay: Day

    init(start: Int64, end: Int64, month: (year: Int, month: Int)?, zone: Zone) {
        self.start = start
        self.end = end
        self.month = month
        self.firstDay = zone.day(start)
        self.lastDay = zone.day(end - 1)
    }

    /// The period the options name: `--from/--to`, else `--month` (default: last month).
    init(_ args: Arguments, now: Int64, zone: Zone) {
        if let from = args.day("from"), let to = args.day("to") {
            self.init(start: zone.instant(from), end: zone.endOfDay(to), month: nil, zone: zone)
            return
        }
        let today = zone.day(now)
        var (year, month) = (today.year, today.month - 1)
        switch args.month("month") ?? .last {
        case .last: break
        case .this: month += 1
        case .month(let y, let m): (year, month) = (y, m)
        }
        if month == 0 { (year, month) = (year - 1, 12) }
        self.init(
            start: zone.monthStart(year: year, month: month), end: zone.monthStart(year: year, month: month + 1),
            month: (year, month), zone: zone)
    }

    /// The month before, or the run of days of the same length just before.
    func previous(zone: Zone) -> Period {
        if let (y, m) = month {
            let (py, pm) = m == 1 ? (y - 1, 12) : (y, m - 1)
            return Period(
                start: zone.monthStart(year: py, month: pm), end: start, month: (py, pm), zone: zone)
        }
        return Period(start: start - (end - start), end: start, month: nil, zone: zone)
    }

    /// `2026-10` for a month, `2026-10-01 – 2026-10-31` otherwise: the short name.
    var code: String {
        if let (y, m) = month { return LocalTime.pad(y, 4) + "-" + LocalTime.pad(m, 2) }
        return "\(firstDay) – \(lastDay)"
    }
}

/// Renders a report as an aligned table, CSV or JSON. Aggregates only: no names,
/// phones or ID numbers of any party ever reach a report.
struct ReportView {
    let c: Context
    let policy: Policy
    let org: Organisation
    let report: Report
    let previous: Figures
    let period: Period
    let previousPeriod: Period
    let zone: String?

    var lowest: Int { policy.lowestRank }

    func rate(_ r: Double?) -> String {
        guard let r else { return "—" }
        let tenths = Int((r * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    func days(_ d: Double?) -> String {
        guard let d else { return "—" }
        let tenths = Int((d * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// A figure column: its heading, its JSON key, its cell for the table, its value
    /// for CSV (a number as a number, a rate as a decimal, empty for no denominator)
    /// and for JSON.
    struct Column {
        let label: Label
        let key: String
        let cell: (Figures) -> String
        let number: (Figures) -> JSON
    }

    var columns: [Column] {
        func count(_ label: Label, _ key: String, _ get: @escaping (Figures) -> Int) -> Column {
            Column(label: label, key: key, cell: { String(get($0)) }, number: { .int(Int64(get($0))) })
        }
        func ratio(_ label: Label, _ key: String, _ get: @escaping (Figures) -> Double?) -> Column {
            Column(
                label: label, key: key, cell: { rate(get($0)) },
                number: { f in get(f).map { .double(($0 * 10000).rounded() / 10000) } ?? .null })
        }
        return [
            count(.registered, "filed", \.filed),
            count(.resolved, "resolved", \.resolved),
            ratio(.resolutionRate, "resolution_rate", \.resolutionRate),
            count(.inGrid, "resolved_in_grid", \.resolvedInGrid),
            ratio(.inGridRate, "in_grid_rate", \.inGridRate),
            count(.toCommunity, "escalated", \.escalated),
            count(.leftOrReferred, "left_or_referred", \.leftCommunity),
            count(.breaches, "breaches", \.breaches),
            count(.stillOpen, "still_open", \.stillOpen),
            count(.overdueCount, "overdue", \.overdue),
            Column(
                label: .medianDays, key: "median_days", cell: { days($0.medianDays) },
                number: { f in f.medianDays.map { .double(($0 * 10).rounded() / 10) } ?? .null }),
            ratio(.satisfactionRate, "satisfaction_rate", \.satisfactionRate),
            count(.followUpsDone, "followed_up", \.followedUp),
            ratio(.performanceRate, "performance_rate", \.performanceRate),
        ]
    }

    func unitLabel(_ unit: Unit) -> String {
        guard unit.level != lowest else { return "\(unit.code) \(unit.name)" }
        return "\(unit.code) \(unit.name) " + c.say(unit.parentID == nil ? Label.total : .subtotal)
    }

    func termName(_ code: String, _ terms: [Term]) -> String {
        terms.first { $0.code == code }.map { c.lang == .zh ? $0.nameZh : $0.nameEn } ?? code
    }

    /// The unit the report covers, by its name: the scope, or the root of the tree.
    var place: String { report.rows.last?.unit.name ?? "" }

    /// The report's title: the unit by its name and the period as people write it.
    var title: String { c.say(Said.reportTitle(c.say(PeriodName(period)), place)) }

    func header(width: Int? = nil) -> String {
        let z = c.zone
        let scope = c.say(
            Said.reportScope(PeriodName(period), asOf: z.minute(report.cutoff), zone: zone ?? c.say(Label.systemZone)))
        return title + "\n" + wrap(scope, width) + "\n"
    }

    /// The grid table with the figure columns `chosen`, the unit column first.
    func table(_ chosen: [Column]) -> String {
        var table = TextTable(
            headers: [c.say(Label.unit)] + chosen.map { c.say($0.label) },
            alignments: [.left] + chosen.map { _ in .right })
        var previousWasGrid = false
        for row in report.rows {
            let isGrid = row.unit.level == lowest
            // A rule above each subtotal that follows grid rows, and one below every subtotal.
            if !isGrid && previousWasGrid { table.addSeparator() }
            table.add([unitLabel(row.unit)] + chosen.map { $0.cell(row.figures) })
            if !isGrid { table.addSeparator() }
            previousWasGrid = isGrid
        }
        return table.rendered()
    }

    /// The grid table in blocks no wider than `width`, each keeping the unit column;
    /// one block when there is room (or no width: a pipe or a file).
    func tableBlocks(width: Int?) -> String {
        let whole = table(columns)
        guard let width, whole.split(separator: "\n").contains(where: { String($0).displayWidth > width }) else {
            return whole
        }
        let unitWidth = max(
            c.say(Label.unit).displayWidth, report.rows.map { unitLabel($0.unit).displayWidth }.max() ?? 0)
        var blocks: [[Column]] = [[]]
        var used = unitWidth
        for column in columns {
            let w =
                max(
                    c.say(column.label).displayWidth,
                    report.rows.map { column.cell($0.figures).displayWidth }.max() ?? 0)
                + 2
            if used + w > width && !blocks[blocks.count - 1].isEmpty {
                blocks.append([])
                used = unitWidth
            }
            blocks[blocks.count - 1].append(column)
            used += w
        }
        return blocks.map(table).joined(separator: "\n")
    }

    func text(width: Int? = nil) -> String {
        var out = header(width: width) + "\n"
        out += tableBlocks(width: width)
        let t = report.total
        out += wrap(c.say(Said.reportBalance(t.filed, t.resolved, t.stillOpen, t.referred, t.withdrawn)), width) + "\n"
        for (heading, groups, terms) in [
            (Label.byCategory, report.byCategory, policy.categories), (.bySource, report.bySource, policy.sources),
        ] {
            out += "\n" + c.say(heading) + "\n"
            var split = TextTable(
                headers: [
                    heading == .byCategory ? Label.category : .source, .registered, .resolved, .resolutionRate,
                    .leftOrReferred,
                ].map(c.say),
                alignments: [.left, .right, .right, .right, .right])
            for g in groups {
                split.add([
                    termName(g.code, terms), String(g.figures.filed), String(g.figures.resolved),
                    rate(g.figures.resolutionRate), String(g.figures.leftCommunity),
                ])
            }
            if groups.isEmpty { split.add([c.say(Label.none), "0", "0", "—", "0"]) }
            out += split.rendered()
        }
        out += "\n" + c.say(Said.againstPrevious(PeriodName(previousPeriod))) + "\n"
        var change = TextTable(
            headers: ["", c.say(Label.thisPeriod), c.say(Label.previousPeriod), c.say(Label.change)],
            alignments: [.left, .right, .right, .right])
        for (label, now, before) in [
            (Label.registered, t.filed, previous.filed), (.resolved, t.resolved, previous.resolved),
            (.resolvedInGrid, t.resolvedInGrid, previous.resolvedInGrid),
            (.leftOrReferred, t.leftCommunity, previous.leftCommunity), (.breaches, t.breaches, previous.breaches),
        ] {
            change.add([c.say(label), String(now), String(before), (now >= before ? "+" : "") + String(now - before)])
        }
        out += change.rendered()
        out += "\n" + c.say(Said.agreementsLine(t.agreements, oral: t.oralAgreements, yuan(t.amountFen))) + "\n"
        return out
    }

    /// The table's cells, one line a unit, category or source, with the headings and
    /// the kinds of row in the user's language; the last line is the previous period's.
    /// A figure as a spreadsheet reads it: a number, a rate as a decimal, empty for none.
    func plain(_ value: JSON) -> String {
        switch value {
        case .null: ""
        default: value.rendered()
        }
    }

    func csv() -> String {
        let extra: [Label] = [.referred, .withdrawn, .agreements, .amountColumn]
        var out = CSV.safeRecord(
            [Label.kind, .code, .name].map(c.say) + columns.map { c.say($0.label) } + extra.map(c.say))
        func line(_ kind: String, _ code: String, _ name: String, _ f: Figures) -> String {
            CSV.safeRecord(
                [kind, code, name] + columns.map { plain($0.number(f)) } + [
                    String(f.referred), String(f.withdrawn), String(f.agreements), yuan(f.amountFen),
                ])
        }
        let names = Names(policy: policy, lang: c.lang)
        for row in report.rows {
            let kind = c.lang == .zh ? names.level(row.unit.level) : policy.level(row.unit.level)?.code ?? ""
            out += line(kind, row.unit.code, row.unit.name, row.figures)
        }
        let category = c.lang == .zh ? c.say(Label.category) : "category"
        let source = c.lang == .zh ? c.say(Label.source) : "source"
        for g in report.byCategory { out += line(category, g.code, termName(g.code, policy.categories), g.figures) }
        for g in report.bySource { out += line(source, g.code, termName(g.code, policy.sources), g.figures) }
        out += line(c.lang == .zh ? c.say(Label.previousPeriod) : "previous", "", previousPeriod.code, previous)
        return out
    }

    func json() -> JSON {
        func figures(_ f: Figures) -> JSON {
            .object(
                columns.map { ($0.key, $0.number(f)) } + [
                    ("referred", .int(Int64(f.referred))), ("withdrawn", .int(Int64(f.withdrawn))),
                    ("agreements", .int(Int64(f.agreements))), ("oral_agreements", .int(Int64(f.oralAgreements))),
                    ("amount_fen", .int(f.amountFen)),
                ])
        }
        func span(_ p: Period) -> JSON {
            .object([
                ("from", .string(c.zone.iso(p.start))), ("to", .string(c.zone.iso(p.end))),
                ("first_day", .string(p.firstDay.description)), ("last_day", .string(p.lastDay.description)),
            ])
        }
        return .object([
            ("period", span(period)),
            ("as_of", .string(c.zone.iso(report.cutoff))),
            ("timezone", zone.map(JSON.string) ?? .null),
            (
                "units",
                .array(
                    report.rows.map { row in
                        .object([
                            ("code", .string(row.unit.code)), ("name", .string(row.unit.name)),
                            ("level", .string(policy.level(row.unit.level)?.code ?? "")),
                            ("parent", row.unit.parentID.flatMap { org[$0]?.code }.map(JSON.string) ?? .null),
                            ("figures", figures(row.figures)),
                        ])
                    })
            ),
            ("total", figures(report.total)),
            (
                "by_category",
                .array(
                    report.byCategory.map { .object([("code", .string($0.code)), ("figures", figures($0.figures))]) })
            ),
            (
                "by_source",
                .array(report.bySource.map { .object([("code", .string($0.code)), ("figures", figures($0.figures))]) })
            ),
            ("previous_period", span(previousPeriod)),
            ("previous", figures(previous)),
        ])
    }
}

/// A sentence broken into lines of at most `width` columns: at a space where there is
/// one, else between characters (Chinese has no spaces); whole when no width is given.
func wrap(_ text: String, _ width: Int?) -> String {
    guard let width, text.displayWidth > width else { return text }
    var lines: [String] = []
    var line = ""
    var lastSpace: String.Index? = nil
    for ch in text {
        if (line + String(ch)).displayWidth > width {
            if let space = lastSpace, ch != " " {
                lines.append(String(line[..<space]))
                line = String(line[line.index(after: space)...])
            } else {
                lines.append(line)
                line = ""
            }
            lastSpace = nil
            if ch == " " { continue }
        }
        if ch == " " { lastSpace = line.endIndex }
        line.append(ch)
    }
    if !line.isEmpty { lines.append(line) }
    return lines.map { $0.trimmingWhitespace() }.joined(separator: "\n")
}
