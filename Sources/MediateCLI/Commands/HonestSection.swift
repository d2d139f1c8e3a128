import MediateCore
import MediateStore

/// The report's honest figures, under its tables: per grid, records entered late (补录)
/// and escalations a severity raised shortly before made permitted; per unit, reveals
/// of residents' numbers. So 小事不出网格 cannot be met by relabelling or by paperwork.
struct HonestSection {
    let c: Context
    let org: Organisation
    let scope: Int64?
    let figures: HonestFigures

    private func inScope(_ unit: Int64) -> Bool { scope.map { org.contains($0, unit) } ?? true }

    /// Grids with something to say, in tree order.
    private var grids: [Unit] {
        org.treeOrder().filter {
            inScope($0.id) && (figures.backDated[$0.id] != nil || figures.relabelled[$0.id] != nil)
        }
    }

    /// Units whose people revealed numbers, by code ("" for the whole deployment).
    private var reveals: [(String, Int)] {
        figures.reveals.filter { code, _ in
            code.isEmpty ? scope == nil : org.unit(code: code).map { inScope($0.id) } ?? false
        }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The section as text, its sentences wrapped to `width` like the report's.
    func text(width: Int? = nil) -> String {
        text().split(separator: "\n", omittingEmptySubsequences: false).map { wrap(String($0), width) }
            .joined(separator: "\n")
    }

    private func text() -> String {
        "\n" + c.say(TrustSaid.honestHeading) + "\n" + sentences.map { "  " + $0 + "\n" }.joined()
    }

    /// The section's sentences, one a grid or unit, or the one saying there is nothing.
    private var sentences: [String] {
        let grids = grids
        let reveals = reveals
        if grids.isEmpty && reveals.isEmpty {
            return [c.say(TrustSaid.honestNothing).trimmingWhitespace()]
        }
        var out: [String] = []
        for g in grids {
            out.append(
                c.say(
                    TrustSaid.honestGrid(
                        "\(g.code) \(g.name)", backDated: figures.backDated[g.id] ?? 0,
                        relabelled: figures.relabelled[g.id] ?? 0)))
        }
        for (code, count) in reveals {
            let name = org.unit(code: code).map { "\($0.code) \($0.name)" } ?? c.say(TrustSaid.wholeDeployment)
            out.append(c.say(TrustSaid.honestReveals(name, count)))
        }
        return out
    }

    /// The section on the report's page: its heading and one line a sentence (the
    /// page's style sets them close, so that a street's grids fit under the table).
    func html() -> String {
        "<h2>\(HTML.escape(c.say(TrustSaid.honestHeading)))</h2>\n<div class=\"honest\">\n"
            + sentences.map { "<p>\(HTML.escape($0))</p>\n" }.joined() + "</div>\n"
    }

    func json() -> JSON {
        .object([
            (
                "grids",
                .array(
                    grids.map { g in
                        .object([
                            ("grid", .string(g.code)), ("back_dated", .int(Int64(figures.backDated[g.id] ?? 0))),
                            ("severity_raised_before_escalation", .int(Int64(figures.relabelled[g.id] ?? 0))),
                        ])
                    })
            ),
            (
                "reveals",
                .array(
                    reveals.map { code, count in
                        .object([("unit", code.isEmpty ? .null : .string(code)), ("count", .int(Int64(count)))])
                    })
            ),
        ])
    }
}
