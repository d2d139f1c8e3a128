/// Where a case stands. The last three states are final.
public enum CaseState: String, Sendable, CaseIterable {
    case open, mediating, resolved, closed, referred, withdrawn

    public var isFinal: Bool { self == .closed || self == .referred || self == .withdrawn }
    /// Waiting for, or under, mediation: the states a time limit runs in.
    public var isActive: Bool { self == .open || self == .mediating }
    /// Agreement reached: resolved or closed.
    public var isResolved: Bool { self == .resolved || self == .closed }

    /// The active states, for a query that selects them.
    public static let active = allCases.filter(\.isActive)
}

/// A case number people can read aloud, e.g. `2026-0142`: the year of filing and a
/// serial within that year. It never changes.
public struct CaseNumber: Hashable, Sendable, CustomStringConvertible {
    public let year: Int
    public let serial: Int

    public init(year: Int, serial: Int) {
        self.year = year
        self.serial = serial
    }

    /// Parses `2026-0142` (the serial may have more digits, never fewer than one).
    public init?(_ text: Substring) {
        // Byte by byte: four ASCII digits, one dash, one to nine ASCII digits (read on
        // every filing event `verify` replays, so not character by character).
        var year = 0
        var serial = 0
        var yearDigits = 0
        var serialDigits = 0
        var dashes = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "-") {
                dashes += 1
                guard dashes == 1 else { return nil }
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if dashes == 0 {
                    yearDigits += 1
                    guard yearDigits <= 4 else { return nil }
                    year = year * 10 + Int(byte - UInt8(ascii: "0"))
                } else {
                    serialDigits += 1
                    guard serialDigits <= 9 else { return nil }
                    serial = serial * 10 + Int(byte - UInt8(ascii: "0"))
                }
            } else {
                return nil
            }
        }
        guard dashes == 1, yearDigits == 4, serialDigits >= 1, serial > 0, year > 0 else { return nil }
        self.init(year: year, serial: serial)
    }

    public var description: String { LocalTime.dashed(year, 4, serial, 4) }
}

/// The part a party plays in a dispute.
public enum PartyRole: String, Sendable, CaseIterable {
    case applicant, respondent, other
}

/// A party to a dispute. Phone and ID number are personal data: never in errors or logs.
public struct Party: Equatable, Sendable {
    public var name: String
    public var role: String
    public var phone: String?
    public var idNumber: String?
    public var address: String?

    public init(name: String, role: String, phone: String? = nil, idNumber: String? = nil, address: String? = nil) {
        self.name = name
        self.role = role
        self.phone = phone
        self.idNumber = idNumber
        self.address = address
    }
}

/// Residents' satisfaction recorded when a case is closed.
public enum Satisfaction: String, Sendable, CaseIterable {
    case satisfied, basic, unsatisfied
    /// The parties could not be reached (无法联系): no rating, and not counted as one.
    case unreached

    /// Whether the residents gave a rating at all.
    public var isRating: Bool { self != .unreached }
}

/// How an agreement was performed, as the follow-up (回访) found it on closing.
public enum Performance: String, Sendable, CaseIterable {
    case performed, partly
    case not = "not"
}

/// A court's ruling on an application for judicial confirmation (司法确认, Art. 33).
public enum Ruling: String, Sendable, CaseIterable {
    case valid, invalid
}

/// Where a case goes when it leaves mediation by referral (the law's proper routes).
public enum ReferralTarget: String, Sendable, CaseIterable {
    case court, arbitration, police, department
}

/// A dispute case: exactly what its events say, as `apply` folds them.
public struct Case: Equatable, Sendable {
    public var id: Int64
    public var number: CaseNumber
    public var originUnitID: Int64
    public var unitID: Int64
    public var level: Int
    /// The highest level the case has reached.
    public var topLevel: Int
    public var state: CaseState
    public var severity: String
    public var category: String
    public var source: String
    public var sourceRef: String?
    public var summary: String
    public var parties: [Party]
    public var assignee: String?
    public var filedAt: Int64
    public var dueAt: Int64
    public var resolvedAt: Int64?
    public var closedAt: Int64?
    public var followUpAt: Int64?
    /// Set when the case was flagged for supervision (督办) at its current level and due date.
    public var supervisedAt: Int64?
    /// How many escalations took it above its severity's ceiling.
    public var breaches: Int
    /// The sequence number of its last event (1 after filing).
    public var version: Int
    /// The effective time of its last event: no later event may take effect before it.
    public var lastEventAt: Int64

    // The agreement and its follow-up (回访), while the case is resolved or closed.

    /// The day by which the agreement is performed.
    public var performBy: Day? = nil
    /// Whether the agreement is oral (nil: no agreement).
    public var agreementOral: Bool? = nil
    /// The person assigned to follow the agreement up (a legal volunteer, usually).
    public var followUpBy: String? = nil
    /// What the follow-up found, recorded on closing.
    public var performance: Performance? = nil
    /// The day the parties applied to a court for judicial confirmation, and its ruling.
    public var confirmApplied: Day? = nil
    public var confirmRuling: Ruling? = nil

    public init(
        id: Int64, number: CaseNumber, originUnitID: Int64, unitID: Int64, level: Int, topLevel: Int, state: CaseState,
        severity: String, category: String, source: String, sourceRef: String?, summary: String, parties: [Party],
        assignee: String?, filedAt: Int64, dueAt: Int64, resolvedAt: Int64?, closedAt: Int64?, followUpAt: Int64?,
        supervisedAt: Int64?, breaches: Int, version: Int, lastEventAt: Int64
    ) {
        self.id = id
        self.number = number
        self.originUnitID = originUnitID
        self.unitID = unitID
        self.level = level
        self.topLevel = topLevel
        self.state = state
        self.severity = severity
        self.category = category
        self.source = source
        self.sourceRef = sourceRef
        self.summary = summary
        self.parties = parties
        self.assignee = assignee
        self.filedAt = filedAt
        self.dueAt = dueAt
        self.resolvedAt = resolvedAt
        self.closedAt = closedAt
        self.followUpAt = followUpAt
        self.supervisedAt = supervisedAt
        self.breaches = breaches
        self.version = version
        self.lastEventAt = lastEventAt
    }

    /// Open or mediating past the due date of its level.
    public func isOverdue(at now: Int64) -> Bool { Self.isOverdue(state: state, dueAt: dueAt, at: now) }

    /// The one definition of overdue, for a case and for a report row that holds only
    /// the state and the due date: still active after the due moment.
    public static func isOverdue(state: CaseState, dueAt: Int64, at now: Int64) -> Bool {
        state.isActive && now > dueAt
    }

    /// Resolved, with its follow-up due on `today` or before.
    public func followUpDue(on today: Day, in zone: Zone) -> Bool {
        guard state == .resolved, let at = followUpAt else { return false }
        return zone.day(at) <= today
    }

    /// Resolved, past its follow-up day at `now`.
    public func followUpOverdue(at now: Int64, in zone: Zone) -> Bool {
        Self.followUpOverdue(state: state, followUpAt: followUpAt, at: now, in: zone)
    }

    /// The one definition of a late follow-up, for a case and for a list's row that holds
    /// only the state and the follow-up day.
    public static func followUpOverdue(state: CaseState, followUpAt: Int64?, at now: Int64, in zone: Zone) -> Bool {
        guard state == .resolved, let at = followUpAt else { return false }
        return zone.day(at) < zone.day(now)
    }

    /// The last day the parties may apply for judicial confirmation of a written
    /// agreement (30 days from the agreement, Art. 33); nil for none, an oral one, a case
    /// closed, or one whose application is recorded.
    public func confirmWindowEnd(in zone: Zone) -> Day? {
        guard state == .resolved, agreementOral == false, confirmApplied == nil, let resolvedAt else { return nil }
        return zone.day(resolvedAt).adding(days: Self.confirmWindowDays)
    }

    /// Days to apply for judicial confirmation after an agreement (Art. 33).
    public static let confirmWindowDays = 30

    /// Days a follow-up may be late before the sweep flags it for supervision.
    public static let followUpGraceDays = 7

    /// How many parties a case may have: at least one; more than fifty households make
    /// a collective dispute, which is registered otherwise.
    public static let parties = 1...50
}
