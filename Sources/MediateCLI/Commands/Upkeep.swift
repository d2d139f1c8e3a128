import MediateCore
import MediateStore

let upkeepCommands: [Command] = [
    Command(
        name: "sweep", zh: "每日巡查：逾期案件上报或督办", en: "daily sweep: escalate or flag overdue cases",
        usage: "[--dry-run]",
        options: [OptionSpec("dry-run", zh: "只显示将做什么，不写入", en: "show what it would do, write nothing")],
        positionals: 0...0, run: sweep),
    Command(
        name: "verify", zh: "校验数据库：完整性、哈希链、案件与记录一致",
        en: "verify integrity, the hash chain, and every case against its events",
        usage: "", options: [], positionals: 0...0, run: verify),
    Command(
        name: "backup", zh: "在他人写入时也能做一致的备份", en: "write a consistent copy, even while others write",
        usage: "PATH", options: [], positionals: 1...1, run: backup),
]

private func sweep(_ c: Context) throws -> Int32 {
    let store = try c.openStore()
    let machine = try store.machine()
    let dryRun = c.args.has("dry-run")
    let done = try store.sweep(machine: machine, at: try c.now(), entered: c.entered, dryRun: dryRun)
    if c.format == .json {
        c.printJSON(
            .object([
                ("dry_run", .bool(dryRun)),
                (
                    "actions",
                    .array(
                        done.map { k, e in
                            .object([
                                ("number", .string(k.number.description)), ("action", .string(e.change.kind.rawValue)),
                                ("unit", .string(machine.organisation[k.unitID]?.code ?? "")),
                            ])
                        })
                ),
            ]))
        return Exit.ok
    }
    if done.isEmpty {
        c.print(c.t("没有需要处理的逾期案件。", "No overdue case needs action."))
        return Exit.ok
    }
    for (k, e) in done {
        let from = machine.organisation[k.unitID]?.code ?? "?"
        switch e.change {
        case .escalated(let unit, _, _, _, _):
            let to = machine.organisation[unit]?.code ?? "?"
            c.print(
                c.t(
                    "\(k.number) 逾期，\(dryRun ? "将" : "已")从 \(from) 上报到 \(to)",
                    "\(k.number) overdue: \(dryRun ? "would escalate" : "escalated") from \(from) to \(to)"))
        default:
            c.print(
                c.t(
                    "\(k.number) 逾期且已在上限层级 \(from)，\(dryRun ? "将" : "已")督办",
                    "\(k.number) overdue at its ceiling \(from): \(dryRun ? "would flag" : "flagged") for supervision"))
        }
    }
    return Exit.ok
}

private func verify(_ c: Context) throws -> Int32 {
    let store = try c.openStore()
    let v = try store.verify()
    let ok = v.problem == nil
    let message =
        v.problem.map { problem(c, $0) }
        ?? c.t(
            "校验通过：\(v.events) 条记录的哈希链完整，\(v.cases) 件案件与其记录一致。",
            "Verified: the hash chain over \(v.events) events is intact and all \(v.cases) cases match their events.")
    if c.format == .json {
        c.printJSON(
            .object([
                ("ok", .bool(ok)), ("events", .int(Int64(v.events))), ("cases", .int(Int64(v.cases))),
                ("problem", ok ? .null : .string(message)),
            ]))
    } else if ok {
        c.print(message)
    }
    guard let problem = v.problem else { return Exit.ok }
    if case .integrity = problem { throw VerifyFailure(message: message, status: Exit.storage) }
    throw VerifyFailure(message: message, status: Exit.refused)
}

/// A failed verification: its sentence goes to stderr.
struct VerifyFailure: Error {
    let message: String
    let status: Int32
}

private func problem(_ c: Context, _ p: Verification.Problem) -> String {
    func name(_ id: Int64, _ number: String?) -> String {
        c.t("第 \(id) 条记录", "Event \(id)") + (number.map { c.t("（案件 \($0)）", " (case \($0))") } ?? "") + c.t("", " ")
    }
    let advice = c.t(
        "历史在 mediate 之外被改动过：请从备份恢复并调查。",
        "the history was changed outside mediate: restore from a backup and investigate.")
    switch p {
    case .integrity(let detail):
        return c.t(
            "SQLite 完整性检查失败（\(detail)）：文件已损坏，请从备份恢复。",
            "SQLite's integrity check failed (\(detail)): the file is damaged, restore it from a backup.")
    case .triggersMissing:
        return c.t("记录表的只增不改触发器不见了：", "The append-only triggers of the event table are missing: ") + advice
    case .gap(let id):
        return c.t("哈希链在第 \(id) 条记录处断开（缺失或多出）：", "The chain breaks at event \(id) (missing or extra): ") + advice
    case .hash(let id, let number):
        return name(id, number) + c.t("的哈希与内容不符：", "does not match its hash: ") + advice
    case .unreadable(let id, let number):
        return name(id, number) + c.t("无法读取：", "cannot be read: ") + advice
    case .snapshot(let id, let number):
        return name(id, number) + c.t("记录的案件状态与回放不符：", "records a case state that its replay does not give: ") + advice
    case .caseRow(let number, let field):
        return c.t("案件 \(number) 的 \(field) 与其记录不符：", "Case \(number) differs from its events in \(field): ") + advice
    case .noEvents(let number):
        return c.t("案件 \(number) 没有任何记录：", "Case \(number) has no events: ") + advice
    }
}

private func backup(_ c: Context) throws -> Int32 {
    let target = c.args.positionals[0]
    try Files.checkDatabasePath(target, option: nil)
    guard Files.kind(target) == .missing else {
        throw c.usage(
            "\(target) 已存在：请给一个新文件名，备份不会覆盖已有文件。",
            "\(target) already exists: name a new file, backup never overwrites one.")
    }
    // SQLite owns NAME-wal, NAME-shm and NAME-journal beside a database NAME: a backup
    // written there could be taken for the live database's and deleted.
    if ["-wal", "-shm", "-journal"].contains(where: { target.hasSuffix($0) }) {
        throw c.usage(
            "\(target) 的结尾是 SQLite 的附属文件名（-wal、-shm、-journal）：请换个名字，如 mediate-备份.db。",
            "\(target) ends like an SQLite side file (-wal, -shm, -journal): choose another name, like mediate-backup.db."
        )
    }
    let store = try c.openStore()
    try store.backup(to: target)
    let copy = try Store.open(at: target)
    let v = try copy.verify()
    guard v.problem == nil else {
        throw VerifyFailure(
            message: c.t("备份 \(target) 未通过校验：", "The backup \(target) failed verification: ") + problem(c, v.problem!),
            status: Exit.storage)
    }
    c.done(
        "已备份到 \(target)，校验通过（\(v.events) 条记录）。", "Backed up to \(target) and verified (\(v.events) events).",
        [("backup", .string(target)), ("events", .int(Int64(v.events)))])
    return Exit.ok
}
