import BookingCore
import Testing

/// `Waitlist.apply` and `WalkInQueue.apply` return the entry or walk-in as the change leaves it:
/// the engine answers with that value instead of reading it back by id, so it must be exactly
/// what the state then holds, for every kind of change.
struct WaitlistApplyResultTests {
    static let day = CivilDate(year: 2027, month: 3, day: 1)
    static let now = Fixture.utc(2027, 3, 1, 6)

    static func entry(_ id: WaitlistEntryID) -> WaitlistEntry {
        WaitlistEntry(
            id: id, clientID: 100 + id, serviceID: 1, barberID: nil, dateFrom: day, dateTo: day, timeFrom: Fixture.hm(9),
            timeTo: Fixture.hm(12), createdAt: now)
    }

    static func hold(_ id: WaitlistEntryID) -> Hold {
        Hold(entryID: id, barberID: 1, serviceID: 1, start: Fixture.utc(2027, 3, 1, 10), end: Fixture.utc(2027, 3, 1, 11),
             expiresAt: Fixture.utc(2027, 3, 1, 7))
    }

    @Test func everyWaitlistChangeReturnsTheEntryItLeaves() {
        var waitlist = Waitlist()
        let changes: [WaitlistChange] = [
            .entryAdded(Self.entry(1)), .offered(Self.hold(1)), .booked(1, appointmentID: 77),
            .entryAdded(Self.entry(2)), .offered(Self.hold(2)), .expired(2),
            .entryAdded(Self.entry(3)), .offered(Self.hold(3)), .cancelled(3),
            .entryAdded(Self.entry(4)), .cancelled(4),
        ]
        var statuses: [WaitlistStatus] = []
        for change in changes {
            let left = waitlist.apply(change)
            #expect(waitlist.entries[left.id] == left, "\(change)")
            statuses.append(left.status)
        }
        #expect(statuses == [.waiting, .offered, .booked, .waiting, .offered, .expired, .waiting, .offered, .cancelled, .waiting, .cancelled])
        #expect(waitlist.entries[1]?.appointmentID == 77 && waitlist.entries[3]?.offer == nil)
    }

    @Test func everyQueueChangeReturnsTheWalkInItLeaves() {
        var queue = WalkInQueue()
        let changes: [QueueChange] = [
            .checkedIn(WalkIn(id: 1, name: "Ana", phone: nil, serviceID: 1, barberID: nil, checkedInAt: Self.now)),
            .started(1, barberID: 3, appointmentID: 40), .done(1),
            .checkedIn(WalkIn(id: 2, name: "Bo", phone: "+1 555", serviceID: 1, barberID: 3, checkedInAt: Self.now)), .left(2),
        ]
        var statuses: [WalkInStatus] = []
        for change in changes {
            let left = queue.apply(change)
            #expect(queue.walkIns[left.id] == left, "\(change)")
            statuses.append(left.status)
        }
        #expect(statuses == [.waiting, .serving, .done, .waiting, .left])
        #expect(queue.walkIns[1]?.barberID == 3 && queue.walkIns[1]?.appointmentID == 40)
    }
}
