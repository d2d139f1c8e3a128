import Foundation
import Synchronization
import Testing

@testable import MediateStore

/// mediate on PostgreSQL, end to end against a real server: what only the server shows
/// (its own databases, its triggers, many processes at once). They run when
/// MEDIATE_TEST_POSTGRESQL names a server (Scripts/with-postgres, which Scripts/test
/// calls with a build made with `--traits PostgreSQL`); the other end-to-end suites
/// that Scripts/test names run against the same server through the same Sandbox.
@Suite(.enabled(if: Sandbox.server != nil, "no server: run under Scripts/with-postgres"))
struct PostgreSQLTests {
    /// The witness line of `verify`: `COUNT:HASH`.
    static func witness(_ verified: String) -> String? {
        guard let range = verified.range(of: "--witness ") else { return nil }
        return String(verified[range.upperBound...].prefix { !$0.isWhitespace && $0 != ")" })
    }

    @Test func theStreetLivesOnTheServer() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        #expect(s.db.hasPrefix("postgresql://") || s.db.hasPrefix("postgres://"))
        #expect(!FileManager.default.fileExists(atPath: s.dir.appendingPathComponent("m.db").path))
        let n = try s.file()
        try s.ok("accept", n, as: "wang")
        try s.ok("escalate", n, "--reason", "双方不接受网格调解", as: "wang")
        #expect(try s.ok("show", n).contains("open"))
        #expect(try s.ok("list", "--unit", "C01").contains(n))
        #expect(try s.ok("verify").hasPrefix("Verified"))
        #expect(try s.ok("doctor").hasPrefix("Model: a PostgreSQL server"))
        // A database that does not exist: the server's own words.
        let missing = try s.run(["list", "--db", Sandbox.uri("no_such_database")])
        #expect(missing.status == 74 && missing.stderr.hasPrefix("Cannot connect"), "\(missing)")
        // A database made by another program is refused, and left as it was.
        let other = try Sandbox()
        try other.sql("CREATE TABLE invoices (id BIGINT PRIMARY KEY)")
        let refused = try other.run(["init", "--admin", "admin"])
        #expect(refused.status == 74)
        #expect(refused.stderr.contains("another program's tables"))
        let tables = try Connection(path: other.db, mode: .readWrite).rows(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        ) { $0.text(0) }
        #expect(tables == ["invoices"])
    }

    @Test func eventsAreAppendOnlyOnTheServerToo() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        for statement in ["UPDATE event SET actor = 'x' WHERE id = 2", "DELETE FROM event", "TRUNCATE event"] {
            #expect(throws: SQLiteError.self, "\(statement)") { try s.sql(statement) }
        }
        // The case row edited behind mediate's back.
        try s.sql("UPDATE dispute SET severity = 'major'")
        let edited = try s.run(["verify"])
        #expect(edited.status != 0)
        #expect(edited.stderr.contains("\(n) differs from its events in severity"), "\(edited)")
        try s.sql("UPDATE dispute SET severity = 'minor'")
        #expect(try s.ok("verify").hasPrefix("Verified"))
        // A trigger switched off is a trigger missing.
        try s.sql("ALTER TABLE event DISABLE TRIGGER event_no_update")
        let disabled = try s.run(["verify"])
        #expect(disabled.status != 0, "\(disabled)")
    }

    /// A case row held by another session past MEDIATE_BUSY_TIMEOUT (the server's
    /// lock_timeout): one sentence, exit 74, nothing written; once free, the action goes through.
    @Test func aCaseLockedTooLongIsReportedAsLocked() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        let holder = try Connection(path: s.db, mode: .readWrite)
        try holder.execute("BEGIN")
        try holder.execute("SELECT id FROM dispute FOR UPDATE")
        let waited = try s.run(["note", n, "--text", "x"], as: "wang", env: ["MEDIATE_BUSY_TIMEOUT": "300"])
        #expect(waited.status == 74, "\(waited)")
        #expect(waited.stderr.contains("is locked by another writer for too long"), "\(waited)")
        try holder.execute("ROLLBACK")
        try s.ok("note", n, "--text", "x", as: "wang")
        let notes = try holder.int("SELECT count(*) FROM event WHERE action = 'note'")
        #expect(notes == 1)
    }

    @Test func anExportRestoredOnASecondDatabaseHasTheSameWitness() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        try s.ok("accept", n, as: "wang")
        try s.ok("resolve", n, "--agreement", "李四交出钥匙", "--amount", "50", "--perform-by", "2026-10-10", as: "wang")
        let witness = try #require(Self.witness(try s.ok("verify")))
        let export = s.dir.appendingPathComponent("street.jsonl").path
        try s.ok("export", "--format", "jsonl", "--output", export)
        let second = try Sandbox()
        #expect(try second.ok("import", "jsonl", export).contains("the hash chain the same"))
        #expect(Self.witness(try second.ok("verify")) == witness)
        #expect(try second.ok("verify", "--witness", witness).hasPrefix("Verified"))
        // The copy's export is the original's, byte for byte.
        let again = s.dir.appendingPathComponent("again.jsonl").path
        try second.ok("export", "--format", "jsonl", "--output", again)
        #expect(FileManager.default.contents(atPath: again) == FileManager.default.contents(atPath: export))
        // An SQLite file restored from the server's export: the same history again.
        let file = s.dir.appendingPathComponent("copy.db").path
        try s.ok("import", "jsonl", export, "--db", file)
        #expect(Self.witness(try s.ok("verify", "--db", file)) == witness)
        // The original goes on; its old witness still holds, a made-up one does not.
        try s.ok("note", n, "--text", "回访", as: "wang")
        #expect(try s.ok("verify", "--witness", witness).hasPrefix("Verified"))
        let count = witness.prefix { $0 != ":" }
        #expect(try s.run(["verify", "--witness", "\(count):0123456789abcdef"]).status != 0)
    }

    /// `migrate --to` copies a street from an SQLite file into an empty database on the
    /// server and says both sides agree; a database that is not empty, or not a server's,
    /// is refused; one that does not exist gets the server's own words.
    @Test func migrateCopiesAStreetFromAFileToTheServer() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        try s.ok("accept", n, as: "wang")
        try s.ok("escalate", n, "--reason", "双方不接受网格调解", as: "wang")
        let export = s.dir.appendingPathComponent("street.jsonl").path
        try s.ok("export", "--format", "jsonl", "--output", export)
        let file = s.dir.appendingPathComponent("street.db").path
        try s.ok("import", "jsonl", export, "--db", file)
        let witness = try #require(Self.witness(try s.ok("verify", "--db", file)))

        let server = try Sandbox()
        let moved = try s.ok("migrate", "--to", server.db, "--db", file)
        #expect(moved.contains("same witness \(witness)"), "\(moved)")
        #expect(Self.witness(try server.ok("verify")) == witness)
        #expect(try server.ok("show", n).contains("C01"))
        let again = try s.run(["migrate", "--to", server.db, "--db", file])
        #expect(again.status == 1 && again.stderr.contains("not an empty database"), "\(again)")
        let notServer = try s.run(["migrate", "--to", s.dir.appendingPathComponent("x.db").path, "--db", file])
        #expect(notServer.status == 64, "\(notServer)")
        let missing = try s.run(["migrate", "--to", Sandbox.uri("no_such_database"), "--db", file])
        #expect(missing.status == 74 && missing.stderr.contains("Cannot connect"), "\(missing)")
        #expect(missing.stderr.contains("no_such_database"), "\(missing)")
    }

    /// Writers killed (SIGKILL) in the middle of their action: held at the chain's lock
    /// (the first one after it updated the case row, the others waiting for the row), then
    /// half of them killed. The server rolls each dead client's transaction back: the
    /// killed store nothing, the others store their note once, nothing stays locked,
    /// and verify is clean.
    @Test func writersKilledMidActionLeaveNothingHalfDone() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        let environment = [
            "PATH": "/usr/bin:/bin", "HOME": s.dir.path, "LANG": "C.UTF-8", "MEDIATE_DB": s.db,
            "MEDIATE_NOW": Sandbox.streetNow, "MEDIATE_USER": "wang",
        ]
        let holder = try Connection(path: s.db, mode: .readWrite)
        try holder.execute("BEGIN")
        try holder.execute("SELECT pg_advisory_xact_lock(1296385097)")
        let writers = 12
        let processes = try (0..<writers).map { w in
            let process = Process()
            process.executableURL = Sandbox.binary
            process.arguments = ["note", n, "--text", "k\(w)"]
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        // Every writer is now inside its transaction, waiting on a lock. (Watched from a
        // second session: statistics views hold still for a whole transaction.)
        let watcher = try Connection(path: s.db, mode: .readWrite)
        var waiting = 0
        for _ in 0..<200 {
            waiting = Int(
                try watcher.int("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") ?? 0)
            if waiting == writers { break }
            usleep(50_000)
        }
        #expect(waiting == writers)
        for (w, process) in processes.enumerated() where w % 2 == 0 {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try holder.execute("ROLLBACK")
        for process in processes { process.waitUntilExit() }
        for (w, process) in processes.enumerated() {
            let stored = try watcher.int(
                "SELECT count(*) FROM event WHERE action = 'note' AND json_extract(detail, '$.text') = ?",
                [.text("k\(w)")])
            if w % 2 == 0 {
                #expect(process.terminationReason == .uncaughtSignal && stored == 0, "k\(w)")
            } else {
                #expect(process.terminationStatus == 0 && stored == 1, "k\(w)")
            }
        }
        // Nothing was left locked: the next action goes through at once.
        let after = try s.run(["note", n, "--text", "after"], as: "wang", env: ["MEDIATE_BUSY_TIMEOUT": "2000"])
        #expect(after.status == 0, "\(after)")
        #expect(try s.ok("verify").hasPrefix("Verified"))
    }

    /// 32 writer processes on 4 cases at once, each also filing a case of its own, while
    /// the daily sweep runs over the same (overdue) cases: every action acknowledged is
    /// stored once, no writer and no sweep sees a deadlock, a serialization error or a
    /// "changed meanwhile", every new case gets its own number, and verify is clean.
    @Test func thirtyTwoWritersOnFourCasesLoseNothing() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let cases = try (0..<4).map { _ in try s.file() }
        var env = ["PATH": "/usr/bin:/bin", "HOME": s.dir.path, "LANG": "C.UTF-8", "MEDIATE_DB": s.db]
        // Ten days on: the four cases are past the grid's seven days, for the sweep.
        env["MEDIATE_NOW"] = "2026-10-15T09:30:00+08:00"
        let environment = env
        let writers = 32
        let notes = 3
        let runs = Mutex<[(String, Sandbox.Run)]>([])
        let sweeps = 4
        DispatchQueue.concurrentPerform(iterations: writers + sweeps) { w in
            if w >= writers {
                var env = environment
                env["MEDIATE_USER"] = "admin"
                let run = try? Sandbox.launch(["sweep"], environment: env, stdin: nil)
                runs.withLock {
                    $0.append(("sweep", run ?? Sandbox.Run(status: -1, stdout: "", stderr: "not launched")))
                }
                return
            }
            var mine: [(String, Sandbox.Run)] = []
            var env = environment
            env["MEDIATE_USER"] = "wang"
            let filed = try? Sandbox.launch(
                [
                    "file", "--grid", "G01", "--category", "邻里", "--severity", "minor", "--source", "patrol",
                    "--summary", "w\(w)", "--party", "张三,applicant",
                ], environment: env, stdin: nil)
            mine.append(("file w\(w)", filed ?? Sandbox.Run(status: -1, stdout: "", stderr: "not launched")))
            for k in 0..<notes {
                let args = ["note", cases[w % cases.count], "--text", "w\(w)-\(k)"]
                let run = try? Sandbox.launch(args, environment: env, stdin: nil)
                mine.append(("\(args)", run ?? Sandbox.Run(status: -1, stdout: "", stderr: "not launched")))
            }
            runs.withLock { $0 += mine }
        }
        let all = runs.withLock { $0 }
        #expect(all.count == writers * (notes + 1) + sweeps)
        for (what, run) in all {
            #expect(run.status == 0 && run.stderr.isEmpty, "\(what): \(run)")
        }
        let db = try Connection(path: s.db, mode: .readWrite)
        for (i, number) in cases.enumerated() {
            let serial = Int64(number.split(separator: "-").last!)!
            let stored = try db.int(
                "SELECT count(*) FROM event e JOIN dispute d ON d.id = e.case_id WHERE d.serial = ? AND e.action = 'note'",
                [.int(serial)])
            #expect(stored == Int64((0..<writers).filter { $0 % cases.count == i }.count * notes))
        }
        // Four sweeps at once flag each overdue case once: each decides on the case as it
        // finds it, under the case's lock.
        let flagged = try db.int(
            "SELECT count(*) FROM event WHERE action = 'supervise' AND case_id IN (SELECT id FROM dispute WHERE serial <= 4)"
        )
        #expect(flagged == Int64(cases.count))
        let numbers = all.filter { $0.0.hasPrefix("file") }.map {
            $0.1.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(Set(numbers).count == writers)
        #expect(try db.int("SELECT count(*) FROM dispute") == Int64(cases.count + writers))
        #expect(try s.ok("verify").hasPrefix("Verified"))
    }

    #if PostgreSQL
        /// `each` on the server streams in batches through a cursor: rows past the first
        /// batch arrive, the body may run other statements meanwhile (verify reads each case
        /// row while it streams the events), a body that throws leaves the connection usable,
        /// inside a transaction or not, and a stream inside a stream has a cursor of its own.
        @Test func eachStreamsInBatchesAndLetsItsBodyQuery() throws {
            let s = try Sandbox()
            try s.setUpStreet()
            let db = try Connection(path: s.db, mode: .readWrite)
            let total = Server.streamBatch * 2 + 500
            var seen: [Int64] = []
            var inner = 0
            try db.each("SELECT g FROM generate_series(1, ?) g ORDER BY g", [.int(Int64(total))]) { r in
                seen.append(r.int(0))
                if seen.count == 1 {
                    // Read through a cursor on the server, not a result held here whole.
                    let open = try db.int("SELECT count(*) FROM pg_cursors WHERE name LIKE 'mediate_stream_%'")
                    #expect(open == 1, "\(String(describing: open))")
                }
                if seen.count % 700 == 0 {
                    #expect(try db.int("SELECT count(*) FROM unit") ?? 0 > 0)
                    try db.each("SELECT g FROM generate_series(1, 3) g") { _ in inner += 1 }
                }
            }
            #expect(seen == (1...Int64(total)).map { $0 })
            #expect(inner == 3 * (total / 700))
            #expect(!db.server!.inTransaction)
            struct Stop: Error {}
            for inside in [false, true] {
                if inside { try db.execute("BEGIN") }
                var rows = 0
                #expect(throws: Stop.self) {
                    try db.each("SELECT g FROM generate_series(1, 5000) g") { _ in
                        rows += 1
                        if rows == 1_500 { throw Stop() }
                    }
                }
                #expect(try db.int("SELECT count(*) FROM generate_series(1, 10)") == 10)
                var again = 0
                try db.each("SELECT g FROM generate_series(1, 10) g") { _ in again += 1 }
                #expect(again == 10)
                #expect(db.server!.inTransaction == inside)
                if inside { try db.execute("COMMIT") }
            }
        }
    #endif
}
