/// A calendar day.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A valid Gregorian day, or nil.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Day.length(year: year, month: month)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The years a person may write: wide enough for any record, narrow enough that
    /// every month and period built from them stays a valid day in every time zone.
    public static let writable = 1900...2999

    /// Parses `YYYY-MM-DD` within the writable years.
    public init?(_ text: Substring) {
        // Ten bytes, ASCII digits but for the two dashes (replay reads one a case event:
        // by byte, not split into pieces).
        var number = 0
        var fields = (0, 0)
        var position = 0
        for byte in text.utf8 {
            guard position < 10 else { return nil }
            if position == 4 || position == 7 {
                guard byte == UInt8(ascii: "-") else { return nil }
                fields = (fields.1, number)
                number = 0
            } else {
                guard (48...57).contains(byte) else { return nil }
                number = number * 10 + Int(byte - 48)
            }
            position += 1
        }
        guard position == 10, Day.writable.contains(fields.0) else { return nil }
        self.init(year: fields.0, month: fields.1, day: number)
    }

    public static func length(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    public var description: String { LocalTime.dashed(year, 4, month, 2, day, 2) }
}

/// A time as a person wrote it: a day and a clock, with or without an offset. Which
/// instant it names depends on the zone when no offset was written.
public struct WrittenTime: Equatable, Sendable {
    public let day: Day
    public let hour: Int
    public let minute: Int
    public let second: Int
    /// Seconds east of UTC, when written (`Z`, `+08:00`).
    public let offset: Int?

    /// The instant it names, reading a time without an offset in `zone`.
    public func instant(in zone: Zone) -> Int64 {
        guard let offset else { return zone.instant(day, hour: hour, minute: minute, second: second) }
        return LocalTime.utc(day) + Int64(hour * 3600 + minute * 60 + second - offset)
    }
}

/// Reading and writing local times. Every conversion between an instant and a local
/// day or clock goes through a `Zone` value: nothing here touches the process's state.
public enum LocalTime {
    /// The instants `fields` can name: from 0001-01-02 to 9999-12-30 UTC, so that every
    /// zone's local day is a valid `Day`. Instants outside are clamped to the nearest end.
    static let nameable: ClosedRange<Int64> = (-62_135_510_400)...(253_402_128_000)

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]` (or a space for the T), with an
    /// optional `Z` or `±HH:MM` offset; without one the time is local.
    public static func parse(_ text: String) -> WrittenTime? {
        let s = Substring(text.trimmingPrefixSpaces())
        guard s.count >= 10, let day = Day(s.prefix(10)) else { return nil }
        var rest = s.dropFirst(10)
        if rest.isEmpty { return WrittenTime(day: day, hour: 0, minute: 0, second: 0, offset: nil) }
        guard rest.first == "T" || rest.first == " " else { return nil }
        rest = rest.dropFirst()
        // Offset: Z, or the last "+" / "-" after the clock.
        var offset: Int? = nil
        if rest.hasSuffix("Z") {
            offset = 0
            rest = rest.dropLast()
        } else if let sign = rest.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            // ±HH:MM or ±HHMM, nothing else.
            let written = rest[rest.index(after: sign)...]
            let colon = written.count == 5 && written.dropFirst(2).first == ":"
            let tail = colon ? written.prefix(2) + written.suffix(2) : written
            guard written.count == (colon ? 5 : 4), tail.utf8.allSatisfy({ (48...57).contains($0) }),
                let hhmm = Int(tail), hhmm % 100 < 60, hhmm <= 1400
            else { return nil }
            let seconds = (hhmm / 100) * 3600 + (hhmm % 100) * 60
            offset = rest[sign] == "-" ? -seconds : seconds
            rest = rest[..<sign]
        }
        let clock = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 2 || clock.count == 3,
            clock.allSatisfy({ $0.count == 2 && $0.utf8.allSatisfy { (48...57).contains($0) } }),
            let h = Int(clock[0]), let m = Int(clock[1]), h < 24, m < 60
        else { return nil }
        let sec = clock.count == 3 ? Int(clock[2])! : 0
        guard sec < 60 else { return nil }
        return WrittenTime(day: day, hour: h, minute: m, second: sec, offset: offset)
    }

    /// Seconds since 1970 of midnight UTC on `day` (days-from-civil, proleptic Gregorian).
    public static func utc(_ day: Day) -> Int64 {
        let y = Int64(day.month <= 2 ? day.year - 1 : day.year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(day.month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day.day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return (era * 146_097 + doe - 719_468) * 86_400
    }

    public static func pad(_ value: Int, _ width: Int) -> String {
        guard value >= 0 else {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return dashed(value, width)
    }

    /// Non-negative numbers, each in decimal with zeros before it to its width, joined by
    /// "-" (`2026-10-05`, `2026-0142`): as `pad` and concatenation make them, in one
    /// String rather than five. A width of 0 leaves a number out; a negative number is
    /// written by `pad`.
    static func dashed(_ a: Int, _ aWidth: Int, _ b: Int = 0, _ bWidth: Int = 0, _ c: Int = 0, _ cWidth: Int = 0)
        -> String
    {
        guard a >= 0 && b >= 0 && c >= 0 else {
            let parts = [(a, aWidth), (b, bWidth), (c, cWidth)].filter { $0.1 > 0 }.map { pad($0.0, $0.1) }
            return parts.joined(separator: "-")
        }
        func digits(_ n: Int) -> Int {
            var count = 1
            var rest = n
            while rest >= 10 {
                rest /= 10
                count += 1
            }
            return count
        }
        let lengths = (
            max(aWidth, digits(a)), bWidth > 0 ? max(bWidth, digits(b)) : 0, cWidth > 0 ? max(cWidth, digits(c)) : 0
        )
        let total = lengths.0 + (lengths.1 > 0 ? lengths.1 + 1 : 0) + (lengths.2 > 0 ? lengths.2 + 1 : 0)
        return String(unsafeUninitializedCapacity: total) { buffer in
            var end = 0
            func write(_ value: Int, _ length: Int) {
                var rest = value
                var i = end + length - 1
                while i >= end {
                    buffer[i] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                    i -= 1
                }
                end += length
            }
            write(a, lengths.0)
            if lengths.1 > 0 {
                buffer[end] = UInt8(ascii: "-")
                end += 1
                write(b, lengths.1)
            }
            if lengths.2 > 0 {
                buffer[end] = UInt8(ascii: "-")
                end += 1
                write(c, lengths.2)
            }
            return end
        }
    }
}

extension String {
    fileprivate func trimmingPrefixSpaces() -> Substring {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}

extension Zone {
    /// The local day of an instant.
    public func day(_ instant: Int64) -> Day { fields(instant).day }

    /// The first instant of the day after `day`: what "until DATE" means.
    public func endOfDay(_ day: Day) -> Int64 { instant(day, hour: 24) }

    /// The instant a month begins; months past December roll into the next year, and
    /// month 0 is the December before.
    public func monthStart(year: Int, month: Int) -> Int64 {
        let index = year * 12 + (month - 1)
        return instant(Day(year: index / 12, month: index % 12 + 1, day: 1)!)
    }

    /// `2026-10-05 09:30`
    public func minute(_ instant: Int64) -> String {
        let f = fields(instant)
        return "\(f.day) \(LocalTime.pad(f.hour, 2)):\(LocalTime.pad(f.minute, 2))"
    }

    /// `2026-10-05T09:30:00+08:00`: exact, with the offset in force then.
    public func iso(_ instant: Int64) -> String {
        let f = fields(instant)
        let sign = f.offset < 0 ? "-" : "+"
        let offset = abs(f.offset) / 60
        return "\(f.day)T\(LocalTime.pad(f.hour, 2)):\(LocalTime.pad(f.minute, 2)):\(LocalTime.pad(f.second, 2))"
            + (f.offset == 0 ? "Z" : "\(sign)\(LocalTime.pad(offset / 60, 2)):\(LocalTime.pad(offset % 60, 2))")
    }
}
