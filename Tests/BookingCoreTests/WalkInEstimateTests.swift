import BookingCore
import Testing

/// The contract's `estimated_start`: walk-ins in line order, each at the earliest start at or
/// after now on its barber (or any barber offering the service) where the service fits between
/// live appointments, holds and the walk-ins placed before it, inside working hours.
struct WalkInEstimateTests {
    let cut = Fixture.service(id: 1, minutes: 30)
    let long = Fixture.service(id: 2, minutes: 60)
    var services: [ServiceID: Service] { [cut.id: cut, long.id: long] }
    static let nineToFive = Fixture.everyDay([Fixture.period(Fixture.hm(9), Fixture.hm(17))])

    func at(_ hour: Int, _ minute: Int = 0, day: Int = 1) -> Instant { Fixture.utc(2027, 3, day, hour, minute) }

    func walkIn(_ id: WalkInID, _ service: Service, barber: BarberID? = nil) -> WalkIn {
        WalkIn(id: id, name: "Walk In \(id)", phone: nil, serviceID: service.id, barberID: barber, checkedInAt: at(8))
    }

    /// Barber 1 (no buffer): 09:00-09:30, 10:00-11:00, 11:30-12:00 booked.
    /// Barber 2 (10-minute buffer): 09:00-10:15 booked.
    func day(policy: BookingPolicy) -> [BarberCalendar] {
        var first = Fixture.calendar(barberID: 1, weekly: Self.nineToFive)
        first.book(id: 1, service: cut, start: at(9), policy: policy)
        first.book(id: 2, service: long, start: at(10), policy: policy)
        first.book(id: 3, service: cut, start: at(11, 30), policy: policy)
        var second = Fixture.calendar(barberID: 2, weekly: Self.nineToFive, buffer: 10)
        second.book(id: 4, service: Fixture.service(id: 3, minutes: 75), start: at(9), policy: policy)
        return [first, second]
    }

    @Test("three walk-ins and a day of bookings: gaps filled, a walk-in who does not fit moves on, any barber takes the earliest")
    func threeWalkInsAndADayOfBookings() {
        let booking = Fixture.policy(now: at(6))
        let policy = Fixture.policy(now: at(9))
        let line = [walkIn(1, cut, barber: 1), walkIn(2, long), walkIn(3, cut)]
        let placed = WalkInEstimates.place(line, calendars: day(policy: booking), services: services, policy: policy)
        // 1: the 09:30-10:00 gap of barber 1.
        #expect(placed[1] == .init(barberID: 1, start: at(9, 30)))
        // 2: an hour does not fit barber 1's 11:00-11:30 gap (nor 09:30, taken by 1); barber 2
        //    is free from 10:15 plus a 10-minute buffer: 10:25, earlier than barber 1's 12:00.
        #expect(placed[2] == .init(barberID: 2, start: at(10, 25)))
        // 3: barber 1's 11:00-11:30 gap, before barber 2's 11:35 (after 2 and its buffer).
        #expect(placed[3] == .init(barberID: 1, start: at(11)))
    }

    @Test("line order decides: the same walk-ins in another order are placed differently")
    func lineOrderDecides() {
        let booking = Fixture.policy(now: at(6))
        let policy = Fixture.policy(now: at(9))
        let line = [walkIn(3, cut), walkIn(2, long), walkIn(1, cut, barber: 1)]
        let placed = WalkInEstimates.place(line, calendars: day(policy: booking), services: services, policy: policy)
        #expect(placed[3] == .init(barberID: 1, start: at(9, 30)))
        #expect(placed[2] == .init(barberID: 2, start: at(10, 25)))
        #expect(placed[1] == .init(barberID: 1, start: at(11)))
    }

    @Test("a walk-in never starts before now, and the estimate moves with the clock")
    func neverBeforeNow() {
        let booking = Fixture.policy(now: at(6))
        let policy = Fixture.policy(now: at(9, 40))
        let placed = WalkInEstimates.place([walkIn(1, cut, barber: 1)], calendars: day(policy: booking), services: services, policy: policy)
        // 09:40-10:10 would overlap 10:00; 11:00 is the next fit.
        #expect(placed[1] == .init(barberID: 1, start: at(11)))
        let early = WalkInEstimates.place(
            [walkIn(1, cut, barber: 1)], calendars: day(policy: booking), services: services, policy: Fixture.policy(now: at(9, 5)))
        #expect(early[1] == .init(barberID: 1, start: at(9, 30)))
    }

    @Test("working hours: a service that does not fit before closing goes to the next working day")
    func workingHours() {
        let calendar = Fixture.calendar(barberID: 1, weekly: Self.nineToFive)
        let policy = Fixture.policy(now: at(16, 45))
        let placed = WalkInEstimates.place([walkIn(1, cut)], calendars: [calendar], services: services, policy: policy)
        #expect(placed[1] == .init(barberID: 1, start: at(9, day: 2)))
    }

    @Test("a live hold is kept clear like an appointment, buffer included; time off too")
    func holdsAndTimeOff() {
        var calendar = Fixture.calendar(barberID: 1, weekly: Self.nineToFive, buffer: 5)
        let policy = Fixture.policy(now: at(9))
        calendar.apply(.holdPlaced(Hold(entryID: 1, barberID: 1, serviceID: cut.id, start: at(9, 20), end: at(9, 50), expiresAt: at(9, 15))))
        calendar.apply(.timeOffAdded(TimeOff(id: 1, barberID: 1, start: at(9, 55), end: at(10, 30), reason: nil)))
        // Live hold: 09:00-09:30 would reach into it (and its buffer); after it, 09:55 is off until 10:30.
        let placed = WalkInEstimates.place([walkIn(1, cut)], calendars: [calendar], services: services, policy: policy)
        #expect(placed[1] == .init(barberID: 1, start: at(10, 30)))
        // Once the hold has expired it holds nothing: the walk-in goes first.
        let later = Fixture.policy(now: at(9, 15))
        #expect(WalkInEstimates.place([walkIn(1, cut)], calendars: [calendar], services: services, policy: later)[1]
            == .init(barberID: 1, start: at(9, 15)))
    }

    @Test("a barber who does not offer the service, or is inactive, is not chosen")
    func onlyBarbersOfferingTheService() {
        let booking = Fixture.policy(now: at(6))
        let policy = Fixture.policy(now: at(9))
        let onlySecond = Fixture.service(id: 5, minutes: 30, barberIDs: [2])
        var services = services
        services[onlySecond.id] = onlySecond
        let placed = WalkInEstimates.place([walkIn(1, onlySecond)], calendars: day(policy: booking), services: services, policy: policy)
        #expect(placed[1] == .init(barberID: 2, start: at(10, 25)))
        let closed = Fixture.calendar(barberID: 1, isActive: false, weekly: Self.nineToFive)
        #expect(WalkInEstimates.place([walkIn(1, cut)], calendars: [closed], services: services, policy: policy).isEmpty)
    }

    @Test("on a daylight-saving day the estimate is the real local opening time", arguments: DSTDay.all)
    func daylightSavingDay(_ day: DSTDay) {
        let calendar = Fixture.calendar(barberID: 1, weekly: Self.nineToFive)
        let policy = Fixture.policy(zone: day.zone, now: day.nineAM.adding(minutes: -120), maxDays: 3660)
        let placed = WalkInEstimates.place([walkIn(1, long)], calendars: [calendar], services: services, policy: policy)
        #expect(placed[1].map { policy.shopTime.format($0.start) } == day.firstStart)
        // Near closing, the last hour that fits starts at 16:00 local.
        let late = Fixture.policy(zone: day.zone, now: day.nineAM.adding(minutes: 7 * 60), maxDays: 3660)
        #expect(WalkInEstimates.place([walkIn(1, long)], calendars: [calendar], services: services, policy: late)[1]
            .map { late.shopTime.format($0.start) } == day.lastStart)
    }

    @Test("the public board shortens names to the first name and the last initial")
    func shortNames() {
        func named(_ name: String) -> String { WalkIn(id: 1, name: name, phone: nil, serviceID: 1, barberID: nil, checkedInAt: at(8)).shortName }
        #expect(named("Sam Taylor") == "Sam T.")
        #expect(named("Ana María  de la Cruz") == "Ana C.")
        #expect(named("Cher") == "Cher")
    }
}
