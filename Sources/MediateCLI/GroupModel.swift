import MediateStore

#if canImport(Glibc)
    import Glibc
#endif

/// The deployment of `crontab` and mail spools: mediate installed setgid to a group of
/// its own (`mediate`), the database's folder and files belonging to that group with
/// modes 2770 and 0660, and ordinary users not members, so that the only way to the file
/// is through the program, which identifies them by their real user id.
enum GroupModel {
    /// Where the database is, running setgid, unless MEDIATE_DB or --db names another
    /// file in a folder of the group (`Scripts/install` makes this folder).
    static let defaultDatabase = "/var/lib/mediate/mediate.db"

    struct FileInfo {
        let uid: UInt32
        let gid: UInt32
        let mode: UInt32
    }

    static func info(_ path: String) -> FileInfo? {
        var s = stat()
        guard stat(path, &s) == 0 else { return nil }
        return FileInfo(uid: s.st_uid, gid: s.st_gid, mode: UInt32(s.st_mode) & 0o7777)
    }

    static func groupID(named name: String) -> UInt32? {
        var entry = group()
        var result: UnsafeMutablePointer<group>? = nil
        var buffer = [CChar](repeating: 0, count: 16_384)
        guard getgrnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return entry.gr_gid
    }

    static func groupName(_ gid: UInt32) -> String {
        var entry = group()
        var result: UnsafeMutablePointer<group>? = nil
        var buffer = [CChar](repeating: 0, count: 16_384)
        guard getgrgid_r(gid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.gr_name
        else { return String(gid) }
        return String(cString: name)
    }

    static func userName(_ uid: UInt32) -> String {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>? = nil
        var buffer = [CChar](repeating: 0, count: 16_384)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.pw_name
        else { return String(uid) }
        return String(cString: name)
    }

    /// Running setgid: the database must lie in a folder of the group that others
    /// cannot write, so that no environment variable points mediate at a file of the
    /// user's choosing.
    static func checkDataFolder(of path: String, group: UInt32) throws(GroupProblem) {
        let folder = parent(of: path)
        guard let f = info(folder), f.gid == group, f.mode & 0o002 == 0 else {
            throw .outsideDataFolder(path, group: groupName(group))
        }
    }

    /// What is wrong with the files of a database shared with `gid`, one finding each.
    static func findings(database path: String, group gid: UInt32) -> [GroupProblem] {
        var found: [GroupProblem] = []
        let name = groupName(gid)
        let folder = parent(of: path)
        if let f = info(folder) {
            if f.gid != gid || f.mode & 0o070 != 0o070 { found.append(.folderNotGroups(folder, group: name)) }
            if f.mode & 0o007 != 0 { found.append(.openToOthers(folder, mode: f.mode)) }
        }
        for file in [path, path + "-wal", path + "-shm"] {
            guard let f = info(file) else {
                if file == path { found.append(.missing(file)) }
                continue
            }
            if f.gid != gid || f.mode & 0o060 != 0o060 { found.append(.fileNotGroups(file, group: name)) }
            if f.mode & 0o007 != 0 { found.append(.openToOthers(file, mode: f.mode)) }
        }
        return found
    }

    /// Gives the folder of a new database to `gid` (2770) before `init` creates it.
    static func prepareFolder(of path: String, group gid: UInt32) throws(GroupProblem) {
        let folder = parent(of: path)
        if chown(folder, uid_t.max, gid) != 0 || chmod(folder, 0o2770) != 0 {
            // Someone else's folder may already be set up as it should be.
            guard let f = info(folder), f.gid == gid, f.mode & 0o070 == 0o070, f.mode & 0o007 == 0 else {
                throw .cannotShare(folder, group: groupName(gid))
            }
        }
    }

    /// Gives the database and its side files to `gid` (0660).
    static func share(database path: String, group gid: UInt32) throws(GroupProblem) {
        for file in [path, path + "-wal", path + "-shm"] where info(file) != nil {
            guard chown(file, uid_t.max, gid) == 0, chmod(file, 0o660) == 0 else {
                throw .cannotShare(file, group: groupName(gid))
            }
        }
    }

    /// The group the running binary is installed setgid to, if it is.
    static func installedGroup() -> UInt32? {
        guard let f = info("/proc/self/exe"), f.mode & 0o2000 != 0 else { return nil }
        return f.gid
    }
}
