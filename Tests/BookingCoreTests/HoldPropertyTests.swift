import BookingCore
import TestSupport
import Testing

/// A seeded random walk over one calendar and the waitlist: bookings, cancellations,
/// reschedules, new entries, claims, cancelled entries and time passing, each followed by the
/// offer decision as the engine runs it. After every step no live hold overlaps a live
/// appointment or another live hold (buffer included), each offered entry has exactly its one
/// hold, and no entry holds two.
struct HoldPropertyTests {
    let cut30 = Fixture.service(id: 1, minutes: 30)
    let cut45 = Fixture.service(id: 2, minutes: 45)

    @Test("no hold ever overlaps a live appointment or another hold", arguments: [1, 2, 3, 42, 2027] as [UInt64])
    func holdsNeverOverlap(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let services = [cut30.id: cut30, cut45.id: cut45]
        var calendar = Fixture.calendar(
            weekly: Fixture.everyDay([Fixture.period(Fixture.hm(9), Fixture.hm(12)), Fixture.period(Fixture.hm(13), Fixture.hm(17))]),
            buffer: [0, 5, 10].randomElement(using: &random)!)
        var waitlist = Waitlist()
        var now = Fixture.utc(2027, 3, 1, 6)
        let firstDay = CivilDate(year: 2027, month: 3, day: 1)
        var nextID = 1

        func policy() -> BookingPolicy { Fixture.policy(now: now, slot: 15, notice: 30, maxDays: 4) }
        func apply(_ changes: [ShopChange]) {
            for change in changes {
                switch change {
                case .calendar(let change): calendar.apply(change)
                case .waitlist(let change): waitlist.apply(change)
                case .registry, .queue, .clientRecord, .notification: Issue.record("registry, queue or client record change from a waitlist decision")
                }
            }
        }
        func pass(after leading: [ShopChange] = []) {
            apply(WaitlistOffers.decide(after: leading, calendar: calendar, waitlist: waitlist, services: services, policy: policy()))
        }

        for _ in 0..<400 {
            let service = Bool.random(using: &random) ? cut30 : cut45
            let day = firstDay.adding(days: Int.random(in: 0...2, using: &random))
            let start = policy().shopTime.instant(on: day, at: Fixture.hm(Int.random(in: 9...16, using: &random), [0, 15, 30, 45].randomElement(using: &random)!))
            switch Int.random(in: 0..<8, using: &random) {
            case 0, 1:
                if case .success(let (change, _)) = calendar.decideBook(
                    id: nextID, client: 100, service: service, start: start, notes: nil, actor: .staff, policy: policy())
                {
                    calendar.apply(change)
                }
                nextID += 1
            case 2:
                let live = calendar.appointments.values.filter { $0.status == .confirmed }.sorted { $0.id < $1.id }
                if let victim = live.randomElement(using: &random),
                    case .success(let (change, _)) = calendar.decideCancel(victim.id, reason: nil, by: People.admin, policy: policy())
                {
                    pass(after: [.calendar(change)])
                }
            case 3:
                let live = calendar.appointments.values.filter { $0.status == .confirmed }.sorted { $0.id < $1.id }
                if let moving = live.randomElement(using: &random),
                    case .success(let (change, _)) = calendar.decideReschedule(
                        moving.id, to: start, service: services[moving.serviceID]!, by: People.admin, policy: policy())
                {
                    pass(after: [.calendar(change)])
                }
            case 4:
                let from = Int.random(in: 8...15, using: &random)
                let entry = WaitlistEntry(
                    id: nextID, clientID: 200 + nextID, serviceID: service.id, barberID: Bool.random(using: &random) ? 1 : nil,
                    dateFrom: day, dateTo: day.adding(days: Int.random(in: 0...1, using: &random)), timeFrom: Fixture.hm(from),
                    timeTo: Fixture.hm(from + Int.random(in: 1...4, using: &random)), createdAt: now)
                nextID += 1
                if case .success(let change) = waitlist.decideJoin(entry) { waitlist.apply(change) }
            case 5:
                if let offered = waitlist.offered.randomElement(using: &random) {
                    let result = calendar.decideClaim(
                        offered.id, id: nextID, client: offered.clientID, service: services[offered.serviceID]!, policy: policy())
                    if case .success(let (changes, _)) = result {
                        apply(changes.map(ShopChange.calendar) + [.waitlist(.booked(offered.id, appointmentID: nextID))])
                    }
                    nextID += 1
                }
            case 6:
                if let leaving = waitlist.ordered.filter({ $0.status == .waiting || $0.status == .offered }).randomElement(using: &random) {
                    if let hold = leaving.offer, leaving.status == .offered {
                        pass(after: [.calendar(.holdReleased(barberID: hold.barberID, entryID: leaving.id)), .waitlist(.cancelled(leaving.id))])
                    } else {
                        waitlist.apply(.cancelled(leaving.id))
                    }
                }
            default:
                now = now.adding(minutes: Int.random(in: 1...20, using: &random))
                pass()
            }
            checkInvariants(calendar, waitlist, now: now)
        }
        #expect(waitlist.entries.values.contains { $0.status == .booked }, "the walk never claimed an offer (seed \(seed))")
        #expect(waitlist.entries.values.contains { $0.status == .expired }, "no offer ever expired (seed \(seed))")
    }

    func checkInvariants(_ calendar: BarberCalendar, _ waitlist: Waitlist, now: Instant, sourceLocation: SourceLocation = #_sourceLocation) {
        let buffer = Int64(calendar.barber.bufferMinutes) * 60
        let live = calendar.holds.values.filter { $0.isLive(at: now) }.sorted { $0.entryID < $1.entryID }
        for hold in live {
            for appointment in calendar.appointments.values where appointment.status.isLive {
                #expect(!hold.conflicts(start: appointment.start.seconds, end: appointment.end.seconds, buffer: buffer),
                        "hold of \(hold.entryID) overlaps appointment \(appointment.id)", sourceLocation: sourceLocation)
            }
            for other in live where other.entryID > hold.entryID {
                #expect(!hold.conflicts(start: other.start.seconds, end: other.end.seconds, buffer: buffer),
                        "holds of \(hold.entryID) and \(other.entryID) overlap", sourceLocation: sourceLocation)
            }
        }
        #expect(Set(calendar.holds.keys) == Set(waitlist.offered.map(\.id)), sourceLocation: sourceLocation)
        for (id, hold) in calendar.holds { #expect(waitlist.entries[id]?.offer == hold, sourceLocation: sourceLocation) }
    }
}
