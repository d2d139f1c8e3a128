import MediateCore
import MediateStore

#if canImport(Glibc)
    import Glibc
#endif

let demoCommands: [Command] = [
    Command(
        name: "demo", help: .commandDemo,
        options: [
            Option("dir", .path, .optionDir), Option("cases", .count(1...2_000_000), .optionCases),
            Option("communities", .count(1...99), .optionCommunities), Option("grids", .count(1...99), .optionGrids),
            Option("months", .count(1...120), .optionMonths), Option("quiet", .optionQuiet),
            Option("seed", .count(0...Int(Int32.max)), help: DeskHelp.optionSeed),
        ], formats: [.text], run: demo)
]

/// The kinds of dispute community offices really see, with how they usually go.
private let disputes: [(category: String, severity: String, zh: String)] = [
    ("neighbour", "minor", "楼道自行车棚被邻居加锁，其他住户无法停车"),
    ("property", "minor", "单元下水道堵塞，一楼住户家中返水，与物业互相推诿"),
    ("property", "major", "冬季暖气不热，十余户联名要求物业退还部分供暖费"),
    ("neighbour", "minor", "楼上装修噪音持续到深夜，楼下老人无法休息"),
    ("neighbour", "minor", "小区内占用消防通道停车，双方口角"),
    ("family", "minor", "夫妻因家务和孩子教育争吵，一方回娘家"),
    ("family", "major", "兄妹因老人赡养费分担和房产继承发生纠纷"),
    ("property", "minor", "业主拒交物业费，认为保洁和维修不到位"),
    ("neighbour", "minor", "楼上卫生间漏水，楼下天花板发霉，赔偿谈不拢"),
    ("neighbour", "minor", "邻居在公共楼道堆放杂物，影响通行和消防安全"),
    ("neighbour", "minor", "广场舞音响声音过大，周边住户投诉"),
    ("neighbour", "minor", "养狗不拴绳，吓到小孩，双方争执"),
    ("housing", "major", "违章搭建阳光房遮挡邻居采光"),
    ("contract", "minor", "房东不退租房押金，租客称房屋无损坏"),
    ("labour", "major", "小区保安公司拖欠三名保安两个月工资"),
    ("consumer", "minor", "社区理发店办卡后关门，顾客要求退款"),
    ("damages", "minor", "电动车在楼道充电起火熏黑邻居家门"),
    ("traffic", "minor", "小区内倒车刮蹭电动自行车，赔偿金额有争议"),
    ("environment", "major", "底商餐馆油烟直排，楼上住户无法开窗"),
    ("property", "critical", "老旧小区加装电梯，低层住户强烈反对，双方多次冲突"),
    ("family", "critical", "家庭矛盾激化，一方扬言伤人，需多方联合化解"),
]

private let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
private let givenNames = [
    "芳", "伟", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "桂兰", "建国", "志强", "淑珍",
]

/// A small deterministic generator (SplitMix64): the same demo every time.
private struct Dice {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

private func demo(_ c: Context) throws -> Int32 {
    let count = c.args.count("cases") ?? 300
    let dir: String
    if let given = c.args.text("dir") {
        guard Files.kind(given) == .directory else { throw Problem.notAFolder(given) }
        dir = given
    } else {
        let base = c.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/mediate-demo-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw Problem.cannotMakeTempFolder }
        dir = String(cString: made)
    }
    let path = dir + "/demo.db"
    let zoneName = c.environment["MEDIATE_DEMO_TZ"] ?? "Asia/Shanghai"
    guard let zone = Zone.named(zoneName) else { throw StoreError.unknownZone(zoneName) }
    c.use(zone)
    let now = try c.now()
    // The demo plays a street in use: each event is entered when it takes effect, as a
    // mediator at the desk would enter it, so nothing in it reads as a late entry (补录).
    let entered = c.entered
    let months = c.args.count("months") ?? 6
    let start = zone.monthStart(year: zone.day(now).year, month: zone.day(now).month - months)

    let setUp = start - 86_400
    // A throwaway database: no need to wait for the disk on every commit.
    let store = try Store.create(
        at: path, admin: "admin", adminName: "街道管理员", now: setUp, entered: setUp, durability: .fast)
    store.osLogin = c.invocation.osLogin()
    let admin = try store.actor("admin")
    try store.setPolicy(.timezone(zoneName), by: admin, at: setUp, entered: setUp)
    // mediate believes the real user: whoever runs the demo is an admin of it, so that
    // the commands it prints (MEDIATE_USER=… for an admin acting for someone) run as shown.
    if c.invocation.realUID() != 0, let me = c.invocation.osLogin(), me != "admin", (try? Actor.checkLogin(me)) != nil {
        try store.addPerson(
            login: me, name: me, role: .admin, unit: nil, by: admin, at: setUp, entered: setUp)
    }

    // One street, its communities (three by default), their grids (four each), their people.
    let named = [("C01", "东湖社区"), ("C02", "南湖社区"), ("C03", "西岭社区")]
    let communityCount = c.args.count("communities") ?? 3
    let gridsEach = c.args.count("grids") ?? 4
    let communities = (1...communityCount).map { i in
        i <= named.count ? named[i - 1] : ("C" + LocalTime.pad(i, 2), c.say(Said.communityName(i)))
    }
    let gridDigits = max(2, String(communityCount * gridsEach).count)
    let ordinals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
    var units = [Store.NewUnit(code: "S1", name: "东湖街道", level: "street", parent: nil)]
    var grids: [(code: String, community: String)] = []
    for (i, (code, name)) in communities.enumerated() {
        units.append(Store.NewUnit(code: code, name: name, level: "community", parent: "S1"))
        for g in 1...gridsEach {
            let grid = "G" + LocalTime.pad(i * gridsEach + g, gridDigits)
            let ordinal = g <= ordinals.count ? ordinals[g - 1] : String(g)
            units.append(
                Store.NewUnit(code: grid, name: "\(name.prefix(2))第\(ordinal)网格", level: "grid", parent: code))
            grids.append((grid, code))
        }
    }
    try store.addUnits(units, by: admin, at: setUp, entered: setUp)
    // The same seed (and the same MEDIATE_NOW) gives the same street.
    var dice = Dice(state: UInt64(c.args.count("seed") ?? 20_261_005))
    func name() -> String { String(dice.pick(surnames)) + dice.pick(givenNames) }
    try store.addPerson(
        login: "street-med", name: name(), role: .mediator, unit: "S1", by: admin, at: setUp, entered: setUp)
    for (code, _) in communities {
        let n = code.lowercased()
        for suffix in ["a", "b"] {
            try store.addPerson(
                login: "\(n)-med-\(suffix)", name: name(), role: .mediator, unit: code, by: admin, at: setUp,
                entered: setUp)
        }
        try store.addPerson(
            login: "\(n)-law", name: name(), role: .legalVolunteer, unit: code, by: admin, at: setUp, entered: setUp)
    }
    for grid in grids {
        try store.addPerson(
            login: grid.code.lowercased() + "-worker", name: name(), role: .gridWorker, unit: grid.code, by: admin,
            at: setUp, entered: setUp)
    }

    // Cases spread over six months, each moved along a realistic path.
    let machine = try store.machine()
    let span = now - start
    var times = (0..<count).map { _ in start + Int64(dice.below(Int(span))) }
    times.sort()
    let sources = [
        "patrol", "patrol", "patrol", "application", "application", "initiative", "hotline", "hotline", "police",
        "court", "department",
    ]
    // The people, read once: the bulk path reads nothing back while it writes.
    var people: [String: Actor] = [:]
    func person(_ login: String) throws -> Actor {
        if let known = people[login] { return known }
        let actor = try store.actor(login)
        people[login] = actor
        return actor
    }
    // Thousands of cases a commit, each case written once with all its events: every
    // action is still decided by the machine and chained, but the disk is waited on
    // once a batch and nothing written is read back.
    var swept = 0
    try store.bulk(machine: machine, commitEvery: 5000) { bulk in
        for filedAt in times {
            /// One case, played from its filing until the present, or until it ends.
            func play() throws {
                let grid = dice.pick(grids)
                let d = dice.pick(disputes)
                let worker = try person(grid.code.lowercased() + "-worker")
                let community = grid.community.lowercased()
                let mediator = try person("\(community)-med-\(dice.chance(50) ? "a" : "b")")
                let source = dice.pick(sources)
                var parties = [
                    Party(name: name(), role: "applicant", phone: "13" + String(100_000_000 + dice.below(899_999_999)))
                ]
                parties.append(
                    Party(name: d.category == "property" && dice.chance(60) ? "某物业服务公司" : name(), role: "respondent"))
                try bulk.file(
                    {
                        Filing(
                            number: $0, unitID: machine.organisation.unit(code: grid.code)!.id, severity: d.severity,
                            category: d.category,
                            source: source,
                            sourceRef: source == "hotline" ? "12345-\(100_000 + dice.below(900_000))" : nil,
                            summary: d.zh, parties: parties)
                    },
                    by: worker, at: filedAt, entered: filedAt)
                var t = filedAt
                /// The next action, some hours on, made knowing its own moment (an agreement's
                /// dates follow the day it is reached); false once the present is reached.
                func step(_ actor: Actor, hours: Int, _ make: (Int64) -> Action) throws -> Bool {
                    let next = t + Int64(3600 * (1 + dice.below(hours)))
                    guard next < now else { return false }
                    t = next
                    try bulk.perform(make(t), by: actor, at: t, entered: t)
                    return true
                }
                func step(_ action: Action, _ actor: Actor, hours: Int) throws -> Bool {
                    try step(actor, hours: hours) { _ in action }
                }
                // Who mediates: minor cases mostly in the grid, major ones go up to the community.
                var handler = worker
                var atGrid = true
                guard try step(.accept(mediator: worker), worker, hours: 48) else { return }
                if d.severity != "minor" || dice.chance(12) {
                    let reason = d.severity == "minor" ? "当事人要求社区出面" : "涉及多户，超出网格调解能力"
                    guard try step(.escalate(reason: reason), worker, hours: 72) else { return }
                    guard try step(.accept(mediator: mediator), mediator, hours: 48) else { return }
                    handler = mediator
                    atGrid = false
                }
                if d.severity == "critical" && dice.chance(50) {
                    guard try step(.escalate(reason: "矛盾激化，需街道协调"), mediator, hours: 48) else { return }
                    let street = try person("street-med")
                    guard try step(.accept(mediator: street), street, hours: 24) else { return }
                    handler = street
                }
                if dice.chance(15) { return }  // still being mediated
                if dice.chance(6) {
                    _ = try step(
                        .refer(
                            to: dice.pick([.court, .arbitration, .police, .department]), reason: "调解不成，告知当事人通过诉讼或仲裁解决"),
                        atGrid ? mediator : handler, hours: 240)
                    return
                }
                if dice.chance(4) {
                    _ = try step(.withdraw(reason: "一方当事人拒绝调解（人民调解法第十七条）"), handler, hours: 120)
                    return
                }
                _ = try step(.note(text: "已分别走访双方，了解诉求"), handler, hours: 72)
                let amount: Int64? =
                    ["damages", "property", "contract", "labour", "traffic", "neighbour"].contains(d.category)
                        && dice.chance(55)
                    ? Int64(100 + dice.below(80)) * 1000 : nil
                let oral = amount == nil && dice.chance(40)
                let daysToPerform = Int64(7 + dice.below(14))
                var agreedPerformBy: Day? = nil
                func agreement(at moment: Int64) -> Action {
                    let performBy = zone.day(moment + 86_400 * daysToPerform)
                    agreedPerformBy = performBy
                    return .resolve(
                        Agreement(
                            terms: amount == nil ? "双方各让一步，按约定时间整改到位" : "被申请人一次性赔偿申请人，双方不再追究",
                            oral: oral, amountFen: amount, performBy: performBy.description,
                            followUpAt: zone.endOfDay(performBy)))
                }
                guard try step(handler, hours: atGrid ? 120 : 400, agreement) else { return }
                if dice.chance(5) {
                    guard try step(.reopen(reason: "一方未按期履行协议"), handler, hours: 300) else { return }
                    guard try step(handler, hours: 200, agreement) else { return }
                }
                let closer =
                    handler.login == "street-med"
                    ? handler : atGrid || dice.chance(50) ? mediator : try person("\(community)-law")
                // The follow-up comes once the agreement is due: never a close before its perform-by day.
                if let due = agreedPerformBy { t = max(t, zone.instant(due)) }
                guard t + 86_400 * 14 < now else { return }  // waiting for follow-up
                if closer.role == .legalVolunteer {
                    guard try step(.assign(followUpBy: closer), mediator, hours: 24) else { return }
                }
                // What the follow-up found, and a note that says the same as the figures.
                let roll = dice.below(100)
                let (note, satisfaction, performance): (String, Satisfaction, Performance) =
                    roll < 72
                    ? ("回访确认协议已履行，当事人无异议", dice.chance(85) ? .satisfied : .basic, .performed)
                    : roll < 84
                        ? ("回访：协议已部分履行，余款双方约定下月付清", .basic, .partly)
                        : roll < 92
                            ? ("回访：被申请人未按协议履行，已告知申请人可申请司法确认或向法院起诉", .unsatisfied, .not)
                            : ("申请人电话多次无法接通，经被申请人和邻居确认协议已履行", .unreached, .performed)
                _ = try step(
                    .close(note: note, satisfaction: satisfaction, performance: performance, early: nil), closer,
                    hours: 400)
            }
            try play()
            // The daily sweep of the present, on this case as it stands: the machine
            // escalates it or flags it for supervision, as `mediate sweep` would.
            if try bulk.sweep(at: now, entered: entered) != nil { swept += 1 }
        }
    }

    if c.args.has("quiet") {
        c.print(path)
        return Exit.ok
    }
    let db = "--db \(path)"
    c.print(Said.demoDatabase(path))
    c.print(
        Said.demoStreet(
            communities: communityCount, grids: grids.count, cases: count, months: months, swept: swept))
    c.print()
    c.print(Said.tryThese)
    let first = try store.cases(Store.CaseFilter()).first { $0.breaches > 0 } ?? store.cases(Store.CaseFilter()).first
    let example = first?.number.description ?? "2026-0001"
    let program = c.invocation.program
    for line in [
        "\(program) list \(db) --unit C01 --overdue",
        "\(program) followups \(db) --as c01-law",
        "\(program) show \(db) \(example) --lang zh",
        "\(program) report \(db) --month last --format csv",
        "\(program) verify \(db)",
        c.say(Said.demoFiling(program: program, db: db, grid: grids[0].code)),
    ] { c.print("  " + line) }
    c.print()
    c.print(Said.demoOverdue("C01"))
    var filter = Store.CaseFilter()
    filter.units = machine.organisation.subtree(of: machine.organisation.unit(code: "C01")!.id)
    filter.overdueAt = now
    filter.limit = 5
    for k in try store.cases(filter) {
        c.print("  \(k.number)  \(machine.organisation[k.unitID]?.code ?? "")  \(clip(k.summary, 40))")
    }
    c.print()
    // The office's view: last month's report, as cron would mail it.
    let report = CLI.run(
        Invocation(["report", "--db", path, "--month", "last", "--lang", c.lang.rawValue], like: c.invocation))
    c.write(utf8: report.output)
    return Exit.ok
}
