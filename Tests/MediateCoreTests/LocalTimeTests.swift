import MediateCore
import Testing

/// Parsing and calendar arithmetic that do not depend on the process's time zone.
@Suite struct LocalTimeTests {
    /// Days and case numbers written in one String, as padding and joining write them.
    @Test func numbersArePaddedAsEver() {
        #expect(Day(year: 2026, month: 1, day: 5)!.description == "2026-01-05")
        #expect(Day(year: 2026, month: 12, day: 31)!.description == "2026-12-31")
        #expect(CaseNumber(year: 2026, serial: 7).description == "2026-0007")
        #expect(CaseNumber(year: 2026, serial: 142).description == "2026-0142")
        #expect(CaseNumber(year: 2026, serial: 123_456).description == "2026-123456")
        for (value, width, padded) in [
            (0, 2, "00"), (5, 0, "5"), (9, 1, "9"), (10, 1, "10"), (7, 4, "0007"), (12345, 4, "12345"), (-5, 4, "00-5"),
            (-123, 2, "-123"), (Int.max, 2, String(Int.max)),
        ] {
            #expect(LocalTime.pad(value, width) == padded, "\(value) \(width)")
        }
    }

    @Test func daysFromCivilMatchKnownInstants() {
        #expect(LocalTime.utc(Day(year: 1970, month: 1, day: 1)!) == 0)
        #expect(LocalTime.utc(Day(year: 2000, month: 3, day: 1)!) == 951_868_800)
        #expect(LocalTime.utc(Day(year: 2026, month: 10, day: 5)!) == 1_791_158_400)
        #expect(LocalTime.utc(Day(year: 1900, month: 1, day: 1)!) == -2_208_988_800)
    }

    @Test func explicitOffsetsAreExact() {
        let expected: Int64 = 1_791_158_400 + 3600 + 1800  // 2026-10-05T01:30:00Z
        for text in [
            "2026-10-05T09:30:00+08:00", "2026-10-05T09:30+08:00", "2026-10-05 09:30:00+0800", "2026-10-05T01:30:00Z",
            "2026-10-04T23:30:00-02:00", " 2026-10-05T09:30:00+08:00 ",
        ] {
            #expect(LocalTime.parse(text)?.instant(in: .utc) == expected, "\(text)")
        }
    }

    @Test func malformedTimesAreRefused() {
        for text in [
            "", "2026-10-05T", "2026-10-05T9:30", "2026-10-05T24:00", "2026-10-05T09:60", "2026-10-05T09:30:60",
            "2026-10-05T09:30+1:400", "2026-10-05T09:30+08", "2026-10-05T09:30+14:30", "2026-10-05T09:30+08:0a",
            "2026-02-29", "2026-13-01", "1899-12-31", "3000-01-01", "2026-1-05", "２０２６-10-05", "2026-10-05X09:30",
        ] {
            #expect(LocalTime.parse(text) == nil, "\(text)")
        }
        #expect(LocalTime.parse("2028-02-29") != nil)
    }

    @Test func dayParsingKeepsToTheWritableYears() {
        #expect(Day("1900-01-01") != nil && Day("2999-12-31") != nil)
        #expect(Day("1899-12-31") == nil && Day("3000-01-01") == nil && Day("0000-01-01") == nil)
        #expect(Day("2026-02-29") == nil && Day("2024-02-29") != nil && Day("2100-02-29") == nil)
    }

    @Test func dayParsingTakesOnlyTenBytesOfDigitsAndDashes() {
        #expect(Day("2026-03-05") == Day(year: 2026, month: 3, day: 5))
        for text in [
            "2026-3-05", "2026-03-5", "2026-03-055", "2026-03-05 ", " 2026-03-05", "2026/03/05", "20260-3-05",
            "2026--03-05", "2026-03-", "", "+026-03-05", "2026-0a-05", "２０２６-03-05", "2026-03-0５", "2026-13-01",
            "2026-00-10", "2026-01-00", "2026-01-32",
        ] {
            #expect(Day(Substring(text)) == nil, "\(text)")
        }
    }

    @Test func anyInstantHasLocalFieldsWithoutTrapping() {
        for instant in [Int64.min, -62_135_596_800, 0, 253_402_300_799, Int64.max] {
            let day = Zone.utc.day(instant)
            #expect((1...9999).contains(day.year))
        }
    }
}
