import BookingCore
import Testing

@testable import BookedBarberHTTP

/// The one-time showings of a new webhook's secret: a token works once, for its endpoint and its
/// visitor only, until it expires; the table keeps at most `capacity` grants, dropping the oldest.
@Suite struct WebhookSecretRevealsTests {
    static let now = Instant(seconds: 1_800_000_000)

    @Test func aTokenWorksOnceForItsEndpointAndVisitorOnly() {
        let reveals = WebhookSecretReveals()
        let token = reveals.grant(webhook: 1, visitor: "admin-a", now: Self.now)
        #expect(!reveals.take(token, webhook: 2, visitor: "admin-a", now: Self.now))
        #expect(!reveals.take(token, webhook: 1, visitor: "admin-b", now: Self.now))
        #expect(!reveals.take("made-up", webhook: 1, visitor: "admin-a", now: Self.now))
        #expect(reveals.take(token, webhook: 1, visitor: "admin-a", now: Self.now))
        #expect(!reveals.take(token, webhook: 1, visitor: "admin-a", now: Self.now), "used up")
    }

    @Test func aTokenExpiresAfterItsLifetime() {
        let reveals = WebhookSecretReveals()
        let late = reveals.grant(webhook: 1, visitor: "admin", now: Self.now)
        #expect(!reveals.take(late, webhook: 1, visitor: "admin", now: Self.now.adding(seconds: WebhookSecretReveals.lifetimeSeconds)))
        let inTime = reveals.grant(webhook: 1, visitor: "admin", now: Self.now)
        #expect(reveals.take(inTime, webhook: 1, visitor: "admin", now: Self.now.adding(seconds: WebhookSecretReveals.lifetimeSeconds - 1)))
    }

    @Test func atMostCapacityGrantsAreKeptTheOldestDroppedFirst() {
        let reveals = WebhookSecretReveals()
        let tokens = (0...WebhookSecretReveals.capacity).map { index in
            reveals.grant(webhook: index + 1, visitor: "admin", now: Self.now.adding(seconds: Int64(index)))
        }
        let now = Self.now.adding(seconds: Int64(WebhookSecretReveals.capacity))
        #expect(!reveals.take(tokens[0], webhook: 1, visitor: "admin", now: now), "the oldest grant was dropped")
        #expect(reveals.take(tokens[1], webhook: 2, visitor: "admin", now: now))
        #expect(reveals.take(tokens[WebhookSecretReveals.capacity], webhook: WebhookSecretReveals.capacity + 1, visitor: "admin", now: now))
        #expect(Set(tokens).count == tokens.count, "tokens are random")
    }
}
