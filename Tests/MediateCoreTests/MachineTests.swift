import Testing

@testable import MediateCore

// Tests of the pure state machine: Machine.decide, Machine.sweep, Case.applying /
// Case.replay and the event detail codec. No I/O and no clock: time is plain numbers.

// MARK: - Fixture

private let hour: Int64 = 3_600
private let day: Int64 = 86_400
/// 2026-01-01 00:00 UTC: the moment every fixture case is filed.
private let t0: Int64 = 1_767_225_600

private enum Fx {
    static let policy = Policy(
        levels: [
            Level(rank: 1, code: "grid", nameZh: "网格", nameEn: "grid", timeLimitDays: 7),
            Level(rank: 2, code: "community", nameZh: "社区", nameEn: "community", timeLimitDays: 30),
            Level(rank: 3, code: "street", nameZh: "街道", nameEn: "street", timeLimitDays: 30),
        ],
        severities: [
            Severity(code: "minor", rank: 1, nameZh: "一般", nameEn: "minor", ceiling: 1),
            Severity(code: "major", rank: 2, nameZh: "较大", nameEn: "major", ceiling: 2),
            Severity(code: "critical", rank: 3, nameZh: "重大", nameEn: "critical", ceiling: 3),
        ],
        categories: [
            Term(code: "neighbour", nameZh: "邻里", nameEn: "neighbours"),
            Term(code: "property", nameZh: "物业", nameEn: "property management"),
            Term(code: "family", nameZh: "婚姻家庭", nameEn: "marriage and family"),
        ],
        sources: [
            Term(code: "patrol", nameZh: "网格排查", nameEn: "grid patrol"),
            Term(code: "hotline", nameZh: "12345 转办", nameEn: "12345 hotline"),
            Term(code: "police", nameZh: "110 移送", nameEn: "police 110"),
        ])

    // S1 (street) → C01, C02 (community) → G01, G02 under C01; G03 under C02.
    static let s1: Int64 = 1
    static let c01: Int64 = 10
    static let c02: Int64 = 20
    static let g01: Int64 = 101
    static let g02: Int64 = 102
    static let g03: Int64 = 201

    static let organisation = Organisation([
        Unit(id: s1, code: "S1", name: "东湖街道", level: 3, parentID: nil),
        Unit(id: c01, code: "C01", name: "桂园社区", level: 2, parentID: s1),
        Unit(id: c02, code: "C02", name: "柳岸社区", level: 2, parentID: s1),
        Unit(id: g01, code: "G01", name: "第一网格", level: 1, parentID: c01),
        Unit(id: g02, code: "G02", name: "第二网格", level: 1, parentID: c01),
        Unit(id: g03, code: "G03", name: "第三网格", level: 1, parentID: c02),
    ])

    static let machine = Machine(policy: policy, organisation: organisation, zone: Zone.named("Asia/Shanghai")!)

    static let admin = Actor(login: "admin", name: "管理员", role: .admin, unitID: nil)
    static let streetMediator = Actor(login: "s1med", name: "街道调解员", role: .mediator, unitID: s1)
    static let c01Mediator = Actor(login: "c01med", name: "桂园调解员", role: .mediator, unitID: c01)
    static let g01Worker = Actor(login: "g01w", name: "一网格员", role: .gridWorker, unitID: g01)
    static let g03Worker = Actor(login: "g03w", name: "三网格员", role: .gridWorker, unitID: g03)
    static let c01Legal = Actor(login: "c01law", name: "法律志愿者", role: .legalVolunteer, unitID: c01)
    /// A grid worker registered at the community office rather than at a grid.
    static let c01GridWorker = Actor(login: "c01w", name: "社区网格员", role: .gridWorker, unitID: c01)

    static let agreement = Agreement(
        terms: "甲方赔偿乙方漏水损失", oral: false, amountFen: 150_000, performBy: "2026-02-15",
        followUpAt: t0 + 45 * day)
}

private func filing(at unit: Int64 = Fx.g01, severity: String = "minor", summary: String = "楼上漏水")
    -> Filing
{
    Filing(
        number: CaseNumber(year: 2026, serial: 142), unitID: unit, severity: severity, category: "neighbour",
        source: "patrol", sourceRef: nil, summary: summary,
        parties: [Party(name: "张三", role: "applicant"), Party(name: "李四", role: "respondent")])
}

/// A case being lived through the machine: each step is decided, checked to succeed,
/// applied, and recorded, one hour after the last unless told otherwise.
private struct Life {
    var current: Case
    var events: [Event]
    var clock: Int64

    init(at unit: Int64 = Fx.g01, severity: String = "minor", by actor: Actor = Fx.admin, at start: Int64 = t0)
        throws
    {
        let event = try Fx.machine.decide(nil, .file(filing(at: unit, severity: severity)), by: actor, at: start)
            .get()
        current = Case(id: 1, filed: event)
        events = [event]
        clock = start
    }

    @discardableResult
    mutating func act(_ action: Action, by actor: Actor = Fx.admin, after step: Int64 = hour) throws -> Event {
        clock += step
        let event = try Fx.machine.decide(current, action, by: actor, at: clock).get()
        current = current.applying(event)
        events.append(event)
        return event
    }
}

/// A case in `state` at `level` (1 grid, 2 community, 3 street), filed at `grid`.
private func caseIn(
    _ state: CaseState, level: Int = 1, severity: String = "critical", grid: Int64 = Fx.g01
) throws -> Case {
    var life = try Life(at: grid, severity: severity)
    for _ in 1..<level { try life.act(.escalate(reason: "上报")) }
    switch state {
    case .open: break
    case .mediating: try life.act(.accept(mediator: Fx.streetMediator))
    case .resolved:
        try life.act(.accept(mediator: Fx.streetMediator))
        try life.act(.resolve(Fx.agreement))
    case .closed:
        try life.act(.accept(mediator: Fx.streetMediator))
        try life.act(.resolve(Fx.agreement))
        try life.act(.close(note: "回访满意", satisfaction: .satisfied, performance: .performed, early: "提前回访"))
    case .referred: try life.act(.refer(to: .court, reason: "调解不成"))
    case .withdrawn: try life.act(.withdraw(reason: "当事人拒绝调解"))
    }
    return life.current
}

/// A valid action of `kind` for case `c` (one that passes every check but the state's).
private func sample(_ kind: ActionKind, for c: Case) -> Action {
    switch kind {
    case .accept: .accept(mediator: Fx.streetMediator)
    case .assess: .assess(severity: c.severity == "major" ? "minor" : "major", category: nil, reason: "重新研判")
    case .escalate: .escalate(reason: "需社区协调")
    case .extend: .extend(until: c.dueAt + 14 * day, reason: "双方同意延期", consent: true)
    case .resolve: .resolve(Fx.agreement)
    case .reopen: .reopen(reason: "未履行协议")
    case .close: .close(note: "回访满意", satisfaction: .satisfied, performance: .performed, early: "提前回访")
    case .refer: .refer(to: .court, reason: "调解不成")
    case .withdraw: .withdraw(reason: "当事人拒绝调解")
    case .note: .note(text: "电话联系双方")
    case .assign: .assign(followUpBy: Fx.streetMediator)
    case .confirm: .confirm(applied: Fx.machine.zone.day(c.resolvedAt ?? c.lastEventAt), ruling: nil)
    case .file, .supervise: preconditionFailure("no sample for \(kind)")
    }
}

/// A state in which `kind` is allowed.
private func someStateAllowing(_ kind: ActionKind) -> CaseState {
    CaseState.allCases.first { kind.allowedFrom?.contains($0) == true }!
}

private func decide(_ c: Case, _ action: Action, by actor: Actor = Fx.admin, after step: Int64 = hour)
    -> Result<Event, Violation>
{
    Fx.machine.decide(c, action, by: actor, at: c.lastEventAt + step)
}

private func violation(_ result: Result<Event, Violation>) -> Violation? {
    if case .failure(let v) = result { return v }
    return nil
}

/// Every action a person can ask for, i.e. every kind but filing and the sweep's own.
private let personActions = ActionKind.allCases.filter { $0 != .file && $0 != .supervise }

// MARK: - Every state × every action

@Suite struct TransitionTableTests {
    /// The table of the design brief, written out independently of `allowedFrom`.
    @Test func allowedFromMatchesTheDesignTable() {
        let design: [ActionKind: Set<CaseState>] = [
            .accept: [.open],
            .assess: [.open, .mediating],
            .escalate: [.open, .mediating],
            .resolve: [.mediating],
            .reopen: [.resolved],
            .close: [.resolved],
            .refer: [.open, .mediating],
            .withdraw: [.open, .mediating],
            .extend: [.open, .mediating],
            .note: [.open, .mediating, .resolved],
            // The sweep also flags a resolved case whose follow-up is a week late.
            .supervise: [.open, .mediating, .resolved],
            .assign: [.resolved],
            .confirm: [.resolved],
        ]
        #expect(ActionKind.file.allowedFrom == nil)
        for kind in ActionKind.allCases where kind != .file {
            #expect(kind.allowedFrom == design[kind], "\(kind)")
            // Nothing ever leaves a final state.
            #expect(kind.allowedFrom?.contains(where: \.isFinal) == false, "\(kind)")
        }
    }

    @Test(arguments: CaseState.allCases, personActions)
    func everyStateAndAction(state: CaseState, kind: ActionKind) throws {
        let before = try caseIn(state)
        let now = before.lastEventAt + hour
        let result = Fx.machine.decide(before, sample(kind, for: before), by: Fx.admin, at: now)

        guard kind.allowedFrom!.contains(state) else {
            #expect(result == .failure(.wrongState(kind, state)))
            return
        }
        let event = try result.get()
        #expect(event.caseSeq == before.version + 1)
        #expect(event.change.kind == kind)
        #expect(event.actor == "admin")
        #expect(event.effectiveAt == now)

        let after = before.applying(event)
        #expect(after.version == before.version + 1)
        #expect(after.lastEventAt == now)
        let expected: CaseState =
            switch kind {
            case .accept, .reopen: .mediating
            case .escalate: .open
            case .resolve: .resolved
            case .close: .closed
            case .refer: .referred
            case .withdraw: .withdrawn
            default: state  // assess, extend, note
            }
        #expect(after.state == expected)
        if kind == .escalate {
            #expect(after.level == before.level + 1)
            #expect(after.unitID == Fx.c01)
        } else {
            #expect(after.level == before.level)
            #expect(after.unitID == before.unitID)
        }
    }

    @Test(arguments: CaseState.allCases)
    func fileOnAnExistingCaseIsWrongState(state: CaseState) throws {
        let c = try caseIn(state)
        #expect(decide(c, .file(filing())) == .failure(.wrongState(.file, state)))
    }

    @Test func whatEachChangeRecordsOnTheCase() throws {
        var life = try Life(severity: "major")
        try life.act(.assess(severity: "critical", category: "property", reason: "涉及多户"))
        #expect(life.current.severity == "critical")
        #expect(life.current.category == "property")

        try life.act(.accept(mediator: Fx.c01Mediator))
        #expect(life.current.assignee == "c01med")

        let resolvedAt = try life.act(.resolve(Fx.agreement)).effectiveAt
        #expect(life.current.resolvedAt == resolvedAt)
        #expect(life.current.followUpAt == Fx.agreement.followUpAt)

        let reopen = try life.act(.reopen(reason: "未履行协议"))
        #expect(life.current.resolvedAt == nil)
        #expect(life.current.followUpAt == nil)
        #expect(life.current.dueAt == reopen.effectiveAt + 7 * day)
        #expect(life.current.assignee == "c01med")

        try life.act(.escalate(reason: "需社区协调"))
        #expect(life.current.assignee == nil)

        try life.act(.accept(mediator: Fx.c01Mediator))
        try life.act(.resolve(Fx.agreement))
        let close = try life.act(.close(note: "回访满意", satisfaction: .basic, performance: .performed, early: "提前回访"))
        #expect(life.current.closedAt == close.effectiveAt)
        #expect(life.current.filedAt == t0)
    }
}

// MARK: - Ceilings and breaches

@Suite struct CeilingTests {
    @Test(arguments: [
        ("minor", 1, 1), ("minor", 2, 2),
        ("major", 1, 0), ("major", 2, 2),
        ("critical", 1, 0), ("critical", 2, 0),
    ])
    func breachOnEscalation(severity: String, fromLevel: Int, breach: Int) throws {
        let before = try caseIn(.open, level: fromLevel, severity: severity)
        let event = try decide(before, .escalate(reason: "上报")).get()
        #expect(event.change.breach == breach)
        let after = before.applying(event)
        #expect(after.breaches == before.breaches + (breach > 0 ? 1 : 0))
        #expect(after.level == fromLevel + 1)
        #expect(after.topLevel == fromLevel + 1)
    }

    @Test func minorOutOfItsGridIsOneBreach() throws {
        var life = try Life(severity: "minor")
        let event = try life.act(.escalate(reason: "上报"))
        #expect(event.change.breach == 1)
        #expect(life.current.breaches == 1)
        let second = try life.act(.escalate(reason: "再上报"))
        #expect(second.change.breach == 2)
        #expect(life.current.breaches == 2)
        #expect(life.current.unitID == Fx.s1)
    }

    @Test func criticalNeverBreaches() throws {
        var life = try Life(severity: "critical")
        try life.act(.escalate(reason: "上报"))
        try life.act(.accept(mediator: Fx.streetMediator))
        try life.act(.escalate(reason: "再上报"))
        #expect(life.events.map(\.change.breach) == [0, 0, 0, 0])
        #expect(life.current.breaches == 0)
    }

    @Test(arguments: [CaseState.open, .mediating])
    func escalatingAtTheTopIsRefused(state: CaseState) throws {
        let top = try caseIn(state, level: 3)
        #expect(top.unitID == Fx.s1)
        #expect(decide(top, .escalate(reason: "上报")) == .failure(.atTopLevel))
    }

    @Test func dueDatesFollowTheLevel() throws {
        var life = try Life(severity: "critical")
        #expect(life.current.dueAt == t0 + 7 * day)

        let toCommunity = try life.act(.escalate(reason: "上报"), after: 2 * day)
        guard case .escalated(let unit, let level, let due, _, _) = toCommunity.change else {
            Issue.record("expected an escalation, got \(toCommunity.change)")
            return
        }
        #expect((unit, level) == (Fx.c01, 2))
        #expect(due == t0 + 2 * day + 30 * day)
        #expect(life.current.dueAt == due)

        let toStreet = try life.act(.escalate(reason: "上报"), after: 5 * day)
        #expect(life.current.unitID == Fx.s1)
        #expect(life.current.dueAt == toStreet.effectiveAt + 30 * day)
    }

    @Test func escalationFollowsTheTree() throws {
        var life = try Life(at: Fx.g03, severity: "critical")
        try life.act(.escalate(reason: "上报"))
        #expect(life.current.unitID == Fx.c02)
        #expect(life.current.originUnitID == Fx.g03)
    }
}

// MARK: - Jurisdiction and roles

@Suite struct JurisdictionTests {
    /// A tree edited into a loop (C01 under its own grid) is not a place to hang: the
    /// walk up ends and no one outside the loop holds a unit inside it.
    @Test func aTreeEditedIntoALoopEndsTheWalk() {
        let looped = Organisation([
            Unit(id: Fx.s1, code: "S1", name: "东湖街道", level: 3, parentID: nil),
            Unit(id: Fx.c01, code: "C01", name: "桂园社区", level: 2, parentID: Fx.g01),
            Unit(id: Fx.g01, code: "G01", name: "第一网格", level: 1, parentID: Fx.c01),
        ])
        #expect(!looped.contains(Fx.s1, Fx.g01))
        #expect(looped.contains(Fx.c01, Fx.g01))
        #expect(looped.subtree(of: Fx.s1) == [Fx.s1])
    }

    @Test func outsidersAreRefused() throws {
        let atG01 = try caseIn(.open, grid: Fx.g01)
        #expect(
            decide(atG01, .note(text: "看看"), by: Fx.g03Worker) == .failure(.outsideJurisdiction(unitCode: "G01")))

        let atG03 = try caseIn(.open, grid: Fx.g03)
        #expect(
            decide(atG03, .note(text: "看看"), by: Fx.c01Mediator)
                == .failure(.outsideJurisdiction(unitCode: "G03")))

        let atC02 = try caseIn(.mediating, level: 2, grid: Fx.g03)
        #expect(
            decide(atC02, .resolve(Fx.agreement), by: Fx.c01Mediator)
                == .failure(.outsideJurisdiction(unitCode: "C02")))

        // A community mediator does not reach a case once it has gone up to the street.
        let atS1 = try caseIn(.open, level: 3, grid: Fx.g01)
        #expect(
            decide(atS1, .note(text: "看看"), by: Fx.c01Mediator) == .failure(.outsideJurisdiction(unitCode: "S1")))
    }

    @Test func insidersMayAct() throws {
        let atG02 = try caseIn(.mediating, grid: Fx.g02)
        #expect(throws: Never.self) { try decide(atG02, .resolve(Fx.agreement), by: Fx.c01Mediator).get() }
        let atC02 = try caseIn(.mediating, level: 2, grid: Fx.g03)
        #expect(throws: Never.self) { try decide(atC02, .resolve(Fx.agreement), by: Fx.streetMediator).get() }
        let atS1 = try caseIn(.mediating, level: 3, grid: Fx.g03)
        #expect(throws: Never.self) { try decide(atS1, .resolve(Fx.agreement), by: Fx.streetMediator).get() }
        let atG01 = try caseIn(.mediating, grid: Fx.g01)
        #expect(throws: Never.self) { try decide(atG01, .resolve(Fx.agreement), by: Fx.g01Worker).get() }
    }

    @Test func gridWorkerActsOnlyAtTheLowestLevel() throws {
        let atC01 = try caseIn(.mediating, level: 2, grid: Fx.g01)
        #expect(
            decide(atC01, .resolve(Fx.agreement), by: Fx.c01GridWorker) == .failure(.aboveGridWorker(levelRank: 2)))
        // The grid's own worker too, once the case has gone up from their grid: the level
        // is what refuses them (it is checked before the unit tree).
        #expect(
            decide(atC01, .resolve(Fx.agreement), by: Fx.g01Worker) == .failure(.aboveGridWorker(levelRank: 2)))
        #expect(decide(atC01, .note(text: "跟进"), by: Fx.g01Worker) == .failure(.aboveGridWorker(levelRank: 2)))
    }

    @Test func gridWorkerCannotCloseOrRefer() throws {
        let resolved = try caseIn(.resolved)
        #expect(
            decide(
                resolved, .close(note: "结案", satisfaction: .satisfied, performance: .performed, early: "提前"),
                by: Fx.g01Worker)
                == .failure(.roleCannot(.gridWorker, .close)))
        let open = try caseIn(.open)
        #expect(
            decide(open, .refer(to: .police, reason: "涉嫌违法"), by: Fx.g01Worker)
                == .failure(.roleCannot(.gridWorker, .refer)))
    }

    @Test(arguments: personActions)
    func legalVolunteerNotesAndClosesOnly(kind: ActionKind) throws {
        let c = try caseIn(someStateAllowing(kind))
        let result = decide(c, sample(kind, for: c), by: Fx.c01Legal)
        // A volunteer follows agreements up: may also reopen one not performed and record
        // the application for judicial confirmation.
        if [.note, .close, .reopen, .confirm].contains(kind) {
            let event = try result.get()
            #expect(event.actor == "c01law")
        } else {
            #expect(result == .failure(.roleCannot(.legalVolunteer, kind)))
        }
    }

    @Test func legalVolunteerNotesInEveryNonFinalState() throws {
        for state in [CaseState.open, .mediating, .resolved] {
            let c = try caseIn(state)
            #expect(throws: Never.self) { try decide(c, .note(text: "法律意见"), by: Fx.c01Legal).get() }
        }
    }

    @Test func filingOnlyAtAGrid() {
        for (unit, code) in [(Fx.c01, "C01"), (Fx.s1, "S1"), (999, "999")] {
            let result = Fx.machine.decide(nil, .file(filing(at: unit)), by: Fx.admin, at: t0)
            #expect(result == .failure(.notAGrid(unitCode: code)))
        }
    }

    @Test func filingChecksTheFiler() throws {
        #expect(
            Fx.machine.decide(nil, .file(filing(at: Fx.g01)), by: Fx.g03Worker, at: t0)
                == .failure(.outsideJurisdiction(unitCode: "G01")))
        #expect(
            Fx.machine.decide(nil, .file(filing(at: Fx.g01)), by: Fx.c01Legal, at: t0)
                == .failure(.roleCannot(.legalVolunteer, .file)))
        #expect(
            Fx.machine.decide(nil, .file(filing(at: Fx.g01, summary: " ")), by: Fx.g01Worker, at: t0)
                == .failure(.emptyText(field: "summary")))

        let event = try Fx.machine.decide(nil, .file(filing(at: Fx.g01)), by: Fx.g01Worker, at: t0).get()
        #expect(event.caseSeq == 1)
        #expect(event.actor == "g01w")
        #expect(event.change == .filed(filing(at: Fx.g01), level: 1, dueAt: t0 + 7 * day))
        let c = Case(id: 7, filed: event)
        #expect(c.state == .open)
        #expect((c.unitID, c.originUnitID, c.level, c.topLevel) == (Fx.g01, Fx.g01, 1, 1))
        #expect((c.version, c.lastEventAt, c.filedAt, c.breaches) == (1, t0, t0, 0))
    }

    @Test func acceptNeedsAMediatorWhoCanTakeTheCase() throws {
        let atG01 = try caseIn(.open, grid: Fx.g01)
        // No jurisdiction over G01.
        #expect(decide(atG01, .accept(mediator: Fx.g03Worker)) == .failure(.cannotAssign(login: "g03w")))
        // A legal volunteer advises; they do not take cases.
        #expect(decide(atG01, .accept(mediator: Fx.c01Legal)) == .failure(.cannotAssign(login: "c01law")))
        // The sweep's system actor escalates and flags, but never mediates.
        #expect(decide(atG01, .accept(mediator: Actor.system)) == .failure(.cannotAssign(login: "system")))

        let atC02 = try caseIn(.open, level: 2, grid: Fx.g03)
        #expect(decide(atC02, .accept(mediator: Fx.c01Mediator)) == .failure(.cannotAssign(login: "c01med")))
        // A grid worker takes no case above the grid.
        let atC01 = try caseIn(.open, level: 2, grid: Fx.g01)
        #expect(decide(atC01, .accept(mediator: Fx.c01GridWorker)) == .failure(.cannotAssign(login: "c01w")))

        // Those who can, can.
        for mediator in [Fx.g01Worker, Fx.c01Mediator, Fx.streetMediator, Fx.admin] {
            let event = try decide(atG01, .accept(mediator: mediator), by: Fx.g01Worker).get()
            #expect(event.change == .accepted(mediator: mediator.login))
            #expect(atG01.applying(event).assignee == mediator.login)
        }
    }
}

// MARK: - Time and required text

@Suite struct TimeAndTextTests {
    @Test func noEventBeforeTheLastOne() throws {
        let c = try caseIn(.mediating)
        let last = c.lastEventAt
        #expect(
            Fx.machine.decide(c, .note(text: "补记"), by: Fx.admin, at: last - 1)
                == .failure(.beforeLastEvent(lastEventAt: last)))
        // The same second is fine.
        let event = try Fx.machine.decide(c, .note(text: "补记"), by: Fx.admin, at: last).get()
        #expect(event.effectiveAt == last)
    }

    @Test func extensionMustBeLater() throws {
        let c = try caseIn(.open)
        for until in [c.dueAt, c.dueAt - 1, t0] {
            #expect(
                decide(c, .extend(until: until, reason: "双方同意", consent: true))
                    == .failure(.extensionNotLater(dueAt: c.dueAt)))
        }
        let event = try decide(c, .extend(until: c.dueAt + 1, reason: "双方同意", consent: true)).get()
        #expect(event.change == .extended(dueAt: c.dueAt + 1, reason: "双方同意"))
        #expect(c.applying(event).dueAt == c.dueAt + 1)
    }

    @Test func extensionOfAnOverdueCaseMustLieInTheFuture() throws {
        let c = try caseIn(.open)
        let now = c.dueAt + 3 * day
        let inThePast = Fx.machine.decide(
            c, .extend(until: c.dueAt + day, reason: "双方同意", consent: true), by: Fx.admin, at: now)
        #expect(inThePast == .failure(.extensionNotLater(dueAt: now)))
        let ahead = Fx.machine.decide(
            c, .extend(until: now + day, reason: "双方同意", consent: true), by: Fx.admin, at: now)
        #expect(throws: Never.self) { try ahead.get() }
    }

    @Test func assessMustChangeSomething() throws {
        let c = try caseIn(.open, severity: "major")  // category "neighbour"
        let nothing: [(String?, String?)] = [(nil, nil), ("major", nil), (nil, "neighbour"), ("major", "neighbour")]
        for (severity, category) in nothing {
            #expect(
                decide(c, .assess(severity: severity, category: category, reason: "复核")) == .failure(.nothingToAssess))
        }
        // Only what changes is recorded.
        let event = try decide(c, .assess(severity: "major", category: "family", reason: "复核")).get()
        #expect(event.change == .assessed(severity: nil, category: "family", reason: "复核"))
        let after = c.applying(event)
        #expect((after.severity, after.category) == ("major", "family"))
    }

    @Test(arguments: ["", " ", "\t\n", "\u{3000}"])
    func requiredTextMustNotBeBlank(blank: String) throws {
        let open = try caseIn(.open)
        let mediating = try caseIn(.mediating)
        let resolved = try caseIn(.resolved)
        let blankAgreement = Agreement(
            terms: blank, oral: true, amountFen: nil, performBy: "2026-02-01", followUpAt: t0)
        let table: [(Case, Action, String)] = [
            (open, .assess(severity: "minor", category: nil, reason: blank), "reason"),
            (open, .escalate(reason: blank), "reason"),
            (open, .extend(until: open.dueAt + day, reason: blank, consent: true), "reason"),
            (mediating, .resolve(blankAgreement), "agreement"),
            (resolved, .reopen(reason: blank), "reason"),
            (resolved, .close(note: blank, satisfaction: .satisfied, performance: .performed, early: nil), "note"),
            (open, .refer(to: .arbitration, reason: blank), "reason"),
            (mediating, .withdraw(reason: blank), "reason"),
            (resolved, .note(text: blank), "text"),
        ]
        for (c, action, field) in table {
            #expect(decide(c, action) == .failure(.emptyText(field: field)), "\(action.kind)")
        }
    }
}

// MARK: - Sweep

@Suite struct SweepTests {
    @Test(arguments: [CaseState.open, .mediating])
    func overdueBelowCeilingEscalates(state: CaseState) throws {
        let c = try caseIn(state, severity: "major")
        let now = c.dueAt + 1
        let event = try #require(Fx.machine.sweep(c, at: now))
        #expect(event.actor == "system")
        #expect(event.caseSeq == c.version + 1)
        #expect(event.effectiveAt == now)
        #expect(
            event.change == .escalated(unitID: Fx.c01, level: 2, dueAt: now + 30 * day, reason: .overdue, breach: 0))
        let after = c.applying(event)
        #expect((after.state, after.level, after.breaches, after.assignee) == (.open, 2, 0, nil))
    }

    @Test func overdueAtCeilingIsSupervisedOnce() throws {
        let c = try caseIn(.mediating, severity: "minor")
        let now = c.dueAt + day
        let event = try #require(Fx.machine.sweep(c, at: now))
        #expect(event.change == .supervised(reason: .overdue))
        #expect(event.actor == "system")
        #expect(event.caseSeq == c.version + 1)
        let flagged = c.applying(event)
        #expect(flagged.supervisedAt == now)
        #expect((flagged.state, flagged.level, flagged.assignee) == (.mediating, 1, c.assignee))
        #expect(Fx.machine.sweep(flagged, at: now) == nil)
        #expect(Fx.machine.sweep(flagged, at: now + 10 * day) == nil)
    }

    @Test func overdueAboveCeilingOrAtTheTopIsSupervised() throws {
        let breached = try caseIn(.open, level: 2, severity: "minor")
        #expect(Fx.machine.sweep(breached, at: breached.dueAt + 1)?.change == .supervised(reason: .overdue))
        let top = try caseIn(.open, level: 3, severity: "critical")
        #expect(Fx.machine.sweep(top, at: top.dueAt + 1)?.change == .supervised(reason: .overdue))
    }

    @Test func notOverdueIsLeftAlone() throws {
        let c = try caseIn(.open, severity: "major")
        #expect(Fx.machine.sweep(c, at: c.lastEventAt) == nil)
        #expect(Fx.machine.sweep(c, at: c.dueAt - 1) == nil)
        #expect(Fx.machine.sweep(c, at: c.dueAt) == nil)  // due that second, not yet past it
    }

    @Test(arguments: [CaseState.resolved, .closed, .referred, .withdrawn])
    func settledCasesAreLeftAlone(state: CaseState) throws {
        let c = try caseIn(state, severity: "minor")
        let late = c.dueAt + 365 * day
        guard state == .resolved else { return #expect(Fx.machine.sweep(c, at: late) == nil) }
        // A resolved case's follow-up a year late is flagged once, then left alone.
        let flag = try #require(Fx.machine.sweep(c, at: late))
        #expect(flag.change == .supervised(reason: .followUpOverdue))
        #expect(Fx.machine.sweep(c.applying(flag), at: late + day) == nil)
    }

    @Test func sweepNeverActsBeforeTheLastEvent() throws {
        var c = try caseIn(.open, severity: "major")
        c.lastEventAt = c.dueAt + 10 * day
        #expect(Fx.machine.sweep(c, at: c.dueAt + day) == nil)
    }

    @Test func extensionClearsTheSupervisionFlag() throws {
        let c = try caseIn(.open, severity: "minor")
        let firstSweep = c.dueAt + day
        let flagged = c.applying(try #require(Fx.machine.sweep(c, at: firstSweep)))
        #expect(flagged.supervisedAt == firstSweep)

        let newDue = firstSweep + 10 * day
        let extended = flagged.applying(
            try decide(flagged, .extend(until: newDue, reason: "双方同意延期", consent: true)).get())
        #expect(extended.supervisedAt == nil)
        #expect(extended.dueAt == newDue)
        #expect(Fx.machine.sweep(extended, at: newDue) == nil)
        // Overdue again after the extension: flagged again.
        #expect(Fx.machine.sweep(extended, at: newDue + 1)?.change == .supervised(reason: .overdue))
    }

    @Test func escalationAndReopenClearTheSupervisionFlag() throws {
        let major = try caseIn(.open, severity: "major")
        var flagged = major
        flagged.supervisedAt = major.dueAt
        #expect(flagged.applying(try decide(flagged, .escalate(reason: "上报")).get()).supervisedAt == nil)

        var resolved = try caseIn(.resolved, severity: "minor")
        resolved.supervisedAt = resolved.lastEventAt
        #expect(resolved.applying(try decide(resolved, .reopen(reason: "未履行")).get()).supervisedAt == nil)
    }

    @Test func sweptLifeReplays() throws {
        // Grid (7 days) → swept up to the community → at the ceiling, flagged.
        var life = try Life(severity: "major")
        for step in 1...2 {
            let now = life.current.dueAt + 1
            let event = try #require(Fx.machine.sweep(life.current, at: now), "sweep \(step)")
            life.current = life.current.applying(event)
            life.events.append(event)
        }
        #expect(life.events.map(\.change.kind) == [.file, .escalate, .supervise])
        #expect((life.current.level, life.current.breaches) == (2, 0))
        #expect(Case.replay(id: 1, life.events) == life.current)
    }
}

// MARK: - Event codec and replay

@Suite struct EventCodecTests {
    static let fullFiling = Filing(
        number: CaseNumber(year: 2026, serial: 7), unitID: Fx.g03, severity: "major", category: "property",
        source: "hotline", sourceRef: "12345-20260101-0042", summary: "物业费纠纷，涉及=号, 逗号\n和换行",
        parties: [
            Party(
                name: "王五", role: "applicant", phone: "13800000000", idNumber: "110101199003078888",
                address: "桂园小区3栋201"),
            Party(name: "某物业公司", role: "respondent"),
            Party(name: "赵六", role: "witness", phone: nil, idNumber: nil, address: "柳岸小区1栋"),
            Party(name: "钱七", role: "respondent", phone: "", idNumber: "11010119800101001X", address: nil),
        ])

    static let changes: [Change] = [
        .filed(fullFiling, level: 1, dueAt: t0 + 7 * day),
        .filed(filing(), level: 1, dueAt: t0 + 7 * day),
        .filed(
            Filing(
                number: CaseNumber(year: 2026, serial: 12345), unitID: Fx.g01, severity: "minor",
                category: "neighbour", source: "police", sourceRef: "", summary: "噪音", parties: []),
            level: 1, dueAt: t0),
        .accepted(mediator: "c01med"),
        .assessed(severity: "critical", category: nil, reason: "涉及群体"),
        .assessed(severity: nil, category: "family", reason: "归类有误"),
        .assessed(severity: "minor", category: "neighbour", reason: "两项都改"),
        .escalated(unitID: Fx.c01, level: 2, dueAt: t0 + 30 * day, reason: .overdue, breach: 0),
        .escalated(unitID: Fx.s1, level: 3, dueAt: t0 + 60 * day, reason: .said("需街道协调"), breach: 2),
        .extended(dueAt: t0 + 40 * day, reason: "双方同意延期"),
        .resolved(Fx.agreement),
        .resolved(Agreement(terms: "口头道歉", oral: true, amountFen: nil, performBy: "2026-01-10", followUpAt: t0)),
        .resolved(Agreement(terms: "赔偿", oral: false, amountFen: 0, performBy: "2026-03-01", followUpAt: t0 + day)),
        .reopened(reason: "未履行协议", dueAt: t0 + 37 * day),
        .closed(note: "回访满意", satisfaction: .satisfied, performance: nil, early: nil),
        .closed(note: "基本满意", satisfaction: .basic, performance: .partly, early: "当事人外出务工"),
        .closed(note: "不满意", satisfaction: .unsatisfied, performance: .not, early: nil),
        .closed(note: "电话无人接听", satisfaction: .unreached, performance: .performed, early: nil),
        .assigned(followUpBy: "chen"),
        .confirmed(applied: Day(year: 2026, month: 1, day: 20), ruling: nil),
        .confirmed(applied: nil, ruling: .invalid),
        .supervised(reason: .followUpOverdue),
        .referred(to: .court, reason: "调解不成"),
        .referred(to: .arbitration, reason: "劳动争议"),
        .referred(to: .police, reason: "涉嫌违法"),
        .referred(to: .department, reason: "属行政职责"),
        .withdrawn(reason: "当事人拒绝调解"),
        .noted(text: "电话联系双方"),
        .supervised(reason: .overdue),
    ]

    @Test func everyKindIsCovered() {
        #expect(Set(Self.changes.map(\.kind)) == Set(ActionKind.allCases))
    }

    @Test(arguments: EventCodecTests.changes)
    func roundTrip(change: Change) {
        #expect(Change(kind: change.kind, detail: change.detail) == change)
    }

    /// `writesDetail` says whether stored fields are exactly the detail: the same pairs
    /// in the same order, not one more or fewer, not one changed.
    @Test(arguments: EventCodecTests.changes)
    func aDetailIsTheOneWrittenOnlyWhenEveryFieldIs(change: Change) {
        let detail = change.detail
        #expect(change.writesDetail(detail))
        #expect(!change.writesDetail(detail + [("extra", "x")]))
        #expect(!change.writesDetail(Array(detail.dropLast())))
        if detail.count > 1 { #expect(!change.writesDetail(detail.reversed())) }
        var edited = detail
        edited[edited.count - 1].1 += " "
        #expect(!change.writesDetail(edited))
        edited = detail
        edited[0].0 = edited[0].0.uppercased()
        #expect(!change.writesDetail(edited))
    }

    @Test func filingDetailKeepsOptionalPartyFieldsApart() {
        let detail = Change.filed(Self.fullFiling, level: 1, dueAt: t0).detail
        let keys = detail.map(\.0)
        #expect(keys.contains("source_ref"))
        #expect(keys.contains("party.1.phone") && keys.contains("party.1.id_number"))
        #expect(!keys.contains("party.2.phone") && !keys.contains("party.2.address"))
        #expect(!keys.contains("party.3.phone") && keys.contains("party.3.address"))
        #expect(keys.contains("party.4.phone") && !keys.contains("party.4.address"))
        #expect(!Change.filed(filing(), level: 1, dueAt: t0).detail.map(\.0).contains("source_ref"))
    }

    @Test func detailThatDoesNotFitIsRefused() {
        #expect(Change(kind: .accept, detail: []) == nil)
        #expect(
            Change(
                kind: .escalate,
                detail: [
                    ("unit", "x"), ("level", "2"), ("due_at", "1"),
                    ("reason", "r"), ("breach", "0"),
                ]) == nil)
        #expect(Change(kind: .close, detail: [("note", "n"), ("satisfaction", "happy")]) == nil)
        #expect(Change(kind: .refer, detail: [("to", "mars"), ("reason", "r")]) == nil)
        #expect(
            Change(
                kind: .resolve,
                detail: [
                    ("terms", "t"), ("form", "oral"), ("amount_fen", "1.5"),
                    ("perform_by", "2026-01-01"), ("follow_up_at", "0"),
                ]) == nil)
        #expect(Change(kind: .file, detail: Change.noted(text: "x").detail) == nil)
    }

    /// file → accept → escalate → accept → resolve → reopen → resolve → close, by the
    /// people who would do each step.
    fileprivate static func wholeLife() throws -> Life {
        var life = try Life(at: Fx.g01, severity: "minor", by: Fx.g01Worker)
        try life.act(.accept(mediator: Fx.g01Worker), by: Fx.g01Worker)
        try life.act(.escalate(reason: "网格调解不成"), by: Fx.g01Worker, after: 3 * day)
        try life.act(.accept(mediator: Fx.c01Mediator), by: Fx.c01Mediator)
        try life.act(.resolve(Fx.agreement), by: Fx.c01Mediator, after: 5 * day)
        try life.act(.reopen(reason: "未按期赔偿"), by: Fx.c01Mediator, after: 10 * day)
        try life.act(.resolve(Fx.agreement), by: Fx.c01Mediator, after: 2 * day)
        try life.act(
            .close(note: "已履行，回访满意", satisfaction: .satisfied, performance: .performed, early: "提前回访"), by: Fx.c01Legal,
            after: 20 * day)
        return life
    }

    @Test func replayOfAWholeLifeEqualsFolding() throws {
        let life = try Self.wholeLife()
        #expect(life.events.map(\.caseSeq) == Array(1...8))
        #expect(
            life.events.map(\.change.kind) == [.file, .accept, .escalate, .accept, .resolve, .reopen, .resolve, .close])
        #expect(Case.replay(id: 1, life.events) == life.current)
        // And so does every prefix.
        var folded = Case(id: 1, filed: life.events[0])
        for n in 1...life.events.count {
            if n > 1 { folded = folded.applying(life.events[n - 1]) }
            #expect(Case.replay(id: 1, Array(life.events.prefix(n))) == folded, "after \(n) events")
        }

        let c = life.current
        #expect((c.state, c.unitID, c.level, c.topLevel, c.breaches) == (.closed, Fx.c01, 2, 2, 1))
        #expect((c.assignee, c.version, c.originUnitID) == ("c01med", 8, Fx.g01))
        #expect(c.closedAt == life.clock)
        #expect(c.resolvedAt == life.events[6].effectiveAt)
    }

    @Test func replayFromStoredDetailEqualsFolding() throws {
        let life = try Self.wholeLife()
        let stored = try life.events.map { event in
            Event(
                caseSeq: event.caseSeq, actor: event.actor, effectiveAt: event.effectiveAt,
                change: try #require(Change(kind: event.change.kind, detail: event.change.detail)))
        }
        #expect(stored == life.events)
        #expect(Case.replay(id: 1, stored) == life.current)
    }

    @Test func replayNeedsAFilingFirst() throws {
        let life = try Self.wholeLife()
        #expect(Case.replay(id: 1, []) == nil)
        #expect(Case.replay(id: 1, Array(life.events.dropFirst())) == nil)
        let first = life.events[0]
        let misnumbered = Event(caseSeq: 2, actor: first.actor, effectiveAt: first.effectiveAt, change: first.change)
        #expect(Case.replay(id: 1, [misnumbered]) == nil)
    }
}

@Suite struct DetailKeyTests {
    /// The party keys made once are the ones written out, past the cached positions too.
    @Test func partyKeysAreThePositionAndTheFieldAfterParty() {
        for position in 0...12 {
            for key in DetailKey.allCases {
                #expect(DetailKey.party(position, key) == "party." + String(position) + "." + key.rawValue)
            }
        }
        #expect(DetailKey.party(2, .idNumber) == "party.2.id_number")
    }
}
