import Foundation
import Testing
import TestSupport

@testable import BookingCore

/// `ShopTime` answers offsets, next offset changes and local-time resolution from its
/// `OffsetTable`; these tests hold every answer to Foundation's own, in zones chosen for their
/// awkward histories: whole-hour daylight saving (New York, Berlin), the southern hemisphere
/// (Sydney), a 30-minute shift (Lord Howe), a 45-minute offset (Chatham, Kathmandu), a zone that
/// changed its standard offset (Samoa skipped 2011-12-30; Pyongyang moved twice), negative
/// offsets with no DST (Honolulu) and UTC.
@Suite("Offset table against Foundation")
struct OffsetTableTests {
    static let zones = [
        "America/New_York", "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe", "Pacific/Chatham",
        "Asia/Kathmandu", "Pacific/Apia", "Asia/Pyongyang", "Pacific/Honolulu", "UTC",
    ]

    @Test("Offsets at random instants from 1900 to 2200 equal Foundation's", arguments: zones)
    func offsets(_ identifier: String) throws {
        let shopTime = try #require(ShopTime(identifier: identifier))
        var random = SeededGenerator(seed: 0x0FF5E7 &+ UInt64(identifier.utf8.count))
        let window = OffsetTable.window
        for _ in 0..<5_000 {
            let instant = Instant(seconds: Int64.random(in: window.lowerBound.seconds..<window.upperBound.seconds, using: &random))
            #expect(shopTime.offsetSeconds(at: instant) == shopTime.timeZone.secondsFromGMT(for: instant.date), "\(instant)")
        }
    }

    @Test("Offsets on each side of every transition from 1990 to 2060 equal Foundation's", arguments: zones)
    func aroundTransitions(_ identifier: String) throws {
        let shopTime = try #require(ShopTime(identifier: identifier))
        let zone = shopTime.timeZone
        var cursor = Date(timeIntervalSince1970: 631_152_000)  // 1990-01-01
        let end = Date(timeIntervalSince1970: 2_840_140_800)  // 2060-01-01
        var seen = 0
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < end {
            for delta: Int64 in [-3601, -1, 0, 1, 3600] {
                let instant = Instant(seconds: Instant(next).seconds + delta)
                #expect(shopTime.offsetSeconds(at: instant) == zone.secondsFromGMT(for: instant.date), "\(identifier) \(instant)")
            }
            cursor = next
            seen += 1
        }
        // New York has two transitions a year: the loop really walked them.
        if identifier == "America/New_York" { #expect(seen == 140) }
    }

    @Test("The next offset change is the next instant at which Foundation's offset differs", arguments: zones)
    func nextChange(_ identifier: String) throws {
        let shopTime = try #require(ShopTime(identifier: identifier))
        let zone = shopTime.timeZone
        var random = SeededGenerator(seed: 0xC4A5 &+ UInt64(identifier.utf8.count))
        for _ in 0..<300 {
            let instant = Instant(seconds: Int64.random(in: 631_152_000..<2_840_140_800, using: &random))
            let offset = zone.secondsFromGMT(for: instant.date)
            var expected: Instant?
            var cursor = instant.date
            while let next = zone.nextDaylightSavingTimeTransition(after: cursor) {
                if zone.secondsFromGMT(for: next) != offset {
                    expected = Instant(next)
                    break
                }
                cursor = next
            }
            #expect(shopTime.nextOffsetChange(after: instant) == expected, "\(identifier) after \(instant)")
        }
    }

    @Test("Local wall times resolve as Foundation's calendar resolves them, gaps and repeats included", arguments: zones)
    func localTimes(_ identifier: String) throws {
        let shopTime = try #require(ShopTime(identifier: identifier))
        let zone = shopTime.timeZone
        var random = SeededGenerator(seed: 0x10CA1 &+ UInt64(identifier.utf8.count))
        var wallTimes: [(CivilDate, Int)] = []
        // Every quarter hour of the days around each transition from 2000 to 2040 (the gaps and the
        // repeated hours are there), and random days and minutes from 1901 to 2199.
        var cursor = Date(timeIntervalSince1970: 946_684_800)
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < Date(timeIntervalSince1970: 2_208_988_800) {
            let day = shopTime.localDate(of: Instant(next))
            for offset in -1...1 {
                for minutes in stride(from: 0, to: 24 * 60, by: 15) { wallTimes.append((day.adding(days: offset), minutes)) }
            }
            cursor = next
        }
        for _ in 0..<2_000 {
            let day = CivilDate(daysSinceEpoch: Int.random(in: -25_000..<83_000, using: &random))
            wallTimes.append((day, Int.random(in: 0..<(24 * 60), using: &random)))
        }
        for (day, minutes) in wallTimes {
            let time = TimeOfDay(minutes: minutes)
            #expect(
                shopTime.instant(on: day, at: time) == shopTime.foundationInstant(on: day, minutes: minutes),
                "\(identifier) \(day) \(minutes) min")
        }
    }

    @Test("Samoa's skipped day and a spring-forward gap resolve forward; a repeated hour to its first occurrence")
    func knownCases() throws {
        let newYork = try #require(ShopTime(identifier: "America/New_York"))
        // 2027-03-14 02:30 does not exist in New York: 03:30 EDT, 07:30 UTC.
        #expect(newYork.instant(on: CivilDate(year: 2027, month: 3, day: 14), at: TimeOfDay(minutes: 150))
            == Instant(seconds: 1_805_009_400))
        // 2027-11-07 01:30 happens twice: the first is 01:30 EDT, 05:30 UTC.
        #expect(newYork.instant(on: CivilDate(year: 2027, month: 11, day: 7), at: TimeOfDay(minutes: 90))
            == Instant(seconds: 1_825_565_400))
        let apia = try #require(ShopTime(identifier: "Pacific/Apia"))
        // Samoa went from 2011-12-29 23:59:59 (-10:00) straight to 2011-12-31 00:00 (+14:00).
        #expect(apia.offsetSeconds(at: Instant(seconds: 1_325_239_199)) == -36_000)
        #expect(apia.offsetSeconds(at: Instant(seconds: 1_325_239_200)) == 50_400)
    }
}
