import BookingCore
import Foundation
import Testing

/// Each analytics figure of ../shared/API.md at its edges, on a `ShopState` built change by
/// change, with expectations written by hand.
struct AnalyticsDefinitionTests {
    /// A shop in `zone` with barbers 1 and 2 working 09:00-17:00 every day and one 60-minute
    /// service at 2,500 cents.
    struct Shop {
        var state = ShopState()
        var shopTime: ShopTime

        init(zone: String = "America/New_York", weekly: WeeklySchedule = Fixture.everyDay([Fixture.period(Fixture.hm(9), Fixture.hm(17))])) {
            shopTime = ShopTime(identifier: zone)!
            state.apply(.registry(.settingsSet(Fixture.settings(zone: zone))))
            state.apply(.registry(.serviceSaved(Fixture.service(id: 1, minutes: 60, price: 2500))))
            for barber in [1, 2] {
                state.apply(.registry(.barberAdded(id: barber, userID: nil)))
                state.apply(.calendar(.barberCreated(Barber(id: barber, name: "B\(barber)", userID: nil))))
                state.apply(.calendar(.scheduleSet(barberID: barber, weekly: weekly, bufferMinutes: 0)))
            }
        }

        func at(_ date: CivilDate, _ hour: Int, _ minute: Int = 0) -> Instant {
            shopTime.instant(on: date, at: Fixture.hm(hour, minute))
        }

        mutating func book(_ id: AppointmentID, barber: BarberID = 1, client: UserID = 100, start: Instant, minutes: Int = 60,
                           price: Int = 2500) {
            state.apply(.calendar(.booked(Appointment(
                id: id, barberID: barber, clientID: client, serviceID: 1, start: start, end: start.adding(minutes: minutes),
                status: .confirmed, priceCents: price, notes: nil, createdAt: Instant(seconds: 0)))))
        }

        mutating func set(_ id: AppointmentID, _ status: AppointmentStatus, barber: BarberID = 1) {
            state.apply(.calendar(status == .cancelled
                ? .cancelled(barberID: barber, id: id, reason: nil) : .statusSet(barberID: barber, id: id, status: status)))
        }

        func summary(_ from: CivilDate, _ to: CivilDate, barber: BarberID? = nil) -> AnalyticsSummary {
            state.analyticsSummary(try! AnalyticsRange.make(from: from, to: to).get(), barberID: barber)!
        }
    }

    static let monday = CivilDate(year: 2027, month: 3, day: 1)
    static let tuesday = CivilDate(year: 2027, month: 3, day: 2)

    @Test func rescheduleToAnotherDayMovesItsFiguresThere() {
        var shop = Shop()
        shop.book(1, start: shop.at(Self.monday, 10))
        shop.state.apply(.calendar(.rescheduled(
            barberID: 1, id: 1, start: shop.at(Self.tuesday, 14), end: shop.at(Self.tuesday, 15))))
        let summary = shop.summary(Self.monday, Self.tuesday)
        #expect(summary.days.map(\.totals.counts.appointments) == [0, 1])
        #expect(summary.days.map(\.totals.bookedMinutes) == [0, 60])
        #expect(summary.totals.counts.appointments == 1)
        #expect(summary.hours[0].reduce(0, +) == 0 && summary.hours[1][14] == 1)
    }

    @Test func moveToAnotherBarberCountsOnceUnderTheNewBarber() {
        var shop = Shop()
        shop.book(1, start: shop.at(Self.monday, 10))
        var moved = shop.state.calendars[1]!.appointments[1]!
        moved.barberID = 2
        moved.start = shop.at(Self.tuesday, 11)
        moved.end = shop.at(Self.tuesday, 12)
        shop.state.apply(.calendar(.movedOut(barberID: 1, id: 1)))
        shop.state.apply(.calendar(.movedIn(moved)))
        let summary = shop.summary(Self.monday, Self.tuesday)
        #expect(summary.barbers.map(\.counts.appointments) == [0, 1])
        #expect(summary.barbers.map(\.bookedMinutes) == [0, 60])
        #expect(summary.totals.counts.appointments == 1 && summary.days.map(\.totals.counts.appointments) == [0, 1])
        #expect(shop.summary(Self.monday, Self.tuesday, barber: 1).totals.newClients == 0)
        #expect(shop.summary(Self.monday, Self.tuesday, barber: 2).totals.newClients == 1)
    }

    @Test func completedAndNoShowAreCountedOnceUnderTheirStatus() {
        var shop = Shop()
        shop.book(1, start: shop.at(Self.monday, 9))
        shop.book(2, start: shop.at(Self.monday, 11))
        shop.book(3, start: shop.at(Self.monday, 13), price: 4001)
        shop.set(1, .completed)
        shop.set(2, .noShow)
        shop.set(3, .completed)
        let totals = shop.summary(Self.monday, Self.monday).totals
        #expect(totals.counts == {
            var counts = StatusCounts()
            counts.appointments = 3
            counts.completed = 2
            counts.noShow = 1
            return counts
        }())
        #expect(totals.revenueCompletedCents == 6501 && totals.revenueBookedCents == 9001)
        #expect(totals.averageTicketCents == 3250, "6501 / 2 rounded down")
        #expect(totals.noShowRate == 0.3333, "1 / 3 to 4 decimals")
        #expect(totals.bookedMinutes == 180, "no-shows keep their interval")
    }

    @Test func cancelledAppointmentFreesItsMinutesAndRevenueButStillCounts() {
        var shop = Shop()
        shop.book(1, start: shop.at(Self.monday, 9))
        shop.book(2, start: shop.at(Self.monday, 11))
        shop.book(3, start: shop.at(Self.monday, 13))
        shop.set(1, .cancelled)
        let summary = shop.summary(Self.monday, Self.monday)
        #expect(summary.totals.counts.appointments == 3 && summary.totals.counts.cancelled == 1)
        #expect(summary.totals.bookedMinutes == 120 && summary.totals.revenueBookedCents == 5000)
        #expect(summary.totals.cancellationRate == 0.3333)
        #expect(summary.hours[0][9] == 0 && summary.hours[0][11] == 1)
        shop.set(2, .cancelled)
        #expect(shop.summary(Self.monday, Self.monday).totals.cancellationRate == 0.6667, "2 / 3 rounded half up")
    }

    @Test func ratesWithZeroDenominatorsAreZero() {
        let shop = Shop()
        let totals = shop.summary(Self.monday, Self.monday).totals
        #expect(totals.cancellationRate == 0 && totals.noShowRate == 0 && totals.rebookingRate == 0)
        #expect(totals.averageTicketCents == 0 && totals.utilisation == 0)
        var closed = Shop(weekly: Fixture.everyDay([]))
        closed.book(1, start: closed.at(Self.monday, 10))
        #expect(closed.summary(Self.monday, Self.monday).totals.utilisation == 0, "no working minutes")
    }

    @Test func utilisationIsBookedOverWorkingMinutesRounded() {
        var shop = Shop()
        shop.book(1, start: shop.at(Self.monday, 9), minutes: 50)
        let summary = shop.summary(Self.monday, Self.monday)
        #expect(summary.barbers[0].workingMinutes == 480 && summary.totals.workingMinutes == 960)
        #expect(summary.barbers[0].utilisation == 0.1042, "50 / 480 = 0.104166…")
        #expect(summary.totals.utilisation == 0.0521, "50 / 960 = 0.052083…")
    }

    @Test(arguments: [
        (CivilDate(year: 2027, month: 3, day: 14), 7 * 60), (CivilDate(year: 2027, month: 11, day: 7), 9 * 60),
        (CivilDate(year: 2027, month: 3, day: 21), 8 * 60),
    ])
    func workingMinutesHaveTheRealLengthOfDaylightSavingDays(date: CivilDate, minutes: Int) {
        let shop = Shop(weekly: Fixture.everyDay([Fixture.period(Fixture.hm(0), Fixture.hm(8))]))
        #expect(shop.summary(date, date, barber: 1).totals.workingMinutes == minutes)
        let nineToFive = Shop(weekly: Fixture.everyDay([Fixture.period(Fixture.hm(9), Fixture.hm(17))]))
        #expect(nineToFive.summary(date, date, barber: 1).totals.workingMinutes == 480)
    }

    @Test func timeOffIsSubtractedOnceAndOnlyInsideWorkingPeriods() {
        var shop = Shop()
        let entries = [
            (shop.at(Self.monday, 10), shop.at(Self.monday, 12)),  // 2 h inside
            (shop.at(Self.monday, 11), shop.at(Self.monday, 13)),  // overlaps the first: 1 h more
            (shop.at(Self.monday, 16), shop.at(Self.monday, 20)),  // 1 h inside, 3 h after closing
            (shop.at(Self.monday, 6), shop.at(Self.monday, 7)),  // before opening
        ]
        for (id, entry) in entries.enumerated() {
            shop.state.apply(.calendar(.timeOffAdded(TimeOff(id: id + 1, barberID: 1, start: entry.0, end: entry.1, reason: nil))))
        }
        #expect(shop.summary(Self.monday, Self.monday, barber: 1).totals.workingMinutes == 480 - 240)
        #expect(shop.summary(Self.monday, Self.tuesday, barber: 1).totals.workingMinutes == 480 - 240 + 480)
        #expect(shop.summary(Self.monday, Self.monday, barber: 2).totals.workingMinutes == 480)
    }

    @Test func anAppointmentBelongsToTheShopLocalDayOfItsStart() {
        var shop = Shop(weekly: Fixture.everyDay([Fixture.period(Fixture.hm(0), Fixture.hm(24))]))
        shop.book(1, start: shop.at(Self.monday, 23, 30), minutes: 30)  // 04:30 UTC on Tuesday
        shop.book(2, start: shop.at(Self.tuesday, 0))
        let summary = shop.summary(Self.monday, Self.tuesday)
        #expect(summary.days.map(\.totals.counts.appointments) == [1, 1])
        #expect(summary.hours[0][23] == 1 && summary.hours[1][0] == 1)
        #expect(shop.summary(Self.monday, Self.monday).totals.counts.appointments == 1)
        // A new time zone moves every appointment to its day there.
        shop.state.apply(.registry(.settingsSet(Fixture.settings(zone: "UTC"))))
        #expect(shop.summary(Self.tuesday, Self.tuesday).totals.counts.appointments == 2)
    }

    @Test func rangesHoldAtMost366DaysAndFromNotAfterTo() {
        let first = CivilDate(year: 2027, month: 1, day: 1)
        #expect((try? AnalyticsRange.make(from: first, to: first).get())?.dayCount == 1)
        #expect((try? AnalyticsRange.make(from: first, to: CivilDate(year: 2028, month: 1, day: 1)).get())?.dayCount == 366)
        #expect(AnalyticsRange.make(from: first, to: CivilDate(year: 2028, month: 1, day: 2)) == .failure(.tooLong))
        #expect(AnalyticsRange.make(from: first, to: first.adding(days: -1)) == .failure(.fromAfterTo))
        let leap = CivilDate(year: 2028, month: 1, day: 1)
        #expect((try? AnalyticsRange.make(from: leap, to: CivilDate(year: 2028, month: 12, day: 31)).get())?.dayCount == 366)
    }

    @Test func newAndReturningClientsByTheirFirstLiveStart() {
        var shop = Shop()
        let before = CivilDate(year: 2027, month: 2, day: 20)
        shop.book(1, client: 100, start: shop.at(before, 10))  // 100: earlier visit → returning
        shop.book(2, client: 100, start: shop.at(Self.monday, 10))
        shop.book(3, client: 101, start: shop.at(before, 12))  // 101: the earlier one cancelled → new
        shop.set(3, .cancelled)
        shop.book(4, client: 101, start: shop.at(Self.monday, 12))
        shop.book(5, client: 102, start: shop.at(Self.monday, 14))  // 102: cancelled in range → neither
        shop.set(5, .cancelled)
        shop.book(6, barber: 2, client: 103, start: shop.at(before, 9))  // 103: earlier with barber 2
        shop.book(7, client: 103, start: shop.at(Self.monday, 15))
        let shopWide = shop.summary(Self.monday, Self.tuesday).totals
        #expect(shopWide.newClients == 1 && shopWide.returningClients == 2)
        let barberOne = shop.summary(Self.monday, Self.tuesday, barber: 1).totals
        #expect(barberOne.newClients == 2 && barberOne.returningClients == 1, "103 is new to barber 1")
    }

    @Test func rebookingCountsALaterLiveStartWithinFortyTwoDaysAfterTheEnd() {
        var shop = Shop(weekly: Fixture.everyDay([Fixture.period(Fixture.hm(0), Fixture.hm(24))]))
        let end = { (id: AppointmentID) in shop.state.calendars[1]!.appointments[id]!.end }
        shop.book(1, client: 100, start: shop.at(Self.monday, 9))
        shop.set(1, .completed)
        shop.book(2, barber: 2, client: 100, start: end(1).adding(seconds: 42 * 86_400))  // exactly 42 × 24 h: counts
        shop.book(3, client: 101, start: shop.at(Self.monday, 11))
        shop.set(3, .completed)
        shop.book(4, client: 101, start: end(3).adding(seconds: 42 * 86_400 + 60))  // a minute late
        shop.book(5, client: 102, start: shop.at(Self.monday, 13))
        shop.set(5, .completed)
        shop.book(6, client: 102, start: end(5).adding(minutes: 60))  // cancelled: does not count
        shop.set(6, .cancelled)
        shop.book(7, client: 103, start: shop.at(Self.monday, 15))
        shop.set(7, .completed)
        shop.book(8, client: 103, start: end(7))  // starts right at the end: not after it
        shop.book(9, client: 104, start: shop.at(Self.monday, 17))
        shop.set(9, .completed)
        shop.book(10, client: 104, start: end(9).adding(minutes: 1))  // a minute after the end: counts
        let totals = shop.summary(Self.monday, Self.monday).totals
        #expect(totals.rebookingRate == 0.4, "clients 100 and 104 of five")
        #expect(shop.summary(Self.monday, Self.monday, barber: 1).totals.rebookingRate == 0.2, "100 rebooked with barber 2")
    }

    @Test func clientStatsCombineEveryBarber() {
        var shop = Shop()
        shop.book(1, client: 100, start: shop.at(Self.monday, 9), price: 1000)
        shop.book(2, barber: 2, client: 100, start: shop.at(Self.tuesday, 9), price: 3000)
        shop.book(3, client: 100, start: shop.at(Self.tuesday, 12))
        shop.book(4, barber: 2, client: 100, start: shop.at(Self.tuesday, 15))
        shop.book(5, client: 100, start: shop.at(Self.monday, 15))
        shop.set(1, .completed)
        shop.set(2, .completed, barber: 2)
        shop.set(5, .noShow)
        shop.book(6, client: 100, start: shop.at(Self.monday, 11))
        shop.set(6, .cancelled)
        let stats = shop.state.clientStats(100, now: shop.at(Self.tuesday, 12))
        #expect(stats == ClientStats(
            visits: 2, noShows: 1, cancellations: 1, lifetimeValueCents: 4000, firstVisit: shop.at(Self.monday, 9),
            lastVisit: shop.at(Self.tuesday, 9), nextAppointment: shop.at(Self.tuesday, 12)))
        #expect(shop.state.clientStats(100, now: shop.at(Self.tuesday, 12, 1)).nextAppointment == shop.at(Self.tuesday, 15))
        #expect(shop.state.clientStats(999, now: shop.at(Self.tuesday, 12)) == ClientStats())
    }
}
