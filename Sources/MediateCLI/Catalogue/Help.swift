import MediateCore

/// What each command and option is for, as `--help` and the overview say it.
enum Blurb: Spoken {
    // Commands.
    case commandFile, commandAccept, commandAssess, commandEscalate, commandExtend, commandResolve, commandReopen
    case commandClose, commandRefer, commandWithdraw, commandNote, commandShow, commandList, commandReport
    case commandSweep, commandVerify, commandBackup, commandInit, commandUnitAdd, commandUnitAttach, commandUnitList
    case commandUnitsImport, commandPersonAdd, commandPersonList, commandPolicyShow, commandPolicySet, commandDemo
    // Options every command takes.
    case optionDB, optionAs, optionLang
    case optionFormat([Format])
    case optionHelp
    // Case options.
    case optionReason, optionGrid, optionCategory, optionSeverity, optionSource, optionRef, optionSummary
    case optionParty, optionMediator, optionNewSeverity, optionNewCategory, optionUntil, optionConsent
    case optionAgreement, optionOral, optionAmount, optionPerformBy, optionFollowUp, optionNote
    case optionSatisfaction, optionTo, optionText, optionReveal
    // List and report.
    case optionLevel, optionUnitBelow, optionSeverityFilter, optionAssignee, optionOverdue, optionLimit
    case optionMonth, optionFrom, optionToDay, optionUnitOnly, optionAsOf, optionDryRun
    // Set-up.
    case optionAdmin, optionAdminName, optionTimezoneInit, optionUnitCode, optionUnitName, optionUnitLevel
    case optionParent, optionLogin, optionPersonName, optionRole, optionPersonUnit, optionPolicyLevel, optionDays
    case optionPolicySeverity, optionCeiling, optionTimezone, optionAddCategory, optionAddSource, optionAddLevel,
        optionCreateRole,
        optionZhName
    case optionEnName, optionDir, optionCases, optionQuiet, optionCommunities, optionGrids, optionMonths
    // The environment.
    case envDB, envUser, envNow, envBusy

    var zh: String {
        switch self {
        case .commandFile: "登记新案件（打印案件编号）"
        case .commandAccept: "受理：由调解员接手"
        case .commandAssess: "研判：改等级或类别"
        case .commandEscalate: "上报到上一级"
        case .commandExtend: "延期（须双方当事人同意）"
        case .commandResolve: "调解成功：记录协议"
        case .commandReopen: "反悔或未履行：重新调解"
        case .commandClose: "结案（须写结案意见）"
        case .commandRefer: "移交法院、仲裁、公安或部门"
        case .commandWithdraw: "终止调解：当事人拒绝调解（第十七条）、撤回或不予受理"
        case .commandNote: "添加记录"
        case .commandShow: "显示案件及其时间线"
        case .commandList: "按条件列出案件"
        case .commandReport: "按网格统计（默认上个整月）"
        case .commandSweep: "每日巡查：逾期案件上报或督办"
        case .commandVerify: "校验数据库：哈希链、案件与记录一致，文件另做 SQLite 页面完整性检查"
        case .commandBackup: "在他人写入时也能做一致的备份"
        case .commandInit: "新建数据库并登记第一位管理员"
        case .commandUnitAdd: "添加单位（街道、社区、网格）"
        case .commandUnitAttach: "把没有上级的单位挂到高一级的单位下（如把街道挂到区下）"
        case .commandUnitList: "列出单位树"
        case .commandUnitsImport: "从 CSV 批量导入单位（全部或全不）；列为 代码,名称,层级,上级"
        case .commandPersonAdd: "登记人员"
        case .commandPersonList: "列出人员"
        case .commandPolicyShow: "显示层级上限、时限、类别和来源"
        case .commandPolicySet: "修改一条规则（留痕）"
        case .commandDemo: "在临时目录建一个示例街道，演示本工具"
        case .optionDB: "数据库文件（默认 MEDIATE_DB，或 XDG 数据目录）"
        case .optionAs: "管理员代此人操作（默认 MEDIATE_USER；否则是你自己的系统登录名）"
        case .optionLang: "输出语言：zh 中文、en 英文"
        case .optionFormat(let formats): "输出格式：\(list(formats.map(\.code), .zh))"
        case .optionHelp: "显示帮助（也可用 -h）"
        case .optionReason: "理由；写 - 则从标准输入读"
        case .optionGrid: "发生地网格"
        case .optionCategory: "类别（代码或中文名，如 邻里）"
        case .optionSeverity: "等级：一般（minor）、较大（major）、重大（critical）"
        case .optionSource: "来源（代码或中文名，如 网格排查）"
        case .optionRef: "外部编号（如 12345 工单号）"
        case .optionSummary: "案情摘要；写 - 则从标准输入读"
        case .optionParty: "当事人：\"姓名,角色[,电话[,身份证号[,地址]]]\"，逗号可用全角"
        case .optionMediator: "承办人（默认自己）"
        case .optionNewSeverity: "新等级"
        case .optionNewCategory: "新类别"
        case .optionUntil: "新期限（含当天）"
        case .optionConsent: "双方当事人已同意延期"
        case .optionAgreement: "协议内容：各方义务、履行方式"
        case .optionOral: "口头协议（默认书面）"
        case .optionAmount: "协议金额（元）"
        case .optionPerformBy: "履行期限"
        case .optionFollowUp: "回访日期（默认履行期限次日）"
        case .optionNote: "结案意见"
        case .optionSatisfaction: "群众满意度"
        case .optionTo: "移交去向"
        case .optionText: "记录内容；写 - 则从标准输入读"
        case .optionReveal: "显示完整电话和身份证号"
        case .optionLevel: "当前层级"
        case .optionUnitBelow: "单位（含下属单位）"
        case .optionSeverityFilter: "等级"
        case .optionAssignee: "承办人"
        case .optionOverdue: "只列逾期案件"
        case .optionLimit: "最多列出几件（默认 200）"
        case .optionMonth: "月份：YYYY-MM、last（上月）或 this（本月）"
        case .optionFrom: "起始日（含）"
        case .optionToDay: "截止日（含）"
        case .optionUnitOnly: "只统计该单位及下属"
        case .optionAsOf: "按某一时刻的记录统计"
        case .optionDryRun: "只显示将做什么，不写入"
        case .optionAdmin: "第一位管理员的登录名（默认当前登录名）"
        case .optionAdminName: "管理员姓名"
        case .optionTimezoneInit: "所在时区，如 Asia/Shanghai（默认系统时区）"
        case .optionUnitCode: "单位代码，如 G03"
        case .optionUnitName: "单位名称"
        case .optionUnitLevel: "层级：网格（grid）、社区（community）、街道（street）"
        case .optionParent: "上级单位代码"
        case .optionLogin: "登录名"
        case .optionPersonName: "姓名"
        case .optionRole: "角色"
        case .optionPersonUnit: "所属单位代码（管理员可不填）"
        case .optionPolicyLevel: "要改时限的层级"
        case .optionDays: "新时限（天）"
        case .optionPolicySeverity: "要改上限的等级"
        case .optionCeiling: "新上限层级"
        case .optionTimezone: "时区，如 Asia/Shanghai"
        case .optionAddCategory: "新增案件类别"
        case .optionAddSource: "新增案件来源"
        case .optionCreateRole: "在 PostgreSQL 服务器上同时建立同名登录角色并授权（不设密码，见 README）"
        case .optionAddLevel: "在层级之上加一级（如区：--add-level district --zh 区 --en district --days 30）"
        case .optionZhName: "中文名称"
        case .optionEnName: "英文名称"
        case .optionDir: "放示例数据库的目录（默认新建临时目录）"
        case .optionCases: "案件数（默认 300，最多 2000000）"
        case .optionCommunities: "社区数（默认 3）"
        case .optionGrids: "每个社区的网格数（默认 4）"
        case .optionMonths: "案件分布的月数（默认 6）"
        case .optionQuiet: "只建库，不打印演示"
        case .envDB: "数据库文件（即 --db）"
        case .envUser: "管理员代其操作的人员（即 --as）"
        case .envNow: "操作生效时间，管理员补录纸质记录用"
        case .envBusy: "等待其他写入者的毫秒数（默认 30000）"
        }
    }

    var en: String {
        switch self {
        case .commandFile: "file a new case (prints its number)"
        case .commandAccept: "accept: a mediator takes the case"
        case .commandAssess: "assess: change severity or category"
        case .commandEscalate: "escalate one level up"
        case .commandExtend: "extend the time limit (both parties consent)"
        case .commandResolve: "resolve: record the agreement"
        case .commandReopen: "reopen: a party went back on it, or it was not performed"
        case .commandClose: "close with a note"
        case .commandRefer: "refer to a court, arbitration, police or a department"
        case .commandWithdraw: "withdraw: a party refuses mediation (Art. 17), withdraws, or it is unsuitable"
        case .commandNote: "add a note"
        case .commandShow: "show a case and its timeline"
        case .commandList: "list cases by state, level, unit, severity, assignee, overdue"
        case .commandReport: "per-grid statistics (default: the last full month)"
        case .commandSweep: "daily sweep: escalate or flag overdue cases"
        case .commandVerify: "verify the hash chain and every case against its events (on a file, SQLite's page check too)"
        case .commandBackup: "write a consistent copy, even while others write"
        case .commandInit: "create the database and register the first admin"
        case .commandUnitAdd: "add a unit (street, community, grid)"
        case .commandUnitAttach: "put a unit without a parent under a unit one level up (a street under its district)"
        case .commandUnitList: "list the unit tree"
        case .commandUnitsImport: "import units from CSV (all rows or none); columns code,name,level,parent"
        case .commandPersonAdd: "register a person"
        case .commandPersonList: "list people"
        case .commandPolicyShow: "show ceilings, time limits, categories and sources"
        case .commandPolicySet: "change one rule (audited)"
        case .commandDemo: "build a demo street in a temp folder and show what the tool does"
        case .optionDB: "database file (default MEDIATE_DB, else the XDG data directory)"
        case .optionAs: "an admin acts for this person (default MEDIATE_USER; else you act as your own OS login)"
        case .optionLang: "language of the output: zh or en"
        case .optionFormat(let formats): "output format: \(list(formats.map(\.code), .en))"
        case .optionHelp: "show this help (also -h)"
        case .optionReason: "the reason; '-' reads it from standard input"
        case .optionGrid: "the grid where it arose"
        case .optionCategory: "category (code or Chinese name, e.g. neighbour or 邻里)"
        case .optionSeverity: "severity: minor, major, critical"
        case .optionSource: "source, e.g. patrol"
        case .optionRef: "outside reference number (e.g. the 12345 ticket)"
        case .optionSummary: "summary; '-' reads it from standard input"
        case .optionParty: "a party: \"name,role[,phone[,id number[,address]]]\""
        case .optionMediator: "who mediates (default: you)"
        case .optionNewSeverity: "new severity"
        case .optionNewCategory: "new category"
        case .optionUntil: "new due date (inclusive)"
        case .optionConsent: "both parties agreed to the extension"
        case .optionAgreement: "the terms: who does what, and how"
        case .optionOral: "an oral agreement (default: written)"
        case .optionAmount: "agreed amount in yuan"
        case .optionPerformBy: "performed by this day"
        case .optionFollowUp: "follow-up day (default: the day after perform-by)"
        case .optionNote: "the closing note"
        case .optionSatisfaction: "residents' satisfaction"
        case .optionTo: "where to"
        case .optionText: "the note; '-' reads it from standard input"
        case .optionReveal: "show full phone and ID numbers"
        case .optionLevel: "current level"
        case .optionUnitBelow: "unit, with everything below it"
        case .optionSeverityFilter: "severity"
        case .optionAssignee: "assigned mediator"
        case .optionOverdue: "only overdue cases"
        case .optionLimit: "at most this many (default 200)"
        case .optionMonth: "month: YYYY-MM, last or this"
        case .optionFrom: "first day (inclusive)"
        case .optionToDay: "last day (inclusive)"
        case .optionUnitOnly: "only this unit and below"
        case .optionAsOf: "count the events as they stood at this moment"
        case .optionDryRun: "show what it would do, write nothing"
        case .optionAdmin: "login of the first admin (default: the login running it)"
        case .optionAdminName: "the admin's name"
        case .optionTimezoneInit: "the deployment's time zone, e.g. Asia/Shanghai (default: the system's)"
        case .optionUnitCode: "unit code, e.g. G03"
        case .optionUnitName: "unit name"
        case .optionUnitLevel: "level: grid, community, street"
        case .optionParent: "code of the parent unit"
        case .optionLogin: "login name"
        case .optionPersonName: "full name"
        case .optionRole: "role"
        case .optionPersonUnit: "code of their unit (an admin may have none)"
        case .optionPolicyLevel: "the level whose time limit to change"
        case .optionDays: "the new time limit in days"
        case .optionPolicySeverity: "the severity whose ceiling to change"
        case .optionCeiling: "the new ceiling level"
        case .optionTimezone: "time zone, e.g. Asia/Shanghai"
        case .optionAddCategory: "add a category"
        case .optionAddSource: "add a source"
        case .optionCreateRole:
            "on PostgreSQL, also create the server login role of that name and grant it mediate's tables (no password: see README)"
        case .optionAddLevel:
            "add a level above the top one (a district: --add-level district --zh 区 --en district --days 30)"
        case .optionZhName: "Chinese name"
        case .optionEnName: "English name"
        case .optionDir: "folder for the demo database (default: a new temp folder)"
        case .optionCases: "how many cases (default 300, at most 2000000)"
        case .optionCommunities: "how many communities (default 3)"
        case .optionGrids: "grids per community (default 4)"
        case .optionMonths: "months the cases are spread over (default 6)"
        case .optionQuiet: "build the database, print only its path"
        case .envDB: "the database file (as --db)"
        case .envUser: "the person an admin acts for (as --as)"
        case .envNow: "when an action takes effect, for an admin entering paper records late"
        case .envBusy: "milliseconds to wait for another writer (30000)"
        }
    }
}

/// The frame of the help texts and the last resort.
enum Help: Spoken {
    case seeHelp(String)
    case internalError(String)
    case overviewTitle, usageLine, commandsHeading, environmentHeading, startHere, usagePrefix, optionsHeading
    case required, repeatable

    var zh: String {
        switch self {
        case .seeHelp(let command): "运行 'mediate \(command) --help' 查看用法。"
        case .internalError(let what): "内部错误：\(what)"
        case .overviewTitle: "mediate — 社区人民调解案件登记与统计（小事不出网格、大事不出社区、矛盾不上交）"
        case .usageLine: "用法：mediate <命令> [选项]"
        case .commandsHeading: "命令："
        case .environmentHeading: "环境变量："
        case .startHere: "每个命令都有 --help（或 mediate help 命令）。先试试：mediate demo"
        case .usagePrefix: "用法："
        case .optionsHeading: "选项："
        case .required: "（必填）"
        case .repeatable: "（可重复）"
        }
    }

    var en: String {
        switch self {
        case .seeHelp(let command): " Run 'mediate \(command) --help' for usage."
        case .internalError(let what): "Internal error: \(what)"
        case .overviewTitle: "mediate — a case tracker for community dispute mediation (小事不出网格、大事不出社区、矛盾不上交)"
        case .usageLine: "Usage: mediate <command> [options]"
        case .commandsHeading: "Commands:"
        case .environmentHeading: "Environment:"
        case .startHere: "Every command takes --help (or: mediate help COMMAND). Start with: mediate demo"
        case .usagePrefix: "Usage: "
        case .optionsHeading: "Options:"
        case .required: " (required)"
        case .repeatable: " (repeatable)"
        }
    }
}
