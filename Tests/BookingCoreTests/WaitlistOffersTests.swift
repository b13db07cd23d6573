import BookingCore
import Testing

/// Matching and offers: the oldest fitting entry is offered first, a slot goes to one entry, an
/// entry gets one offer, expiry passes the start on or frees it.
struct WaitlistOffersTests {
    // Monday 2027-03-01; barbers work 09:00-12:00 UTC; a 60-minute cut.
    static let day = CivilDate(year: 2027, month: 3, day: 1)
    let now = Fixture.utc(2027, 3, 1, 6)
    let cut = Fixture.service(minutes: 60)
    var services: [ServiceID: Service] { [cut.id: cut] }

    func calendar(_ barber: BarberID = 1, buffer: Int = 0) -> BarberCalendar {
        Fixture.calendar(barberID: barber, weekly: Fixture.everyDay([Fixture.period(Fixture.hm(9), Fixture.hm(12))]), buffer: buffer)
    }

    func entry(_ id: WaitlistEntryID, barber: BarberID? = nil, from: TimeOfDay = Fixture.hm(0), to: TimeOfDay = Fixture.hm(24),
               dates: (CivilDate, CivilDate) = (WaitlistOffersTests.day, WaitlistOffersTests.day)) -> WaitlistEntry {
        WaitlistEntry(
            id: id, clientID: 100 + id, serviceID: cut.id, barberID: barber, dateFrom: dates.0, dateTo: dates.1, timeFrom: from,
            timeTo: to, createdAt: now)
    }

    func waitlist(_ entries: [WaitlistEntry]) -> Waitlist {
        var waitlist = Waitlist()
        for entry in entries { waitlist.apply(.entryAdded(entry)) }
        return waitlist
    }

    /// A calendar booked full (09, 10, 11) with the 10:00 appointment (id 2) then cancelled.
    func fullDayCancellingTen(_ barber: BarberID = 1, policy: BookingPolicy) -> (BarberCalendar, ShopChange) {
        var calendar = calendar(barber)
        for (id, hour) in [(1, 9), (2, 10), (3, 11)] {
            calendar.book(id: barber * 10 + id, service: cut, start: Fixture.utc(2027, 3, 1, hour), policy: policy)
        }
        let (cancel, _) = try! calendar.decideCancel(barber * 10 + 2, reason: nil, by: People.admin, policy: policy).get()
        return (calendar, .calendar(cancel))
    }

    static func offers(_ changes: [ShopChange]) -> [Hold] {
        changes.compactMap { if case .waitlist(.offered(let hold)) = $0 { hold } else { nil } }
    }

    static func apply(_ changes: [ShopChange], to calendar: inout BarberCalendar, _ waitlist: inout Waitlist) {
        for change in changes {
            switch change {
            case .calendar(let change): calendar.apply(change)
            case .waitlist(let change): waitlist.apply(change)
            case .registry, .queue, .clientRecord, .notification: Issue.record("unexpected registry, queue or client record change")
            }
        }
    }

    @Test("a cancelled start goes to the oldest entry it fits, not to older ones it does not fit")
    func oldestFittingEntryFirst() {
        let policy = Fixture.policy(now: now)
        let (calendar, cancel) = fullDayCancellingTen(policy: policy)
        let list = waitlist([
            entry(1, from: Fixture.hm(11), to: Fixture.hm(12)),  // oldest, but only 11:00-12:00
            entry(2, barber: 2),  // another barber
            entry(3),  // fits
            entry(4),  // fits too, younger
        ])
        let changes = WaitlistOffers.decide(after: [cancel], calendar: calendar, waitlist: list, services: services, policy: policy)
        let offers = Self.offers(changes)
        #expect(offers.map(\.entryID) == [3])
        #expect(offers.first?.start == Fixture.utc(2027, 3, 1, 10))
        #expect(offers.first?.expiresAt == now.adding(minutes: 15))
        #expect(changes.first == cancel)
    }

    @Test("the hold lasts the shop's waitlist_hold_minutes")
    func holdMinutesFromSettings() {
        var policy = Fixture.policy(now: now)
        policy.settings.waitlistHoldMinutes = 40
        let (calendar, cancel) = fullDayCancellingTen(policy: policy)
        let changes = WaitlistOffers.decide(after: [cancel], calendar: calendar, waitlist: waitlist([entry(1)]), services: services, policy: policy)
        #expect(Self.offers(changes).first?.expiresAt == now.adding(minutes: 40))
    }

    @Test("several free starts: each waiting entry gets its own, oldest first, and none gets two")
    func oneStartPerEntryOneEntryPerStart() {
        let policy = Fixture.policy(now: now)
        var calendar = calendar()
        var list = waitlist([entry(1), entry(2), entry(3), entry(4)])
        let changes = WaitlistOffers.decide(calendar: calendar, waitlist: list, services: services, policy: policy)
        let offers = Self.offers(changes)
        // Three free hours, four entries: 09:00, 10:00, 11:00 to entries 1, 2, 3.
        #expect(offers.map(\.entryID) == [1, 2, 3])
        #expect(offers.map(\.start) == [9, 10, 11].map { Fixture.utc(2027, 3, 1, $0) })
        Self.apply(changes, to: &calendar, &list)
        #expect(list.waiting.map(\.id) == [4])
        // Deciding again changes nothing: no start is free and every offered entry keeps its one offer.
        #expect(WaitlistOffers.decide(calendar: calendar, waitlist: list, services: services, policy: policy).isEmpty)
    }

    @Test("an unclaimed offer expires at expires_at and its start goes to the next fitting entry, then is freed")
    func expiryPassesOnThenFrees() {
        let policy = Fixture.policy(now: now)
        let (start, cancel) = fullDayCancellingTen(policy: policy)
        var calendar = start
        var list = waitlist([entry(1), entry(2)])
        Self.apply(WaitlistOffers.decide(after: [cancel], calendar: calendar, waitlist: list, services: services, policy: policy), to: &calendar, &list)
        #expect(list.entries[1]?.status == .offered)
        // One second before the expiry, nothing changes.
        let early = Fixture.policy(now: now.adding(minutes: 15).adding(seconds: -1))
        #expect(WaitlistOffers.decide(calendar: calendar, waitlist: list, services: services, policy: early).isEmpty)
        // At the expiry: entry 1 expires, entry 2 is offered the same start.
        let first = Fixture.policy(now: now.adding(minutes: 15))
        let passed = WaitlistOffers.decide(calendar: calendar, waitlist: list, services: services, policy: first)
        let beforePassing = list
        Self.apply(passed, to: &calendar, &list)
        #expect(list.entries[1]?.status == .expired)
        #expect(list.entries[2]?.status == .offered && list.entries[2]?.offer?.start == Fixture.utc(2027, 3, 1, 10))
        #expect(list.entries[2]?.offer?.expiresAt == now.adding(minutes: 30))
        #expect(RecordEvents(waitlist: beforePassing, board: nil).drafts(of: passed).map(\.type) == [.waitlistExpired, .waitlistOffered])
        // At entry 2's expiry, nobody is left: the start is free again.
        let second = Fixture.policy(now: now.adding(minutes: 30))
        Self.apply(WaitlistOffers.decide(calendar: calendar, waitlist: list, services: services, policy: second), to: &calendar, &list)
        #expect(list.entries[2]?.status == .expired && calendar.holds.isEmpty)
        #expect(calendar.slots(on: Self.day, service: cut, policy: second) == [Fixture.utc(2027, 3, 1, 10)])
    }

    @Test("the time-of-day window is [time_from, time_to): a start at time_to does not fit")
    func windowEndIsExclusive() {
        let policy = Fixture.policy(now: now)
        let (calendar, cancel) = fullDayCancellingTen(policy: policy)
        let tooLate = waitlist([entry(1, from: Fixture.hm(9), to: Fixture.hm(10))])
        #expect(Self.offers(WaitlistOffers.decide(after: [cancel], calendar: calendar, waitlist: tooLate, services: services, policy: policy)).isEmpty)
        let fits = waitlist([entry(1, from: Fixture.hm(10), to: Fixture.hm(10, 15))])
        #expect(Self.offers(WaitlistOffers.decide(after: [cancel], calendar: calendar, waitlist: fits, services: services, policy: policy)).count == 1)
    }

    @Test("the date range bounds the offer: an entry for other days is not offered this one")
    func dateRange() {
        let policy = Fixture.policy(now: now)
        let (calendar, cancel) = fullDayCancellingTen(policy: policy)
        let before = (CivilDate(year: 2027, month: 2, day: 27), CivilDate(year: 2027, month: 2, day: 28))
        let list = waitlist([entry(1, dates: before), entry(2, dates: (before.0, Self.day))])
        #expect(Self.offers(WaitlistOffers.decide(after: [cancel], calendar: calendar, waitlist: list, services: services, policy: policy)).map(\.entryID) == [2])
    }

    @Test("an entry for one barber is offered only that barber's time; any-barber entries take either")
    func barberMatching() {
        let policy = Fixture.policy(now: now)
        let (calendar, cancel) = fullDayCancellingTen(1, policy: policy)
        let list = waitlist([entry(1, barber: 2), entry(2, barber: 1)])
        #expect(Self.offers(WaitlistOffers.decide(after: [cancel], calendar: calendar, waitlist: list, services: services, policy: policy)).map(\.entryID) == [2])
    }

    @Test("a start inside the minimum notice or past the horizon is never offered")
    func noticeAndHorizon() {
        // 09:30: the 10:00 start is 30 minutes ahead, under the 60-minute notice.
        let policy = Fixture.policy(now: Fixture.utc(2027, 3, 1, 9, 30))
        let (calendar, cancel) = fullDayCancellingTen(policy: Fixture.policy(now: now))
        #expect(Self.offers(WaitlistOffers.decide(after: [cancel], calendar: calendar, waitlist: waitlist([entry(1)]), services: services, policy: policy)).isEmpty)
    }

    @Test("on a daylight-saving day the window is wall-clock time", arguments: DSTDay.all)
    func windowOnDaylightSavingDay(_ day: DSTDay) {
        let policy = day.policy
        let calendar = Fixture.calendar(weekly: Fixture.everyDay([Fixture.period(Fixture.hm(9), Fixture.hm(17))]))
        var candidate = entry(1, from: Fixture.hm(16), to: Fixture.hm(17), dates: (day.date, day.date))
        candidate.barberID = nil
        let offers = Self.offers(WaitlistOffers.decide(calendar: calendar, waitlist: waitlist([candidate]), services: services, policy: policy))
        #expect(offers.map { policy.shopTime.format($0.start) } == [day.lastStart])
    }
}
