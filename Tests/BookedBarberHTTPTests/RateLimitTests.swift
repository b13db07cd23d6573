import BookedBarberHTTP
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// A monotonic clock tests move by hand, for the rate limiter's buckets.
final class ManualDurationClock: Sendable {
    private let current = Mutex(Duration.seconds(1_000))
    var now: Duration { current.withLock { $0 } }
    func advance(by step: Duration) { current.withLock { $0 += step } }
}

/// Per-client budgets over HTTP: 429 `rate_limited` with `Retry-After` once a client has spent
/// its budget, a far smaller budget for login and register, and `X-Forwarded-For` believed only
/// from a trusted proxy. The router tests have no socket peer: every request there is the one
/// "unknown" client. Time is a `ManualDurationClock`; nothing sleeps.
@Suite struct RateLimitTests {
    static func harness(clock: ManualDurationClock, _ configure: @escaping (inout ServerConfiguration.RateLimit) -> Void)
        async throws -> APIHarness
    {
        try await APIHarness.make { configuration in
            configuration.http.port = 0  // for the live tests
            configuration.rateLimit.enabled = true
            configuration.rateLimit.clock = { clock.now }
            configure(&configuration.rateLimit)
        }
    }

    @Test func theRequestAfterTheBudgetIs429WithRetryAfterAndTheContractsErrorBody() async throws {
        let clock = ManualDurationClock()
        let harness = try await Self.harness(clock: clock) {
            $0.requestsPerSecond = 1
            $0.burst = 5
        }
        try await harness.run { api in
            for _ in 0..<5 { #expect(try await api.send(.get, "/api/v2/shop").status == .ok) }
            let refused = try await api.send(.get, "/api/v2/shop")
            expectError(refused, .tooManyRequests, "rate_limited")
            #expect(refused.headers[.retryAfter] == "1")
            #expect(refused.headers[HTTPField.Name("X-Request-Id")!] != nil, "the 429 has the usual headers")
            // Other routes share the client's budget; the probes have none.
            expectError(try await api.send(.get, "/api/v2/barbers"), .tooManyRequests, "rate_limited")
            #expect(try await api.send(.get, "/health").status == .ok)
            #expect(try await api.send(.get, "/readiness").status == .ok)
        }
    }

    @Test func tokensComeBackAsTimePasses() async throws {
        let clock = ManualDurationClock()
        let harness = try await Self.harness(clock: clock) {
            $0.requestsPerSecond = 2
            $0.burst = 2
        }
        try await harness.run { api async throws in
            for _ in 0..<2 { #expect(try await api.send(.get, "/api/v2/shop").status == .ok) }
            #expect(try await api.send(.get, "/api/v2/shop").status == .tooManyRequests)
            clock.advance(by: .milliseconds(500))
            #expect(try await api.send(.get, "/api/v2/shop").status == .ok)
            #expect(try await api.send(.get, "/api/v2/shop").status == .tooManyRequests)
            clock.advance(by: .seconds(60))
            for _ in 0..<2 { #expect(try await api.send(.get, "/api/v2/shop").status == .ok) }
            #expect(try await api.send(.get, "/api/v2/shop").status == .tooManyRequests, "a quiet minute saves up only the burst")
        }
    }

    @Test func loginAndRegisterHaveAMuchStricterBudgetOfTheirOwn() async throws {
        let clock = ManualDurationClock()
        let harness = try await Self.harness(clock: clock) {
            $0.requestsPerSecond = 50
            $0.burst = 100
            $0.authPerMinute = 6
            $0.authBurst = 3
        }
        try await harness.run { api in
            let guess = ["email": APIHarness.adminEmail, "password": "wrong-password"]
            for _ in 0..<3 { #expect(try await api.send(.post, "/api/v2/auth/login", json: guess).status == .unauthorized) }
            let refused = try await api.send(.post, "/api/v2/auth/login", json: guess)
            expectError(refused, .tooManyRequests, "rate_limited")
            #expect(refused.headers[.retryAfter] == "10", "6 per minute: the next attempt in 10 s")
            // Register draws on the same budget, also under another spelling of the path.
            let signUp = ["email": "new@example.com", "password": "password123", "name": "New"]
            expectError(try await api.send(.post, "/api/v2/auth/register", json: signUp), .tooManyRequests, "rate_limited")
            expectError(try await api.send(.post, "//api/v2/auth/login/", json: guess), .tooManyRequests, "rate_limited")
            // The general budget is untouched by that.
            for _ in 0..<20 { #expect(try await api.send(.get, "/api/v2/shop").status == .ok) }
            clock.advance(by: .seconds(10))
            #expect(try await api.send(.post, "/api/v2/auth/register", json: signUp).status == .created)
            #expect(try await api.send(.post, "/api/v2/auth/login", json: guess).status == .tooManyRequests)
        }
    }

    @Test func aSpoofedForwardedForFromAnUntrustedPeerBuysNoFreshBudget() async throws {
        let clock = ManualDurationClock()
        let harness = try await Self.harness(clock: clock) {
            $0.requestsPerSecond = 1
            $0.burst = 3
        }
        try await Self.live(harness) { client async throws in
            for index in 1...3 {
                #expect(try await Self.status(client, forwardedFor: "203.0.113.\(index)") == .ok)
            }
            #expect(try await Self.status(client, forwardedFor: "203.0.113.4") == .tooManyRequests)
        }
    }

    @Test func behindATrustedProxyEachForwardedClientHasItsOwnBudget() async throws {
        let clock = ManualDurationClock()
        let harness = try await Self.harness(clock: clock) {
            $0.requestsPerSecond = 1
            $0.burst = 3
            $0.trustedProxies = [IPAddressRange("127.0.0.1")!, IPAddressRange("::1")!]
        }
        try await Self.live(harness) { client async throws in
            for _ in 1...3 { #expect(try await Self.status(client, forwardedFor: "198.51.100.1") == .ok) }
            #expect(try await Self.status(client, forwardedFor: "198.51.100.1") == .tooManyRequests)
            // What the client itself wrote before the proxy's address does not change who it is.
            #expect(try await Self.status(client, forwardedFor: "192.0.2.99, 198.51.100.1") == .tooManyRequests)
            #expect(try await Self.status(client, forwardedFor: "198.51.100.2") == .ok)
            // Without the header, the proxy's own address: a budget of its own too.
            #expect(try await Self.status(client, forwardedFor: nil) == .ok)
        }
    }

    static func live(_ harness: APIHarness, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await harness.app.makeApplication(services: [], logger: Logger(label: "rate-limit-test")).test(.live) { client in
            try await body(client)
        }
    }

    static func status(_ client: any TestClientProtocol, forwardedFor: String?) async throws -> HTTPResponse.Status {
        var headers: HTTPFields = [:]
        if let forwardedFor { headers[HTTPField.Name("X-Forwarded-For")!] = forwardedFor }
        return try await client.execute(uri: "/api/v2/shop", method: .get, headers: headers) { $0.status }
    }
}
