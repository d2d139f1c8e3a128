#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A time zone as a value: the transitions and the closing rule of an IANA TZif file
/// (RFC 8536), read here without the process's `TZ` or the C library's conversions.
public struct Zone: Sendable, Equatable {
    /// The IANA name, e.g. "Asia/Shanghai"; "UTC" for `Zone.utc`.
    public let name: String
    /// The instants at which the offset changes, ascending, and the offset after each.
    private let times: [Int64]
    private let offsets: [Int]
    /// The offset before the first transition (or always, without transitions and rule).
    private let initial: Int
    /// The footer's POSIX TZ rule, for the instants from the last transition on.
    private let rule: Rule?

    /// UTC: offset 0 at every instant.
    public static let utc = Zone(name: "UTC", times: [], offsets: [], initial: 0, rule: nil)

    /// Loads /usr/share/zoneinfo/NAME; nil when `name` is not an installed zone file.
    public static func named(_ name: String) -> Zone? {
        guard isZoneName(name) else { return nil }
        return file(at: "/usr/share/zoneinfo/" + name, name: name)
    }

    /// A name that can name a zone file under /usr/share/zoneinfo: not a path out of it,
    /// not `right/` zones (they count leap seconds, which time() does not), not the
    /// `posix` aliases or the `Factory` placeholder. Whether it is a zone file (magic
    /// `TZif`, not a folder like `Asia` or a table like `zone.tab`) `file(at:)` decides.
    static func isZoneName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix("/") && !name.hasPrefix(".") && !name.hasSuffix("/")
            && !name.hasPrefix("right/") && !name.hasPrefix("posix") && name != "Factory"
            && !name.contains("/.") && !name.contains("//") && name.utf8.allSatisfy({ $0 > 32 && $0 < 127 })
    }

    /// Loads a TZif file from a path (used for /etc/localtime, the system's zone); nil if
    /// unreadable or not TZif.
    public static func file(at path: String, name: String) -> Zone? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        // Zone files are a few kilobytes; a megabyte is not one.
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count <= 1 << 20 {
            let n = fread(&chunk, 1, chunk.count, file)
            if n == 0 { break }
            bytes += chunk[..<n]
        }
        guard bytes.count <= 1 << 20 else { return nil }
        return Zone(name: name, tzif: bytes)
    }

    /// The system's zone: /etc/localtime if it is a TZif file, else UTC; `TZ` is not read. The
    /// name is the link's target below `zoneinfo/` (e.g. "Etc/UTC"), else "/etc/localtime".
    public static func system() -> Zone {
        var target = [CChar](repeating: 0, count: 1024)
        let n = readlink("/etc/localtime", &target, target.count - 1)
        let link = String(decoding: target[..<max(n, 0)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let name = link.firstRange(of: "zoneinfo/").map { String(link[$0.upperBound...]) } ?? "/etc/localtime"
        return file(at: "/etc/localtime", name: name) ?? .utc
    }

    /// Seconds east of UTC in force at `instant` (seconds since 1970 UTC). Before the first
    /// transition: the first type that is not DST (as glibc); from the last: the footer's rule.
    public func offset(at instant: Int64) -> Int {
        guard let first = times.first, instant >= first else {
            // RFC 8536: the footer alone when there are no transitions.
            if times.isEmpty, let rule { return rule.offset(at: instant) }
            return initial
        }
        if instant >= times[times.count - 1], let rule { return rule.offset(at: instant) }
        return offsets[times.partition(after: instant) - 1]
    }

    /// Local calendar fields of `instant`, clamped to `LocalTime.nameable` so that the day is
    /// always valid.
    public func fields(_ instant: Int64) -> (day: Day, hour: Int, minute: Int, second: Int, offset: Int) {
        let t = min(max(instant, LocalTime.nameable.lowerBound), LocalTime.nameable.upperBound)
        let offset = offset(at: t)
        let local = t + Int64(offset)
        let days = local.floorDivided(by: 86_400)
        let (y, m, d) = civil(days)
        let seconds = Int(local - days * 86_400)
        return (Day(year: Int(y), month: m, day: d)!, seconds / 3600, seconds / 60 % 60, seconds % 60, offset)
    }

    /// The instant at which the local wall time begins. In a gap (spring forward, e.g. 02:30
    /// in Berlin on the last Sunday of March) the wall time is read with the offset in force
    /// before the gap: 02:30 → 03:30 CEST, as glibc's mktime with tm_isdst = -1 (which reads
    /// gaps without a change into DST, like Apia's skipped day, with the offset after). In an
    /// overlap (fall back) it is the earlier instant. Fields may overflow as mktime normalises
    /// them: hour 24 is the start of the next day.
    public func instant(_ day: Day, hour: Int = 0, minute: Int = 0, second: Int = 0) -> Int64 {
        // Bounded so that nothing below can overflow; beyond, the fields mean nothing anyway.
        func bounded(_ value: Int, _ limit: Int64) -> Int64 { min(max(Int64(value), -limit), limit) }
        let wall =
            LocalTime.utc(day) + bounded(hour, 1 << 40) * 3600 + bounded(minute, 1 << 44) * 60
            + bounded(second, 1 << 50)
        // Offsets stay within a day, so every instant showing `wall` lies within two days of it:
        // cut that window where the offset may change and look in each piece.
        let from = wall - 2 * 86_400
        let to = wall + 2 * 86_400
        let edges = [from] + changes(from, to) + [to]
        var before = offset(at: from)
        for i in 0..<edges.count - 1 {
            let offset = Int64(offset(at: edges[i]))
            let t = wall - offset
            if t >= edges[i] && t < edges[i + 1] { return t }
            // No piece shows `wall` when it falls in a gap: then the last piece that began
            // before it on the wall is the one before the gap.
            if edges[i] + offset <= wall { before = Int(offset) }
        }
        return wall - Int64(before)
    }

    /// The instants in (from, to) at which the offset may change, ascending.
    private func changes(_ from: Int64, _ to: Int64) -> [Int64] {
        var result = Array(times[times.partition(after: from)..<times.partition(after: to - 1)])
        if let rule, rule.start != nil, times.isEmpty || to >= times[times.count - 1] {
            for year in civil(from.floorDivided(by: 86_400)).0...civil(to.floorDivided(by: 86_400)).0 {
                let (start, end) = rule.changes(year)
                result += [start, end, daysFromCivil(year, 1, 1) * 86_400]
            }
        }
        return result.filter { $0 > from && $0 < to }.sorted()
    }

    private init(name: String, times: [Int64], offsets: [Int], initial: Int, rule: Rule?) {
        self.name = name
        self.times = times
        self.offsets = offsets
        self.initial = initial
        self.rule = rule
    }

    /// Parses a TZif file: the 64-bit data and footer of version 2 and later, else the
    /// 32-bit data of version 1.
    private init?(name: String, tzif bytes: [UInt8]) {
        // A big-endian signed integer (callers stay within the bytes).
        func integer(_ at: Int, _ size: Int) -> Int64 {
            bytes[at..<at + size].reduce(Int64(bytes[at] >= 0x80 ? -1 : 0)) { $0 << 8 | Int64($1) }
        }
        // A header (magic, version, 15 unused bytes, six counts) and where its data ends.
        func header(_ at: Int, wide: Int) -> (transitions: Int, types: Int, end: Int)? {
            guard bytes.count >= at + 44, bytes[at..<at + 4].elementsEqual("TZif".utf8) else { return nil }
            // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
            let c = (0..<6).map { Int(integer(at + 20 + 4 * $0, 4)) }
            guard c.allSatisfy({ (0...1 << 20).contains($0) }) else { return nil }
            return (c[3], c[4], at + 44 + c[3] * (wide + 1) + c[4] * 6 + c[5] + c[2] * (wide + 4) + c[1] + c[0])
        }
        // From version 2 on, the version-1 block is skipped for the 64-bit one.
        guard let first = header(0, wide: 4) else { return nil }
        let wide = bytes[4] == 0 ? 4 : 8
        guard let h = wide == 4 ? first : header(first.end, wide: 8), h.types >= 1, h.end <= bytes.count
        else { return nil }
        let at = (wide == 4 ? 0 : first.end) + 44
        let times = (0..<h.transitions).map { integer(at + wide * $0, wide) }
        let indices = (0..<h.transitions).map { Int(bytes[at + wide * h.transitions + $0]) }
        let typesAt = at + (wide + 1) * h.transitions
        let types = (0..<h.types).map { (offset: Int(integer(typesAt + 6 * $0, 4)), dst: bytes[typesAt + 6 * $0 + 4]) }
        guard indices.allSatisfy({ $0 < h.types }), zip(times, times.dropFirst()).allSatisfy({ $0 < $1 })
        else { return nil }
        // The footer: "\n" TZ string "\n"; one that does not parse is ignored.
        var rule: Rule? = nil
        if wide == 8, h.end < bytes.count, bytes[h.end] == 10,
            let close = bytes[(h.end + 1)...].firstIndex(of: 10), close > h.end + 1
        {
            rule = Rule(bytes[(h.end + 1)..<close])
        }
        self.init(
            name: name, times: times, offsets: indices.map { types[$0].offset },
            initial: (types.first { $0.dst == 0 } ?? types[0]).offset, rule: rule)
    }
}

/// A POSIX TZ rule such as `CET-1CEST,M3.5.0,M10.5.0/3`: standard time, and daylight time
/// from `start` (in standard time) to `end` (in daylight time) each year.
private struct Rule: Sendable, Equatable {
    /// When a change happens: a day of the year and the local time of day in seconds.
    struct Change: Sendable, Equatable {
        enum Day: Sendable, Equatable {
            /// `Jn`: 1...365, never counting February 29.
            case julian(Int)
            /// `n`: 0...365, counting February 29.
            case ordinal(Int)
            /// `Mm.w.d`: weekday d (0 = Sunday) of week w (5 = the last) of month m.
            case weekday(month: Int, week: Int, day: Int)
        }
        let day: Day
        let time: Int
    }

    let standard: Int
    let daylight: Int
    let start: Change?
    let end: Change?

    /// Parses a TZ string; nil unless all of it is understood.
    init?(_ text: ArraySlice<UInt8>) {
        var s = text
        func number(_ limit: Int) -> Int? {
            var value = 0
            var digits = 0
            while let c = s.first, (48...57).contains(c), digits < 4 {
                value = value * 10 + Int(c - 48)
                digits += 1
                s = s.dropFirst()
            }
            return digits > 0 && value <= limit ? value : nil
        }
        func skip(_ c: Character) -> Bool {
            guard s.first == c.asciiValue else { return false }
            s = s.dropFirst()
            return true
        }
        func name() -> Bool {
            if skip("<") {
                guard let close = s.firstIndex(of: UInt8(ascii: ">")), close > s.startIndex else { return false }
                s = s[(close + 1)...]
                return true
            }
            let letters = s.prefix { (65...90).contains($0) || (97...122).contains($0) }
            s = s.dropFirst(letters.count)
            return letters.count >= 3
        }
        // [+-]hh[:mm[:ss]], hours up to `hours`.
        func duration(_ hours: Int) -> Int? {
            let sign = skip("-") ? -1 : 1
            if sign == 1 { _ = skip("+") }
            guard let h = number(hours) else { return nil }
            var seconds = h * 3600
            if skip(":") {
                guard let m = number(59) else { return nil }
                seconds += m * 60
                if skip(":") {
                    guard let sec = number(59) else { return nil }
                    seconds += sec
                }
            }
            return sign * seconds
        }
        func change() -> Change? {
            let day: Change.Day
            if skip("J") {
                guard let n = number(365), n >= 1 else { return nil }
                day = .julian(n)
            } else if skip("M") {
                guard let m = number(12), m >= 1, skip("."), let w = number(5), w >= 1, skip("."), let d = number(6)
                else { return nil }
                day = .weekday(month: m, week: w, day: d)
            } else {
                guard let n = number(365) else { return nil }
                day = .ordinal(n)
            }
            guard skip("/") else { return Change(day: day, time: 7200) }
            return duration(167).map { Change(day: day, time: $0) }
        }
        // Offsets are written west of UTC: "CET-1" is one hour east.
        guard name(), let standard = duration(24) else { return nil }
        self.standard = -standard
        if s.isEmpty {
            (daylight, start, end) = (-standard, nil, nil)
            return
        }
        guard name() else { return nil }
        if s.isEmpty || s.first == UInt8(ascii: ",") {
            daylight = -standard + 3600
        } else {
            guard let daylight = duration(24) else { return nil }
            self.daylight = -daylight
        }
        // Without dates, glibc's default: the United States' rule since 2007.
        if s.isEmpty {
            start = Change(day: .weekday(month: 3, week: 2, day: 0), time: 7200)
            end = Change(day: .weekday(month: 11, week: 1, day: 0), time: 7200)
            return
        }
        guard skip(","), let start = change(), skip(","), let end = change(), s.isEmpty else { return nil }
        (self.start, self.end) = (start, end)
    }

    /// The instants at which daylight time starts and ends in `year`.
    func changes(_ year: Int64) -> (start: Int64, end: Int64) {
        func instant(_ change: Change, _ offset: Int) -> Int64 {
            let january = daysFromCivil(year, 1, 1)
            let leap = daysFromCivil(year, 3, 1) - daysFromCivil(year, 2, 1) == 29
            var day: Int64
            switch change.day {
            case .julian(let n): day = january + Int64(n - 1) + (leap && n >= 60 ? 1 : 0)
            case .ordinal(let n): day = january + Int64(n)
            case .weekday(let month, let week, let weekday):
                let first = daysFromCivil(year, month, 1)
                let length = daysFromCivil(month == 12 ? year + 1 : year, month % 12 + 1, 1) - first
                // 1970-01-01 was a Thursday.
                day = first + (Int64(weekday) - (first + 4)).modulo(7)
                for _ in 1..<week where day + 7 < first + length { day += 7 }
            }
            return day * 86_400 + Int64(change.time - offset)
        }
        guard let start, let end else { return (.max, .max) }
        return (instant(start, standard), instant(end, daylight))
    }

    /// The offset at `instant`, the way glibc reads a rule: the changes of the instant's year
    /// in UTC, and daylight time between them (or outside them, in the southern hemisphere).
    func offset(at instant: Int64) -> Int {
        guard start != nil else { return standard }
        // The Gregorian calendar repeats every 400 years: bring far instants near.
        let cycle: Int64 = 146_097 * 86_400
        let t = instant - instant / cycle * cycle
        let (start, end) = changes(civil(t.floorDivided(by: 86_400)).0)
        let dst = start > end ? t < end || t >= start : t >= start && t < end
        return dst ? daylight : standard
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (any year; no checks).
private func daysFromCivil(_ year: Int64, _ month: Int, _ day: Int) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = y.floorDivided(by: 400)
    let yoe = y - era * 400
    let m = Int64(month)
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    return era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

/// The proleptic Gregorian date of a count of days since 1970-01-01.
private func civil(_ days: Int64) -> (Int64, Int, Int) {
    let z = days + 719_468
    let era = z.floorDivided(by: 146_097)
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = Int(doy - (153 * mp + 2) / 5 + 1)
    let m = Int(mp < 10 ? mp + 3 : mp - 9)
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
}

extension Int64 {
    fileprivate func floorDivided(by d: Int64) -> Int64 { self >= 0 ? self / d : -((-(self + 1)) / d) - 1 }
    fileprivate func modulo(_ d: Int64) -> Int64 { self - floorDivided(by: d) * d }
}

extension Array where Element == Int64 {
    /// The number of elements at or before `value` (the array is ascending).
    fileprivate func partition(after value: Int64) -> Int {
        var (low, high) = (0, count)
        while low < high {
            let mid = (low + high) / 2
            if self[mid] <= value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
