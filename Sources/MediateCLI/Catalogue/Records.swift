import MediateCore
import MediateStore

/// Help of the record commands: export, import jsonl, import ledger.
enum RecordsHelp: Spoken, CaseIterable {
    case export, importJSONL, importLedger, output, bom, encodingOut, encodingIn, map, grid, dryRun

    var zh: String {
        switch self {
        case .export: "导出全部记录（仅管理员；含个人信息）：--format jsonl 无损导出，--format csv 导出台账"
        case .importJSONL: "把 'mediate export --format jsonl' 的文件恢复到一个新的数据库"
        case .importLedger: "导入矛盾纠纷排查化解台账（CSV，UTF-8 或 GB18030），全部成功或全部不导入"
        case .output: "写入这个新文件（默认写到标准输出）"
        case .bom: "在 CSV 开头加 UTF-8 BOM，便于 Excel 识别"
        case .encodingOut: "CSV 的编码：utf-8（默认）或 gb18030"
        case .encodingIn: "台账的编码：utf-8 或 gb18030（默认自动识别）"
        case .map: "列名不同时指明：字段=列名，如 登记日期=收案日期（字段见 README）"
        case .grid: "台账没有网格列时，所有案件登记在这个网格"
        case .dryRun: "只检查并列出将要创建的案件和全部问题，不写入"
        }
    }

    var en: String {
        switch self {
        case .export:
            "export every record (admins only; holds personal data): --format jsonl losslessly, --format csv as a ledger"
        case .importJSONL: "restore a file of 'mediate export --format jsonl' into a new database"
        case .importLedger: "import a dispute ledger (CSV, UTF-8 or GB18030): every row or none"
        case .output: "write to this new file (default: standard output)"
        case .bom: "start the CSV with a UTF-8 byte order mark, for Excel"
        case .encodingOut: "the CSV's encoding: utf-8 (default) or gb18030"
        case .encodingIn: "the ledger's encoding: utf-8 or gb18030 (default: detected)"
        case .map: "name a column that differs: FIELD=COLUMN, e.g. 登记日期=收案日期 (fields in the README)"
        case .grid: "the grid to file every case at, when the ledger has no grid column"
        case .dryRun: "only check: list the cases it would create and every problem, write nothing"
        }
    }
}

/// What the record commands say when all went well.
enum RecordsSaid: Spoken {
    /// The first line of an export, in both languages whatever the user's.
    case personalDataNotice
    case exportNotice
    case exported(String, cases: Int)
    case restored(String, cases: Int, events: Int)
    case importedFrom(file: String, key: String, line: Int, on: String)

    var zh: String {
        switch self {
        case .personalDataNotice: "本文件含当事人姓名、电话、身份证号等个人信息：仅供本调解组织备份和迁移，妥善保管，不得外传。"
        case .exportNotice: "注意：导出的台账含当事人个人信息，请妥善保管，不得外传。"
        case .exported(let path, let cases): "已导出 \(cases) 件案件到 \(path)。"
        case .restored(let path, let cases, let events): "已恢复到 \(path)：\(cases) 件案件，\(events) 条记录，哈希链与原库一致。"
        case .importedFrom(let file, let key, let line, let on): "台账导入：\(file) 第 \(line) 行（序号 \(key)），录入于 \(on)"
        }
    }

    var en: String {
        switch self {
        case .personalDataNotice:
            "This file holds personal data of parties (names, phones, ID numbers): for this mediation office's backup and migration only; keep it safe and do not pass it on."
        case .exportNotice:
            "Note: the exported ledger holds personal data of parties; keep it safe and do not pass it on."
        case .exported(let path, let cases): "Exported \(cases) cases to \(path)."
        case .restored(let path, let cases, let events):
            "Restored into \(path): \(cases) cases, \(events) events, the hash chain the same as the original's."
        case .importedFrom(let file, let key, let line, let on):
            "Imported from a ledger: \(file) line \(line) (序号 \(key)), entered \(on)"
        }
    }
}

/// What can go wrong with exports and imports, each one sentence with what to do.
enum RecordsProblem: Error, Spoken, Equatable {
    case adminOnly(String)
    case importAdminOnly(String)
    case outputExists(String)
    case cannotWrite(String)
    case writeFailed(String?)
    case noConverter(String)
    case restoreNeedsNewDatabase(String)
    case fault(RecordFault, zone: Zone = .utc)
    /// Running setgid, a restore makes a new database: root's to make, as `init`.
    case restoreNeedsRoot

    var status: Int32 {
        switch self {
        case .adminOnly, .importAdminOnly: Exit.refused
        case .outputExists: Exit.usage
        case .cannotWrite, .writeFailed, .noConverter: Exit.storage
        case .restoreNeedsNewDatabase, .restoreNeedsRoot: Exit.refused
        case .fault: Exit.dataError
        }
    }

    var zh: String {
        switch self {
        case .adminOnly(let login): "只有管理员可以导出记录（含个人信息）：\(echo(login)) 不是管理员。"
        case .importAdminOnly(let login): "只有管理员可以导入台账：\(echo(login)) 不是管理员。"
        case .outputExists(let path): "\(path) 已存在：导出不会覆盖文件，请换一个新文件名。"
        case .cannotWrite(let path): "无法创建 \(path)：请检查目录存在且可写。"
        case .writeFailed(let path): "写入\(path.map { " \($0) " } ?? "输出")时出错（磁盘已满或输出已关闭）：导出不完整，请重试。"
        case .noConverter(let encoding): "本系统的 iconv 不支持 \(encoding)：请安装 glibc 的完整字符集（Debian: libc-bin/locales）。"
        case .restoreNeedsNewDatabase(let path):
            "\(path) 已经存在：导入 JSONL 只恢复到新的数据库，请用 --db 指定一个还不存在的文件。"
        case .fault(let f, let zone): Self.fault(f, zone, zh: true)
        case .restoreNeedsRoot:
            "以 setgid 运行时只有 root 可以把导出恢复成新数据库（文件里写着谁是管理员）：请管理员以 root 运行 'mediate import jsonl'。"
        }
    }

    var en: String {
        switch self {
        case .adminOnly(let login):
            "Only an admin may export records (they hold personal data): \(echo(login)) is not an admin."
        case .importAdminOnly(let login): "Only an admin may import a ledger: \(echo(login)) is not an admin."
        case .outputExists(let path): "\(path) already exists: an export never overwrites a file; give a new file name."
        case .cannotWrite(let path): "Cannot create \(path): check that its folder exists and is writable."
        case .writeFailed(let path):
            "Writing \(path ?? "the output") failed (disk full, or the output closed): the export is incomplete; try again."
        case .noConverter(let encoding):
            "This system's iconv cannot convert \(encoding): install glibc's full character sets."
        case .restoreNeedsNewDatabase(let path):
            "\(path) already exists: import jsonl restores into a new database only; name a file that does not exist yet with --db."
        case .fault(let f, let zone): Self.fault(f, zone, zh: false)
        case .restoreNeedsRoot:
            "Running setgid, only root restores an export into a new database (the file says who its admins are): have an administrator run 'mediate import jsonl' as root."
        }
    }

    private static func fault(_ f: RecordFault, _ zone: Zone, zh: Bool) -> String {
        let line = f.line
        switch f.reason {
        case .notJSON:
            return zh
                ? "第 \(line) 行不是一个 JSON 对象：文件已损坏，未导入任何内容。"
                : "Line \(line) is not one JSON object: the file is damaged; nothing was imported."
        case .notAnExport:
            return zh
                ? "第 \(line) 行不是 mediate 导出文件的开头：请给出 'mediate export --format jsonl' 写的文件。"
                : "Line \(line) does not start a mediate export: give a file written by 'mediate export --format jsonl'."
        case .unknownKind(let kind):
            return zh
                ? "第 \(line) 行的记录类型 '\(echo(kind))' 未知：文件已损坏或来自更新的 mediate。"
                : "Line \(line) has an unknown kind of record '\(echo(kind))': the file is damaged or from a newer mediate."
        case .badField(let field):
            return zh
                ? "第 \(line) 行的字段 \(field) 缺失或有误：文件已损坏，未导入任何内容。"
                : "Line \(line): the field \(field) is missing or wrong: the file is damaged; nothing was imported."
        case .caseDiffers(let number):
            return zh
                ? "第 \(line) 行案件 \(number) 与它的记录重放结果不一致：文件被改动过，未导入任何内容。"
                : "Line \(line): case \(number) differs from the replay of its events: the file was edited; nothing was imported."
        case .hashDiffers(let id):
            return zh
                ? "第 \(line) 行第 \(id) 条记录的哈希与内容不符：文件被改动过，未导入任何内容。"
                : "Line \(line): the hash of event \(id) does not match its content: the file was edited; nothing was imported."
        case .chainGap(let id):
            return zh
                ? "第 \(line) 行：记录链缺少或重复第 \(id) 条：文件不完整，未导入任何内容。"
                : "Line \(line): the chain misses or repeats event \(id): the file is incomplete; nothing was imported."
        case .unknownReference(let what):
            return zh
                ? "第 \(line) 行引用的 '\(echo(what))' 不存在或重复：文件不完整或被改动，未导入任何内容。"
                : "Line \(line) refers to '\(echo(what))', which is missing or repeated: the file is incomplete or edited; nothing was imported."
        case .refused(let v):
            let refusal = Refusal(violation: v, zone: zone)
            return zh ? "第 \(line) 行：\(refusal.zh)未导入任何内容。" : "Line \(line): \(refusal.en) Nothing was imported."
        case .fileChanged:
            return zh
                ? "文件在导入过程中被改动或无法读取（第 \(line) 行）：请确认文件不再变动后重新导入，未导入任何内容。"
                : "The file changed or could not be read while it was imported (line \(line)): import it again once it stays put; nothing was imported."
        case .incomplete:
            return zh
                ? "文件在第 \(line) 行后不完整（缺少结尾或数目不符）：请重新导出，未导入任何内容。"
                : "The file is incomplete after line \(line) (no end, or counts that differ): export again; nothing was imported."
        }
    }
}
