import MediateCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `Zone` reads the installed tzdata itself. glibc is the outside reference: the suite sets
/// the process's `TZ` (in one serialized suite, put back at the end) and asks `localtime_r`
/// and `mktime`.
@Suite(.serialized) struct ZoneTests {
    static let zones = [
        "Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Sao_Paulo",
        "Asia/Kolkata", "Pacific/Apia", "UTC",
    ]

    @Test func namedRefusesWhatIsNotAnInstalledZoneFile() {
        for name in [
            "Asia", "../etc/passwd", "right/UTC", "Factory", "", "Mars/Olympus_Mons", "/etc/localtime", "Asia/",
            "posix/Asia/Shanghai", "zone.tab", "Asia//Shanghai", "Asia/./Shanghai", "Asia/Shang hai", "tzdata.zi",
        ] {
            #expect(Zone.named(name) == nil, "\(name)")
        }
        #expect(Zone.named("Asia/Shanghai")?.name == "Asia/Shanghai")
        #expect(Zone.file(at: "/usr/share/zoneinfo/zone.tab", name: "x") == nil)
        #expect(Zone.file(at: "/nonexistent/zone", name: "x") == nil)
        #expect(Zone.file(at: "/usr/share/zoneinfo", name: "x") == nil)
    }

    @Test func utcIsZeroEverywhere() {
        #expect(Zone.utc.name == "UTC")
        let named = Zone.named("UTC")!
        for instant in [Int64.min, -2_208_988_800, 0, 1_791_158_400, 7_258_118_400, Int64.max] {
            #expect(Zone.utc.offset(at: instant) == 0 && named.offset(at: instant) == 0)
        }
        #expect(Zone.utc.fields(1_791_163_800) == (Day(year: 2026, month: 10, day: 5)!, 1, 30, 0, 0))
        #expect(Zone.utc.instant(Day(year: 2026, month: 10, day: 5)!, hour: 1, minute: 30) == 1_791_163_800)
    }

    @Test func anyInstantHasFieldsWithoutTrapping() {
        for name in Self.zones {
            let zone = Zone.named(name)!
            for instant in [Int64.min, Int64.min + 1, -62_135_596_800, 0, 253_402_300_799, Int64.max] {
                #expect((1...9999).contains(zone.fields(instant).day.year))
                #expect(abs(zone.offset(at: instant)) < 86_400)
            }
            for day in [Day(year: 1, month: 1, day: 1)!, Day(year: 9999, month: 12, day: 31)!] {
                // Absurd fields give some instant, not a trap.
                _ = zone.instant(day, hour: Int.max, minute: Int.min, second: Int.max)
                _ = zone.instant(day, hour: Int.min, minute: Int.max, second: Int.min)
            }
        }
    }

    /// Berlin's changes in 2026: 02:00 CET → 03:00 CEST on 29 March, 03:00 CEST → 02:00 CET
    /// on 25 October.
    @Test func gapsTakeTheOffsetBeforeAndOverlapsTheEarlierInstant() {
        let berlin = Zone.named("Europe/Berlin")!
        let march = Day(year: 2026, month: 3, day: 29)!
        let october = Day(year: 2026, month: 10, day: 25)!
        // 02:30 does not exist in March: read as CET, it is 01:30 UTC, which is 03:30 CEST.
        let spring = berlin.instant(march, hour: 2, minute: 30)
        #expect(spring == LocalTime.utc(march) + 3600 + 1800)
        #expect(berlin.fields(spring) == (march, 3, 30, 0, 7200))
        // 02:30 happens twice in October: first in CEST (00:30 UTC), then in CET.
        let fall = berlin.instant(october, hour: 2, minute: 30)
        #expect(fall == LocalTime.utc(october) + 1800)
        #expect(berlin.fields(fall) == (october, 2, 30, 0, 7200))
        #expect(berlin.fields(fall + 3600) == (october, 2, 30, 0, 3600))
        #expect(berlin.instant(october, hour: 1, minute: 59, second: 59) == fall - 1801)
        #expect(berlin.instant(october, hour: 3) == fall + 2 * 3600 - 1800)
        // Dublin's summer time is its standard (IST) and winter GMT its "DST": the gap is
        // still read with the offset before it. (glibc's mktime reads it with the one after:
        // 01:30 becomes 00:30 GMT, before the gap.)
        let dublin = Zone.named("Europe/Dublin")!
        let gap = dublin.instant(march, hour: 1, minute: 30)
        #expect(gap == LocalTime.utc(march) + 3600 + 1800)
        #expect(dublin.fields(gap) == (march, 2, 30, 0, 3600))
    }

    @Test func hour24IsTheNextMidnightAcrossChanges() {
        let cases: [(String, Day, Int64)] = [
            ("Europe/Berlin", Day(year: 2026, month: 3, day: 29)!, 23 * 3600),
            ("Europe/Berlin", Day(year: 2026, month: 10, day: 25)!, 25 * 3600),
            ("America/New_York", Day(year: 2026, month: 3, day: 8)!, 23 * 3600),
            ("America/New_York", Day(year: 2026, month: 11, day: 1)!, 25 * 3600),
            ("Australia/Lord_Howe", Day(year: 2026, month: 10, day: 4)!, 23 * 3600 + 1800),
            ("Australia/Lord_Howe", Day(year: 2026, month: 4, day: 5)!, 24 * 3600 + 1800),
            ("Asia/Shanghai", Day(year: 1988, month: 4, day: 17)!, 23 * 3600),
            ("Asia/Kolkata", Day(year: 2026, month: 10, day: 5)!, 24 * 3600),
        ]
        for (name, day, length) in cases {
            let zone = Zone.named(name)!
            let next = Day(year: day.year, month: day.month, day: day.day + 1)!
            let end = zone.instant(day, hour: 24)
            #expect(end == zone.instant(next), "\(name) \(day)")
            #expect(end - zone.instant(day) == length, "\(name) \(day)")
            #expect(zone.fields(end).day == next && zone.fields(end - 1).day == day, "\(name) \(day)")
        }
        // Apia skipped 30 December 2011 (-10 → +14 at midnight): the end of the 29th, the
        // skipped day read with the offset before the gap and the 31st are one instant.
        let apia = Zone.named("Pacific/Apia")!
        let end = apia.instant(Day(year: 2011, month: 12, day: 29)!, hour: 24)
        #expect(end == 1_325_239_200)
        #expect(apia.instant(Day(year: 2011, month: 12, day: 30)!) == end)
        #expect(apia.instant(Day(year: 2011, month: 12, day: 31)!) == end)
        #expect(apia.instant(Day(year: 2011, month: 12, day: 30)!, hour: 12) == end + 12 * 3600)
        #expect(apia.fields(end) == (Day(year: 2011, month: 12, day: 31)!, 0, 0, 0, 14 * 3600))
        #expect(apia.fields(end - 1) == (Day(year: 2011, month: 12, day: 29)!, 23, 59, 59, -10 * 3600))
    }

    @Test func fieldsOverflowAsMktimeNormalisesThem() {
        let berlin = Zone.named("Europe/Berlin")!
        let day = Day(year: 2026, month: 6, day: 30)!
        let next = Day(year: 2026, month: 7, day: 1)!
        #expect(berlin.instant(day, hour: 25, minute: 30) == berlin.instant(next, hour: 1, minute: 30))
        #expect(berlin.instant(next, hour: -1) == berlin.instant(day, hour: 23))
        #expect(
            berlin.instant(day, minute: 24 * 60 + 90, second: -1)
                == berlin.instant(next, hour: 1, minute: 29, second: 59))
        #expect(berlin.instant(day, hour: 24 * 366) == berlin.instant(Day(year: 2027, month: 7, day: 1)!))
    }

    /// Version 1 files (32-bit data, no footer), slim version 2 files (an empty version-1
    /// block, few transitions, the rule in the footer) and footers with every rule form.
    @Test func writtenFilesAgreeWithGlibc() throws {
        var files: [(String, [UInt8])] = []
        // Version 1: a zone at +01 that moved to +02 in 1990 and back to +01 in 2000; the
        // last type stays.
        files.append(("v1", tzif(v1: [(654_000_000, 1), (946_000_000, 0)], types: [(3600, false), (7200, false)])))
        // Before the first transition: the first type that is not DST.
        files.append(("v1-dst-first", tzif(v1: [(0, 2)], types: [(7200, true), (-3600, false), (3600, false)])))
        // Version 2 with one transition and each footer; the version-1 block holds a leap
        // second record that must be skipped.
        for footer in [
            "CET-1CEST,M3.5.0,M10.5.0/3", "<+0330>-3:30", "EST5EDT,M3.2.0,M11.1.0", "<-03>3",
            "AEST-10AEDT,M10.1.0,M4.1.0/3", "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", "<-02>2<-01>,M3.5.0/-1,M10.5.0/0",
            "IST-2IDT,M3.4.4/26,M10.5.0", "XXX3YYY,J60/2,J300/2", "XXX3YYY,59/2,299/2", "XXX3YYY,0/0,364/23:59:59",
            "NZST-12NZDT,M9.5.0,M4.1.0/3", "<+13>-13<+14>,M9.5.0/3,M4.1.0/4", "AAA+4:30:15BBB+3,J1/-25,J365/167",
            "XXX-14YYY-13,M1.1.1/25:30,M12.5.6/-22:30", "UTC0", "<-10>10",
        ] {
            files.append(
                (footer, tzif(v2: [(-1_000_000_000, 1)], types: [(3600, false), (7200, false)], footer: footer)))
        }
        let saved = getenv("TZ").map { String(cString: $0) }
        defer { restore(saved) }
        // Each file at its own path, all kept until the end: glibc rereads nothing while TZ
        // stays the same, nor when a new file has the old one's inode and time.
        let truncated = tzif(v2: [(0, 1)], types: [(0, false), (3600, false)], footer: "UTC0").dropLast(30)
        let paths = try (files.map(\.1) + [Array(truncated)]).enumerated().map { index, bytes in
            let path = "/tmp/mediate-zone-test-\(getpid())-\(index)"
            let file = try #require(fopen(path, "wb"))
            _ = fwrite(bytes, 1, bytes.count, file)
            fclose(file)
            return path
        }
        defer { for path in paths { unlink(path) } }
        for ((label, _), path) in zip(files, paths) {
            let zone = try #require(Zone.file(at: path, name: label), "\(label)")
            #expect(zone.name == label)
            // glibc reads a rule before 1971 as if in 1970, so from 1971 on.
            var instants: [Int64] = Array(stride(from: 31_536_000, to: 7_258_118_400, by: 86_400 * 29 + 3600 + 1))
            instants += [-2_000_000_000, -1_000_000_001, 0, 654_000_000, 946_000_000]
            let bad = underGlibc(path) { compare(zone, at: instants) }
            let failures = bad.count
            #expect(failures == 0, "\(label): \(bad.prefix(3))")
        }
        #expect(Zone.file(at: paths.last!, name: "truncated") == nil)
        #expect(Zone.file(at: "/dev/null", name: "x") == nil)
    }

    /// Offsets and fields against `localtime_r`, unambiguous wall times against `mktime`;
    /// near each change, gaps and overlaps against the rule `instant` promises.
    @Test func installedZonesAgreeWithGlibc() {
        let saved = getenv("TZ").map { String(cString: $0) }
        defer { restore(saved) }
        var checked = 0
        for name in Self.zones {
            let zone = Zone.named(name)!
            // Every 37 days and a bit, 1900–2200 (each sample at another hour and day of the
            // week): the table, and the footer's rule beyond it. The changes themselves are
            // checked every ten minutes below.
            let instants: [Int64] = Array(
                stride(from: -2_208_988_800, to: 7_258_118_400, by: 37 * 86_400 + 7 * 3600 + 13 * 60))
            let bad = underGlibc(name) { compare(zone, at: instants) + compareNearChanges(zone) }
            let failures = bad.count
            #expect(failures == 0, "\(name): \(bad.prefix(3))")
            checked += instants.count
        }
        // The system's zone is what glibc uses without TZ.
        let system = Zone.system()
        #expect(system.name != "")
        let bad = underGlibc(nil) {
            compare(system, at: [Int64](stride(from: 0, to: 4_102_444_800, by: 86_400 * 30 + 7)))
        }
        let failures = bad.count
        #expect(failures == 0, "system \(system.name): \(bad.prefix(3))")
        // Berlin's spring gap and the end of that day, as glibc's mktime reads them.
        let berlin = Zone.named("Europe/Berlin")!
        let march = Day(year: 2026, month: 3, day: 29)!
        #expect(
            underGlibc("Europe/Berlin") { glibcInstant(march, 2, 30, 0) } == berlin.instant(march, hour: 2, minute: 30))
        #expect(underGlibc("Europe/Berlin") { glibcInstant(march, 24, 0, 0) } == berlin.instant(march, hour: 24))
        #expect(checked > 20_000)
    }
}

/// Runs `body` with glibc's zone set to `name` (nil: the system's), again if someone moved
/// `TZ` meanwhile: opening a store sets it, and other suites may run alongside.
private func underGlibc<T>(_ name: String?, _ body: () -> T) -> T {
    while true {
        if let name { setenv("TZ", name, 1) } else { unsetenv("TZ") }
        tzset()
        let result = body()
        if getenv("TZ").map({ String(cString: $0) }) == name { return result }
    }
}

private func restore(_ saved: String?) {
    if let saved { setenv("TZ", saved, 1) } else { unsetenv("TZ") }
    tzset()
}

private func glibcFields(_ instant: Int64) -> (day: Day, hour: Int, minute: Int, second: Int, offset: Int) {
    var t = time_t(instant)
    var parts = tm()
    localtime_r(&t, &parts)
    let day = Day(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))!
    return (day, Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(parts.tm_gmtoff))
}

private func glibcInstant(_ day: Day, _ hour: Int, _ minute: Int, _ second: Int) -> Int64 {
    var parts = tm()
    parts.tm_year = Int32(day.year - 1900)
    parts.tm_mon = Int32(day.month - 1)
    parts.tm_mday = Int32(day.day)
    parts.tm_hour = Int32(hour)
    parts.tm_min = Int32(minute)
    parts.tm_sec = Int32(second)
    parts.tm_isdst = -1
    return Int64(Glibc.mktime(&parts))
}

/// Fields at each instant; and where the offset is the same a day before and after (no
/// change near), the wall time back to the instant, by both.
private func compare(_ zone: Zone, at instants: [Int64]) -> [String] {
    var bad: [String] = []
    for t in instants {
        let ours = zone.fields(t)
        let theirs = glibcFields(t)
        if ours != theirs || zone.offset(at: t) != theirs.offset { bad.append("fields \(t): \(ours) ≠ \(theirs)") }
        guard glibcFields(t - 90_000).offset == theirs.offset, glibcFields(t + 90_000).offset == theirs.offset else {
            continue
        }
        let wall = (ours.day, ours.hour, ours.minute, ours.second)
        let back = zone.instant(wall.0, hour: wall.1, minute: wall.2, second: wall.3)
        let mk = glibcInstant(wall.0, wall.1, wall.2, wall.3)
        if back != t || mk != t { bad.append("instant \(wall): \(back), mktime \(mk), expected \(t)") }
    }
    return bad
}

/// Years with changes worth seeing: Shanghai's DST (1986–1991), Apia's skipped day (2011)
/// and last DST (2021), São Paulo's last DST (2019), the ends of the 32-bit range and the rule.
private let changeYears = [1918, 1942, 1986, 1987, 1991, 2011, 2019, 2021, 2026, 2037, 2038, 2100, 2199]

/// Finds each change in `changeYears` by glibc's offsets, then checks every 10 minutes for
/// three hours either side: fields by `localtime_r`, wall times back to instants by the rule
/// (gap: the offset before; overlap: the earlier instant), and outside both by `mktime` too.
private func compareNearChanges(_ zone: Zone) -> [String] {
    var bad: [String] = []
    for year in changeYears {
        var t = LocalTime.utc(Day(year: year, month: 1, day: 1)!)
        while t < LocalTime.utc(Day(year: year + 1, month: 1, day: 1)!) {
            defer { t += 86_400 }
            let (before, after) = (glibcFields(t).offset, glibcFields(t + 86_400).offset)
            guard before != after else { continue }
            // The change: the first instant with the new offset.
            var (low, high) = (t, t + 86_400)
            while high - low > 1 {
                let mid = (low + high) / 2
                if glibcFields(mid).offset == before { low = mid } else { high = mid }
            }
            let change = high
            guard glibcFields(change - 3 * 3600).offset == before, glibcFields(change + 3 * 3600).offset == after else {
                continue
            }
            let (o1, o2) = (Int64(before), Int64(after))
            for u in stride(from: change - 3 * 3600, through: change + 3 * 3600, by: 600) {
                let ours = zone.fields(u)
                let theirs = glibcFields(u)
                if ours != theirs { bad.append("fields \(u): \(ours) ≠ \(theirs)") }
                let wall = u + Int64(theirs.offset)
                let w = Zone.utc.fields(wall)
                let back = zone.instant(w.day, hour: w.hour, minute: w.minute, second: w.second)
                // In an overlap ([change + o2, change + o1)) the earlier instant: read with o1.
                let overlap = o2 < o1 && (change + o2..<change + o1).contains(wall)
                let expected = overlap ? wall - o1 : u
                if back != expected { bad.append("instant \(w) at \(u): \(back), expected \(expected)") }
                if !overlap, glibcInstant(w.day, w.hour, w.minute, w.second) != u {
                    bad.append("mktime \(w): \(glibcInstant(w.day, w.hour, w.minute, w.second)), expected \(u)")
                }
            }
            // Wall times in a gap ([change + o1, change + o2)) are read with the offset before.
            for wall in stride(from: change + o1, to: change + o2, by: 600) {
                let w = Zone.utc.fields(wall)
                let back = zone.instant(w.day, hour: w.hour, minute: w.minute, second: w.second)
                if back != wall - o1 { bad.append("gap \(w): \(back), expected \(wall - o1)") }
            }
        }
    }
    return bad
}

/// A version-1 TZif file: 32-bit transitions (instant, type index) and types (offset, DST).
private func tzif(v1 transitions: [(Int64, UInt8)], types: [(Int32, Bool)]) -> [UInt8] {
    header(version: 0, transitions: transitions.count, types: types.count, leaps: 0)
        + block(transitions, types, wide: 4)
}

/// A slim version-2 TZif file: an empty version-1 block with one leap second record, the
/// 64-bit data, and the footer.
private func tzif(v2 transitions: [(Int64, UInt8)], types: [(Int32, Bool)], footer: String) -> [UInt8] {
    header(version: 0x32, transitions: 0, types: 1, leaps: 1) + [0, 0, 0, 0, 0, 0, 90, 0]
        + Array(repeating: 0, count: 8)
        + header(version: 0x32, transitions: transitions.count, types: types.count, leaps: 0)
        + block(transitions, types, wide: 8) + [10] + Array(footer.utf8) + [10]
}

private func header(version: UInt8, transitions: Int, types: Int, leaps: Int) -> [UInt8] {
    Array("TZif".utf8) + [version] + Array(repeating: 0, count: 15)
        + [0, 0, leaps, transitions, types, 2].flatMap { bigEndian(Int64($0), 4) }
}

private func block(_ transitions: [(Int64, UInt8)], _ types: [(Int32, Bool)], wide: Int) -> [UInt8] {
    transitions.flatMap { bigEndian($0.0, wide) } + transitions.map(\.1)
        + types.flatMap { bigEndian(Int64($0.0), 4) + [$0.1 ? 1 : 0, 0] } + Array("Z\0".utf8)
}

private func bigEndian(_ value: Int64, _ size: Int) -> [UInt8] {
    (0..<size).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
}
