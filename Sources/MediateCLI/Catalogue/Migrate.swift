/// What `mediate migrate` says, in both languages.
enum MigrateHelp: Spoken, CaseIterable {
    case command, optionTo, optionMerge

    var zh: String {
        switch self {
        case .command: "把整个数据库（全部记录）经导出和导入复制到一个空的 PostgreSQL 数据库，并核对两边一致（仅管理员）"
        case .optionTo: "目标：一个空的 PostgreSQL 数据库，postgresql://…"
        case .optionMerge: "把这个街道并入已有其他街道的区数据库：单位代码和登录名不得重复，案件重新编号，记录接到区的记录链上"
        }
    }

    var en: String {
        switch self {
        case .command:
            "copy the whole database (every record) through export and import into an empty PostgreSQL database, and check both sides agree (admins only)"
        case .optionTo: "the target: an empty PostgreSQL database, postgresql://…"
        case .optionMerge:
            "merge this street into a district database that holds other streets: unit codes and logins must not collide; cases are renumbered, events appended to the district's chain"
        }
    }
}

enum MigrateSaid: Spoken {
    /// The copy verified on both sides: how much moved and the witness both end at.
    case moved(to: String, cases: Int, events: Int, witness: String)
    /// A street merged into a district database.
    case merged(into: String, street: String, cases: Int, events: Int, witness: String, renumbered: Int)

    var zh: String {
        switch self {
        case .moved(let target, let cases, let events, let witness):
            "已复制到 \(target)：\(cases) 件案件，\(events) 条记录；两边都通过校验，见证 \(witness) 相同，各月报表一致。原数据库未改动（只记下这次导出）。"
        case .merged(let target, let street, let cases, let events, let witness, let renumbered):
            "已把 \(street) 并入 \(target)：\(cases) 件案件（\(renumbered) 件重新编号，新旧编号记在合并记录里），\(events) 条记录接到区的记录链上；街道库校验无误，见证 \(witness) 已记入区库；区库通过校验，\(street) 的报表与原库一致。请保留街道库，它仍能证明自己的历史。"
        }
    }

    var en: String {
        switch self {
        case .moved(let target, let cases, let events, let witness):
            "Copied into \(target): \(cases) cases, \(events) events; both sides verify, end at the same witness \(witness) and give the same reports. The original is unchanged (but for the record of this export)."
        case .merged(let target, let street, let cases, let events, let witness, let renumbered):
            "Merged \(street) into \(target): \(cases) cases (\(renumbered) renumbered, old and new numbers kept in the merge's record), \(events) events appended to the district's chain; the street's database verified at witness \(witness), which the district now records; the district verifies and gives \(street) the same reports. Keep the street's database: it still proves its own history."
        }
    }
}

/// Why `mediate migrate` stopped, each one sentence with what to do.
enum MigrateProblem: Error, Spoken, Equatable {
    /// `--to` does not name a PostgreSQL database.
    case notAServer(String)
    /// `--to` names a database that is not empty.
    case targetNotEmpty(String)
    /// The copy does not verify, or ends elsewhere, or reports otherwise: `what` says which.
    case copyDiffers(String, what: Difference)
    /// `--merge`: the district database does not verify before the merge (nothing written).
    case districtUnverified(String)
    /// `--merge`: the merge committed, and a check after it failed: the district holds
    /// other streets, so it is never to be dropped.
    case mergeCheckFailed(String, street: String, what: Difference)

    enum Difference: Sendable, Equatable { case witness, report, verify }

    var status: Int32 {
        switch self {
        case .notAServer: Exit.usage
        case .targetNotEmpty: Exit.refused
        case .copyDiffers, .mergeCheckFailed: Exit.storage
        case .districtUnverified: Exit.refused
        }
    }

    var zh: String {
        switch self {
        case .notAServer(let target):
            "--to 要写 PostgreSQL 数据库（postgresql://…），不是 \(target)：复制到文件请用 'mediate export' 和 'mediate import jsonl'。"
        case .targetNotEmpty(let target):
            "\(target) 不是空数据库：迁移只复制到空的数据库，请先建一个（CREATE DATABASE）；要并入已有街道的区数据库，请加 --merge。"
        case .copyDiffers(let target, let what):
            switch what {
            case .witness: "\(target) 的哈希链与原库的见证不同：复制不可信，请删除目标数据库后重试并报告此问题。"
            case .report: "\(target) 的报表与原库不同：复制不可信，请删除目标数据库后重试并报告此问题。"
            case .verify: "\(target) 未通过校验：复制不可信，请删除目标数据库后重试并报告此问题。"
            }
        case .districtUnverified(let target):
            "区数据库 \(target) 本身未通过校验：先运行 'mediate verify --db \(target)' 查明问题，合并前区库必须完整无误；未做任何改动。"
        case .mergeCheckFailed(let target, let street, let what):
            "\(street) 已并入 \(target)，但合并后的核对未通过（\(what == .report ? "报表不同" : "校验不符")）：区数据库里还有其他街道，不要删除它；请保留街道的数据库，运行 'mediate verify --db \(target)' 查明问题并报告。"
        }
    }

    var en: String {
        switch self {
        case .notAServer(let target):
            "--to takes a PostgreSQL database (postgresql://…), not \(target): to copy into a file use 'mediate export' and 'mediate import jsonl'."
        case .targetNotEmpty(let target):
            "\(target) is not an empty database: migrate copies into an empty one only; create one first (CREATE DATABASE), or add --merge to merge into a district database that holds other streets."
        case .copyDiffers(let target, let what):
            switch what {
            case .witness:
                "The hash chain in \(target) does not end at the original's witness: the copy cannot be trusted; drop the target database, try again and report this."
            case .report:
                "The reports of \(target) differ from the original's: the copy cannot be trusted; drop the target database, try again and report this."
            case .verify:
                "\(target) does not verify: the copy cannot be trusted; drop the target database, try again and report this."
            }
        case .districtUnverified(let target):
            "The district database \(target) does not verify itself: run 'mediate verify --db \(target)' to find out why, it must be whole before a merge; nothing was changed."
        case .mergeCheckFailed(let target, let street, let what):
            "\(street) was merged into \(target), but the check after it failed (\(what == .report ? "the reports differ" : "it does not verify")): the district holds other streets, so do not drop it; keep the street's database, run 'mediate verify --db \(target)' to find out why, and report this."
        }
    }
}
