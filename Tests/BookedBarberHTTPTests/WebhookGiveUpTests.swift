import BookedBarberHTTP
import BookingCore
import BookingEngine
import Foundation
import Logging
import TestSupport
import Testing

@testable import BookedBarberServer

/// The contract's 24 h of webhook retries, with the engine's clock moved by hand: a failing
/// delivery is retried, not given up, within the day; the first attempt a day after the event is
/// the last, logged as given up with no next attempt (its final attempt kept in the log's ended
/// deliveries), and the endpoint is owed nothing more.
@Suite struct WebhookGiveUpTests {
    @Test func aDeliveryStillFailingADayAfterItsEventIsGivenUp() async throws {
        let clock = ManualClock(RFC3339.parse("2027-03-01T00:00:00Z")!)
        let engine = ShopEngine(clock: { clock.now })
        let admin = Requester(
            userID: try await engine.createUser(email: "admin@x.test", name: "A", phone: nil, role: .admin, passwordHash: "h").id, role: .admin)
        let day = [WorkPeriod(start: TimeOfDay(parsing: "09:00")!, end: TimeOfDay(parsing: "17:00")!)]
        let week = try WeeklySchedule.validated(Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, day) })).get()
        let barber = try await engine.setSchedule(
            try await engine.createBarber(name: "Sam", account: nil).id, weekly: week, bufferMinutes: 0, by: admin)
        let service = try await engine.createService(name: "Cut", durationMinutes: 30, priceCents: 100, barberIDs: nil)
        // Nothing listens on port 9 of the loopback: every attempt fails at once.
        let endpoint = try await engine.createWebhook(
            url: "http://127.0.0.1:9/hook", events: ["appointment.created"], description: "", secret: Array(repeating: 7, count: 24))
        var configuration = ServerConfiguration.Notifications()
        configuration.allowPrivateWebhooks = true
        configuration.webhookRetryDelays = [.seconds(60)]
        let delivery = WebhookDelivery(engine: engine, configuration: configuration, metrics: ServerMetrics(), logger: Logger(label: "give-up"))
        let running = Task { await delivery.run() }
        defer { running.cancel() }

        _ = try await engine.book(
            barberID: barber.id, serviceID: service.id, start: RFC3339.parse("2027-03-02T10:00:00Z")!, clientID: nil, notes: nil, by: admin)
        #expect(await eventually { engine.webhookAttempts.recent(endpoint.id, limit: 10).count == 1 })
        let first = try #require(engine.webhookAttempts.recent(endpoint.id, limit: 10).first)
        #expect(first.statusCode == nil && first.error != nil)
        #expect(first.nextAttemptAt != nil, "within the day a failure is retried")

        // Still within the day: retried, not given up.
        clock.set(RFC3339.parse("2027-03-01T23:59:00Z")!)
        #expect(await eventually { engine.webhookAttempts.recent(endpoint.id, limit: 10).count == 2 })
        #expect(engine.webhookAttempts.recent(endpoint.id, limit: 1).first?.nextAttemptAt != nil)
        #expect(engine.notifications.read { $0.pending(for: endpoint.id).count } == 1)

        // A day after the event: the attempt fails again and is the last.
        clock.set(RFC3339.parse("2027-03-02T00:05:00Z")!)
        #expect(await eventually {
            engine.notifications.read { $0.pending(for: endpoint.id).isEmpty } && engine.webhookAttempts.recent(endpoint.id, limit: 10).count == 3
        })
        let attempts = engine.webhookAttempts.recent(endpoint.id, limit: 10)
        #expect(attempts.count == 3)
        #expect(attempts.first?.attempt == 3 && attempts.first?.nextAttemptAt == nil && attempts.first?.statusCode == nil)
        #expect(engine.notifications.read { $0.progress[endpoint.id]?.acknowledged } == 1)
        // The final attempt is in the log's ended deliveries, and listed once, with its outcome.
        let ended = engine.notifications.read { $0.endedDeliveries(endpoint.id) }
        #expect(ended.map(\.attempt) == [3] && ended.first?.outcome == .givenUp && ended.first?.statusCode == nil)
        #expect(ended.first?.error == attempts.first?.error.map(EndedDelivery.truncated))
        let listed = await engine.deliveries(of: endpoint.id, limit: 10)
        #expect(listed.map(\.attempt) == [3, 2, 1] && listed.first?.outcome == .givenUp)
    }
}
