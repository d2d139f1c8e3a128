#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Paths people give: the database, a file to import, a backup to write. Checked with
/// `stat` before anything opens them, so a device, a pipe or a URI is refused with a
/// sentence instead of hanging, filling memory or writing nowhere.
enum Files {
    enum Kind: Equatable {
        case missing
        case regular(size: Int64)
        case directory
        /// A device, a pipe, a socket, or a dangling symlink.
        case other
    }

    static func kind(_ path: String) -> Kind {
        var info = stat()
        guard stat(path, &info) == 0 else {
            var link = stat()
            return lstat(path, &link) == 0 ? .other : .missing
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular(size: Int64(info.st_size))
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    /// A path SQLite would take for something other than a file: empty (a temporary
    /// database), `:memory:`, or a `file:` URI. Each would "succeed" and keep nothing.
    /// `option` names where the path came from (--db, MEDIATE_DB, or nil for a backup).
    static func checkDatabasePath(_ path: String, option: String?) throws(UsageError) {
        let what = option.map { ($0 + " ", $0 + " ") } ?? ("备份路径 ", "The backup path ")
        if path.isEmpty || path == ":memory:" || path.hasPrefix("file:") {
            throw UsageError(
                zh: "\(what.0)'\(path)' 不是文件路径：请写文件的路径，如 ~/mediate.db（以 file: 开头的请写成 ./file:…）。",
                en:
                    "\(what.1)'\(path)' is not a file path: give the path of a file, like ~/mediate.db (write a name starting with file: as ./file:…).",
                command: nil)
        }
        if case .other = kind(path) {
            throw UsageError(
                zh: "\(path) 不是普通文件（是设备、管道或断开的链接）：请给出\(option == nil ? "新备份文件" : "数据库文件")的路径。",
                en:
                    "\(path) is not a regular file (a device, a pipe or a broken link): give the path of \(option == nil ? "a new backup file" : "a database file").",
                command: nil)
        }
    }

    /// The bytes of a regular file of at most `limit` bytes.
    static func read(_ path: String, limit: Int64, what: (zh: String, en: String)) throws(UsageError) -> [UInt8] {
        switch kind(path) {
        case .missing:
            throw UsageError(
                zh: "没有文件 \(path)：请检查路径。", en: "There is no file \(path): check the path.", command: nil)
        case .directory, .other:
            throw UsageError(
                zh: "\(path) 不是普通文件：请给出\(what.zh)的路径。",
                en: "\(path) is not a regular file: give the path of \(what.en).", command: nil)
        case .regular(let size) where size > limit:
            throw UsageError(
                zh: "\(path) 太大（超过 \(limit >> 20) MB）：请拆成几个文件。",
                en: "\(path) is too large (over \(limit >> 20) MB): split it into smaller files.", command: nil
            )
        case .regular:
            guard let file = fopen(path, "rb") else {
                throw UsageError(
                    zh: "无法读取文件 \(path)：请检查权限。", en: "Cannot read the file \(path): check its permissions.",
                    command: nil)
            }
            defer { fclose(file) }
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = fread(&buffer, 1, buffer.count, file)
                if n > 0 { bytes.append(contentsOf: buffer[0..<n]) }
                guard Int64(bytes.count) <= limit else {
                    throw UsageError(
                        zh: "\(path) 太大（超过 \(limit >> 20) MB）：请拆成几个文件。",
                        en: "\(path) is too large (over \(limit >> 20) MB): split it into smaller files.", command: nil)
                }
                if n < buffer.count {
                    guard ferror(file) == 0 else {
                        throw UsageError(
                            zh: "读取 \(path) 时出错：请检查文件。", en: "Reading \(path) failed: check the file.", command: nil)
                    }
                    return bytes
                }
            }
        }
    }
}

func firstInvalidLine(_ bytes: [UInt8]) -> Int {
    var line = 1
    var start = 0
    for (i, b) in bytes.enumerated() where b == 10 {
        if String(validating: bytes[start..<i], as: UTF8.self) == nil { return line }
        line += 1
        start = i + 1
    }
    return line
}

func parent(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}

func makeDirectories(_ path: String) {
    var prefix = ""
    for part in path.split(separator: "/", omittingEmptySubsequences: false) {
        prefix += (prefix.isEmpty && part.isEmpty) ? "/" : (prefix.isEmpty || prefix == "/" ? "" : "/") + part
        if !part.isEmpty { mkdir(prefix, 0o755) }
    }
}
