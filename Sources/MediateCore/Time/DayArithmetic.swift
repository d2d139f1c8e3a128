extension Day {
    /// The day `n` days later (earlier when negative).
    public func adding(days n: Int) -> Day {
        Zone.utc.day(LocalTime.utc(self) + Int64(n) * 86_400)
    }

    /// Whole days from `self` to `other`: positive when `other` is later.
    public func days(to other: Day) -> Int {
        Int((LocalTime.utc(other) - LocalTime.utc(self)) / 86_400)
    }
}
