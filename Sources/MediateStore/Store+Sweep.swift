import MediateCore

extension Store {
    /// The daily sweep at `now`: escalates overdue cases below their ceiling and flags
    /// those at it for supervision, all in one transaction. With `dryRun` it only says
    /// what it would do. A second run at the same moment finds nothing to do.
    /// Returns each case as it was before, with what the sweep did to it.
    public func sweep(
        machine: Machine, at now: Int64, entered: Int64, dryRun: Bool
    ) throws(StoreError) -> [(Case, Event)] {
        try sealed {
            let plan = try overdueCases(at: now).compactMap { c in machine.sweep(c, at: now).map { (c, $0) } }
            if dryRun || plan.isEmpty { return plan }
            try db.transaction {
                for (c, event) in plan {
                    try write(c.applying(event), after: event, expecting: c.version, entered: entered)
                }
            }
            return plan
        }
    }
}
