import Foundation
import Testing

/// Records commands act as the person the real user is (issue #12), not the one a
/// caller claims: only an admin exports or imports a ledger, and each export is recorded
/// under the acting person and the OS login.
@Suite struct RecordsIdentityTests {
    @Test func onlyARealAdminExportsAndTheExportIsRecordedUnderBothNames() throws {
        let s = try Sandbox()
        // On a server the caller is the connected role, not the OS login: the same rules
        // by role are PostgreSQLTests.theConnectedRoleIsThePerson….
        guard s.database == nil else { return }
        try s.setUpStreet()
        _ = try s.file()
        s.now = nil
        s.realUID = 1000
        s.osLogin = "li"
        let mine = try s.run(["export", "--format", "jsonl"], as: nil)
        #expect(mine.status == 1 && mine.stderr.hasPrefix("Only an admin may export records"), "\(mine)")
        #expect(mine.stdout == "")
        let claimed = try s.run(["export", "--format", "jsonl"], as: "admin")
        #expect(claimed.status == 1 && claimed.stderr.hasPrefix("Only an admin may act as someone else"), "\(claimed)")
        let ledger = s.dir.appendingPathComponent("l.csv").path
        try "序号,登记日期,网格,当事人,纠纷类型,纠纷简要情况\n1,2025-01-02,G01,甲,邻里,x\n".write(
            toFile: ledger, atomically: true, encoding: .utf8)
        let imported = try s.run(["import", "ledger", ledger], as: nil)
        #expect(imported.status == 1 && imported.stderr.hasPrefix("Only an admin may import a ledger"), "\(imported)")

        s.osLogin = "admin"
        let out = s.dir.appendingPathComponent("all.jsonl").path
        try s.ok("export", "--format", "jsonl", "--output", out, as: nil)
        let audit = try s.ok("audit", "--format", "json", as: nil)
        #expect(audit.contains(#""actor": "admin""#) && audit.contains(#""os_login": "admin""#), "\(audit)")
        #expect(audit.contains(#""access": "export""#) && audit.contains(out), "\(audit)")
        #expect(try s.ok("verify", as: nil).hasPrefix("Verified"))
    }

    /// Root, unregistered, acts as the deployment's admin (Identity): its follow-ups are
    /// the whole street's, as for any admin without a unit.
    @Test func rootUnregisteredListsTheWholeStreetsFollowUps() throws {
        let s = try Sandbox()
        try s.setUpStreet()
        let n = try s.file()
        try s.ok("accept", n, as: "wang")
        try s.ok("resolve", n, "--agreement", "道歉", "--oral", "--perform-by", "2026-10-05", as: "wang")
        s.now = "2026-10-09T09:00:00+08:00"
        let listed = try s.run(["followups"], as: nil)
        #expect(listed.status == 0 && listed.stdout.contains(n), "\(listed)")
    }
}
