import BookingCore
import Foundation
import TestSupport
import Testing

/// RFC 3339 instants, `YYYY-MM-DD` dates, `HH:MM` times and the shop's local calendar.
struct TimeFormatsTests {
    // MARK: RFC 3339 parsing

    @Test("RFC 3339 parse accepts Z, offsets and fractional seconds (truncated to whole seconds)",
          arguments: [
              "2027-03-15T13:00:00Z", "2027-03-15T09:00:00-04:00", "2027-03-15T18:30:00+05:30",
              "2027-03-15T13:00:00+00:00", "2027-03-15T14:00:00+01:00", "2027-03-15T13:00:00.5Z",
              "2027-03-15T13:00:00.999999Z", "2027-03-15T09:00:00.750-04:00", "2027-03-15T13:00:00.000+00:00",
          ])
    func parseAcceptsValidInstants(_ text: String) {
        #expect(RFC3339.parse(text) == Fixture.utc(2027, 3, 15, 13))
    }

    @Test("RFC 3339 parse keeps seconds and handles instants before 1970")
    func parseKeepsSecondsAndOldInstants() {
        #expect(RFC3339.parse("2027-03-15T13:00:59Z") == Fixture.utc(2027, 3, 15, 13, 0, 59))
        #expect(RFC3339.parse("1969-12-31T23:59:59Z") == Instant(seconds: -1))
        #expect(RFC3339.parse("1970-01-01T00:00:00Z") == Instant(seconds: 0))
    }

    @Test("RFC 3339 parse rejects garbage and instants without an offset",
          arguments: [
              "", "garbage", "not a date at all, clearly", "2027-03-15", "2027-03-15T13:00:00",
              "2027-03-15T13:00Z", "2027-03-15 13:00:00", "13:00:00Z", "2027-03-15T13:00:00.5",
              "x2027-03-15T13:00:00Z",
          ])
    func parseRejectsGarbage(_ text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test("RFC 3339 parse rejects impossible dates and times instead of rolling them over",
          arguments: [
              "2027-02-30T09:00:00Z", "2027-02-29T09:00:00Z", "2027-04-31T09:00:00Z", "2027-13-01T09:00:00Z",
              "2027-00-10T09:00:00Z", "2027-03-00T09:00:00Z", "2027-03-15T25:00:00Z", "2027-03-15T24:30:00Z",
              "2027-03-15T12:60:00Z", "2027-03-15T12:00:61Z",
          ])
    func parseRejectsImpossibleDates(_ text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test("RFC 3339 parse rejects trailing characters after the offset",
          arguments: ["2027-03-15T13:00:00Zjunk", "2027-03-15T13:00:00Z ", "2027-03-15T09:00:00-04:00x"])
    func parseRejectsTrailingGarbage(_ text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test("RFC 3339 parse accepts a real leap day")
    func parseAcceptsLeapDay() {
        #expect(RFC3339.parse("2028-02-29T09:00:00Z") == Fixture.utc(2028, 2, 29, 9))
    }

    // MARK: RFC 3339 formatting

    @Test("format prints the given offset as ±HH:MM, +00:00 for UTC")
    func formatPrintsTheOffset() {
        let instant = Fixture.utc(2027, 3, 15, 13)
        #expect(RFC3339.format(instant, offsetSeconds: -4 * 3_600) == "2027-03-15T09:00:00-04:00")
        #expect(RFC3339.format(instant, offsetSeconds: 0) == "2027-03-15T13:00:00+00:00")
        #expect(RFC3339.format(instant, offsetSeconds: 5 * 3_600 + 1_800) == "2027-03-15T18:30:00+05:30")
        #expect(RFC3339.format(instant, offsetSeconds: -(3 * 3_600 + 1_800)) == "2027-03-15T09:30:00-03:30")
        #expect(RFC3339.format(instant, offsetSeconds: 14 * 3_600) == "2027-03-16T03:00:00+14:00")
        #expect(RFC3339.format(Instant(seconds: -1), offsetSeconds: 0) == "1969-12-31T23:59:59+00:00")
        #expect(RFC3339.format(Fixture.utc(2027, 3, 15, 13, 4, 5), offsetSeconds: 0) == "2027-03-15T13:04:05+00:00")
    }

    @Test("the shop formats instants with its own offset at that instant")
    func shopTimeFormatsWithLocalOffset() throws {
        let newYork = try #require(ShopTime(identifier: "America/New_York"))
        let utc = try #require(ShopTime(identifier: "UTC"))
        #expect(newYork.format(Fixture.utc(2027, 3, 15, 13)) == "2027-03-15T09:00:00-04:00")
        #expect(newYork.format(Fixture.utc(2027, 1, 15, 14)) == "2027-01-15T09:00:00-05:00")
        #expect(utc.format(Fixture.utc(2027, 3, 15, 13)) == "2027-03-15T13:00:00+00:00")
    }

    @Test("parse(format(x)) is x for random instants and offsets")
    func formatThenParseRoundTrips() {
        var rng = SeededGenerator(seed: 42)
        let offsets = [-12 * 3_600, -9 * 3_600 - 1_800, -4 * 3_600, 0, 3_600, 5 * 3_600 + 2_700, 14 * 3_600]
        for _ in 0..<2_000 {
            let instant = Instant(seconds: Int64.random(in: -2_000_000_000...4_000_000_000, using: &rng))
            let offset = offsets.randomElement(using: &rng)!
            let text = RFC3339.format(instant, offsetSeconds: offset)
            #expect(RFC3339.parse(text) == instant, "\(text)")
        }
    }

    @Test("a run of writes gives exactly format's bytes, across midnights, offset changes and 1970")
    func runOfWritesMatchesFormat() {
        var rng = SeededGenerator(seed: 7)
        let offsets = [-9 * 3_600 - 1_800, -5 * 3_600, -4 * 3_600, 0, 3_600, 5 * 3_600 + 2_700]
        for _ in 0..<200 {
            var run = RFC3339Run()
            var instant = Instant(seconds: Int64.random(in: -200_000...4_000_000_000, using: &rng))
            var offset = offsets.randomElement(using: &rng)!
            for _ in 0..<100 {
                var bytes = [UInt8](repeating: 0, count: RFC3339.formattedLength)
                let written = bytes.withUnsafeMutableBytes { run.write(instant, offsetSeconds: offset, into: $0) }
                #expect(written == RFC3339.formattedLength)
                let expected = RFC3339.format(instant, offsetSeconds: offset)
                #expect(String(decoding: bytes, as: UTF8.self) == expected)
                // Mostly slot-sized steps within a day, sometimes over midnight, sometimes a new offset.
                instant = Instant(seconds: instant.seconds + Int64([900, 1_800, 3_599, 7_261].randomElement(using: &rng)!))
                if Int.random(in: 0..<20, using: &rng) == 0 { offset = offsets.randomElement(using: &rng)! }
            }
        }
    }

    // MARK: CivilDate

    @Test("CivilDate parses YYYY-MM-DD and knows its weekday: 2027-03-15 is a Monday")
    func civilDateParsesAndKnowsWeekday() throws {
        let date = try #require(CivilDate(parsing: "2027-03-15"))
        #expect(date == CivilDate(year: 2027, month: 3, day: 15))
        #expect(date.weekday == .monday)
        #expect(date.description == "2027-03-15")
        #expect(CivilDate(year: 1970, month: 1, day: 1).daysSinceEpoch == 0)
        #expect(CivilDate(year: 1970, month: 1, day: 1).weekday == .thursday)
        #expect(CivilDate(year: 1969, month: 12, day: 31).daysSinceEpoch == -1)
        #expect(CivilDate(year: 1969, month: 12, day: 31).weekday == .wednesday)
        #expect(CivilDate(year: 2000, month: 3, day: 1).daysSinceEpoch == 11_017)
        #expect(CivilDate(year: 2027, month: 3, day: 14).weekday == .sunday)
        #expect(CivilDate(year: 2028, month: 2, day: 29).adding(days: 1) == CivilDate(year: 2028, month: 3, day: 1))
        #expect(CivilDate(year: 2027, month: 12, day: 31).adding(days: 1) == CivilDate(year: 2028, month: 1, day: 1))
        #expect(CivilDate(year: 2027, month: 3, day: 14) < date)
    }

    @Test("CivilDate rejects impossible or malformed dates",
          arguments: [
              "2027-02-30", "2027-02-29", "1900-02-29", "2027-04-31", "2027-13-01", "2027-00-01", "2027-01-00",
              "2027-3-15", "27-03-15", "2027-03-15x", "2027/03/15", "", "2027-03-1a", "+027-03-15", "2027-03-15T00:00",
              "２０２７-03-15", "2027-03-١٥", " 2027-03-15", "2027-03-15 ",
          ])
    func civilDateRejectsInvalid(_ text: String) {
        #expect(CivilDate(parsing: text) == nil)
    }

    @Test("CivilDate accepts leap days of leap years")
    func civilDateAcceptsLeapDays() {
        #expect(CivilDate(parsing: "2028-02-29") == CivilDate(year: 2028, month: 2, day: 29))
        #expect(CivilDate(parsing: "2000-02-29") == CivilDate(year: 2000, month: 2, day: 29))
    }

    @Test("CivilDate day counts and weekdays agree with Foundation's Gregorian calendar and round-trip")
    func civilDateAgreesWithFoundation() {
        // From 1600 on: Foundation's Gregorian calendar switches to Julian before 1582.
        var day = -135_000
        while day <= 200_000 {
            let date = CivilDate(daysSinceEpoch: day)
            #expect(date.daysSinceEpoch == day)
            let foundation = Fixture.gmt.dateComponents(
                [.year, .month, .day, .weekday], from: Date(timeIntervalSince1970: TimeInterval(day) * 86_400))
            #expect(date == CivilDate(year: foundation.year!, month: foundation.month!, day: foundation.day!))
            // Foundation: 1 = Sunday ... 7 = Saturday.
            #expect(Weekday.allCases[(foundation.weekday! + 5) % 7] == date.weekday)
            #expect(CivilDate(parsing: date.description) == date)
            day += 97
        }
    }

    // MARK: TimeOfDay

    @Test("TimeOfDay parses HH:MM from 00:00 to 24:00")
    func timeOfDayParses() {
        #expect(TimeOfDay(parsing: "00:00")?.minutes == 0)
        #expect(TimeOfDay(parsing: "09:05")?.minutes == 545)
        #expect(TimeOfDay(parsing: "23:59")?.minutes == 1_439)
        #expect(TimeOfDay(parsing: "24:00")?.minutes == 1_440)
        #expect(TimeOfDay(minutes: 545).description == "09:05")
        #expect(TimeOfDay(minutes: 1_440).description == "24:00")
    }

    @Test("TimeOfDay rejects malformed or out-of-range times",
          arguments: ["24:01", "9:00", "12:60", "25:00", "", "12", "12:5", "123:00", "12:000", "ab:cd", "12-00", " 9:00",
                      "-1:00", "12:00:00", "１２:００"])
    func timeOfDayRejectsInvalid(_ text: String) {
        #expect(TimeOfDay(parsing: text) == nil)
    }

    // MARK: ShopTime

    @Test("ShopTime knows IANA zones and UTC, and refuses unknown ones")
    func shopTimeValidatesIdentifiers() {
        #expect(ShopTime(identifier: "UTC") != nil)
        #expect(ShopTime(identifier: "Europe/Berlin") != nil)
        #expect(ShopTime(identifier: "Mars/Olympus_Mons") == nil)
        #expect(ShopTime(identifier: "") == nil)
        var settings = ShopSettings()
        settings.timeZone = "Mars/Olympus_Mons"
        #expect(settings.validate()?.code == "validation_failed")
        #expect(ShopSettings().validate() == nil)
    }

    @Test("ShopTime maps instants to the shop's local date and local times to instants")
    func shopTimeLocalDates() throws {
        let newYork = try #require(ShopTime(identifier: "America/New_York"))
        #expect(newYork.localDate(of: Fixture.utc(2027, 3, 15, 2)) == CivilDate(year: 2027, month: 3, day: 14))
        #expect(newYork.localDate(of: Fixture.utc(2027, 3, 15, 4)) == CivilDate(year: 2027, month: 3, day: 15))
        #expect(newYork.instant(on: CivilDate(year: 2027, month: 3, day: 15), at: Fixture.hm(9)) == Fixture.utc(2027, 3, 15, 13))
        #expect(newYork.instant(on: CivilDate(year: 2027, month: 3, day: 15), at: Fixture.hm(24))
            == Fixture.utc(2027, 3, 16, 4))
        let sydney = try #require(ShopTime(identifier: "Australia/Sydney"))
        #expect(sydney.localDate(of: Fixture.utc(2027, 3, 15, 14)) == CivilDate(year: 2027, month: 3, day: 16))
        #expect(sydney.offsetSeconds(at: Fixture.utc(2027, 1, 15)) == 11 * 3_600)
    }
}
