import MediateCore
import MediateStore

let reportCommands: [Command] = [
    Command(
        name: "report", zh: "按网格统计（默认上个整月）", en: "per-grid statistics (default: the last full month)",
        usage:
            "[--month YYYY-MM|last|this | --from DATE --to DATE] [--unit CODE] [--as-of TIME] [--format text|csv|json]",
        options: [
            OptionSpec("month", "M", zh: "月份：YYYY-MM、last（上月）或 this（本月）", en: "month: YYYY-MM, last or this"),
            OptionSpec("from", "DATE", zh: "起始日（含）", en: "first day (inclusive)"),
            OptionSpec("to", "DATE", zh: "截止日（含）", en: "last day (inclusive)"),
            OptionSpec("unit", "CODE", zh: "只统计该单位及下属", en: "only this unit and below"),
            OptionSpec("as-of", "TIME", zh: "按某一时刻的记录统计", en: "count the events as they stood at this moment"),
        ], positionals: 0...0, run: report)
]

private func report(_ c: Context) throws -> Int32 {
    let store = try c.openStore()
    let policy = try store.policy()
    let org = try store.organisation()
    let now = try c.now()
    let (start, end, label) = try period(c, now: now)
    var scope: Int64? = nil
    if let code = c.args["unit"] {
        guard let unit = org.unit(code: code) else { throw StoreError.noSuchUnit(code) }
        scope = unit.id
    }
    // A period that has ended is counted as it stood at its end: the same bytes whenever run.
    // Events that took effect before the cutoff count; now's own events count too.
    var cutoff = min(end, now + 1)
    if let asOf = c.args["as-of"] { cutoff = min(end, try Input.moment(asOf, field: "as-of") + 1) }
    let current = try store.report(start: start, end: end, cutoff: cutoff, scope: scope)
    let length = end - start
    let previousStart = label.month.map { LocalTime.monthStart(year: $0.year, month: $0.month - 1) } ?? (start - length)
    let previous = try store.report(start: previousStart, end: start, cutoff: min(start, cutoff), scope: scope)
    let zone = try store.setting("timezone")
    let view = ReportView(
        c: c, policy: policy, org: org, report: current, previous: previous.total, title: label.text, zone: zone)
    switch c.format {
    case .json: c.printJSON(view.json())
    case .csv: c.write(view.csv())
    case .text: c.write(view.text())
    }
    return Exit.ok
}

/// The period asked for: [start, end) and how to name it.
private func period(_ c: Context, now: Int64) throws -> (Int64, Int64, (text: String, month: (year: Int, month: Int)?))
{
    if c.args.has("from") || c.args.has("to") {
        guard !c.args.has("month") else {
            throw c.usage("--month 与 --from/--to 只能选一种。", "Give either --month or --from/--to, not both.")
        }
        let from = try Input.day(try c.required("from"), field: "from")
        let to = try Input.day(try c.required("to"), field: "to")
        guard from <= to else { throw c.usage("--from 不能晚于 --to。", "--from must not be after --to.") }
        return (LocalTime.instant(from), LocalTime.endOfDay(to), ("\(from) – \(to)", nil))
    }
    let today = LocalTime.day(now)
    var (year, month) = (today.year, today.month - 1)
    switch c.args["month"] {
    case nil, "last": break
    case "this": month += 1
    case let text?:
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            text.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (48...57).contains($0) }),
            let y = Int(parts[0]), let m = Int(parts[1]),
            (1...12).contains(m), Day.writable.contains(y)
        else {
            throw c.usage(
                "--month '\(echo(text))' 无效：请写 YYYY-MM（如 2026-10，1900–2999 年）、last 或 this。",
                "--month '\(echo(text))' is not valid: write YYYY-MM (like 2026-10, years 1900–2999), last or this.")
        }
        (year, month) = (y, m)
    }
    if month == 0 { (year, month) = (year - 1, 12) }
    let start = LocalTime.monthStart(year: year, month: month)
    let end = LocalTime.monthStart(year: year, month: month + 1)
    return (start, end, (LocalTime.day(start).description.prefix(7).description, (year, month)))
}

/// Renders a report as an aligned table, CSV or JSON. Aggregates only: no names,
/// phones or ID numbers of any party ever reach a report.
private struct ReportView {
    let c: Context
    let policy: Policy
    let org: Organisation
    let report: Report
    let previous: Figures
    let title: String
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

    /// The figure columns: header (zh, en), the cell for the table and CSV, the JSON value.
    var columns: [(zh: String, en: String, cell: (Figures) -> String, json: (Figures) -> JSON)] {
        func count(_ zh: String, _ en: String, _ get: @escaping (Figures) -> Int) -> (
            String, String, (Figures) -> String, (Figures) -> JSON
        ) {
            (zh, en, { String(get($0)) }, { .int(Int64(get($0))) })
        }
        func ratio(_ zh: String, _ en: String, _ get: @escaping (Figures) -> Double?) -> (
            String, String, (Figures) -> String, (Figures) -> JSON
        ) {
            (zh, en, { rate(get($0)) }, { f in get(f).map { .double(($0 * 10000).rounded() / 10000) } ?? .null })
        }
        return [
            count("受理", "filed", \.filed),
            count("化解", "resolved", \.resolved),
            ratio("化解率", "rate", \.resolutionRate),
            count("网格内化解", "in grid", \.resolvedInGrid),
            ratio("网格内化解率", "in-grid rate", \.inGridRate),
            count("上报社区", "to community", \.escalated),
            count("上交", "left/referred", \.leftCommunity),
            count("违规上报", "breaches", \.breaches),
            count("未结", "open", \.stillOpen),
            count("逾期", "overdue", \.overdue),
            (
                "化解天数中位", "median days", { days($0.medianDays) },
                { f in f.medianDays.map { .double(($0 * 10).rounded() / 10) } ?? .null }
            ),
            ratio("满意率", "satisfied", \.satisfactionRate),
        ]
    }

    func unitLabel(_ unit: Unit) -> String {
        unit.level == lowest
            ? "\(unit.code) \(unit.name)"
            : "\(unit.code) \(unit.name) " + (unit.parentID == nil ? c.t("合计", "total") : c.t("小计", "subtotal"))
    }

    func termName(_ code: String, _ terms: [Term]) -> String {
        terms.first { $0.code == code }.map { c.lang == .zh ? $0.nameZh : $0.nameEn } ?? code
    }

    func header() -> String {
        let place = report.rows.last.map { "\($0.unit.code) \($0.unit.name)" } ?? ""
        return c.t("人民调解统计 \(title) \(place)", "Mediation report \(title) \(place)") + "\n"
            + c.t(
                "按案件发生地网格统计 \(LocalTime.minute(report.start)) 至 \(LocalTime.minute(report.end)) 登记的案件，截至 \(LocalTime.minute(report.cutoff))",
                "Cases filed \(LocalTime.minute(report.start)) to \(LocalTime.minute(report.end)) by origin grid, as of \(LocalTime.minute(report.cutoff))"
            )
            + " (\(zone ?? c.t("系统时区", "system time zone")))\n"
    }

    func text() -> String {
        var out = header() + "\n"
        var table = TextTable(
            headers: [c.t("单位", "unit")] + columns.map { c.t($0.zh, $0.en) },
            alignments: [.left] + columns.map { _ in .right })
        var previousWasGrid = false
        for row in report.rows {
            let isGrid = row.unit.level == lowest
            // A rule above each subtotal that follows grid rows, and one below every subtotal.
            if !isGrid && previousWasGrid { table.addSeparator() }
            table.add([unitLabel(row.unit)] + columns.map { $0.cell(row.figures) })
            if !isGrid { table.addSeparator() }
            previousWasGrid = isGrid
        }
        out += table.rendered()
        let t = report.total
        out += c.t(
            "受理 = 化解 + 未结 + 移交 + 撤回：\(t.filed) = \(t.resolved) + \(t.stillOpen) + \(t.referred) + \(t.withdrawn)\n",
            "filed = resolved + open + referred + withdrawn: \(t.filed) = \(t.resolved) + \(t.stillOpen) + \(t.referred) + \(t.withdrawn)\n"
        )
        for (heading, groups, terms) in [
            (c.t("按类别", "By category"), report.byCategory, policy.categories),
            (c.t("按来源", "By source"), report.bySource, policy.sources),
        ] {
            out += "\n" + heading + "\n"
            var split = TextTable(
                headers: [
                    heading == c.t("按类别", "By category") ? c.t("类别", "category") : c.t("来源", "source"),
                    c.t("受理", "filed"), c.t("化解", "resolved"), c.t("化解率", "rate"), c.t("上交", "left/referred"),
                ], alignments: [.left, .right, .right, .right, .right])
            for g in groups {
                split.add([
                    termName(g.code, terms), String(g.figures.filed), String(g.figures.resolved),
                    rate(g.figures.resolutionRate), String(g.figures.leftCommunity),
                ])
            }
            if groups.isEmpty { split.add([c.t("（无）", "(none)"), "0", "0", "—", "0"]) }
            out += split.rendered()
        }
        out += "\n" + c.t("与上期比较", "Against the previous period") + "\n"
        var change = TextTable(
            headers: ["", c.t("本期", "this"), c.t("上期", "previous"), c.t("增减", "change")],
            alignments: [.left, .right, .right, .right])
        for (name, now, before) in [
            (c.t("受理", "filed"), t.filed, previous.filed), (c.t("化解", "resolved"), t.resolved, previous.resolved),
            (c.t("网格内化解", "resolved in grid"), t.resolvedInGrid, previous.resolvedInGrid),
            (c.t("上交", "left/referred"), t.leftCommunity, previous.leftCommunity),
            (c.t("违规上报", "breaches"), t.breaches, previous.breaches),
        ] {
            change.add([name, String(now), String(before), (now >= before ? "+" : "") + String(now - before)])
        }
        out += change.rendered()
        out +=
            "\n"
            + c.t(
                "协议 \(t.agreements) 份（书面 \(t.agreements - t.oralAgreements)、口头 \(t.oralAgreements)），协议金额合计 \(yuan(t.amountFen)) 元\n",
                "Agreements: \(t.agreements) (written \(t.agreements - t.oralAgreements), oral \(t.oralAgreements)); agreed amounts: ¥\(yuan(t.amountFen))\n"
            )
        return out
    }

    func csv() -> String {
        var out = CSV.record(
            ["kind", "code", "name"] + columns.map(\.en) + ["referred", "withdrawn", "agreements", "amount_yuan"])
        func line(_ kind: String, _ code: String, _ name: String, _ f: Figures) -> String {
            CSV.record(
                [kind, code, name] + columns.map { $0.cell(f) } + [
                    String(f.referred), String(f.withdrawn), String(f.agreements), yuan(f.amountFen),
                ])
        }
        for row in report.rows {
            let kind = policy.level(row.unit.level)?.code ?? String(row.unit.level)
            out += line(kind, row.unit.code, row.unit.name, row.figures)
        }
        for g in report.byCategory { out += line("category", g.code, termName(g.code, policy.categories), g.figures) }
        for g in report.bySource { out += line("source", g.code, termName(g.code, policy.sources), g.figures) }
        out += line("previous", "", title, previous)
        return out
    }

    func json() -> JSON {
        func figures(_ f: Figures) -> JSON {
            .object(
                zip(columns.map(\.en), columns.map { $0.json(f) }).map { (key($0), $1) } + [
                    ("referred", .int(Int64(f.referred))), ("withdrawn", .int(Int64(f.withdrawn))),
                    ("agreements", .int(Int64(f.agreements))), ("oral_agreements", .int(Int64(f.oralAgreements))),
                    ("amount_fen", .int(f.amountFen)),
                ])
        }
        func key(_ en: String) -> String {
            [
                "filed": "filed", "resolved": "resolved", "rate": "resolution_rate", "in grid": "resolved_in_grid",
                "in-grid rate": "in_grid_rate", "to community": "escalated", "left/referred": "left_or_referred",
                "breaches": "breaches", "open": "still_open", "overdue": "overdue", "median days": "median_days",
                "satisfied": "satisfaction_rate",
            ][en] ?? en
        }
        return .object([
            (
                "period",
                .object([("from", .string(LocalTime.iso(report.start))), ("to", .string(LocalTime.iso(report.end)))])
            ),
            ("as_of", .string(LocalTime.iso(report.cutoff))),
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
            ("previous", figures(previous)),
        ])
    }
}
