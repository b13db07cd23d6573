import BookingCore
import BookingEngine
import TestSupport
import Testing

/// `ShopEngine.deliveries`, what the deliveries route and the admin page list: the ended
/// deliveries the log keeps merged with this process's attempts, newest first, `limit` honoured,
/// a final attempt listed once (from the log, with its outcome) though it is in both, and one
/// whose record is not in the log yet listed without an outcome.
@Suite struct WebhookDeliveriesListTests {
    static func attempt(_ event: EventSequence, _ number: Int, at: Instant, status: Int?, next: Instant?, outcome: DeliveryOutcome?)
        -> WebhookAttempt
    {
        WebhookAttempt(
            event: event, type: .appointmentCreated, attempt: number, statusCode: status, error: status == nil ? "refused" : nil,
            durationMilliseconds: 5, at: at, nextAttemptAt: next, outcome: outcome)
    }

    static func ended(_ attempt: WebhookAttempt) -> DeliveryFinished {
        DeliveryFinished(
            webhook: 0,
            delivery: EndedDelivery(
                event: attempt.event, type: attempt.type, outcome: attempt.outcome!, attempt: attempt.attempt, statusCode: attempt.statusCode,
                error: attempt.error, durationMilliseconds: attempt.durationMilliseconds, at: attempt.at))
    }

    @Test func theFinalAttemptIsListedOnceNewestFirstWithItsOutcomeOnceLogged() async throws {
        let fixture = try await EngineFixture.make()
        let engine = fixture.engine
        let endpoint = try await engine.createWebhook(url: "https://hooks.example.com/a", events: ["*"], description: "", secret: [1])
        let t = EngineFixture.now
        // Event 1: two failures, then delivered (logged). Event 2: one failure, retry pending.
        // Event 3: delivered, its record not yet written. A manual redelivery of event 1 (ends nothing).
        let made = [
            Self.attempt(1, 1, at: t, status: 500, next: t.adding(seconds: 5), outcome: nil),
            Self.attempt(1, 2, at: t.adding(seconds: 5), status: nil, next: t.adding(seconds: 65), outcome: nil),
            Self.attempt(2, 1, at: t.adding(seconds: 30), status: 503, next: t.adding(seconds: 90), outcome: nil),
            Self.attempt(1, 3, at: t.adding(seconds: 65), status: 204, next: nil, outcome: .delivered),
            Self.attempt(3, 1, at: t.adding(seconds: 70), status: 204, next: nil, outcome: .delivered),
            Self.attempt(1, 1, at: t.adding(seconds: 80), status: 204, next: nil, outcome: nil),
        ]
        for attempt in made { engine.webhookAttempts.record(attempt, for: endpoint.id) }
        var logged = Self.ended(made[3])
        logged.webhook = endpoint.id
        await engine.recordDeliveries([logged])

        let listed = await engine.deliveries(of: endpoint.id, limit: 50)
        var event3 = made[4]
        event3.outcome = nil
        #expect(listed == [made[5], event3, made[3], made[2], made[1], made[0]])
        #expect(listed.filter { $0.event == 1 && $0.attempt == 3 }.count == 1)
        #expect(await engine.deliveries(of: endpoint.id, limit: 2) == [made[5], event3])

        // After a restart only the log is left: the final attempt, as it was.
        let restarted = ShopEngine(journal: RecordingJournal(), clock: { fixture.clock.now })
        await restarted.load(await engine.capture().state)
        #expect(await restarted.deliveries(of: endpoint.id, limit: 50) == [made[3]])
        #expect(await restarted.deliveries(of: endpoint.id + 1, limit: 50).isEmpty)

        // Deleting the endpoint forgets both.
        try await engine.deleteWebhook(endpoint.id)
        #expect(await engine.deliveries(of: endpoint.id, limit: 50).isEmpty)
    }

    @Test func theLogKeepsTheNewest200AndTheListShowsAtMost200() async throws {
        let fixture = try await EngineFixture.make()
        let engine = fixture.engine
        let endpoint = try await engine.createWebhook(url: "https://hooks.example.com/a", events: ["*"], description: "", secret: [1])
        let t = EngineFixture.now
        var ends: [DeliveryFinished] = []
        for event in 1...230 {
            var end = Self.ended(Self.attempt(
                EventSequence(event), 1, at: t.adding(seconds: Int64(event)), status: 204, next: nil, outcome: .delivered))
            end.webhook = endpoint.id
            ends.append(end)
        }
        await engine.recordDeliveries(ends)
        let listed = await engine.deliveries(of: endpoint.id, limit: 1_000)
        #expect(listed.count == 200)
        #expect(listed.first?.event == 230 && listed.last?.event == 31)
    }
}
