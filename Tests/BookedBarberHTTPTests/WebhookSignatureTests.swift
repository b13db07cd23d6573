import BookedBarberServer
import Foundation
import Testing

/// Standard Webhooks signatures, checked against the test vector the specification publishes
/// (github.com/standard-webhooks/standard-webhooks, the libraries' shared tests).
@Suite struct WebhookSignatureTests {
    @Test func theSpecificationsTestVectorSignsAsPublished() throws {
        let secret = try #require(Data(base64Encoded: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let signature = WebhookDelivery.signature(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Data(#"{"test": 2432232314}"#.utf8),
            secret: Array(secret))
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func anyChangeOfIdTimestampBodyOrKeyChangesTheSignature() throws {
        let secret = Array(try #require(Data(base64Encoded: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")))
        let body = Data(#"{"test": 2432232314}"#.utf8)
        let reference = WebhookDelivery.signature(id: "msg_1", timestamp: 1, body: body, secret: secret)
        #expect(WebhookDelivery.signature(id: "msg_2", timestamp: 1, body: body, secret: secret) != reference)
        #expect(WebhookDelivery.signature(id: "msg_1", timestamp: 2, body: body, secret: secret) != reference)
        #expect(WebhookDelivery.signature(id: "msg_1", timestamp: 1, body: body + Data(" ".utf8), secret: secret) != reference)
        // (Not `secret + [0]`: HMAC pads short keys with zero bytes, so that is the same key.)
        #expect(WebhookDelivery.signature(id: "msg_1", timestamp: 1, body: body, secret: secret.dropLast() + [secret.last! ^ 1]) != reference)
    }
}
