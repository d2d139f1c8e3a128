/// A rung of the ladder of levels.
public struct Level: Equatable, Sendable {
    public let rank: Int
    public let code: String
    public let nameZh: String
    public let nameEn: String
    public let timeLimitDays: Int

    public init(rank: Int, code: String, nameZh: String, nameEn: String, timeLimitDays: Int) {
        self.rank = rank
        self.code = code
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.timeLimitDays = timeLimitDays
    }
}

/// A severity and its ceiling: the highest level where such a case belongs.
public struct Severity: Equatable, Sendable {
    public let code: String
    public let rank: Int
    public let nameZh: String
    public let nameEn: String
    public let ceiling: Int

    public init(code: String, rank: Int, nameZh: String, nameEn: String, ceiling: Int) {
        self.code = code
        self.rank = rank
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.ceiling = ceiling
    }
}

/// A coded list entry: a category or a source.
public struct Term: Equatable, Sendable {
    public let code: String
    public let nameZh: String
    public let nameEn: String

    public init(code: String, nameZh: String, nameEn: String) {
        self.code = code
        self.nameZh = nameZh
        self.nameEn = nameEn
    }
}

/// The rules a deployment sets: levels with their time limits, severities with
/// their ceilings, and the lists of categories and sources.
public struct Policy: Sendable {
    public let levels: [Level]
    public let severities: [Severity]
    public let categories: [Term]
    public let sources: [Term]

    public init(levels: [Level], severities: [Severity], categories: [Term], sources: [Term]) {
        self.levels = levels.sorted { $0.rank < $1.rank }
        self.severities = severities.sorted { $0.rank < $1.rank }
        self.categories = categories
        self.sources = sources
    }

    public var lowestRank: Int { levels.first?.rank ?? 1 }
    public var topRank: Int { levels.last?.rank ?? 1 }

    // The rungs the rule names, whatever a deployment calls them: 小事不出网格 is about
    // the lowest rung, 大事不出社区 about the one above it.

    /// The rung of 小事不出网格: the lowest (a grid, or a building where the ladder is so named).
    public var gridRank: Int { lowestRank }
    /// The rung of 大事不出社区: the second from the bottom (the lowest, on a one-rung ladder).
    public var communityRank: Int { levels.count > 1 ? levels[1].rank : lowestRank }

    /// A case that has reached `topLevel` left its grid (escalated to the community or higher).
    public func leftGrid(topLevel: Int) -> Bool { topLevel > gridRank }
    /// A case that has reached `topLevel`, or was referred out, left the community (上交).
    public func leftCommunity(topLevel: Int, state: CaseState) -> Bool {
        topLevel > communityRank || state == .referred
    }

    public func level(_ rank: Int) -> Level? { levels.first { $0.rank == rank } }
    public func level(code: String) -> Level? { levels.first { $0.code == code } }
    public func severity(_ code: String) -> Severity? { severities.first { $0.code == code } }
    /// A level or a severity by code or by its Chinese or English name, as people type them.
    public func level(named text: String) -> Level? {
        Self.match(text, levels, code: \.code, zh: \.nameZh, en: \.nameEn)
    }
    public func severity(named text: String) -> Severity? {
        Self.match(text, severities, code: \.code, zh: \.nameZh, en: \.nameEn)
    }

    /// A category by code or by its Chinese or English name.
    public func category(_ text: String) -> Term? { Self.find(text, in: categories) }
    public func source(_ text: String) -> Term? { Self.find(text, in: sources) }

    /// Seconds a case may wait at `rank` before it is overdue.
    public func timeLimit(_ rank: Int) -> Int64 {
        Int64(level(rank)?.timeLimitDays ?? 30) * 86_400
    }

    /// The ceiling of a severity; an unknown one belongs at the top.
    public func ceiling(_ severity: String) -> Int { self.severity(severity)?.ceiling ?? topRank }

    private static func find(_ text: String, in terms: [Term]) -> Term? {
        match(text, terms, code: \.code, zh: \.nameZh, en: \.nameEn)
    }

    /// The one way a typed word names an entry of a list: its code, else its Chinese
    /// name (其它 read as 其他), else its English name in any case.
    static func match<T>(
        _ text: String, _ entries: [T], code: (T) -> String, zh: (T) -> String, en: (T) -> String
    ) -> T? {
        let zhText = text.replacing("其它", with: "其他")
        let lower = text.lowercased()
        return entries.first { code($0) == text } ?? entries.first { zh($0) == zhText }
            ?? entries.first { en($0).lowercased() == lower }
    }
}
