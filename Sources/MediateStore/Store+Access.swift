import MediateCore

/// Access to residents' data, recorded: every `--reveal`, backup and export is an event
/// of the chain (without a case), so that who saw what, and when, cannot be edited away.
extension Store {
    public enum Access: Sendable, Equatable {
        /// Phone and ID numbers shown in full, of these cases.
        case reveal([CaseNumber])
        /// The whole database copied to this path.
        case backup(String)
        /// Cases written out to this path (or to standard output, "-").
        case export(String)

        var action: String {
            switch self {
            case .reveal: "access.reveal"
            case .backup: "access.backup"
            case .export: "access.export"
            }
        }
    }

    /// One recorded access, as `mediate audit` lists it.
    public struct AccessRecord: Sendable {
        public let id: Int64
        public let at: Int64
        public let actor: String
        public let osLogin: String?
        public let access: Access
        /// The code of the acting person's unit when it happened ("" for the whole deployment).
        public let unit: String
    }

    /// Records `access` at the real moment `entered`, in its own transaction.
    public func recordAccess(_ access: Access, by actor: Actor, entered: Int64) throws(StoreError) {
        try sealed {
            let unit = try actor.unitID.flatMap { id in
                try db.first("SELECT code FROM unit WHERE id = ?", [.int(id)]) { $0.text(0) }
            }
            var detail: [(String, String)] = [("unit", unit ?? "")]
            switch access {
            case .reveal(let numbers): detail += [("cases", numbers.map(\.description).joined(separator: " "))]
            case .backup(let path), .export(let path): detail += [("target", path)]
            }
            try db.transaction {
                try audit(access.action, actor: actor.login, at: entered, entered: entered, detail)
            }
        }
    }

    /// The recorded accesses, oldest first: since `since` (an instant) and by `person`, when given.
    public func accesses(since: Int64? = nil, person: String? = nil) throws(StoreError) -> [AccessRecord] {
        try sealed {
            try db.rows(
                """
                SELECT id, entered_at, actor, os_login, action, detail FROM event
                WHERE action LIKE 'access.%' AND entered_at >= ? AND (CAST(? AS TEXT) IS NULL OR actor = ?) ORDER BY id
                """, [.int(since ?? Int64.min), SQLValue(person), SQLValue(person)]
            ) { r in
                let detail = Dictionary(
                    (JSON.parseFlatObject(r.text(5)) ?? []).map { ($0.0, $0.1) }, uniquingKeysWith: { _, b in b })
                let access: Access =
                    switch r.text(4) {
                    case "access.reveal":
                        .reveal((detail["cases"] ?? "").split(separator: " ").compactMap { CaseNumber($0) })
                    case "access.backup": .backup(detail["target"] ?? "")
                    default: .export(detail["target"] ?? "")
                    }
                return AccessRecord(
                    id: r.int(0), at: r.int(1), actor: r.text(2), osLogin: r.optionalText(3), access: access,
                    unit: detail["unit"] ?? "")
            }
        }
    }
}
