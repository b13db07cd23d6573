import BookedBarberServer
import BookingCore
import Testing

/// The delivery lag figure (`bookedbarber_webhook_delivery_lag_seconds`) counts every delivery:
/// an event whose recording time this process no longer holds is measured from its `createdAt`
/// and read long rather than short.
@Suite struct WebhookLagTests {
    static let event = Event(
        sequence: 7, type: .queueUpdated, createdAt: Instant(seconds: 1_000), payload: .queue(QueueBoard(entries: [])))

    @Test func aRecentEventIsMeasuredFromItsRecordingTime() {
        let recorded = ContinuousClock.now - .milliseconds(30)
        let lag = WebhookDelivery.lag(of: Self.event, now: Instant(seconds: 9_999), recordedAt: recorded)
        #expect(lag >= .milliseconds(30) && lag < .seconds(5))
    }

    @Test func anOlderEventIsMeasuredFromItsCreationRoundedUp() {
        #expect(WebhookDelivery.lag(of: Self.event, now: Instant(seconds: 1_004), recordedAt: nil) == .seconds(5))
        #expect(WebhookDelivery.lag(of: Self.event, now: Instant(seconds: 1_000), recordedAt: nil) == .seconds(1))
        // A clock set back never gives a negative lag.
        #expect(WebhookDelivery.lag(of: Self.event, now: Instant(seconds: 990), recordedAt: nil) == .seconds(1))
    }
}
