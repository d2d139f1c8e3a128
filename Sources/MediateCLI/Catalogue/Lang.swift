/// The language people read: Chinese under a zh locale, English otherwise.
enum Lang: String, Sendable, CaseIterable { case zh, en }

/// Something the program says, in both languages. Each conforming type is an enum
/// with one case per thing it can say and one exhaustive `switch` per language, so a
/// sentence missing in one language does not compile.
protocol Spoken: Sendable {
    var zh: String { get }
    var en: String { get }
}

extension Spoken {
    func text(_ lang: Lang) -> String { lang == .zh ? zh : en }
}

/// Joins a list the way each language writes one: 甲、乙和丙 / a, b or c.
func list(_ items: [String], _ lang: Lang, or: Bool = true) -> String {
    guard items.count > 1 else { return items.first ?? "" }
    if lang == .zh { return items.joined(separator: "、") }
    return items.dropLast().joined(separator: ", ") + (or ? " or " : " and ") + items.last!
}
