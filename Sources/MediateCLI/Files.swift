import MediateStore

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
    static func checkDatabasePath(_ path: String, option: String?) throws(Problem) {
        if path.isEmpty || path == ":memory:" || path.hasPrefix("file:") { throw .notAFilePath(option: option, path) }
        if case .other = kind(path) { throw .notARegularFile(option: option, path) }
    }

    /// The bytes of a regular file of at most `limit` bytes.
    static func read(_ path: String, limit: Int64, what: Noun) throws(Problem) -> [UInt8] {
        switch kind(path) {
        case .missing: throw .noSuchFile(path)
        case .directory, .other: throw .notAFile(path, what)
        case .regular(let size) where size > limit: throw .fileTooLarge(path, megabytes: limit >> 20)
        case .regular:
            guard let file = fopen(path, "rb") else { throw .cannotRead(path) }
            defer { fclose(file) }
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = fread(&buffer, 1, buffer.count, file)
                if n > 0 { bytes.append(contentsOf: buffer[0..<n]) }
                guard Int64(bytes.count) <= limit else { throw .fileTooLarge(path, megabytes: limit >> 20) }
                if n < buffer.count {
                    guard ferror(file) == 0 else { throw .readFailed(path) }
                    return bytes
                }
            }
        }
    }
}

extension Files {
    /// A name in the folder of `target` that nothing uses: where a file is written
    /// before it is put in place.
    static func temporaryName(beside target: String) -> String {
        let folder = parent(of: target)
        let base = target.split(separator: "/").last.map(String.init) ?? "backup"
        var n = 0
        while true {
            let name =
                (folder == "." && !target.hasPrefix("./") ? "" : folder + (folder == "/" ? "" : "/"))
                + ".\(base).partial-\(getpid())-\(n)"
            if kind(name) == .missing { return name }
            n += 1
        }
    }

    /// Puts the finished file `temporary` at `target`, never over a file that appeared
    /// there meanwhile (a hard link fails if the name exists), and removes the temporary name.
    static func place(_ temporary: String, at target: String) throws {
        if link(temporary, target) == 0 {
            unlink(temporary)
            return
        }
        if errno == EEXIST { throw Problem.backupExists(target) }
        // A file system without hard links: a rename, after checking once more.
        guard kind(target) == .missing else { throw Problem.backupExists(target) }
        guard rename(temporary, target) == 0 else { throw StoreError.storage(.cannotOpen, path: target) }
    }

    /// Removes a database file SQLite may have written and its side files.
    static func removeDatabase(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
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
