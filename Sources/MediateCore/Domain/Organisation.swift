/// A unit of the organisation tree: street (街道) → community (社区) → grid (网格).
public struct Unit: Equatable, Sendable {
    public let id: Int64
    public let code: String
    public let name: String
    /// The rank of its level: 1 for a grid.
    public let level: Int
    public let parentID: Int64?

    public init(id: Int64, code: String, name: String, level: Int, parentID: Int64?) {
        self.id = id
        self.code = code
        self.name = name
        self.level = level
        self.parentID = parentID
    }
}

/// The whole tree of units, small enough to hold in memory (a street has dozens).
public struct Organisation: Sendable {
    public let units: [Int64: Unit]
    private let byCode: [String: Int64]

    public init(_ units: [Unit]) {
        // Sized once, one hashing a key, the first of a repeated id or code kept (every
        // command reads the whole tree: hundreds of units on a street).
        self.units = Dictionary(units.lazy.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.byCode = Dictionary(units.lazy.map { ($0.code, $0.id) }, uniquingKeysWith: { first, _ in first })
    }

    public subscript(id: Int64) -> Unit? { units[id] }
    public func unit(code: String) -> Unit? { byCode[code].flatMap { units[$0] } }

    /// True when `unit` is `ancestor` or lies below it. A tree edited into a loop (a unit
    /// above itself) ends the walk after as many steps as there are units: false.
    public func contains(_ ancestor: Int64, _ unit: Int64) -> Bool {
        var current: Int64? = unit
        var steps = 0
        while let id = current, steps <= units.count {
            if id == ancestor { return true }
            current = units[id]?.parentID
            steps += 1
        }
        return false
    }

    /// The unit and all units below it.
    public func subtree(of root: Int64) -> Set<Int64> {
        Set(units.keys.filter { contains(root, $0) })
    }

    /// Units in tree order: each parent followed by its children, sorted by code.
    public func treeOrder() -> [Unit] {
        var children: [Int64?: [Unit]] = [:]
        for unit in units.values { children[unit.parentID, default: []].append(unit) }
        var ordered: [Unit] = []
        func visit(_ parent: Int64?) {
            for unit in (children[parent] ?? []).sorted(by: { $0.code < $1.code }) {
                ordered.append(unit)
                visit(unit.id)
            }
        }
        visit(nil)
        return ordered
    }
}

/// What a person may do.
public enum Role: String, Sendable, CaseIterable {
    case gridWorker = "grid_worker"
    case mediator
    case legalVolunteer = "legal_volunteer"
    case admin
}

/// Who acts: a registered person, or the system itself (the daily sweep).
public struct Actor: Equatable, Sendable {
    public let login: String
    public let name: String
    public let role: Role
    /// Nil for an admin of the whole deployment and for the system.
    public let unitID: Int64?
    public let isSystem: Bool

    public init(login: String, name: String, role: Role, unitID: Int64?) {
        self.login = login
        self.name = name
        self.role = role
        self.unitID = unitID
        self.isSystem = false
    }

    private init(system: ()) {
        login = "system"
        name = "system"
        role = .admin
        unitID = nil
        isSystem = true
    }

    /// The actor of the daily sweep.
    public static let system = Actor(system: ())

    /// A login no person may have: the sweep's own, in any case.
    public static func checkLogin(_ login: String) throws(Violation) {
        guard login.lowercased() != system.login else { throw .reservedLogin(login) }
    }
}

/// Codes of units, people, categories and sources: short and safe to type.
public enum Code {
    /// 1 to 32 letters, digits, '-' and '_'.
    public static func isValid(_ text: String) -> Bool {
        (1...32).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                    true
                default: false
                }
            }
    }
}
