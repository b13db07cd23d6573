import BookedBarberHTTP
import BookingCore
import BookingEngine
import Foundation
import Logging
import Testing

@testable import BookedBarberServer

/// `WebhookDelivery.run()` and `MailDelivery.run()` run once per instance: a second call, even
/// one made while the first is running, stops the process at its precondition instead of
/// starting a second delivery loop (which would start the same attempts twice). Each case runs
/// in a child process; both calls are made from cancelled tasks, so without the precondition
/// both loops end at once and the child exits 0, which fails the test rather than hanging it.
@Suite struct DeliveryServicesRunOnceTests {
    /// Two concurrent calls of `run`, both cancelled at once (run in the exit test's child process).
    static func runTwice(_ run: @escaping @Sendable () async -> Void) async {
        let first = Task { await run() }
        let second = Task { await run() }
        first.cancel()
        second.cancel()
        await first.value
        await second.value
    }

    @Test func webhookDeliveryRunTwiceStopsAtItsPrecondition() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let engine = ShopEngine(clock: { Instant(seconds: 1_800_000_000) })
            let delivery = WebhookDelivery(
                engine: engine, configuration: ServerConfiguration.Notifications(), metrics: ServerMetrics(), logger: Logger(label: "run-once"))
            await Self.runTwice { await delivery.run() }
        }
        let said = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(said.contains("WebhookDelivery.run() called a second time"), "the child's standard error: \(said)")
    }

    @Test func mailDeliveryRunTwiceStopsAtItsPrecondition() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let engine = ShopEngine(clock: { Instant(seconds: 1_800_000_000) })
            let delivery = MailDelivery(
                engine: engine, command: ["/bin/true"], sender: MailAddress("bookings@shop.test")!, configuration: ServerConfiguration.Mail(),
                metrics: ServerMetrics(), logger: Logger(label: "run-once"))
            await Self.runTwice { await delivery.run() }
        }
        let said = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(said.contains("MailDelivery.run() called a second time"), "the child's standard error: \(said)")
    }
}
