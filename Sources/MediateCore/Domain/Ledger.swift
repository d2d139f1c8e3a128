/// How a row of a spreadsheet ledger (矛盾纠纷排查化解台账) ended, as its 调解结果 says.
public enum LedgerOutcome: Equatable, Sendable {
    /// 未结, 调解中: still open.
    case open
    /// 调解成功: an agreement on the day it ended.
    case resolved(terms: String, oral: Bool, amountFen: Int64?)
    /// 移交: referred out.
    case referred(ReferralTarget, reason: String)
    /// 调解不成功, 终止, 撤回: mediation ended without agreement.
    case ended(reason: String)
}

/// What a resolved row's 回访情况 says when it reads as a follow-up done: how the
/// agreement was performed and how satisfied the parties were, with the text as written.
public struct LedgerFollowUp: Equatable, Sendable {
    public var note: String
    public var performance: Performance
    public var satisfaction: Satisfaction
    /// Why it closes before the perform-by day (which has not come yet), if it does.
    public var early: String?

    public init(note: String, performance: Performance, satisfaction: Satisfaction, early: String? = nil) {
        self.note = note
        self.performance = performance
        self.satisfaction = satisfaction
        self.early = early
    }
}

/// One row of a ledger, read and checked: what to file, who mediated, how and when it ended.
public struct LedgerEntry: Equatable, Sendable {
    /// The filing; its number is given by the store.
    public var filing: Filing
    public var filedAt: Int64
    /// The registered person who mediated it, if the ledger names one; else the importer.
    public var mediator: Actor?
    public var outcome: LedgerOutcome
    /// When it ended (结案日期); the filing time for an open row.
    public var endedAt: Int64
    /// A note kept with the case: the ledger's mediator, and its follow-up (回访情况) as
    /// written when it does not read as a follow-up done.
    public var note: String?
    /// The follow-up of a resolved row, done: the case closes with it on its perform-by
    /// day (or its 结案日期, if later).
    public var followUp: LedgerFollowUp?
    /// The day a resolved row's agreement is to be performed by (履行期限); nil: its 结案日期.
    public var performBy: Day?

    public init(
        filing: Filing, filedAt: Int64, mediator: Actor?, outcome: LedgerOutcome, endedAt: Int64, note: String?,
        followUp: LedgerFollowUp? = nil, performBy: Day? = nil
    ) {
        self.performBy = performBy
        self.filing = filing
        self.filedAt = filedAt
        self.mediator = mediator
        self.outcome = outcome
        self.endedAt = endedAt
        self.note = note
        self.followUp = followUp
    }
}

extension Machine {
    /// The events that reproduce a ledger row's outcome on its dates: filed; then, for
    /// a row that ended, accepted and resolved (and closed, when its follow-up is done:
    /// with the performance and satisfaction it found), referred or withdrawn; and the
    /// ledger's note. Every step is decided by the same rules as one typed by hand.
    public func importing(_ entry: LedgerEntry, number: CaseNumber, by actor: Actor) -> Result<[Event], Violation> {
        Result { () throws(Violation) -> [Event] in
            var filing = entry.filing
            filing.number = number
            let filed = try decide(nil, .file(filing), by: actor, at: entry.filedAt).get()
            var events = [filed]
            var current = Case(id: 0, filed: filed)
            func step(_ action: Action, at time: Int64) throws(Violation) {
                let event = try decide(current, action, by: actor, at: time).get()
                events.append(event)
                current = current.applying(event)
            }
            // A final state takes no note: the note comes first there.
            let last: Bool
            switch entry.outcome {
            case .open: last = true
            case .resolved: last = entry.followUp == nil
            case .referred, .ended: last = false
            }
            if let note = entry.note, !last { try step(.note(text: note), at: entry.filedAt) }
            switch entry.outcome {
            case .open:
                break
            case .resolved(let terms, let oral, let amount):
                try step(.accept(mediator: entry.mediator ?? actor), at: entry.filedAt)
                let due = entry.performBy ?? zone.day(entry.endedAt)
                try step(
                    .resolve(
                        Agreement(
                            terms: terms, oral: oral, amountFen: amount, performBy: due.description,
                            followUpAt: zone.endOfDay(due))), at: entry.endedAt)
                // The follow-up closes it on its perform-by day (the ledger gives no day of
                // its own), or earlier with the reason given.
                if let f = entry.followUp {
                    let at = f.early == nil ? max(entry.endedAt, zone.instant(due)) : entry.endedAt
                    try step(
                        .close(note: f.note, satisfaction: f.satisfaction, performance: f.performance, early: f.early),
                        at: at)
                }
            case .referred(let to, let reason):
                try step(.refer(to: to, reason: reason), at: entry.endedAt)
            case .ended(let reason):
                try step(.withdraw(reason: reason), at: entry.endedAt)
            }
            if let note = entry.note, last {
                try step(.note(text: note), at: max(entry.endedAt, current.lastEventAt))
            }
            return events
        }
    }
}
