import BookingCore
import Foundation
import Testing

/// Shared builders for the BookingCore tests. Instants are built with Foundation's Gregorian
/// calendar in GMT, independently of the code under test.
enum Fixture {
    static let gmt: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        return calendar
    }()

    /// The instant of the given UTC wall-clock time.
    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0)
        -> Instant
    {
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return Instant(seconds: Int64(gmt.date(from: components)!.timeIntervalSince1970))
    }

    static func hm(_ hour: Int, _ minute: Int = 0) -> TimeOfDay { TimeOfDay(minutes: hour * 60 + minute) }

    static func period(_ start: TimeOfDay, _ end: TimeOfDay) -> WorkPeriod { WorkPeriod(start: start, end: end) }

    static func schedule(_ byDay: [Weekday: [WorkPeriod]]) -> WeeklySchedule {
        switch WeeklySchedule.validated(byDay) {
        case .success(let schedule): return schedule
        case .failure(let error): preconditionFailure("fixture schedule is invalid: \(error)")
        }
    }

    static func everyDay(_ periods: [WorkPeriod]) -> WeeklySchedule {
        schedule(Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, periods) }))
    }

    static func settings(
        zone: String = "UTC", slot: Int = 15, notice: Int = 60, maxDays: Int = 90, cutoff: Int = 120
    ) -> ShopSettings {
        var settings = ShopSettings()
        settings.timeZone = zone
        settings.slotIntervalMinutes = slot
        settings.minNoticeMinutes = notice
        settings.maxAdvanceDays = maxDays
        settings.cancellationCutoffMinutes = cutoff
        return settings
    }

    static func policy(
        zone: String = "UTC", now: Instant, slot: Int = 15, notice: Int = 60, maxDays: Int = 90, cutoff: Int = 120
    ) -> BookingPolicy {
        BookingPolicy(
            settings: settings(zone: zone, slot: slot, notice: notice, maxDays: maxDays, cutoff: cutoff),
            shopTime: ShopTime(identifier: zone)!, now: now)
    }

    static func service(
        id: ServiceID = 1, minutes: Int = 60, price: Int = 2500, isActive: Bool = true, barberIDs: [BarberID]? = nil
    ) -> Service {
        Service(id: id, name: "Cut \(minutes)", durationMinutes: minutes, priceCents: price, isActive: isActive,
                barberIDs: barberIDs)
    }

    static func calendar(
        barberID: BarberID = 1, isActive: Bool = true, weekly: WeeklySchedule, buffer: Int = 0
    ) -> BarberCalendar {
        BarberCalendar(barber: Barber(
            id: barberID, name: "Barber \(barberID)", isActive: isActive, userID: 50, weekly: weekly,
            bufferMinutes: buffer))
    }
}

enum People {
    static let client = Requester(userID: 100, role: .client)
    static let otherClient = Requester(userID: 101, role: .client)
    static let barber = Requester(userID: 50, role: .barber, barberID: 1)
    static let otherBarber = Requester(userID: 51, role: .barber, barberID: 2)
    static let admin = Requester(userID: 1, role: .admin)
}

/// The contract error code of a refused result, or nil when it succeeded.
func errorCode<Value>(_ result: Result<Value, BookingError>) -> String? {
    if case .failure(let error) = result { return error.code }
    return nil
}

extension BarberCalendar {
    /// Books through `decideBook` and `apply`; records an issue and returns nil when refused.
    @discardableResult
    mutating func book(
        id: AppointmentID, client: UserID = 100, service: Service, start: Instant, actor: BookingActor = .staff,
        policy: BookingPolicy, sourceLocation: SourceLocation = #_sourceLocation
    ) -> Appointment? {
        switch decideBook(id: id, client: client, service: service, start: start, notes: nil, actor: actor, policy: policy) {
        case .success(let (change, _)):
            apply(change)
            return appointments[id]
        case .failure(let error):
            Issue.record("booking \(id) at \(start.seconds) refused: \(error.code)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// Applies a decision that must succeed; records an issue otherwise.
    mutating func applyDecision(
        _ decision: Result<CalendarChange, BookingError>, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        switch decision {
        case .success(let change): apply(change)
        case .failure(let error): Issue.record("decision refused: \(error.code)", sourceLocation: sourceLocation)
        }
    }

    /// Applies the change of a decision that must succeed (its value aside); records an issue otherwise.
    mutating func applyDecision<Value>(
        _ decision: Result<(CalendarChange, Value), BookingError>, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        applyDecision(decision.map { change, _ in change }, sourceLocation: sourceLocation)
    }
}
