import HTTPTypes
import Hummingbird
import Testing

/// Every answer, error answers included, carries the security headers and a request id.
@Suite struct ResponseHeadersTests {
    static let security: [(String, String)] = [
        ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "no-referrer"),
        ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    ]

    @Test func securityHeadersAreOnSuccessesAndErrors() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            for response in [
                try await api.send(.get, "/api/v2/shop"), try await api.send(.get, "/nowhere"),
                try await api.send(.get, "/api/v2/auth/me"), try await api.send(.post, "/api/v2/auth/login", rawBody: "{"),
            ] {
                for (name, value) in Self.security {
                    #expect(response.headers[HTTPField.Name(name)!] == value, "\(name) on \(response.status)")
                }
            }
        }
    }

    @Test func aClientsRequestIDIsEchoedAndOneIsMadeWhenMissingOrUnusable() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let name = HTTPField.Name("X-Request-Id")!
            let given = try await api.send(.get, "/api/v2/shop", headers: [name: "trace-42"])
            #expect(given.headers[name] == "trace-42")
            let made = try await api.send(.get, "/api/v2/shop")
            let first = try #require(made.headers[name])
            #expect(!first.isEmpty)
            let other = try await api.send(.get, "/api/v2/shop")
            #expect(other.headers[name] != first)
            let unusable = try await api.send(.get, "/api/v2/shop", headers: [name: String(repeating: "x", count: 200)])
            #expect(unusable.headers[name]?.count ?? 0 < 200)
        }
    }
}
