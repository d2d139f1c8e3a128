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
    case roleCreated(String)
    case upgraded(from: Int32, to: Int32)
    case upToDate(Int32)
    case noAccess
    case auditWhen, auditWho, auditWhat, auditWhich
    case accessReveal, accessBackup, accessExport
    case sharedWith(group: String)
    case groupInPlace(String, group: String)
    case modelSetgid(group: String)
    case protectsSetgid(group: String)
    case environmentSetgid(group: String)
    case modelSingleUser(String, owner: String, mode: UInt32?)
    case protectsSingleUser(owner: String)
    /// A PostgreSQL database: the server's roles and grants decide who reads and writes.
    case modelServer(String)
    case officeAdvice
    case finding(String)
    case honestHeading, honestNothing, wholeDeployment
    case honestGrid(String, backDated: Int, relabelled: Int)
    case honestReveals(String, Int)
    case disabledMark

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
        case .roleCreated(let login): "已在服务器上建立角色 \(login) 并授权：此人以该角色连接即可操作。"
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
        case .sharedWith(let group): "数据库及其目录已交给组 \(group)（文件 0660、目录 2770）：以 setgid 安装的 mediate 是普通用户通往它的唯一途径。"
        case .groupInPlace(let path, let group): "\(path) 及其目录、附属文件都属于组 \(group)，权限正确。"
        case .modelSetgid(let group):
            "部署方式：mediate 以 setgid 安装到组 \(group)，数据库只属于该组；普通用户不是组成员，只能通过 mediate 访问。"
        case .protectsSetgid(let group):
            "保护范围：普通用户只能以自己的系统账户、按自己的角色读写；root 和组 \(group) 的成员仍可绕过 mediate 改文件——请把链头行留存在文件之外。"
        case .environmentSetgid:
            "环境：以 setgid 运行时 C 库丢弃 TMPDIR、TZDIR、LOCPATH、NLSPATH 等变量；mediate 不读 TZ（时区存于数据库），MEDIATE_DB 只接受该组的数据目录，--as、MEDIATE_USER 和 MEDIATE_NOW 只接受管理员。"
        case .modelSingleUser(let path, let owner, let mode):
            "部署方式：单用户——\(path) 属于 \(owner)" + (mode.map { "，权限 \(String($0, radix: 8))" } ?? "（尚不存在）") + "，只靠文件权限保护。"
        case .modelServer(let uri):
            "部署方式：PostgreSQL 服务器——\(uri)：谁能读写由服务器的角色和授权决定；哈希链和留存的链头照样能发现改动。当前操作人是连接所用的角色（须为登记的人员）；行级安全让每个角色只看到本单位及下级的案件。"
        case .protectsSingleUser(let owner):
            "保护范围：能以 \(owner) 或 root 登录的人可以读出所有居民的电话和身份证号并改动文件；哈希链和留存的链头能发现改动，但不能阻止读取。"
        case .officeAdvice:
            "建议：办公室多人共用时，请用 'Scripts/install --setgid' 把 mediate 以 setgid 安装到专用组 mediate，并用 'mediate init --group mediate' 建库。"
        case .finding(let text): "问题：" + text
        case .honestHeading: "诚信指标（按发生时间计，补录和临时调高等级不能让指标变好看）："
        case .honestNothing: "  无补录、无上报前临时调高严重程度、无查看明文。"
        case .wholeDeployment: "全街道管理员"
        case .honestGrid(let grid, let backDated, let relabelled):
            "\(grid)：补录 \(backDated) 条；上报前 72 小时内调高严重程度、使上报不算违规 \(relabelled) 件"
        case .honestReveals(let unit, let count): "\(unit)：查看明文 \(count) 次"
        case .disabledMark: "（已停用）"
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
        case .roleCreated(let login):
            "Created the server role \(login) and granted it mediate's tables: the person acts by connecting as it."
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
        case .sharedWith(let group):
            "The database and its folder now belong to the group \(group) (files 0660, folder 2770): mediate installed setgid is ordinary users' only way to it."
        case .groupInPlace(let path, let group):
            "\(path), its folder and its side files belong to the group \(group) with the right modes."
        case .modelSetgid(let group):
            "Model: mediate is installed setgid to the group \(group), which alone owns the database; ordinary users are not members and reach it only through mediate."
        case .protectsSetgid(let group):
            "Protects: ordinary users read and write only as their own login, within their role; root and members of \(group) can still edit the file outside mediate, so keep the witness line outside the file."
        case .environmentSetgid:
            "Environment: running setgid, the C library drops TMPDIR, TZDIR, LOCPATH, NLSPATH and the like; mediate reads no TZ (the zone is the database's), takes MEDIATE_DB only in the group's data folders, and --as, MEDIATE_USER and MEDIATE_NOW only from admins."
        case .modelServer(let uri):
            "Model: a PostgreSQL server: \(uri): who may read and write is decided by the server's roles and grants; the hash chain and a kept witness catch edits as on a file. The acting person is the role connected as (a registered person), and row-level security shows each role only its own unit's cases and those below."
        case .modelSingleUser(let path, let owner, let mode):
            "Model: single user: \(path) belongs to \(owner)"
                + (mode.map { " with mode \(String($0, radix: 8))" } ?? " (not made yet)")
                + ", protected by its file permissions alone."
        case .protectsSingleUser(let owner):
            "Protects: whoever can log in as \(owner) or root can read every resident's phone and ID numbers and edit the file; the hash chain and a kept witness catch edits, not reading."
        case .officeAdvice:
            "Advice: where several people share the database, install mediate setgid to a group of its own with 'Scripts/install --setgid' and make the database with 'mediate init --group mediate'."
        case .finding(let text): "Problem: " + text
        case .honestHeading:
            "Honest figures (by when things took effect; late entries and last-minute relabelling do not improve the rates):"
        case .honestNothing: "  No late entries, no severity raised just before an escalation, no reveals."
        case .wholeDeployment: "admins of the whole street"
        case .honestGrid(let grid, let backDated, let relabelled):
            "\(grid): \(backDated) entered late (补录); \(relabelled) escalated after a severity raise within 72 hours that spared a breach"
        case .honestReveals(let unit, let count): "\(unit): \(count) reveals of residents' numbers"
        case .disabledMark: " (disabled)"
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
    /// On PostgreSQL: the role connected as is not a registered person.
    case roleNotRegistered(String)
    /// On PostgreSQL: verify or export by a role that sees only its subtree.
    case wholeViewNeeded(String)
    case cannotActAs(caller: String, named: String)
    /// On PostgreSQL: `--as` by an admin of a unit, not of the whole deployment.
    case cannotActAsOnServer(caller: String, named: String)
    case backDatingNeedsAdmin(caller: String)
    case initNeedsRoot

    var zh: String {
        switch self {
        case .notRegistered(let login?):
            "系统用户 \(echo(login)) 不是本数据库登记的人员，不能读写：请管理员运行 'mediate person add --login \(echo(login))'。"
        case .roleNotRegistered(let role):
            "连接数据库服务器所用的角色 \(echo(role)) 不是登记的人员，不能读写：请管理员运行 'mediate person add --login \(echo(role))'，或以自己的角色连接。"
        case .wholeViewNeeded(let role):
            "角色 \(echo(role)) 只能看到本单位范围内的记录，无法核对或导出整条记录链：请以全区（全街道）管理员或数据库属主的角色运行。"
        case .notRegistered(nil): "运行本程序的系统用户没有登录名，不能读写：请用已登记的系统账户运行。"
        case .cannotActAs(let caller, let named):
            "只有管理员可以用 --as 或 MEDIATE_USER 以他人（\(echo(named))）的身份操作：你是 \(echo(caller))，请去掉它们。"
        case .cannotActAsOnServer(let caller, let named):
            "在数据库服务器上，只有全区（全街道）管理员或数据库属主可以用 --as 或 MEDIATE_USER 以他人（\(echo(named))）的身份操作：你（\(echo(caller))）是本单位的管理员，请去掉它们，以自己的角色操作。"
        case .backDatingNeedsAdmin(let caller):
            "用 MEDIATE_NOW 补录过去的记录须由管理员操作（\(echo(caller)) 不是管理员）：请去掉 MEDIATE_NOW，或请管理员用 --as 补录。"
        case .initNeedsRoot: "以 setgid 运行时只有 root 可以建新数据库：请管理员以 root 运行 'mediate init --group mediate'。"
        }
    }

    var en: String {
        switch self {
        case .notRegistered(let login?):
            "The OS user \(echo(login)) is not a registered person of this database and may neither read nor write: ask an admin to run 'mediate person add --login \(echo(login))'."
        case .roleNotRegistered(let role):
            "The server role \(echo(role)) you connected as is not a registered person and may neither read nor write: ask an admin to run 'mediate person add --login \(echo(role))', or connect as your own role."
        case .wholeViewNeeded(let role):
            "The role \(echo(role)) sees only its own unit's records and cannot check or export the whole chain: run it as an admin of the whole deployment, or as the database's owner."
        case .notRegistered(nil):
            "The user running mediate has no login name and may neither read nor write: run it from a registered account."
        case .cannotActAs(let caller, let named):
            "Only an admin may act as someone else (\(echo(named))) with --as or MEDIATE_USER: you are \(echo(caller)), leave them out."
        case .cannotActAsOnServer(let caller, let named):
            "On a server only an admin of the whole deployment or the database's owner may act as someone else (\(echo(named))) with --as or MEDIATE_USER: you (\(echo(caller))) administer a unit, leave them out and act as yourself."
        case .backDatingNeedsAdmin(let caller):
            "Back-dating with MEDIATE_NOW is an admin's act (\(echo(caller)) is not an admin): leave MEDIATE_NOW out, or have an admin enter the record with --as."
        case .initNeedsRoot:
            "Running setgid, only root makes a new database: have an administrator run 'mediate init --group mediate' as root."
        }
    }
}

/// Help of the trust commands and options.
enum TrustHelp: Spoken {
    case optionWitness
    case commandPersonDisable, optionDisableLogin, optionDisableReason
    case commandPersonCreateRole, optionRoleLogin
    case commandAudit, optionSince, optionAuditPerson
    case commandUpgrade
    case optionGroup, commandDoctor
    case optionIfVersion

    var zh: String {
        switch self {
        case .optionWitness: "核对文件仍延续这个留存的链头（条数:哈希）"
        case .commandPersonDisable: "停用一名人员（不删除，记入审计）"
        case .commandPersonCreateRole: "为已登记的人员在 PostgreSQL 服务器上建立同名登录角色并授权（不设密码，见 README）"
        case .optionRoleLogin: "人员的登录名，也是角色名"
        case .optionDisableLogin: "要停用的人员登录名"
        case .optionDisableReason: "停用原因"
        case .commandAudit: "列出查看明文、备份和导出的记录"
        case .optionSince: "只列此日期及以后的"
        case .optionAuditPerson: "只列此人员的"
        case .commandUpgrade: "把数据库升级到本程序的版本（只读命令从不改动文件）"
        case .optionGroup: "把数据库及其目录交给这个系统组（setgid 部署）；库已存在时只检查"
        case .commandDoctor: "说明现行的部署方式、它保护什么、哪里不对、办公室应怎么做"
        case .optionIfVersion: "只在案件仍是这个版本时操作（脚本用；否则报告案件刚被他人修改）"
        }
    }

    var en: String {
        switch self {
        case .optionWitness: "check that the log still extends this kept witness (COUNT:HASH)"
        case .commandPersonDisable: "disable a person (never deleted; audited)"
        case .commandPersonCreateRole:
            "create the PostgreSQL login role of a registered person and grant it mediate's tables (no password: see README)"
        case .optionRoleLogin: "the person's login, which is the role's name"
        case .optionDisableLogin: "the login of the person to disable"
        case .optionDisableReason: "why"
        case .commandAudit: "list who revealed residents' numbers, made backups or exports"
        case .optionSince: "only from this date on"
        case .optionAuditPerson: "only this person's"
        case .commandUpgrade: "bring the database to this mediate's schema (read commands never change the file)"
        case .optionGroup:
            "give the database and its folder to this system group (setgid deployment); checks an existing one"
        case .commandDoctor: "say which deployment model is in force, what it protects, what is wrong and what to do"
        case .optionIfVersion: "act only if the case is still at this version (for scripts; else: changed meanwhile)"
        }
    }
}

/// What is wrong with the group deployment: exit 74, a set-up problem.
enum GroupProblem: Error, Spoken, Equatable {
    case noSuchGroup(String)
    case cannotShare(String, group: String)
    case outsideDataFolder(String, group: String)
    case folderNotGroups(String, group: String)
    case fileNotGroups(String, group: String)
    case openToOthers(String, mode: UInt32)
    case missing(String)

    var zh: String {
        switch self {
        case .noSuchGroup(let name):
            "没有系统组 \(echo(name))：先以 root 运行 'groupadd --system \(echo(name))'（或用 'Scripts/install --setgid'）。"
        case .cannotShare(let path, let group):
            "无法把 \(path) 交给组 \(group)：请以 root 或该组成员的身份运行 'mediate init --group \(group)'。"
        case .outsideDataFolder(let path, let group):
            "mediate 以组 \(group) 的权限运行，只打开属于该组的数据目录中的数据库：\(path) 不在其中，请去掉 MEDIATE_DB 或 --db。"
        case .folderNotGroups(let path, let group): "目录 \(path) 不属于组 \(group) 或该组不可读写：应为 2770、属组 \(group)。"
        case .fileNotGroups(let path, let group): "文件 \(path) 不属于组 \(group) 或该组不可读写：应为 0660、属组 \(group)。"
        case .openToOthers(let path, let mode):
            "\(path) 的权限 \(String(mode, radix: 8)) 让其他用户也能访问：居民的电话和身份证号码在里面，请去掉其他用户的权限。"
        case .missing(let path): "数据库 \(path) 不存在：先运行 'mediate init'。"
        }
    }

    var en: String {
        switch self {
        case .noSuchGroup(let name):
            "There is no system group \(echo(name)): create it first as root with 'groupadd --system \(echo(name))' (or use 'Scripts/install --setgid')."
        case .cannotShare(let path, let group):
            "Cannot give \(path) to the group \(group): run 'mediate init --group \(group)' as root or as a member of the group."
        case .outsideDataFolder(let path, let group):
            "Running with the group \(group)'s rights, mediate opens only databases in a folder of that group: \(path) is not in one, leave MEDIATE_DB and --db out."
        case .folderNotGroups(let path, let group):
            "The folder \(path) does not belong to the group \(group) with read and write for it: it should be 2770, group \(group)."
        case .fileNotGroups(let path, let group):
            "The file \(path) does not belong to the group \(group) with read and write for it: it should be 0660, group \(group)."
        case .openToOthers(let path, let mode):
            "\(path) has mode \(String(mode, radix: 8)), open to other users: it holds residents' phone and ID numbers, take the others' rights away."
        case .missing(let path): "There is no database at \(path): run 'mediate init' first."
        }
    }
}
