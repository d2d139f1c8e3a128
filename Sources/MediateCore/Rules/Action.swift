/// What a person asks to do to a case. The store fills in what only it can know
/// (the next case number, the assignee as a registered person).
public enum Action: Sendable {
    case file(Filing)
    case accept(mediator: Actor)
    case assess(severity: String?, category: String?, reason: String)
    case escalate(reason: String)
    /// Needs both parties' consent (`consent`), recorded with the event.
    case extend(until: Int64, reason: String, consent: Bool)
    case resolve(Agreement)
    case reopen(reason: String)
    /// Closes after the follow-up (回访): what it found; `early` is the reason for
    /// closing before the agreement's perform-by day, nil when not early.
    case close(note: String, satisfaction: Satisfaction, performance: Performance, early: String?)
    case refer(to: ReferralTarget, reason: String)
    case withdraw(reason: String)
    case note(text: String)
    /// Assigns the follow-up of a resolved case to a person (a legal volunteer).
    case assign(followUpBy: Actor)
    /// Records an application for judicial confirmation (司法确认) and/or its ruling.
    case confirm(applied: Day?, ruling: Ruling?)

    public var kind: ActionKind {
        switch self {
        case .file: .file
        case .accept: .accept
        case .assess: .assess
        case .escalate: .escalate
        case .extend: .extend
        case .resolve: .resolve
        case .reopen: .reopen
        case .close: .close
        case .refer: .refer
        case .withdraw: .withdraw
        case .note: .note
        case .assign: .assign
        case .confirm: .confirm
        }
    }
}

/// The kinds of event, as stored in the `action` column.
public enum ActionKind: String, Sendable, CaseIterable {
    case file, accept, assess, escalate, extend, resolve, reopen, close, refer, withdraw, note
    /// Flagged for supervision (督办) by the sweep, at the case's ceiling.
    case supervise
    /// The follow-up of a resolved case given to a person.
    case assign
    /// Judicial confirmation applied for, or ruled on.
    case confirm

    /// The states this action may start from; nil for filing (no case yet).
    public var allowedFrom: Set<CaseState>? {
        switch self {
        case .file: nil
        case .accept: [.open]
        case .assess, .escalate, .extend, .refer, .withdraw: [.open, .mediating]
        // A late follow-up is flagged too.
        case .supervise: [.open, .mediating, .resolved]
        case .resolve: [.mediating]
        case .assign, .confirm: [.resolved]
        case .reopen, .close: [.resolved]
        case .note: [.open, .mediating, .resolved]
        }
    }
}

/// A new case as filed 登记 at a grid.
public struct Filing: Equatable, Sendable {
    public var number: CaseNumber
    public var unitID: Int64
    public var severity: String
    public var category: String
    public var source: String
    public var sourceRef: String?
    public var summary: String
    public var parties: [Party]
    /// Where a case entered from a spreadsheet ledger came from; nil for a case filed here.
    public var origin: Origin?

    public init(
        number: CaseNumber, unitID: Int64, severity: String, category: String, source: String,
        sourceRef: String?, summary: String, parties: [Party], origin: Origin? = nil
    ) {
        self.number = number
        self.unitID = unitID
        self.severity = severity
        self.category = category
        self.source = source
        self.sourceRef = sourceRef
        self.summary = summary
        self.parties = parties
        self.origin = origin
    }
}

/// The row of a spreadsheet ledger a case was imported from: the file's name, the row's
/// key in it (its 序号, else its line) and the line it starts on.
public struct Origin: Equatable, Sendable {
    public var file: String
    public var key: String
    public var line: Int

    public init(file: String, key: String, line: Int) {
        self.file = file
        self.key = key
        self.line = line
    }
}

/// A mediation agreement (Arts. 28-30 of the People's Mediation Law): written or
/// oral, its terms, an amount if any, and how and by when it is performed.
public struct Agreement: Equatable, Sendable {
    public var terms: String
    public var oral: Bool
    /// In fen (0.01 yuan), so that sums are exact.
    public var amountFen: Int64?
    /// The day by which it is performed, `YYYY-MM-DD`.
    public var performBy: String
    /// When the committee follows up on performance (回访).
    public var followUpAt: Int64
    /// The main facts of the dispute and the points in dispute (Art. 29), as the
    /// mediator wrote them for the written agreement.
    public var facts: String?
    /// Each party's responsibility (Art. 29).
    public var responsibility: String?

    public init(
        terms: String, oral: Bool, amountFen: Int64?, performBy: String, followUpAt: Int64, facts: String? = nil,
        responsibility: String? = nil
    ) {
        self.terms = terms
        self.oral = oral
        self.amountFen = amountFen
        self.performBy = performBy
        self.followUpAt = followUpAt
        self.facts = facts
        self.responsibility = responsibility
    }
}
