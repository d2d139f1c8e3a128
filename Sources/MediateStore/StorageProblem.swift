import CSQLite

#if canImport(Glibc)
    import Glibc
#endif

/// What went wrong with the file underneath the store, in words the command line can
/// turn into advice. The only place SQLite's result codes are read is `init(_:)`, so
/// nothing above the store sees SQLite.
public enum StorageProblem: Sendable, Equatable {
    /// Another connection held the lock past the busy timeout (`SQLITE_BUSY`, `SQLITE_LOCKED`).
    case locked
    /// The file, or its folder, cannot be written (`SQLITE_READONLY`).
    case readOnly
    /// Not a database, or a damaged one (`SQLITE_NOTADB`, `SQLITE_CORRUPT`).
    case corrupt
    /// The disk is full (`SQLITE_FULL`).
    case full
    /// The file cannot be opened: a folder, a missing folder, no permission (`SQLITE_CANTOPEN`).
    case cannotOpen
    /// The operating system failed a read or a write (`SQLITE_IOERR`); `code` is the
    /// extended result code, which names the call that failed.
    case io(code: Int32)
    /// The PostgreSQL server cannot be reached, or refuses the connection (no such
    /// database, no such role, a wrong password): libpq's message, which names neither
    /// the password nor any bound value.
    case cannotConnect(String)
    /// Anything else: SQLite's extended result code and its message (never bound values).
    case other(code: Int32, message: String)
}

extension StorageProblem {
    /// Classifies an SQLite error by its primary result code.
    init(_ error: SQLiteError) {
        // PostgreSQL: connection exceptions (08), invalid authorization (28), an invalid
        // catalogue name (3D000: no such database).
        if let state = error.sqlstate, state.hasPrefix("08") || state.hasPrefix("28") || state == "3D000" {
            self = .cannotConnect(error.message)
            return
        }
        switch error.primary {
        case SQLITE_BUSY, SQLITE_LOCKED: self = .locked
        case SQLITE_READONLY: self = .readOnly
        case SQLITE_NOTADB, SQLITE_CORRUPT: self = .corrupt
        case SQLITE_FULL: self = .full
        case SQLITE_CANTOPEN: self = .cannotOpen
        // A write past the file-size limit (RLIMIT_FSIZE: EFBIG, once SIGXFSZ is ignored)
        // or a full disk met outside SQLite's own check is a full disk to the user.
        case SQLITE_IOERR where error.systemErrno == EFBIG || error.systemErrno == ENOSPC: self = .full
        // SQLITE_IOERR_WRITE = SQLITE_IOERR | (3 << 8)
        case SQLITE_IOERR where error.code == SQLITE_IOERR | (3 << 8) && fileSizeIsLimited(): self = .full
        case SQLITE_IOERR: self = .io(code: error.code)
        default: self = .other(code: error.code, message: error.message)
        }
    }
}

/// Whether this process may write only files up to a size (`ulimit -f`): a write past
/// it fails (SIGXFSZ is ignored, see main.swift), and SQLite reports a failed write
/// without the errno behind it.
func fileSizeIsLimited() -> Bool {
    var limit = rlimit()
    guard getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0 else { return false }
    return limit.rlim_cur != rlim_t.max
}
