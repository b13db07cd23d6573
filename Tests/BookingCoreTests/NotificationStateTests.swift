import BookingCore
import Testing

/// Delivery progress per webhook endpoint: what an endpoint is owed, how finished deliveries
/// (in any order) move its acknowledged position, and which events the ring may drop.
@Suite struct NotificationStateTests {
    static let appointment = Appointment(
        id: 1, barberID: 1, clientID: 1, serviceID: 1, start: Instant(seconds: 100), end: Instant(seconds: 200),
        status: .confirmed, priceCents: 1, notes: nil, createdAt: Instant(seconds: 0))

    static func record(_ state: inout NotificationState, _ type: EventType) {
        state.apply(.eventRecorded(Event(
            sequence: state.lastSequence + 1, type: type, createdAt: Instant(seconds: 0), payload: .appointment(appointment))))
    }

    static func endpoint(_ id: WebhookID, _ events: EventSelection, active: Bool = true) -> WebhookEndpoint {
        WebhookEndpoint(
            id: id, url: "https://x.test/\(id)", events: events, description: "", isActive: active, secret: [1], createdAt: Instant(seconds: 0))
    }

    @Test func anEndpointIsOwedOnlyTheEventsAfterItsCreationOfItsTypes() {
        var state = NotificationState()
        Self.record(&state, .appointmentCreated)
        state.apply(.webhookSaved(Self.endpoint(1, .only([.appointmentCreated]))))
        Self.record(&state, .appointmentCreated)
        Self.record(&state, .appointmentCancelled)
        Self.record(&state, .appointmentCreated)
        #expect(state.pending(for: 1).map(\.sequence) == [2, 4])
        #expect(state.pending(for: 1, limit: 1).map(\.sequence) == [2])
    }

    @Test func aFilteredPendingReadSkipsWhatTheCallerHoldsAndLooksNoFurtherThanItsWindow() {
        var state = NotificationState()
        state.apply(.webhookSaved(Self.endpoint(1, .only([.appointmentCreated]))))
        for type in [EventType.appointmentCreated, .appointmentCancelled, .appointmentCreated, .appointmentCreated, .appointmentCreated] {
            Self.record(&state, type)
        }
        // Owed: 1, 3, 4, 5 (2 is of another type).
        #expect(state.pending(for: 1, where: { $0 != 3 }).map(\.sequence) == [1, 4, 5])
        #expect(state.pending(for: 1, limit: 1, where: { $0 != 1 }).map(\.sequence) == [3])
        // The window counts owed events, the skipped ones included: 1 and 3 fill it.
        #expect(state.pending(for: 1, window: 2, where: { $0 > 3 }).isEmpty)
        #expect(state.pending(for: 1, window: 3, where: { $0 > 3 }).map(\.sequence) == [4])
        #expect(state.owes(1, 3) && !state.owes(1, 2) && !state.owes(1, 6) && !state.owes(2, 1))
        state.apply(.deliveryFinished(webhook: 1, event: 3, outcome: .delivered))
        #expect(!state.owes(1, 3) && state.owes(1, 4))
        state.apply(.deliveryFinished(webhook: 1, event: 1, outcome: .givenUp))
        #expect(!state.owes(1, 1), "past the acknowledged position")
    }

    @Test func deliveriesFinishingOutOfOrderMoveTheAcknowledgedPositionOnlyWhenContiguous() {
        var state = NotificationState()
        state.apply(.webhookSaved(Self.endpoint(1, .all)))
        for _ in 0..<4 { Self.record(&state, .appointmentCreated) }
        state.apply(.deliveryFinished(webhook: 1, event: 3, outcome: .delivered))
        #expect(state.progress[1] == WebhookProgress(acknowledged: 0, finished: [3]))
        #expect(state.pending(for: 1).map(\.sequence) == [1, 2, 4])
        state.apply(.deliveryFinished(webhook: 1, event: 1, outcome: .givenUp))
        #expect(state.progress[1] == WebhookProgress(acknowledged: 1, finished: [3]))
        state.apply(.deliveryFinished(webhook: 1, event: 2, outcome: .delivered))
        #expect(state.progress[1] == WebhookProgress(acknowledged: 3, finished: []))
        state.apply(.deliveryFinished(webhook: 1, event: 2, outcome: .delivered))
        #expect(state.progress[1] == WebhookProgress(acknowledged: 3, finished: []), "a repeated outcome changes nothing")
        #expect(state.pending(for: 1).map(\.sequence) == [4])
    }

    @Test func anEndpointSwitchedOffAndOnIsOwedOnlyWhatCameAfter() {
        var state = NotificationState()
        state.apply(.webhookSaved(Self.endpoint(1, .all)))
        Self.record(&state, .appointmentCreated)
        state.apply(.webhookSaved(Self.endpoint(1, .all, active: false)))
        #expect(state.pending(for: 1).isEmpty)
        Self.record(&state, .appointmentCreated)
        state.apply(.webhookSaved(Self.endpoint(1, .all)))
        Self.record(&state, .appointmentCreated)
        #expect(state.pending(for: 1).map(\.sequence) == [3])
    }

    @Test func theRingKeepsWhatAnActiveEndpointIsOwedAndDropsTheRest() {
        var state = NotificationState()
        state.apply(.webhookSaved(Self.endpoint(1, .only([.appointmentNoShow]))))
        state.apply(.webhookSaved(Self.endpoint(2, .only([.appointmentCreated]))))
        Self.record(&state, .appointmentCreated)  // owed to endpoint 2
        let total = NotificationState.retainedEvents + 3_000
        for _ in 1..<total { Self.record(&state, .appointmentCancelled) }
        #expect(state.events.first?.sequence == 1, "event 1 is still owed to endpoint 2")
        #expect(state.progress[1]?.acknowledged == EventSequence(total), "types an endpoint does not take never hold it back")
        state.apply(.deliveryFinished(webhook: 2, event: 1, outcome: .delivered))
        Self.record(&state, .appointmentCancelled)
        #expect(state.events.count < NotificationState.retainedEvents + 1_100)
        #expect(state.events.count >= NotificationState.retainedEvents)
        #expect(state.events.last?.sequence == EventSequence(total + 1))
        #expect(state.event(EventSequence(total + 1))?.type == .appointmentCancelled)
        #expect(state.event(1) == nil)
    }

    @Test func anEndpointThatLagsBehindHasTheRingTrimmedInWholeStepsNotAtEveryEvent() {
        var state = NotificationState()
        state.apply(.webhookSaved(Self.endpoint(1, .all)))
        let backlog = NotificationState.retainedEvents + 2 * NotificationState.trimStep
        for _ in 0..<backlog { Self.record(&state, .appointmentCreated) }
        #expect(state.events.first?.sequence == 1, "all of them are owed")
        // The endpoint catches up one delivery per new event: the owed position creeps forward.
        var firsts: [EventSequence] = [1]
        for delivered in 1...EventSequence(3 * NotificationState.trimStep) {
            state.apply(.deliveryFinished(webhook: 1, event: delivered, outcome: .delivered))
            Self.record(&state, .appointmentCreated)
            let first = state.events.first!.sequence
            #expect(first <= delivered + 1, "event \(delivered + 1) is still owed")
            if first != firsts.last { firsts.append(first) }
        }
        #expect(firsts.count > 1, "the ring was trimmed")
        for (before, after) in zip(firsts, firsts.dropFirst()) {
            #expect(after - before >= EventSequence(NotificationState.trimStep), "trimmed \(after - before) events at once")
        }
    }

    @Test func eventIdsAndSelections() throws {
        #expect(Event.sequence(of: "evt_42") == 42)
        for bad in ["evt_0", "evt_-1", "evt_042", "evt_", "42", "evt_4x", "EVT_4"] { #expect(Event.sequence(of: bad) == nil, "\(bad)") }
        #expect(try EventSelection.parse(["*"]).get() == .all)
        #expect(try EventSelection.parse(["appointment.created", "appointment.created"]).get() == .only([.appointmentCreated]))
        for bad in [[], ["appointment.booked"], ["*", "appointment.created"]] {
            #expect(throws: BookingError.self) { try EventSelection.parse(bad).get() }
        }
    }
}
