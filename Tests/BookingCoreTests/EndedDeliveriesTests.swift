import BookingCore
import Foundation
import Testing

/// The ended deliveries `NotificationState` keeps for the deliveries list: a `deliveryEnded`
/// finishes the delivery as `deliveryFinished` does and keeps its final attempt, the newest 200
/// per endpoint; deleting the endpoint drops them; the same changes give the same state; an error
/// is cut to 200 bytes on a character boundary.
@Suite struct EndedDeliveriesTests {
    static func ended(_ event: EventSequence, attempt: Int = 1, outcome: DeliveryOutcome = .delivered, error: String? = nil) -> EndedDelivery {
        EndedDelivery(
            event: event, type: .appointmentCreated, outcome: outcome, attempt: attempt, statusCode: outcome == .delivered ? 204 : 503,
            error: error, durationMilliseconds: 3, at: Instant(seconds: 1_000 + event))
    }

    static func state(events: Int, endpoints: [WebhookID] = [1]) -> NotificationState {
        var state = NotificationState()
        for id in endpoints { state.apply(.webhookSaved(NotificationStateTests.endpoint(id, .all))) }
        for _ in 0..<events { NotificationStateTests.record(&state, .appointmentCreated) }
        return state
    }

    @Test func anEndedDeliveryFinishesItAsAnOutcomeDoesAndIsKept() {
        var byOutcome = Self.state(events: 3)
        var byEnd = byOutcome
        byOutcome.apply(.deliveryFinished(webhook: 1, event: 2, outcome: .givenUp))
        byEnd.apply(.deliveryEnded(webhook: 1, Self.ended(2, attempt: 7, outcome: .givenUp)))
        #expect(byEnd.progress == byOutcome.progress)
        #expect(byEnd.pending(for: 1).map(\.sequence) == [1, 3])
        #expect(byEnd.endedDeliveries(1) == [Self.ended(2, attempt: 7, outcome: .givenUp)])
        #expect(byOutcome.endedDeliveries(1).isEmpty, "an outcome of an older build has no attempt to show")
        // An endpoint deleted before its delivery's record: nothing is kept.
        byEnd.apply(.deliveryEnded(webhook: 9, Self.ended(3)))
        #expect(byEnd.endedDeliveries(9).isEmpty && byEnd.endpointsWithEndedDeliveries == [1])
    }

    @Test func the201stEndedDeliveryDropsTheOldest() {
        var state = Self.state(events: 201, endpoints: [1, 2])
        for event in 1...200 { state.apply(.deliveryEnded(webhook: 1, Self.ended(EventSequence(event)))) }
        state.apply(.deliveryEnded(webhook: 2, Self.ended(1)))
        #expect(state.endedDeliveries(1).count == NotificationState.retainedEndedDeliveries)
        #expect(state.endedDeliveries(1).first?.event == 1)
        state.apply(.deliveryEnded(webhook: 1, Self.ended(201)))
        #expect(state.endedDeliveries(1).map(\.event) == Array(2...201))
        #expect(state.endedDeliveries(2).map(\.event) == [1], "the bound is per endpoint")
        #expect(state.progress[1]?.acknowledged == 201, "the dropped one stays delivered")
    }

    @Test func deletingAnEndpointDropsItsEndedDeliveries() throws {
        var state = Self.state(events: 2, endpoints: [1, 2])
        let before = state
        state.apply(.deliveryEnded(webhook: 1, Self.ended(1)))
        state.apply(.deliveryEnded(webhook: 2, Self.ended(2)))
        state.apply(.webhookDeleted(1))
        #expect(state.endedDeliveries(1).isEmpty && state.endpointsWithEndedDeliveries == [2])
        state.apply(.webhookDeleted(2))
        #expect(state.endpointsWithEndedDeliveries.isEmpty)
        // With none left, the state is, and encodes as, one that never had any.
        var deleted = before
        deleted.apply(.webhookDeleted(1))
        deleted.apply(.webhookDeleted(2))
        #expect(state == deleted)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(try encoder.encode(state) == encoder.encode(deleted))
        #expect(!String(decoding: try encoder.encode(state), as: UTF8.self).contains("\"ended\""))
    }

    @Test func theSameChangesGiveTheSameStateAndDigest() throws {
        var changes: [NotificationChange] = [.webhookSaved(NotificationStateTests.endpoint(1, .all)), .webhookSaved(NotificationStateTests.endpoint(2, .all))]
        for event in 1...320 {
            changes.append(.eventRecorded(Event(
                sequence: EventSequence(event), type: .appointmentCreated, createdAt: Instant(seconds: 0),
                payload: .appointment(NotificationStateTests.appointment))))
            changes.append(.deliveryEnded(webhook: event % 3 == 0 ? 2 : 1, Self.ended(EventSequence(event), attempt: event % 4 + 1)))
        }
        changes.append(.webhookDeleted(2))
        var live = NotificationState()
        var replayed = NotificationState()
        for change in changes { live.apply(change) }
        for change in changes { replayed.apply(change) }
        #expect(live == replayed)
        #expect(live.endedDeliveries(1).count == 200 && live.endedDeliveries(1).last?.event == 320)
        let liveState = ShopState(registry: ShopRegistry(), calendars: [], notifications: live)
        let replayedState = ShopState(registry: ShopRegistry(), calendars: [], notifications: replayed)
        #expect(liveState.canonicalEncoding() == replayedState.canonicalEncoding())
        #expect(String(decoding: liveState.canonicalEncoding(), as: UTF8.self).contains("\"ended\""), "the digest covers them")
    }

    @Test func anErrorIsCutTo200BytesOnACharacterBoundary() throws {
        // 199 ASCII bytes then "é" (2 bytes) would be 201: the "é" does not fit and is dropped whole.
        let text = String(repeating: "a", count: 199) + "é" + "tail"
        let cut = try #require(Self.ended(1, error: text).error)
        #expect(cut == String(repeating: "a", count: 199))
        // A character of several scalars (e + combining acute) is kept whole or not at all.
        let combining = String(repeating: "b", count: 198) + "e\u{301}" + "x"
        #expect(EndedDelivery.truncated(combining) == String(repeating: "b", count: 198))
        // 4-byte characters: 50 fit exactly.
        let emoji = String(repeating: "😀", count: 60)
        #expect(EndedDelivery.truncated(emoji) == String(repeating: "😀", count: 50))
        #expect(EndedDelivery.truncated(emoji).utf8.count == 200)
        let short = "connection refused"
        #expect(Self.ended(1, error: short).error == short)
        #expect(EndedDelivery.truncated(String(repeating: "z", count: 200)).utf8.count == 200)
    }
}
