import BookingCore
import Foundation
import Testing

/// `WeeklySchedule.validated` keeps the invariant: periods end after they start, sorted, no overlaps.
struct WeeklyScheduleTests {
    let hm = Fixture.hm
    func period(_ start: TimeOfDay, _ end: TimeOfDay) -> WorkPeriod { WorkPeriod(start: start, end: end) }

    @Test("overlapping periods are validation_failed")
    func overlappingPeriodsAreRejected() {
        let result = WeeklySchedule.validated([.monday: [period(hm(13, 0), hm(17, 0)), period(hm(9, 0), hm(13, 1))]])
        #expect(errorCode(result) == "validation_failed")
        #expect(errorCode(WeeklySchedule.validated([.friday: [period(hm(9, 0), hm(17, 0)), period(hm(10, 0), hm(11, 0))]]))
            == "validation_failed")
        #expect(errorCode(WeeklySchedule.validated([.sunday: [period(hm(9, 0), hm(12, 0)), period(hm(9, 0), hm(12, 0))]]))
            == "validation_failed")
    }

    @Test("a period that does not end after it starts is validation_failed")
    func emptyOrBackwardPeriodsAreRejected() {
        #expect(errorCode(WeeklySchedule.validated([.tuesday: [period(hm(9, 0), hm(9, 0))]])) == "validation_failed")
        #expect(errorCode(WeeklySchedule.validated([.tuesday: [period(hm(17, 0), hm(9, 0))]])) == "validation_failed")
        #expect(errorCode(WeeklySchedule.validated([
            .monday: [period(hm(9, 0), hm(17, 0))], .saturday: [period(hm(12, 0), hm(11, 59))],
        ])) == "validation_failed")
    }

    @Test("touching periods are accepted and each day's periods are sorted; missing days are days off")
    func validScheduleIsSortedAndKeepsDaysOff() throws {
        let schedule = try WeeklySchedule.validated([
            .monday: [period(hm(13, 0), hm(17, 0)), period(hm(9, 0), hm(13, 0))],
            .sunday: [period(hm(0, 0), hm(24, 0))],
        ]).get()
        #expect(schedule.periods(on: .monday) == [period(hm(9, 0), hm(13, 0)), period(hm(13, 0), hm(17, 0))])
        #expect(schedule.periods(on: .sunday) == [period(hm(0, 0), hm(24, 0))])
        #expect(schedule.periods(on: .tuesday).isEmpty)
        #expect(Set(schedule.byDay.keys) == [.monday, .sunday])
        #expect(try WeeklySchedule.validated(schedule.byDay).get() == schedule)
        #expect(try WeeklySchedule.validated([:]).get() == .empty)
        #expect(Weekday.allCases.allSatisfy { WeeklySchedule.empty.periods(on: $0).isEmpty })
    }

    @Test("a schedule survives a JSON round trip unchanged")
    func codableRoundTrip() throws {
        let schedule = try WeeklySchedule.validated([
            .monday: [period(hm(9, 0), hm(12, 0)), period(hm(13, 0), hm(17, 30))],
            .wednesday: [period(hm(10, 15), hm(18, 45))],
            .saturday: [period(hm(8, 0), hm(24, 0))],
        ]).get()
        let data = try JSONEncoder().encode(schedule)
        let decoded = try JSONDecoder().decode(WeeklySchedule.self, from: data)
        #expect(decoded == schedule)
        #expect(decoded.periods(on: .saturday) == [period(hm(8, 0), hm(24, 0))])
        #expect(try JSONDecoder().decode(WeeklySchedule.self, from: JSONEncoder().encode(WeeklySchedule.empty)) == .empty)
    }

    @Test("decoding refuses overlapping periods and a week without seven days")
    func decodingValidates() throws {
        var days: [[WorkPeriod]] = Array(repeating: [], count: 7)
        days[2] = [period(hm(9, 0), hm(12, 0)), period(hm(11, 0), hm(14, 0))]
        let overlapping = try JSONEncoder().encode(days)
        #expect(throws: (any Error).self) { try JSONDecoder().decode(WeeklySchedule.self, from: overlapping) }
        let sixDays = try JSONEncoder().encode(Array(repeating: [WorkPeriod](), count: 6))
        #expect(throws: (any Error).self) { try JSONDecoder().decode(WeeklySchedule.self, from: sixDays) }
    }
}
