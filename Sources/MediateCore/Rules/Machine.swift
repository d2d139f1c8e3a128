/// The escalation rules as a pure function: (case, action, actor, time) → event, or
/// the violation that says why not. No I/O and no clock: time comes in as `now`.
public struct Machine: Sendable {
    public let policy: Policy
    public let organisation: Organisation
    /// The deployment's time zone: what "the day of the agreement" means.
    public let zone: Zone

    public init(policy: Policy, organisation: Organisation, zone: Zone) {
        self.policy = policy
        self.organisation = organisation
        self.zone = zone
    }

    /// Decides what `action` by `actor` at `now` does to `current` (nil when filing).
    public func decide(_ current: Case?, _ action: Action, by actor: Actor, at now: Int64) -> Result<Event, Violation> {
        Result { () throws(Violation) -> Event in
            guard let current else {
                guard case .file(let filing) = action else { throw .wrongState(action.kind, .open) }
                return try file(filing, by: actor, at: now)
            }
            let kind = action.kind
            guard let from = kind.allowedFrom, from.contains(current.state) else {
                throw .wrongState(kind, current.state)
            }
            try authorise(kind, on: current.unitID, level: current.level, by: actor)
            guard now >= current.lastEventAt else { throw .beforeLastEvent(lastEventAt: current.lastEventAt) }
            let change = try self.change(current, action, at: now)
            return Event(caseSeq: current.version + 1, actor: actor.login, effectiveAt: now, change: change)
        }
    }

    /// What the daily sweep does to a case at `now`: escalate an overdue case that is
    /// still below its severity's ceiling, flag one at (or above) its ceiling for
    /// supervision once, and leave everything else alone (nil).
    public func sweep(_ current: Case, at now: Int64, by actor: String = Actor.system.login) -> Event? {
        guard now >= current.lastEventAt else { return nil }
        if current.state == .resolved {
            guard followUpLate(current, at: now) else { return nil }
            return Event(
                caseSeq: current.version + 1, actor: actor, effectiveAt: now,
                change: .supervised(reason: .followUpOverdue))
        }
        guard current.isOverdue(at: now) else { return nil }
        let change: Change
        if current.level < policy.ceiling(current.severity), let up = escalation(of: current, at: now, .overdue) {
            change = up
        } else if current.supervisedAt == nil {
            change = .supervised(reason: .overdue)
        } else {
            return nil
        }
        return Event(caseSeq: current.version + 1, actor: actor, effectiveAt: now, change: change)
    }

    /// A resolved case whose follow-up is more than a week past its day and that has
    /// not been flagged for it since the agreement: once per agreement.
    public func followUpLate(_ c: Case, at now: Int64) -> Bool {
        guard c.state == .resolved, let at = c.followUpAt, let resolvedAt = c.resolvedAt else { return false }
        guard zone.day(at).adding(days: Case.followUpGraceDays) < zone.day(now) else { return false }
        return (c.supervisedAt ?? Int64.min) < resolvedAt
    }

    /// When an action on `current` takes effect. One at the real moment (effective =
    /// entered) that finds an event a concurrent writer stamped a moment later takes
    /// effect with it: the clocks read before the write lock differ by less than the
    /// wait. A back-dated one (MEDIATE_NOW) keeps its moment, and the rules judge it.
    public func effectiveTime(of current: Case, at now: Int64, entered: Int64) -> Int64 {
        now == entered ? max(now, current.lastEventAt) : now
    }

    /// Who may see a case's phone and ID numbers in full: a registered person whose
    /// unit holds the case (anyone, for an admin of the whole tree). Never the system.
    public func mayReveal(_ c: Case, to actor: Actor) -> Bool {
        guard !actor.isSystem else { return false }
        guard let home = actor.unitID else { return true }
        return organisation.contains(home, c.unitID)
    }

    // MARK: - Rules

    /// The move one level up: to the parent unit, with that level's time limit, a
    /// breach when the new level is above the severity's ceiling. Nil at the top.
    private func escalation(of c: Case, at now: Int64, _ reason: Reason) -> Change? {
        guard let parentID = organisation[c.unitID]?.parentID, let parent = organisation[parentID] else { return nil }
        return .escalated(
            unitID: parent.id, level: parent.level, dueAt: now + policy.timeLimit(parent.level), reason: reason,
            breach: parent.level > policy.ceiling(c.severity) ? c.level : 0)
    }

    /// What each role may do; where, is checked against the unit tree.
    static func may(_ role: Role, _ kind: ActionKind) -> Bool {
        switch role {
        case .admin, .mediator: kind != .supervise
        case .gridWorker: ![.close, .refer, .supervise, .assign, .confirm].contains(kind)
        // A volunteer follows agreements up: closes, reopens one not performed, and
        // records the parties' application for judicial confirmation.
        case .legalVolunteer: [.note, .close, .reopen, .confirm].contains(kind)
        }
    }

    private func authorise(_ kind: ActionKind, on unitID: Int64, level: Int, by actor: Actor) throws(Violation) {
        guard Self.may(actor.role, kind) else { throw .roleCannot(actor.role, kind) }
        if actor.role == .gridWorker && level > policy.lowestRank { throw .aboveGridWorker(levelRank: level) }
        if let home = actor.unitID, !organisation.contains(home, unitID) {
            throw .outsideJurisdiction(unitCode: organisation[unitID]?.code ?? String(unitID))
        }
    }

    private func file(_ filing: Filing, by actor: Actor, at now: Int64) throws(Violation) -> Event {
        guard let unit = organisation[filing.unitID], unit.level == policy.lowestRank else {
            throw .notAGrid(unitCode: organisation[filing.unitID]?.code ?? String(filing.unitID))
        }
        try authorise(.file, on: unit.id, level: unit.level, by: actor)
        try require(filing.summary, "summary")
        guard !filing.parties.isEmpty else { throw .noParties }
        guard Case.parties.contains(filing.parties.count) else { throw .tooManyParties(count: filing.parties.count) }
        return Event(
            caseSeq: 1, actor: actor.login, effectiveAt: now,
            change: .filed(filing, level: unit.level, dueAt: now + policy.timeLimit(unit.level)))
    }

    private func change(_ c: Case, _ action: Action, at now: Int64) throws(Violation) -> Change {
        switch action {
        case .file:
            throw .wrongState(.file, c.state)
        case .accept(let mediator):
            guard !mediator.isSystem, Self.may(mediator.role, .accept), mediator.role != .legalVolunteer,
                (try? authorise(.accept, on: c.unitID, level: c.level, by: mediator)) != nil
            else { throw .cannotAssign(login: mediator.login) }
            return .accepted(mediator: mediator.login)
        case .assess(let severity, let category, let reason):
            try require(reason, "reason")
            let newSeverity = severity == c.severity ? nil : severity
            let newCategory = category == c.category ? nil : category
            guard newSeverity != nil || newCategory != nil else { throw .nothingToAssess }
            return .assessed(severity: newSeverity, category: newCategory, reason: reason)
        case .escalate(let reason):
            try require(reason, "reason")
            guard let up = escalation(of: c, at: now, .said(reason)) else { throw .atTopLevel }
            return up
        case .extend(let until, let reason, let consent):
            guard consent else { throw .extensionNeedsConsent }
            try require(reason, "reason")
            // Later than the current due date, and not already past.
            let floor = max(c.dueAt, now)
            guard until > floor else { throw .extensionNotLater(dueAt: floor) }
            return .extended(dueAt: until, reason: reason)
        case .resolve(let agreement):
            try require(agreement.terms, "agreement")
            // Performed, and followed up, on the day of the agreement or later; a follow-up
            // may come before the agreement is fully due (instalments).
            let today = zone.fields(now).day
            if let due = Day(Substring(agreement.performBy)), due < today {
                throw .performByBeforeAgreement(performBy: due, agreedOn: today)
            }
            let followUp = zone.fields(agreement.followUpAt).day
            if followUp < today {
                throw .followUpBeforeAgreement(followUp: followUp, agreedOn: today)
            }
            return .resolved(agreement)
        case .reopen(let reason):
            try require(reason, "reason")
            return .reopened(reason: reason, dueAt: now + policy.timeLimit(c.level))
        case .close(let note, let satisfaction, let performance, let early):
            try require(note, "note")
            // Before the agreement is due, only with a reason: the follow-up cannot yet
            // know whether it will be performed.
            var earlyReason: String? = nil
            if let performBy = c.performBy, zone.day(now) < performBy {
                guard let early else { throw .closeBeforePerformBy(performBy: performBy) }
                try require(early, "reason")
                earlyReason = early
            }
            return .closed(note: note, satisfaction: satisfaction, performance: performance, early: earlyReason)
        case .refer(let to, let reason):
            try require(reason, "reason")
            return .referred(to: to, reason: reason)
        case .withdraw(let reason):
            try require(reason, "reason")
            return .withdrawn(reason: reason)
        case .note(let text):
            try require(text, "text")
            return .noted(text: text)
        case .assign(let person):
            // Someone who may close the case where it is: a volunteer or a mediator of its unit.
            guard !person.isSystem, Self.may(person.role, .close),
                (try? authorise(.close, on: c.unitID, level: c.level, by: person)) != nil
            else { throw .cannotTakeFollowUp(login: person.login) }
            return .assigned(followUpBy: person.login)
        case .confirm(let applied, let ruling):
            guard c.agreementOral == false, let resolvedAt = c.resolvedAt else { throw .confirmNeedsWrittenAgreement }
            if c.confirmRuling != nil || (applied != nil && c.confirmApplied != nil) { throw .confirmAlreadyRecorded }
            if let applied {
                // Art. 33: within 30 days of the agreement taking effect.
                let agreed = zone.day(resolvedAt)
                let last = agreed.adding(days: Case.confirmWindowDays)
                guard agreed <= applied, applied <= last else {
                    throw .outsideConfirmWindow(applied: applied, agreedOn: agreed, lastDay: last)
                }
                if applied > zone.day(now) { throw .effectiveInFuture(zone.instant(applied)) }
            } else if c.confirmApplied == nil {
                throw .rulingBeforeApplication
            }
            guard applied != nil || ruling != nil else { throw .confirmAlreadyRecorded }
            return .confirmed(applied: applied, ruling: ruling)
        }
    }

    private func require(_ text: String, _ field: String) throws(Violation) {
        if text.allSatisfy(\.isWhitespace) { throw .emptyText(field: field) }
    }
}

// MARK: - Folding events into a case

extension Case {
    /// The case a filing event creates.
    public init(id: Int64, filed event: Event) {
        guard case .filed(let f, let level, let dueAt) = event.change else {
            preconditionFailure("a case starts with its filing")
        }
        self.init(
            id: id, number: f.number, originUnitID: f.unitID, unitID: f.unitID, level: level, topLevel: level,
            state: .open, severity: f.severity, category: f.category, source: f.source, sourceRef: f.sourceRef,
            summary: f.summary, parties: f.parties, assignee: nil, filedAt: event.effectiveAt, dueAt: dueAt,
            resolvedAt: nil, closedAt: nil, followUpAt: nil, supervisedAt: nil, breaches: 0, version: 1,
            lastEventAt: event.effectiveAt)
    }

    /// The case as `event` leaves it.
    public func applying(_ event: Event) -> Case {
        var c = self
        c.version = event.caseSeq
        c.lastEventAt = event.effectiveAt
        let now = event.effectiveAt
        switch event.change {
        case .filed:
            break
        case .accepted(let mediator):
            c.state = .mediating
            c.assignee = mediator
        case .assessed(let severity, let category, _):
            if let severity { c.severity = severity }
            if let category { c.category = category }
        case .escalated(let unit, let level, let due, _, let breach):
            c.unitID = unit
            c.level = level
            c.topLevel = max(c.topLevel, level)
            c.dueAt = due
            c.state = .open
            c.assignee = nil
            c.supervisedAt = nil
            if breach > 0 { c.breaches += 1 }
        case .extended(let due, _):
            c.dueAt = due
            c.supervisedAt = nil
        case .resolved(let agreement):
            c.state = .resolved
            c.resolvedAt = now
            c.followUpAt = agreement.followUpAt
            c.performBy = Day(Substring(agreement.performBy))
            c.agreementOral = agreement.oral
            c.followUpBy = nil
            c.performance = nil
            c.confirmApplied = nil
            c.confirmRuling = nil
        case .reopened(_, let due):
            c.state = .mediating
            c.resolvedAt = nil
            c.followUpAt = nil
            c.performBy = nil
            c.agreementOral = nil
            c.followUpBy = nil
            c.confirmApplied = nil
            c.confirmRuling = nil
            c.dueAt = due
            c.supervisedAt = nil
        case .closed(_, _, let performance, _):
            c.state = .closed
            c.closedAt = now
            c.performance = performance
        case .referred:
            c.state = .referred
        case .withdrawn:
            c.state = .withdrawn
        case .noted:
            break
        case .supervised:
            c.supervisedAt = now
        case .assigned(let login):
            c.followUpBy = login
        case .confirmed(let applied, let ruling):
            if let applied { c.confirmApplied = applied }
            if let ruling { c.confirmRuling = ruling }
        }
        return c
    }

    /// Folds a case's events, first to last; nil when the first is not a filing.
    public static func replay(id: Int64, _ events: [Event]) -> Case? {
        guard let first = events.first, case .filed = first.change, first.caseSeq == 1 else { return nil }
        var c = Case(id: id, filed: first)
        for event in events.dropFirst() { c = c.applying(event) }
        return c
    }
}
