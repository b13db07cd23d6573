import BookingCore
import Foundation
import Testing

/// Mail's part of the notification state: what is owed once mail is on, one mail at a time per
/// appointment, outcomes in any order, switching off and on, the ring held for mail, reminder
/// marks bounded by the appointments to come, and nothing in the digest while there is nothing.
@Suite struct MailProgressTests {
    static func appointment(_ id: AppointmentID, start: Int64 = 100_000) -> Appointment {
        Appointment(
            id: id, barberID: 1, clientID: 1, serviceID: 1, start: Instant(seconds: start), end: Instant(seconds: start + 1_800),
            status: .confirmed, priceCents: 1, notes: nil, createdAt: Instant(seconds: 0))
    }

    static func record(_ state: inout NotificationState, _ type: EventType, _ id: AppointmentID = 1) {
        state.apply(.eventRecorded(Event(
            sequence: state.lastSequence + 1, type: type, createdAt: Instant(seconds: 10 * (state.lastSequence + 1)),
            payload: .appointment(appointment(id)))))
    }

    @Test func onlyEventsAfterMailWasSwitchedOnAndOfMailedTypesAreOwed() {
        var state = NotificationState()
        Self.record(&state, .appointmentCreated, 1)
        #expect(state.pendingMail().isEmpty, "mail is off")
        state.apply(.mailSwitched(on: true, at: Instant(seconds: 0)))
        Self.record(&state, .appointmentCreated, 2)
        Self.record(&state, .appointmentCompleted, 1)
        Self.record(&state, .appointmentNoShow, 3)
        Self.record(&state, .appointmentCreated, 4)
        #expect(state.pendingMail().map(\.sequence) == [2, 5])
        #expect(state.pendingMail(limit: 1).map(\.sequence) == [2])
        #expect(state.mail?.events?.acknowledged == 1)
    }

    @Test func aLaterMailOfAnAppointmentWaitsForTheEarlierOne() {
        var state = NotificationState()
        state.apply(.mailSwitched(on: true, at: Instant(seconds: 0)))
        Self.record(&state, .appointmentCreated, 1)
        Self.record(&state, .appointmentRescheduled, 1)
        Self.record(&state, .appointmentCreated, 2)
        Self.record(&state, .appointmentCancelled, 1)
        #expect(state.pendingMail().map(\.sequence) == [1, 3])
        state.apply(.mailFinished(event: 1, outcome: .handedOff))
        #expect(state.pendingMail().map(\.sequence) == [2, 3])
        state.apply(.mailFinished(event: 3, outcome: .skipped))
        #expect(state.mail?.events == EventMailProgress(acknowledged: 1, finished: [3]))
        state.apply(.mailFinished(event: 2, outcome: .handedOff))
        #expect(state.mail?.events == EventMailProgress(acknowledged: 3, finished: []))
        state.apply(.mailFinished(event: 2, outcome: .handedOff))
        #expect(state.mail?.events == EventMailProgress(acknowledged: 3, finished: []), "a repeated outcome changes nothing")
        #expect(state.pendingMail().map(\.sequence) == [4])
    }

    @Test func theRevisionAsOfAnEventIsItsSequenceThen() {
        var state = NotificationState()
        Self.record(&state, .appointmentCreated, 1)
        Self.record(&state, .appointmentRescheduled, 1)
        Self.record(&state, .appointmentCreated, 2)
        Self.record(&state, .appointmentCancelled, 1)
        #expect(state.revisions[1]?.sequence == 2)
        let asked = [4, 1, 3, 2].map { state.event($0)! }
        #expect(state.revisions(asOf: asked) == [
            AppointmentRevision(sequence: 2, changedAt: Instant(seconds: 40)), AppointmentRevision(sequence: 0, changedAt: Instant(seconds: 10)),
            AppointmentRevision(sequence: 0, changedAt: Instant(seconds: 30)), AppointmentRevision(sequence: 1, changedAt: Instant(seconds: 20)),
        ])
        #expect(state.revisions(asOf: []).isEmpty)
    }

    @Test func switchingOffDropsWhatIsOwedAndOnAgainStartsFromThen() {
        var state = NotificationState()
        state.apply(.mailSwitched(on: true, at: Instant(seconds: 0)))
        Self.record(&state, .appointmentCreated, 1)
        state.apply(.reminderFinished(appointment: 9, start: Instant(seconds: 5_000), offset: 7_200, outcome: .handedOff, at: Instant(seconds: 0)))
        state.apply(.mailSwitched(on: false, at: Instant(seconds: 1)))
        #expect(state.pendingMail().isEmpty)
        #expect(state.mail == MailProgress(events: nil, reminders: [9: ReminderMark(start: Instant(seconds: 5_000), offset: 7_200)]),
                "the reminders handed off are kept")
        state.apply(.mailFinished(event: 1, outcome: .handedOff))
        state.apply(.reminderFinished(appointment: 8, start: Instant(seconds: 9_000), offset: 60, outcome: .handedOff, at: Instant(seconds: 1)))
        #expect(state.mail?.events == nil && state.mail?.reminders.count == 1, "outcomes while off change nothing")
        Self.record(&state, .appointmentCreated, 2)
        state.apply(.mailSwitched(on: true, at: Instant(seconds: 2)))
        Self.record(&state, .appointmentCreated, 3)
        #expect(state.pendingMail().map(\.sequence) == [3])
        state.apply(.mailSwitched(on: false, at: Instant(seconds: 6_000)))
        #expect(state.mail == nil, "off, and the only mark's start has passed: nothing left")
        #expect(state.isEmpty == false)
    }

    @Test func reminderMarksKeepTheSmallestOffsetAndGoOnceTheStartHasPassed() {
        var state = NotificationState()
        state.apply(.mailSwitched(on: true, at: Instant(seconds: 0)))
        func sent(_ id: AppointmentID, start: Int64, offset: Int64, at: Int64) {
            state.apply(.reminderFinished(
                appointment: id, start: Instant(seconds: start), offset: offset, outcome: .handedOff, at: Instant(seconds: at)))
        }
        sent(1, start: 100_000, offset: 86_400, at: 13_600)
        sent(1, start: 100_000, offset: 7_200, at: 92_800)
        sent(1, start: 100_000, offset: 86_400, at: 92_801)
        #expect(state.mail?.reminders[1] == ReminderMark(start: Instant(seconds: 100_000), offset: 7_200))
        sent(1, start: 120_000, offset: 86_400, at: 92_802)
        #expect(state.mail?.reminders[1] == ReminderMark(start: Instant(seconds: 120_000), offset: 86_400), "moved: the new start's mark")
        sent(2, start: 95_000, offset: 7_200, at: 92_803)
        sent(3, start: 200_000, offset: 86_400, at: 120_000)
        #expect(state.mail?.reminders.keys.sorted() == [3], "marks of appointments that started by then are gone")
    }

    @Test func theRingKeepsWhatMailIsOwedUntilItIsOff() {
        var state = NotificationState()
        state.apply(.mailSwitched(on: true, at: Instant(seconds: 0)))
        Self.record(&state, .appointmentCreated, 1)
        for _ in 0..<(NotificationState.retainedEvents + 2_000) { Self.record(&state, .appointmentCompleted, 2) }
        #expect(state.events.first?.sequence == 1, "event 1 is still owed a mail")
        state.apply(.mailSwitched(on: false, at: Instant(seconds: 0)))
        Self.record(&state, .appointmentCompleted, 2)
        #expect(state.events.first!.sequence > 1)
        #expect(state.events.count < NotificationState.retainedEvents + 1_100)
    }

    @Test func aStateWithoutMailEncodesAsBeforeMailExisted() throws {
        var state = NotificationState()
        Self.record(&state, .appointmentCreated, 1)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let before = String(decoding: try encoder.encode(state), as: UTF8.self)
        #expect(!before.contains("\"mail\""))
        state.apply(.mailSwitched(on: true, at: Instant(seconds: 0)))
        #expect(String(decoding: try encoder.encode(state), as: UTF8.self).contains("\"mail\""))
        state.apply(.mailSwitched(on: false, at: Instant(seconds: 0)))
        #expect(String(decoding: try encoder.encode(state), as: UTF8.self) == before)
        #expect(NotificationState().isEmpty)
        var onlyMail = NotificationState()
        onlyMail.apply(.mailSwitched(on: true, at: Instant(seconds: 0)))
        #expect(!onlyMail.isEmpty, "mail switched on is state of its own")
    }
}
