/// The rule of time between when an action takes effect and when it is entered.
public enum Clock {
    /// Clocks of machines that share a file differ a little; a minute is allowed.
    public static let skew: Int64 = 60

    /// Paper records may be entered late, never early: an event that took effect in
    /// the future would hold its case against every real action until then.
    public static func check(effective: Int64, entered: Int64) throws(Violation) {
        guard effective <= entered + skew else { throw .effectiveInFuture(effective) }
    }
}
