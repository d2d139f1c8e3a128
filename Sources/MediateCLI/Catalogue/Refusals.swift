import MediateCore
import MediateStore

/// Why the rules refuse an action, in words: what is not allowed, and what to do.
struct Refusal: Spoken {
    let violation: Violation
    let zone: Zone

    var zh: String {
        switch violation {
        case .wrongState(let kind, let state):
            let allowed = CaseState.allCases.filter { kind.allowedFrom?.contains($0) == true }
            return "案件处于「\(state.zh)」，不能\(kind.zh)：只有「\(allowed.map(\.zh).joined(separator: "」「"))」的案件可以。"
        case .roleCannot(let role, let kind): return "\(role.zh)不能\(kind.zh)：请找有此权限的人员。"
        case .outsideJurisdiction(let code): return "单位 \(code) 不在你的管辖范围内：只能处理本单位及下属单位的案件。"
        case .aboveGridWorker: return "网格员只能处理网格层级的案件：该案件已上报，请由调解员处理。"
        case .atTopLevel: return "案件已在最高层级，不能再上报：如调解不成，请用 'mediate refer' 移交。"
        case .notAGrid(let code): return "\(code) 不是网格：案件只能在网格登记。"
        case .beforeLastEvent(let at): return "生效时间早于案件上一条记录（\(zone.minute(at))）：请检查 MEDIATE_NOW。"
        case .nothingToAssess: return "研判没有改变等级或类别：请用 --severity 或 --category 给出新值。"
        case .extensionNotLater(let due): return "延期日期必须晚于当前期限 \(zone.minute(due))：请给出更晚的 --until。"
        case .cannotAssign(let login): return "\(login) 不能承办此案件：承办人必须是管辖此案件的调解员或网格员。"
        case .emptyText(let field): return "\(Field(field).zh)不能为空：请写明内容。"
        case .adminOnly: return "只有管理员可以设置单位、人员和规则：请找管理员。"
        case .noParties: return "至少要有一位当事人：加 --party \"姓名,申请人,电话\"。"
        case .tooManyParties(let count):
            return "当事人太多（\(count) 位，上限 \(Case.parties.upperBound)）：群体性纠纷请另行登记。"
        case .performByBeforeAgreement(let due, let today): return "履行期限 \(due) 早于调解成功之日 \(today)：请写当天或以后的日期。"
        case .followUpBeforeAgreement(let day, let today): return "回访日期 \(day) 早于调解成功之日 \(today)：请写当天或以后的日期。"
        case .extensionNeedsConsent: return "延期须双方当事人同意：同意后加 --consent。"
        case .reservedLogin(let login): return "登录名 '\(echo(login))' 留给每日巡查（sweep）使用：请换一个。"
        case .effectiveInFuture(let at):
            return "生效时间 \(zone.minute(at)) 晚于当前真实时间：MEDIATE_NOW 只能用于补录过去的纸质记录。"
        case .closeBeforePerformBy, .confirmNeedsWrittenAgreement, .outsideConfirmWindow, .rulingBeforeApplication,
            .confirmAlreadyRecorded, .cannotTakeFollowUp:
            return DeskRefusal(violation: violation).zh
        case .streetAdminOnly: return "全街道（有区一级时为全区）的规则、时区和单位归属只能由最高一级单位的管理员设置：社区管理员只管理本社区。"
        }
    }

    var en: String {
        switch violation {
        case .wrongState(let kind, let state):
            let allowed = CaseState.allCases.filter { kind.allowedFrom?.contains($0) == true }
            return
                "Cannot \(kind.en) a case that is \(state.en): only \(allowed.map(\.en).joined(separator: " or ")) cases can be."
        case .roleCannot(let role, let kind): return "A \(role.en) cannot \(kind.en): ask someone whose role allows it."
        case .outsideJurisdiction(let code):
            return "Unit \(code) is outside your unit: you act only on cases in your own unit and below."
        case .aboveGridWorker:
            return "Grid workers act only on grid-level cases: this one was escalated, a mediator handles it."
        case .atTopLevel:
            return
                "The case is at the top level and cannot be escalated further: if mediation fails, refer it with 'mediate refer'."
        case .notAGrid(let code): return "\(code) is not a grid: cases are filed at a grid."
        case .beforeLastEvent(let at):
            return "The effective time is before the case's last event (\(zone.minute(at))): check MEDIATE_NOW."
        case .nothingToAssess:
            return "The assessment changes neither severity nor category: give a new --severity or --category."
        case .extensionNotLater(let due):
            return "The extension must end after the current due date \(zone.minute(due)): give a later --until."
        case .cannotAssign(let login):
            return
                "\(login) cannot take this case: the mediator must be a mediator or grid worker with jurisdiction over it."
        case .emptyText(let field): return "The \(Field(field).en) cannot be empty: write it out."
        case .adminOnly: return "Only an admin sets up units, people and policy: ask an admin."
        case .noParties: return "A case needs at least one party: add --party \"name,applicant,phone\"."
        case .tooManyParties(let count):
            return
                "Too many parties (\(count), at most \(Case.parties.upperBound)): register a collective dispute otherwise."
        case .performByBeforeAgreement(let due, let today):
            return "--perform-by \(due) is before the day of the agreement, \(today): give that day or a later one."
        case .followUpBeforeAgreement(let day, let today):
            return "--follow-up \(day) is before the day of the agreement, \(today): give that day or a later one."
        case .extensionNeedsConsent:
            return "An extension needs both parties' consent: add --consent once they have agreed."
        case .reservedLogin(let login): return "The login '\(echo(login))' is the daily sweep's own: choose another."
        case .effectiveInFuture(let at):
            return
                "The effective time \(zone.minute(at)) is later than the real clock: MEDIATE_NOW may only name the past, for paper records entered late."
        case .closeBeforePerformBy, .confirmNeedsWrittenAgreement, .outsideConfirmWindow, .rulingBeforeApplication,
            .confirmAlreadyRecorded, .cannotTakeFollowUp:
            return DeskRefusal(violation: violation).en
        case .streetAdminOnly:
            return
                "Street-wide policy, the time zone and where units sit are set by an admin of the top unit (the street, or the district once there is one): a community's admin administers that community only."
        }
    }
}

/// The names of the texts an action requires, as a refusal names them.
struct Field: Spoken {
    let code: String
    init(_ code: String) { self.code = code }

    var zh: String {
        switch code {
        case "summary": "摘要"
        case "reason": "理由"
        case "agreement": "协议内容"
        case "note": "结案意见"
        case "text": "记录内容"
        default: code
        }
    }
    var en: String { code }
}

/// Why the store could not do what was asked, in words, with what to do.
struct StoreRefusal: Spoken {
    let error: StoreError
    let zone: Zone

    var zh: String {
        switch error {
        case .rule(let v): Refusal(violation: v, zone: zone).zh
        case .noSuchCase(let n): "没有案件 \(n)：用 'mediate list' 查看案件编号。"
        case .noSuchUnit(let code) where code.isEmpty: "非管理员必须属于一个单位：请加 --unit CODE。"
        case .noSuchUnit(let code): "没有单位 \(echo(code))：用 'mediate unit list' 查看单位代码。"
        case .noSuchPerson(let login): "没有人员 \(echo(login))：用 'mediate person list' 查看登录名。"
        case .unknownActor(let login):
            "操作人 '\(echo(login))' 未登记：用 --as LOGIN 指定已登记的人员，或请管理员用 'mediate person add' 登记。"
        case .unknownTerm(let kind, let value):
            "未知的\(Noun(kind: kind).zh) '\(echo(value))'：用 'mediate policy show' 查看可选值。"
        case .changedMeanwhile(let n): "案件 \(n) 刚被他人修改：请运行 'mediate show \(n)' 后重试。"
        case .duplicate(let kind, let code):
            kind == "person" ? "人员 \(code) 已存在：请换一个登录名。" : "\(Noun(kind: kind).zh) \(code) 已存在：请换一个代码。"
        case .badParent(let unit, let level, let parent?): "单位 \(unit)（\(level.nameZh)）不能挂在 \(parent) 下：上级必须正好高一级。"
        case .badParent(let unit, let level, nil): "单位 \(unit)（\(level.nameZh)）需要上级：请加 --parent CODE。"
        case .unitRow(let line, let inner): Problem.badRow(line: line, .unit(inner)).zh
        case .alreadyInitialised(let path, let version): "\(path) 已经是数据库（版本 \(version)），未做任何改动。"
        case .notInitialised(let path): "\(path) 还没有数据库：先运行 'mediate init'，或用 --db 指定数据库文件。"
        case .foreign(let path): "\(path) 是其他程序的 SQLite 数据库：请用 --db 指定 mediate 自己的数据库文件。"
        case .newerSchema(let path, let found, let known):
            "\(path) 来自更新的 mediate（数据库版本 \(found)，本程序只认到 \(known)）：请升级 mediate。"
        case .unknownZone(let zone):
            "时区 '\(echo(zone))' 未安装：请用 IANA 名称，例如 Asia/Shanghai（需要 tzdata；已存的可用 'mediate policy set --timezone' 改）。"
        case .storage(let problem, let path):
            switch problem {
            case .locked: "数据库 \(path) 被另一个写入者长时间锁住：请稍后重试。"
            case .readOnly: "数据库 \(path) 是只读的：请检查文件及其目录的写权限。"
            case .corrupt: "\(path) 不是 mediate 数据库或已损坏：请检查路径，或从备份恢复。"
            case .full: "磁盘已满，无法写入 \(path)：请腾出空间后重试，未写入任何内容。"
            case .cannotOpen: "无法打开 \(path)：请检查路径是文件而不是目录，且目录存在可写。"
            case .io(let code): "读写 \(path) 时出错（\(code)）：请检查磁盘。"
            case .other(let code, let message): "数据库 \(path) 出错（\(code) \(message)）。"
            case .cannotConnect(let message):
                "连不上数据库服务器 \(path)（\(message)）：请检查 URI、服务器是否在运行、数据库和角色是否存在。"
            }
        case .disabledPerson(let login): "人员 \(echo(login)) 已停用：不能再操作或承办案件。"
        case .olderSchema(let path, let found, let known):
            "\(path) 的数据库版本是 \(found)，本程序为 \(known)：只读命令不改动文件，请先运行 'mediate upgrade'。"
        case .storedZoneMissing(let zone):
            "数据库设定的时区 \(zone) 在本机没有时区文件（/usr/share/zoneinfo/\(zone)）：请安装 tzdata，或由管理员用 'mediate policy set --timezone' 改设。"
        case .records(let fault): RecordsProblem.fault(fault, zone: zone).zh
        case .foreignServerDatabase(let uri): "\(uri) 里已有其他程序的表：mediate 不会改动它，请为 mediate 建一个空数据库（CREATE DATABASE）。"
        case .mergeUnverified: "街道的数据库未通过校验：先运行 'mediate verify' 查明问题，合并前必须完整无误；未做任何改动。"
        case .mergeCollides(let units, let logins):
            "两个数据库有相同的"
                + [
                    units.isEmpty ? nil : "单位代码 " + units.joined(separator: "、"),
                    logins.isEmpty ? nil : "登录名 " + logins.joined(separator: "、"),
                ]
                .compactMap { $0 }.joined(separator: "，") + "：合并会混淆，请先在街道库里改用不同的代码；未做任何改动。"
        case .mergeColumnsDiffer: "街道数据库的案件表与区数据库的列不同（不是本版 mediate 建的，或被改过）：先用本版 mediate 升级并运行 'mediate verify'；未做任何改动。"
        case .mergeOneTop(let n): "街道的数据库有 \(n) 个最高一级单位，合并需要正好一个；未做任何改动。"
        case .mergePolicyDiffers(let table):
            "街道与区数据库的规则不同（\(table)）：请先用 'mediate policy set' 让两边一致；未做任何改动。"
        case .rolesNeedServer: "只有 PostgreSQL 数据库有服务器角色：文件数据库去掉 --create-role，读写权限由文件所属的组决定。"
        case .roleExists(let login): "服务器上已有角色 \(echo(login))：人员未登记；去掉 --create-role 再登记，或换一个登录名。"
        case .roleRefused(let login, let message):
            "服务器拒绝建立角色 \(echo(login))（\(message)）：人员未登记；请用有 CREATEROLE 权限、拥有 mediate 各表的角色运行。"
        case .backupOnServer:
            "PostgreSQL 数据库请用服务器自己的工具备份（pg_dump，或基础备份加 WAL 归档）；'mediate export' 也能导出全部记录。"
        case .postgreSQLNotBuilt:
            "这个 mediate 编译时没有 PostgreSQL 支持：请安装 libpq-dev 后用 'swift build -c release --traits PostgreSQL'（或 'Scripts/install --with-postgresql'）重新编译，或用 --db 指定 SQLite 数据库文件。"
        }
    }

    var en: String {
        switch error {
        case .rule(let v): Refusal(violation: v, zone: zone).en
        case .noSuchCase(let n): "No case \(n): run 'mediate list' to see case numbers."
        case .noSuchUnit(let code) where code.isEmpty: "Only an admin may have no unit: add --unit CODE."
        case .noSuchUnit(let code): "No unit \(echo(code)): run 'mediate unit list' to see unit codes."
        case .noSuchPerson(let login): "No person \(echo(login)): run 'mediate person list' to see logins."
        case .unknownActor(let login):
            "The actor '\(echo(login))' is not registered: name a registered person with --as LOGIN, or ask an admin to run 'mediate person add'."
        case .unknownTerm(let kind, let value):
            "Unknown \(Noun(kind: kind).en) '\(echo(value))': run 'mediate policy show' to see the valid ones."
        case .changedMeanwhile(let n): "Case \(n) changed meanwhile: run 'mediate show \(n)' and try again."
        case .duplicate(let kind, let code):
            kind == "person"
                ? "The person \(code) already exists: choose another login."
                : "The \(Noun(kind: kind).en) \(code) already exists: choose another code."
        case .badParent(let unit, let level, let parent?):
            "Unit \(unit) (\(level.nameEn)) cannot sit under \(parent): its parent must be exactly one level higher."
        case .badParent(let unit, let level, nil): "Unit \(unit) (\(level.nameEn)) needs a parent: add --parent CODE."
        case .unitRow(let line, let inner): Problem.badRow(line: line, .unit(inner)).en
        case .alreadyInitialised(let path, let version):
            "\(path) is already a database (schema version \(version)); nothing was changed."
        case .notInitialised(let path):
            "There is no database at \(path): run 'mediate init' first, or name the file with --db."
        case .foreign(let path):
            "\(path) is an SQLite database of another program: name a database of mediate's own with --db."
        case .newerSchema(let path, let found, let known):
            "\(path) was written by a newer mediate (schema version \(found); this one knows up to \(known)): upgrade mediate."
        case .unknownZone(let zone):
            "The time zone '\(echo(zone))' is not installed: use an IANA name such as Asia/Shanghai (needs tzdata; 'mediate policy set --timezone' changes a stored one)."
        case .storage(let problem, let path):
            switch problem {
            case .locked: "The database \(path) is locked by another writer for too long: try again in a moment."
            case .readOnly: "The database \(path) is read-only: check write permission on the file and its folder."
            case .corrupt: "\(path) is not a mediate database or is damaged: check the path, or restore from a backup."
            case .full: "The disk is full, nothing was written to \(path): free some space and try again."
            case .cannotOpen:
                "Cannot open \(path): check that the path is a file, not a folder, and that its folder exists and is writable."
            case .io(let code): "An I/O error on \(path) (\(code)): check the disk."
            case .other(let code, let message): "Storage error on \(path) (\(code) \(message))."
            case .cannotConnect(let message):
                "Cannot connect to the database server for \(path) (\(message)): check the URI, that the server runs, and that the database and the role exist."
            }
        case .disabledPerson(let login): "The person \(echo(login)) is disabled: they may no longer act or take cases."
        case .olderSchema(let path, let found, let known):
            "\(path) has schema version \(found) and this mediate \(known): read commands never change the file, run 'mediate upgrade' first."
        case .storedZoneMissing(let zone):
            "The database's time zone \(zone) has no zone file on this machine (/usr/share/zoneinfo/\(zone)): install tzdata, or have an admin change it with 'mediate policy set --timezone'."
        case .records(let fault): RecordsProblem.fault(fault, zone: zone).en
        case .foreignServerDatabase(let uri):
            "\(uri) holds another program's tables: mediate leaves it untouched, create an empty database for mediate (CREATE DATABASE)."
        case .mergeUnverified:
            "The street's database does not verify: run 'mediate verify' to find out why, it must be whole before a merge; nothing was changed."
        case .mergeCollides(let units, let logins):
            "Both databases have "
                + [
                    units.isEmpty ? nil : "the unit codes " + units.joined(separator: ", "),
                    logins.isEmpty ? nil : "the logins " + logins.joined(separator: ", "),
                ]
                .compactMap { $0 }.joined(separator: " and ")
                + ": a merge would mix them up; give them other codes in the street's database first; nothing was changed."
        case .mergeColumnsDiffer:
            "The street's case table has other columns than the district's (not made by this version of mediate, or altered): upgrade it with this version and run 'mediate verify' first; nothing was changed."
        case .mergeOneTop(let n):
            "The street's database has \(n) top units, and a merge takes exactly one; nothing was changed."
        case .mergePolicyDiffers(let table):
            "The street's policy differs from the district's (\(table)): make them agree with 'mediate policy set' first; nothing was changed."
        case .rolesNeedServer:
            "Only a PostgreSQL database has server roles: leave --create-role out on a file, whose readers are those of its group."
        case .roleExists(let login):
            "The server already has a role \(echo(login)): nobody was registered; leave --create-role out to register that role, or choose another login."
        case .roleRefused(let login, let message):
            "The server refused to create the role \(echo(login)) (\(message)): nobody was registered; run it as a role with CREATEROLE that owns mediate's tables."
        case .backupOnServer:
            "Back up a PostgreSQL database with the server's own tools (pg_dump, or a base backup with WAL archiving); 'mediate export' also writes every record."
        case .postgreSQLNotBuilt:
            "This mediate was built without PostgreSQL: install libpq-dev and rebuild it with 'swift build -c release --traits PostgreSQL' (or 'Scripts/install --with-postgresql'), or name an SQLite file with --db."
        }
    }

    var status: Int32 {
        switch error {
        case .rule(let v): v.isAboutInput ? Exit.usage : Exit.refused
        case .unitRow, .records: Exit.dataError
        // A word the person typed that is not on the deployment's list: a usage slip.
        case .unknownTerm: Exit.usage
        case .notInitialised, .foreign, .newerSchema, .storage, .olderSchema, .storedZoneMissing, .postgreSQLNotBuilt,
            .foreignServerDatabase, .backupOnServer:
            Exit.storage
        default: Exit.refused
        }
    }
}

extension Noun {
    /// The noun of a store's kind of thing: unit, person, category, source, level, severity.
    init(kind: String) {
        switch kind {
        case "category": self = .category
        case "source": self = .source
        case "severity": self = .severity
        case "level": self = .level
        case "person": self = .login
        default: self = .unit
        }
    }
}
