import Foundation
import Testing

@testable import MediateStore

#if canImport(Glibc)
    import Glibc
#endif

/// The deployment model of issue 12 for real: mediate installed setgid to a group of
/// its own, a throwaway OS user who is not a member, and the database reachable only
/// through the program. Needs root (to add the user and the group, and to chown).
@Suite(.serialized) struct SetgidTests {
    static let isRoot = getuid() == 0

    struct Shell {
        let env: [String: String]

        @discardableResult
        func run(_ args: [String], as user: String? = nil) throws -> Sandbox.Run {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: user == nil ? args[0] : "/usr/sbin/runuser")
            process.arguments = user.map { ["-u", $0, "--"] + args } ?? Array(args.dropFirst())
            process.environment = env
            let (out, err) = (Pipe(), Pipe())
            process.standardOutput = out
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Sandbox.Run(
                status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                stderr: String(decoding: stderr, as: UTF8.self))
        }
    }

    @Test(.enabled(if: isRoot, "skipped: the setgid model test needs root to create a throwaway OS user and group"))
    func onlyTheProgramReachesTheFileAndItKnowsTheRealUser() throws {
        let s = try Sandbox()
        let tag = String(UInt32.random(in: 100_000...999_999))
        let (group, user) = ("mdg\(tag)", "mdu\(tag)")
        let sh = Shell(env: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"])
        #expect(try sh.run(["/usr/sbin/groupadd", group]).status == 0)
        #expect(try sh.run(["/usr/sbin/useradd", "-M", "-U", "-s", "/bin/sh", user]).status == 0)
        defer {
            _ = try? sh.run(["/usr/sbin/userdel", user])
            _ = try? sh.run(["/usr/sbin/groupdel", group])
        }
        // The binary installed setgid to the group, as Scripts/install does.
        let bin = s.dir.appendingPathComponent("mediate").path
        try FileManager.default.copyItem(atPath: Sandbox.binary.path, toPath: bin)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: s.dir.path)
        #expect(try sh.run(["/bin/chgrp", group, bin]).status == 0)
        #expect(try sh.run(["/bin/chmod", "2755", bin]).status == 0)
        let data = s.dir.appendingPathComponent("data").path
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: false)
        let db = data + "/m.db"

        // Root makes the database for the group, and the street.
        let made = try sh.run([bin, "init", "--group", group, "--admin", "admin", "--db", db])
        #expect(made.status == 0 && made.stdout.contains("now belong to the group \(group)"), "\(made)")
        for args in [
            ["unit", "add", "--code", "S1", "--name", "街道", "--level", "street"],
            ["unit", "add", "--code", "C1", "--name", "社区", "--level", "community", "--parent", "S1"],
            ["unit", "add", "--code", "G1", "--name", "网格", "--level", "grid", "--parent", "C1"],
            ["person", "add", "--login", user, "--name", "网格员", "--role", "grid_worker", "--unit", "G1"],
        ] {
            let r = try sh.run([bin] + args + ["--db", db, "--as", "admin"])
            #expect(r.status == 0, "\(args): \(r)")
        }
        for (file, mode) in [(db, 0o660), (db + "-wal", 0o660), (db + "-shm", 0o660), (data, 0o2770)] {
            let a = try FileManager.default.attributesOfItem(atPath: file)
            #expect((a[.posixPermissions] as? Int).map { $0 & 0o7777 } == mode, "\(file): \(a)")
            #expect(a[.groupOwnerAccountName] as? String == group, "\(file)")
        }
        #expect(try sh.run([bin, "init", "--group", group, "--db", db]).stdout.contains("with the right modes"))

        // The user works through the program, as themselves...
        let filed = try sh.run(
            [
                bin, "file", "--db", db, "--grid", "G1", "--category", "邻里", "--severity", "minor", "--source",
                "patrol", "--summary", "楼道堆物", "--party", "张三,applicant,13800000000",
            ], as: user)
        #expect(filed.status == 0 && filed.stdout.hasSuffix("-0001\n"), "\(filed)")
        #expect(try sh.run([bin, "list", "--db", db], as: user).stdout.contains("138****0000"))
        // ...but never reaches the file itself,
        #expect(try sh.run(["/bin/cat", db], as: user).status != 0)
        #expect(try sh.run(["/bin/sh", "-c", "echo x >> \(db)"], as: user).status != 0)
        // cannot claim to be someone else or back-date,
        let claimed = try sh.run(["/usr/bin/env", "MEDIATE_USER=admin", bin, "list", "--db", db], as: user)
        #expect(claimed.status == 1 && claimed.stderr.hasPrefix("Only an admin may act as someone else"), "\(claimed)")
        let backDated = try sh.run(
            ["/usr/bin/env", "MEDIATE_NOW=2026-01-05T09:00:00+08:00", bin, "list", "--db", db], as: user)
        #expect(backDated.status == 1 && backDated.stderr.hasPrefix("Back-dating"), "\(backDated)")
        // cannot point the program at another file,
        let elsewhere = try sh.run(["/usr/bin/env", "MEDIATE_DB=/tmp/\(tag).db", bin, "list"], as: user)
        #expect(elsewhere.status == 74 && elsewhere.stderr.contains("opens only databases in a folder"), "\(elsewhere)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/\(tag).db"))
        // nor make a database of its own in the group's folder.
        let other = try sh.run([bin, "init", "--db", data + "/mine.db"], as: user)
        #expect(other.status == 1 && !FileManager.default.fileExists(atPath: data + "/mine.db"), "\(other)")
        // Nor restore one from an export that names them admin.
        let export = s.dir.appendingPathComponent("all.jsonl").path
        #expect(
            try sh.run([bin, "export", "--format", "jsonl", "--db", db, "--as", "admin", "--output", export]).status
                == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: export)
        let restored = try sh.run([bin, "import", "jsonl", export, "--db", data + "/mine.db"], as: user)
        #expect(restored.status == 1 && restored.stderr.hasPrefix("Running setgid, only root restores"), "\(restored)")
        #expect(!FileManager.default.fileExists(atPath: data + "/mine.db"))
        // The event records the OS login that ran it; the side files stay root's.
        let events = try Connection(path: db, mode: .readOnly).rows(
            "SELECT actor, os_login FROM event WHERE case_id IS NOT NULL"
        ) { ($0.text(0), $0.optionalText(1)) }
        #expect(events.count == 1 && events[0].0 == user && events[0].1 == user)
        let wal = try FileManager.default.attributesOfItem(atPath: db + "-wal")
        #expect(wal[.ownerAccountName] as? String == "root")
        let doctor = try sh.run([bin, "doctor", "--db", db], as: user)
        #expect(doctor.stdout.hasPrefix("Model: mediate is installed setgid to the group \(group)"), "\(doctor)")
        #expect(try sh.run([bin, "verify", "--db", db], as: user).stdout.hasPrefix("Verified"))

        // Read commands work on read-only media: a copy in a folder the user cannot write.
        let media = s.dir.appendingPathComponent("media").path
        try FileManager.default.createDirectory(atPath: media, withIntermediateDirectories: false)
        let copy = media + "/m.db"
        #expect(try sh.run([bin, "backup", copy, "--db", db, "--as", "admin"]).status == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: copy)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: media)
        let plain = Sandbox.binary.path
        for args in [["list"], ["verify"], ["report", "--month", "2026-10"]] {
            let r = try sh.run([plain] + args + ["--db", copy], as: user)
            #expect(r.status == 0 && r.stderr.isEmpty, "\(args): \(r)")
        }
        let write = try sh.run([plain, "note", "2026-0001", "--text", "x", "--db", copy], as: user)
        #expect(write.status == 74, "\(write)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: media) == ["m.db"])
    }

    @Test func withoutSetgidDoctorSaysTheFileIsProtectedByItsPermissionsAlone() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        // Copied by the test process (mediate itself makes its files 0600): open to others.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: s.db)
        let open = try s.run(["doctor"])
        #expect(open.stdout.hasPrefix("Model: single user: \(s.db) belongs to "), "\(open)")
        #expect(open.stdout.contains("with mode 644"))
        #expect(open.stdout.contains("Problem: \(s.db) has mode 644, open to other users"))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: s.db)
        let r = try s.run(["doctor"])
        #expect(r.stdout.contains("with mode 600") && !r.stdout.contains("Problem:"), "\(r)")
        #expect(r.stdout.contains("Scripts/install"))
    }
}
