import MediateCore
import MediateStore

/// What the program says about trust: the chain's witness, who may act, access to
/// residents' data.
enum TrustSaid: Spoken {
    /// The witness line of `verify` and `backup`: to keep outside the file.
    case witness(Witness)
    /// A table of the administration, as `verify` names it.
    case tableName(String)
    case disabled(String)
    case upgraded(from: Int32, to: Int32)
    case upToDate(Int32)
    case noAccess
    case auditWhen, auditWho, auditWhat, auditWhich
    case accessReveal, accessBackup, accessExport

    var zh: String {
        switch self {
        case .witness(let w):
            "链头 #\(w.count) \(w.short)（请在文件之外留存此行；核对：mediate verify --witness \(w.text)）"
        case .tableName(let table):
            switch table {
            case "level": "层级表"
            case "severity": "严重程度表"
            case "category": "类别表"
            case "source": "来源表"
            case "setting": "设置表"
            case "unit": "单位表"
            case "person": "人员表"
            default: "表 \(table)"
            }
        case .disabled(let login): "已停用 \(login)：此人不能再操作或承办案件，其记录保留。"
        case .upgraded(let from, let to): "数据库已从版本 \(from) 升级到 \(to)。"
        case .upToDate(let version): "数据库已是最新版本 \(version)，未做改动。"
        case .noAccess: "没有查看明文、备份或导出的记录。"
        case .auditWhen: "时间"
        case .auditWho: "人员（系统用户）"
        case .auditWhat: "操作"
        case .auditWhich: "对象"
        case .accessReveal: "查看明文"
        case .accessBackup: "备份"
        case .accessExport: "导出"
        }
    }

    var en: String {
        switch self {
        case .witness(let w):
            "Chain head #\(w.count) \(w.short) (keep this line outside the file; check with: mediate verify --witness \(w.text))"
        case .tableName(let table):
            switch table {
            case "level": "Level"
            case "severity": "Severity"
            case "category": "Category"
            case "source": "Source"
            case "setting": "Setting"
            case "unit": "Unit"
            case "person": "Person"
            default: "Row of table \(table)"
            }
        case .disabled(let login): "Disabled \(login): they may no longer act or take cases; their records stay."
        case .upgraded(let from, let to): "Upgraded the database from schema version \(from) to \(to)."
        case .upToDate(let version): "The database is already at schema version \(version); nothing was changed."
        case .noAccess: "No reveals, backups or exports are recorded."
        case .auditWhen: "When"
        case .auditWho: "Who (OS user)"
        case .auditWhat: "Access"
        case .auditWhich: "Of"
        case .accessReveal: "revealed numbers"
        case .accessBackup: "backup"
        case .accessExport: "export"
        }
    }
}

/// Slips about trust: exit 64.
enum TrustProblem: Error, Spoken {
    case badWitness(String)

    var zh: String {
        switch self {
        case .badWitness(let text):
            "链头 '\(echo(text))' 的格式应为 条数:哈希（至少 16 位十六进制），照 verify 或 backup 打印的那一行抄写。"
        }
    }

    var en: String {
        switch self {
        case .badWitness(let text):
            "The witness '\(echo(text))' should read COUNT:HASH (at least 16 hexadecimal digits), as verify or backup print it."
        }
    }
}

/// Who may not do what they asked: exit 1.
enum TrustRefusal: Error, Spoken {
    /// The real user's OS login (nil: the user id has no login) is not a registered person.
    case notRegistered(String?)
    case cannotActAs(caller: String, named: String)
    case backDatingNeedsAdmin(caller: String)

    var zh: String {
        switch self {
        case .notRegistered(let login?):
            "系统用户 \(echo(login)) 不是本数据库登记的人员，不能读写：请管理员运行 'mediate person add --login \(echo(login))'。"
        case .notRegistered(nil): "运行本程序的系统用户没有登录名，不能读写：请用已登记的系统账户运行。"
        case .cannotActAs(let caller, let named):
            "只有管理员可以用 --as 或 MEDIATE_USER 以他人（\(echo(named))）的身份操作：你是 \(echo(caller))，请去掉它们。"
        case .backDatingNeedsAdmin(let caller):
            "用 MEDIATE_NOW 补录过去的记录须由管理员操作（\(echo(caller)) 不是管理员）：请去掉 MEDIATE_NOW，或请管理员用 --as 补录。"
        }
    }

    var en: String {
        switch self {
        case .notRegistered(let login?):
            "The OS user \(echo(login)) is not a registered person of this database and may neither read nor write: ask an admin to run 'mediate person add --login \(echo(login))'."
        case .notRegistered(nil):
            "The user running mediate has no login name and may neither read nor write: run it from a registered account."
        case .cannotActAs(let caller, let named):
            "Only an admin may act as someone else (\(echo(named))) with --as or MEDIATE_USER: you are \(echo(caller)), leave them out."
        case .backDatingNeedsAdmin(let caller):
            "Back-dating with MEDIATE_NOW is an admin's act (\(echo(caller)) is not an admin): leave MEDIATE_NOW out, or have an admin enter the record with --as."
        }
    }
}

/// Help of the trust commands and options.
enum TrustHelp: Spoken {
    case optionWitness
    case commandPersonDisable, optionDisableLogin, optionDisableReason
    case commandAudit, optionSince, optionAuditPerson
    case commandUpgrade

    var zh: String {
        switch self {
        case .optionWitness: "核对文件仍延续这个留存的链头（条数:哈希）"
        case .commandPersonDisable: "停用一名人员（不删除，记入审计）"
        case .optionDisableLogin: "要停用的人员登录名"
        case .optionDisableReason: "停用原因"
        case .commandAudit: "列出查看明文、备份和导出的记录"
        case .optionSince: "只列此日期及以后的"
        case .optionAuditPerson: "只列此人员的"
        case .commandUpgrade: "把数据库升级到本程序的版本（只读命令从不改动文件）"
        }
    }

    var en: String {
        switch self {
        case .optionWitness: "check that the log still extends this kept witness (COUNT:HASH)"
        case .commandPersonDisable: "disable a person (never deleted; audited)"
        case .optionDisableLogin: "the login of the person to disable"
        case .optionDisableReason: "why"
        case .commandAudit: "list who revealed residents' numbers, made backups or exports"
        case .optionSince: "only from this date on"
        case .optionAuditPerson: "only this person's"
        case .commandUpgrade: "bring the database to this mediate's schema (read commands never change the file)"
        }
    }
}
