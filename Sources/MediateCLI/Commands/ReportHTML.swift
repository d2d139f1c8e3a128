import MediateCore
import MediateStore

/// A horizontal bar chart as inline SVG. Its label and note columns are as wide as
/// their longest text (a CJK character counts two columns), and the drawing scales
/// as a whole, so that no text is ever clipped, on paper or on a phone.
struct BarChart {
    struct Row {
        let label: String
        /// Each bar's value and its CSS class.
        let bars: [(Double, String)]
        let note: String
    }

    let title: String
    let legend: [(String, String)]
    let rows: [Row]
    let maximum: Double

    static let font = 14.0
    /// The width of one display column of text at `font`: CJK characters are two.
    static let column = 7.8

    func svg() -> String {
        func e(_ s: String) -> String { HTML.escape(s) }
        func n(_ v: Double) -> String { String(Int(v.rounded())) }
        let labelWidth = Double(rows.map(\.label.displayWidth).max() ?? 4) * Self.column + 14
        let noteWidth = Double(rows.map(\.note.displayWidth).max() ?? 4) * Self.column + 14
        let barArea = 320.0
        let barHeight = 12.0
        let rowHeight = Double(max(1, rows.first?.bars.count ?? 1)) * (barHeight + 3) + 12
        let legendHeight = legend.isEmpty ? 0.0 : 26
        let width = labelWidth + barArea + noteWidth
        let height = legendHeight + rowHeight * Double(max(rows.count, 1)) + 8
        var out = "<figure>\n<figcaption>\(e(title))</figcaption>\n"
        out +=
            "<svg viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"100%\" style=\"max-width:\(n(width))px\" role=\"img\" aria-label=\"\(e(title))\">\n"
        var x = labelWidth
        for (name, cls) in legend {
            out += "<rect class=\"\(cls)\" x=\"\(n(x))\" y=\"6\" width=\"14\" height=\"12\"/>"
            out += "<text x=\"\(n(x + 20))\" y=\"17\">\(e(name))</text>\n"
            x += 20 + Double(name.displayWidth) * Self.column + 18
        }
        for (i, row) in rows.enumerated() {
            let top = legendHeight + Double(i) * rowHeight + 4
            let middle = top + rowHeight / 2
            out +=
                "<text x=\"\(n(labelWidth - 8))\" y=\"\(n(middle + 5))\" text-anchor=\"end\">\(e(row.label))</text>\n"
            for (j, (value, cls)) in row.bars.enumerated() {
                let w = maximum > 0 ? max(0, min(1, value / maximum)) * barArea : 0
                let y = top + 6 + Double(j) * (barHeight + 3)
                out +=
                    "<rect class=\"\(cls)\" x=\"\(n(labelWidth))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(barHeight))\"/>\n"
            }
            out +=
                "<line class=\"axis\" x1=\"\(n(labelWidth))\" x2=\"\(n(labelWidth))\" y1=\"\(n(top))\" y2=\"\(n(top + rowHeight))\"/>\n"
            out += "<text x=\"\(n(labelWidth + barArea + 8))\" y=\"\(n(middle + 5))\">\(e(row.note))</text>\n"
        }
        return out + "</svg>\n</figure>\n"
    }
}

extension ReportView {
    func word(_ w: ReportPageWords) -> String { c.say(w) }

    /// The report as one self-contained page: the figures, then three inline SVG charts.
    /// No script, no fetch; readable in print and on a phone.
    func html(honest: String = "") -> String {
        func e(_ s: String) -> String { HTML.escape(s) }
        var body = "<h1>\(e(title))</h1>\n"
        let scope = header().split(separator: "\n").dropFirst().joined(separator: " ")
        body += "<p class=\"scope\">\(e(scope))</p>\n"

        // Per grid: registered and resolved, with the resolution rate.
        let grids = report.rows.filter { $0.unit.level == lowest }
        let most = Double(grids.map(\.figures.filed).max() ?? 0)
        body += BarChart(
            title: word(.perGridChart),
            legend: [(word(.registered), "filed"), (word(.resolved), "done")],
            rows: grids.map { r in
                BarChart.Row(
                    label: "\(r.unit.code) \(r.unit.name)",
                    bars: [(Double(r.figures.filed), "filed"), (Double(r.figures.resolved), "done")],
                    note: "\(r.figures.filed) / \(r.figures.resolved) · \(rate(r.figures.resolutionRate))")
            }, maximum: max(most, 1)
        ).svg()

        // Per community: the share resolved inside the grid, and breaches.
        let communities = report.rows.filter { $0.unit.level == policy.communityRank }
        body += BarChart(
            title: word(.perCommunityChart), legend: [(word(.inGridShare), "grid")],
            rows: communities.map { r in
                BarChart.Row(
                    label: "\(r.unit.code) \(r.unit.name)", bars: [(r.figures.inGridRate ?? 0, "grid")],
                    note: "\(rate(r.figures.inGridRate)) · \(word(.breaches)) \(r.figures.breaches)")
            }, maximum: 1
        ).svg()

        // This period against the previous one.
        let t = report.total
        let pairs: [(Label, Int, Int)] = [
            (.registered, t.filed, previous.filed), (.resolved, t.resolved, previous.resolved),
            (.resolvedInGrid, t.resolvedInGrid, previous.resolvedInGrid),
            (.leftOrReferred, t.leftCommunity, previous.leftCommunity), (.breaches, t.breaches, previous.breaches),
        ]
        let top = Double(pairs.map { max($0.1, $0.2) }.max() ?? 0)
        body += BarChart(
            title: word(.againstPreviousChart),
            legend: [(word(.thisPeriod), "now"), (word(.previousPeriod) + " " + previousPeriod.code, "before")],
            rows: pairs.map { label, now, before in
                BarChart.Row(
                    label: c.say(label), bars: [(Double(now), "now"), (Double(before), "before")],
                    note: "\(now) / \(before) (\(now >= before ? "+" : "")\(now - before))")
            }, maximum: max(top, 1)
        ).svg()

        // The figures.
        body +=
            "<h2>\(e(word(.figuresTable)))</h2>\n<div class=\"table\"><table>\n<thead><tr><th>\(e(c.say(Label.unit)))</th>"
        for col in columns { body += "<th>\(e(c.say(col.label)))</th>" }
        body += "</tr></thead>\n<tbody>\n"
        for row in report.rows {
            let cls = row.unit.level == lowest ? "" : " class=\"sub\""
            body += "<tr\(cls)><td>\(e(unitLabel(row.unit)))</td>"
            for col in columns { body += "<td>\(e(col.cell(row.figures)))</td>" }
            body += "</tr>\n"
        }
        body += "</tbody></table></div>\n"
        body += "<p>\(e(c.say(Said.reportBalance(t.filed, t.resolved, t.stillOpen, t.referred, t.withdrawn))))</p>\n"
        body += "<p>\(e(c.say(Said.agreementsLine(t.agreements, oral: t.oralAgreements, yuan(t.amountFen)))))</p>\n"
        // The honest figures, as the text report prints them under its tables.
        body += honest
        return HTML.page(
            title: title, lang: c.lang, style: Self.pageStyle, body: body)
    }

    static let pageStyle = """
        @page { size: A4; margin: 15mm 12mm; }
        body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
          font-size: 14px; line-height: 1.5; color: #111; margin: 0 auto; padding: 12px; max-width: 1000px; }
        h1 { font-size: 20px; margin: 0 0 4px; }
        h2 { font-size: 16px; margin: 18px 0 6px; }
        .scope { color: #444; margin: 0 0 12px; }
        figure { margin: 14px 0; break-inside: avoid; page-break-inside: avoid; }
        figcaption { font-weight: bold; margin-bottom: 4px; }
        svg { display: block; height: auto; }
        svg text { font-family: inherit; font-size: 14px; fill: #111; }
        rect.filed { fill: #9ecae1; } rect.done { fill: #08519c; } rect.grid { fill: #31a354; }
        rect.now { fill: #08519c; } rect.before { fill: #bdbdbd; }
        line.axis { stroke: #555; stroke-width: 1; }
        .table { overflow-x: auto; }
        table { border-collapse: collapse; font-size: 12px; }
        th, td { border: 1px solid #bbb; padding: 3px 6px; white-space: nowrap; }
        td + td { text-align: right; }
        tr.sub td { font-weight: bold; background: #f2f2f2; }
        .honest p { margin: 2px 0; }
        @media print { body { max-width: none; padding: 0; } .table { overflow: visible; }
          table { font-size: 9px; } th, td { padding: 2px 3px; } .honest p { margin: 0; font-size: 11px; } }
        """
}
