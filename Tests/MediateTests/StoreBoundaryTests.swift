import Foundation
import MediateCore
import Testing

@testable import MediateCLI
@testable import MediateStore

/// The thin SQLite layer cleans up after errors, and the store hands upward only
/// `StoreError`, with storage failures classified once as a `StorageProblem`.
@Suite struct StoreBoundaryTests {
    struct Stop: Error {}

    /// A WAL database with a table of three rows, and a second connection to it.
    func numbers(_ s: Sandbox) throws -> (Connection, Connection) {
        let db = try Connection(path: s.db, mode: .readWriteCreate)
        try db.execute("PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER, y TEXT)")
        try db.execute("INSERT INTO t (x) VALUES (1), (2), (3)")
        return (db, try Connection(path: s.db, mode: .readWrite))
    }

    @Test func aStatementWhoseRowClosureThrowsIsResetAndRunsAgainAtOnce() throws {
        let s = try Sandbox()
        let (db, other) = try numbers(s)
        let sql = "SELECT x FROM t ORDER BY x"
        let runs: [(String, () throws -> Void)] = [
            ("rows", { _ = try db.rows(sql) { _ in throw Stop() } }),
            ("first", { _ = try db.first(sql) { _ in throw Stop() } }),
            ("each", { try db.each(sql) { _ in throw Stop() } }),
        ]
        var expected: [Int64] = [1, 2, 3]
        for (name, run) in runs {
            #expect(throws: Stop.self, "\(name)") { try run() }
            // The cached statement is not left on its first row...
            #expect(try !db.statement(sql).isMidStep, "\(name)")
            // ...so it holds no read snapshot: another connection's write shows at once.
            let next = Int64(expected.count + 1)
            try other.run("INSERT INTO t (x) VALUES (?)", [.int(next)])
            expected.append(next)
            #expect(try db.int("SELECT count(*) FROM t") == Int64(expected.count), "\(name)")
            // And the same statement runs again from its first row.
            #expect(try db.rows(sql) { $0.int(0) } == expected, "\(name)")
            #expect(try db.first(sql) { $0.int(0) } == 1, "\(name)")
        }
    }

    @Test func aWrongNumberOfBoundValuesThrowsInsteadOfBindingSilently() throws {
        let s = try Sandbox()
        let (db, _) = try numbers(s)
        let insert = "INSERT INTO t (x, y) VALUES (?, ?)"
        for values: [SQLValue] in [[.int(4)], [.int(4), .text("13800000000"), .int(5)], []] {
            let error = #expect(throws: SQLiteError.self) { try db.run(insert, values) }
            #expect(error?.code == 21)  // SQLITE_MISUSE
            #expect(error?.sql == insert)
            // The SQL and the counts, never the values: they may be personal data.
            #expect(error.map { !"\($0)".contains("13800000000") } == true)
        }
        #expect(throws: SQLiteError.self) { try db.run("DELETE FROM t", [.int(1)]) }
        #expect(throws: SQLiteError.self) { _ = try db.rows("SELECT x FROM t WHERE x = ?") { $0.int(0) } }
        #expect(try db.int("SELECT count(*) FROM t") == 3)
        // Numbered parameters count up to the largest: ?1 and ?2, each used twice, take two values.
        #expect(
            try db.int("SELECT count(*) FROM t WHERE x = ?1 OR x = ?2 OR x = ?1 + ?2 - ?1", [.int(1), .int(2)]) == 2)
        try db.run(insert, [.int(4), .text("four")])
        #expect(try db.int("SELECT count(*) FROM t") == 4)
    }

    @Test(
        arguments: [
            (5, StorageProblem.locked),  // SQLITE_BUSY
            (517, .locked),  // SQLITE_BUSY_SNAPSHOT
            (6, .locked),  // SQLITE_LOCKED
            (8, .readOnly),  // SQLITE_READONLY
            (1032, .readOnly),  // SQLITE_READONLY_DBMOVED
            (11, .corrupt),  // SQLITE_CORRUPT
            (26, .corrupt),  // SQLITE_NOTADB
            (13, .full),  // SQLITE_FULL
            (14, .cannotOpen),  // SQLITE_CANTOPEN
            (10, .io(code: 10)),  // SQLITE_IOERR
            (778, .io(code: 778)),  // SQLITE_IOERR_WRITE
            (1811, .other(code: 1811, message: "m")),  // SQLITE_CONSTRAINT_TRIGGER
            (21, .other(code: 21, message: "m")),  // SQLITE_MISUSE
        ] as [(Int32, StorageProblem)])
    func storageProblemsAreClassifiedByTheirPrimaryCode(code: Int32, problem: StorageProblem) {
        #expect(StorageProblem(SQLiteError(code: code, message: "m", sql: "SELECT 1")) == problem)
    }

    @Test func aLockedDatabaseReachesTheCallerAsAStoreErrorAndTheLockedSentence() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = CaseNumber(Substring(try s.file()))!
        let store = try Store.open(at: s.db, busyTimeout: 50)
        let (wang, machine) = (try store.actor("wang"), try store.machine())
        let at = try store.requireCase(n).lastEventAt
        let writer = try Connection(path: s.db, mode: .readWrite)
        try writer.execute("BEGIN IMMEDIATE")
        let error = #expect(throws: StoreError.self) {
            _ = try store.perform(.note(text: "x"), on: n, by: wang, at: at, entered: at, machine: machine)
        }
        #expect(error == .storage(.locked, path: s.db))
        if let error {
            let (message, status) = Say.failure(error, command: "note", .en)
            #expect(status == 74)
            #expect(message == "The database \(s.db) is locked by another writer for too long: try again in a moment.")
            #expect(Say.failure(error, command: "note", .zh).0 == "数据库 \(s.db) 被另一个写入者长时间锁住：请稍后重试。")
        }
        try writer.execute("ROLLBACK")
        #expect(
            try store.perform(.note(text: "x"), on: n, by: wang, at: at, entered: at, machine: machine).0.version == 2)
    }

    @Test func openingCreatingAndBackingUpThrowOnlyStoreErrorsNamingTheirFile() throws {
        let s = try Sandbox()
        let junk = s.dir.appendingPathComponent("junk.db").path
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: junk))
        #expect(throws: StoreError.storage(.corrupt, path: junk)) { try Store.open(at: junk) }
        #expect(throws: StoreError.storage(.corrupt, path: junk)) {
            try Store.create(at: junk, admin: "a", adminName: "A", now: 0, entered: 0)
        }
        let store = try Store.create(at: s.db, admin: "admin", adminName: "管理员", now: 0, entered: 0)
        let target = s.dir.appendingPathComponent("no/such/folder/copy.db").path
        #expect(throws: StoreError.storage(.cannotOpen, path: target)) {
            try store.backup(to: target, by: try store.actor("admin"))
        }
        #expect(throws: StoreError.notInitialised(path: target)) { try Store.open(at: target) }
    }

    @Test func fastDurabilityTurnsOffSyncingForThisConnectionOnly() throws {
        let s = try Sandbox()
        let fast = try Store.create(at: s.db, admin: "admin", adminName: "管理员", now: 0, entered: 0, durability: .fast)
        #expect(try fast.db.int("PRAGMA synchronous") == 0)
        let full = try Store.open(at: s.db)
        #expect(try full.db.int("PRAGMA synchronous") != 0)
    }
}
