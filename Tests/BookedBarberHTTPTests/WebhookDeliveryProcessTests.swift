import Testing

extension RealProcessTests {
    /// Tests/Python/webhooks against the real process: every delivery verified by the
    /// `standardwebhooks` library, retries of a failing receiver, delivery of what was pending at
    /// `kill -9`, redelivery, refusal of private targets, and ended deliveries (given up, delivered)
    /// still listed after `kill -9` and a restart, with the replay's digest equal to the live one.
    @Suite struct WebhookDeliveryProcessTests {
        @Test func webhookDeliveriesPassTheStandardWebhooksReceiver() async throws {
            let (status, output) = try await PythonSuite.run("webhooks")
            #expect(status == 0, "pytest Tests/Python/webhooks failed:\n\(output)")
        }
    }
}
