/// The figures that keep 小事不出网格 from being met by relabelling or by paperwork:
/// records entered long after they took effect (补录), and a severity raised shortly
/// before an escalation that the raise turned from a breach into a permitted move.
public enum Honesty {
    /// A record entered more than an hour after the moment it took effect was entered
    /// late, from paper (the same hour after which `show` marks it).
    public static let lateEntry: Int64 = 3600

    /// How soon before an escalation a raised severity counts as relabelling: 72 hours.
    public static let relabelWindow: Int64 = 72 * 3600

    public static func isBackDated(effective: Int64, entered: Int64) -> Bool { entered - effective > lateEntry }

    /// Whether an escalation leaving level `leaving` was a breach under severity `old`
    /// and is none under `new`: the raise made it permitted.
    public static func relabelled(_ policy: Policy, from old: String, to new: String, leaving: Int) -> Bool {
        leaving >= policy.ceiling(old) && leaving < policy.ceiling(new)
    }
}
