import BookedBarberHTTP
import BookingCore
import Foundation
import Hummingbird
import TestSupport
import Testing

/// Only an unexpired HS256 token signed with the server's secret authenticates; every other
/// `Authorization` is 401 `unauthorized` with the JSON error body.
@Suite struct BearerTokenRefusalTests {
    /// A client's real token, split into its three base64url parts.
    private func clientToken(_ api: APIClient) async throws -> (token: String, parts: [String]) {
        let token = try await api.register("tess@example.com").token
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        #expect(parts.count == 3)
        return (token, parts)
    }

    private func expectRefused(_ api: APIClient, authorization: String?, sourceLocation: SourceLocation = #_sourceLocation)
        async throws
    {
        var headers: HTTPFields = [:]
        if let authorization { headers[.authorization] = authorization }
        let response = try await api.send(.get, "/api/v2/auth/me", headers: headers)
        expectError(response, .unauthorized, "unauthorized", sourceLocation: sourceLocation)
    }

    private static func claims(_ part: String) throws -> [String: Any]? {
        guard let data = Base64URL.decode(part) else { return nil }
        return try JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    @Test func aValidTokenIsAccepted() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let (token, _) = try await clientToken(api)
            let me = try await api.send(.get, "/api/v2/auth/me", token: token)
            #expect(me.status == .ok)
            #expect(me["email"] as? String == "tess@example.com")
        }
    }

    @Test func noTokenIs401() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in try await expectRefused(api, authorization: nil) }
    }

    @Test(arguments: ["Bearer garbage", "Bearer ", "Bearer a.b.c", "Basic dXNlcjpwYXNz", "tokenwithoutscheme"])
    func aGarbageAuthorizationIs401(authorization: String) async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in try await expectRefused(api, authorization: authorization) }
    }

    @Test func aTokenSignedWithAnotherSecretIs401() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let registered = try await api.register("uma@example.com")
            let forger = await TokenIssuer(secret: Array("some-other-secret-some-other-secret".utf8), lifetime: .seconds(3600))
            let user = User(id: registered.id, email: "uma@example.com", name: "Uma", role: .admin, phone: nil, passwordHash: "")
            let forged = try await forger.issue(for: user, barberID: nil)
            try await expectRefused(api, authorization: "Bearer \(forged)")
            let patch = try await api.send(.patch, "/api/v2/shop", token: forged, json: ["name": "Forged"])
            expectError(patch, .unauthorized, "unauthorized")
        }
    }

    @Test func aTamperedPayloadWithTheOriginalSignatureIs401() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let (_, parts) = try await clientToken(api)
            var claims = try #require(try Self.claims(parts[1]))
            #expect(claims["role"] as? String == "client")
            claims["role"] = "admin"
            let tampered = [parts[0], Base64URL.encode(try JSONSerialization.data(withJSONObject: claims)), parts[2]].joined(separator: ".")
            try await expectRefused(api, authorization: "Bearer \(tampered)")
            let patch = try await api.send(.patch, "/api/v2/shop", token: tampered, json: ["name": "Tampered"])
            expectError(patch, .unauthorized, "unauthorized")
            #expect((try await api.send(.get, "/api/v2/shop"))["name"] as? String == "BookedBarber")
        }
    }

    @Test func aTokenWithoutItsSignatureIs401() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let (_, parts) = try await clientToken(api)
            try await expectRefused(api, authorization: "Bearer \(parts[0]).\(parts[1]).")
            try await expectRefused(api, authorization: "Bearer \(parts[0]).\(parts[1])")
        }
    }

    @Test func anAlgNoneTokenIs401() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let (_, parts) = try await clientToken(api)
            var claims = try #require(try Self.claims(parts[1]))
            claims["role"] = "admin"
            let payload = Base64URL.encode(try JSONSerialization.data(withJSONObject: claims))
            for algorithm in ["none", "None", "NONE"] {
                let header = Base64URL.encode(Data(#"{"alg":"\#(algorithm)","typ":"JWT"}"#.utf8))
                try await expectRefused(api, authorization: "Bearer \(header).\(payload).")
                let patch = try await api.send(.patch, "/api/v2/shop", token: "\(header).\(payload).", json: ["name": "None"])
                expectError(patch, .unauthorized, "unauthorized")
            }
        }
    }

    @Test func anExpiredTokenIs401() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let registered = try await api.register("vic@example.com")
            // Signed with the server's own secret, but expired an hour ago.
            let issuer = await TokenIssuer(secret: APIHarness.jwtSecret, lifetime: .seconds(-3600), clock: { harness.clock.now })
            let user = User(id: registered.id, email: "vic@example.com", name: "Vic", role: .client, phone: nil, passwordHash: "")
            try await expectRefused(api, authorization: "Bearer \(try await issuer.issue(for: user, barberID: nil))")
            // The same issuer with a live lifetime is accepted, so the expiry is what was refused.
            let live = await TokenIssuer(secret: APIHarness.jwtSecret, lifetime: .seconds(3600), clock: { harness.clock.now })
            let accepted = try await api.send(.get, "/api/v2/auth/me", token: try await live.issue(for: user, barberID: nil))
            #expect(accepted.status == .ok)
        }
    }

    @Test func aTokenOutlivingTheConfiguredLifetimeIs401() async throws {
        let harness = try await APIHarness.make { $0.auth.tokenLifetime = .seconds(1) }
        try await harness.run { api in
            let token = try await api.register("wes@example.com").token
            #expect(try await api.send(.get, "/api/v2/auth/me", token: token).status == .ok)
            harness.clock.advance(seconds: 1)
            // Verified once and remembered: the remembered token expires at its `exp` too.
            expectError(try await api.send(.get, "/api/v2/auth/me", token: token), .unauthorized, "unauthorized")
        }
    }

    @Test func aWellSignedTokenForAnUnknownUserIs401() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let issuer = await TokenIssuer(secret: APIHarness.jwtSecret, lifetime: .seconds(3600), clock: { harness.clock.now })
            let ghost = User(id: 9_999, email: "ghost@example.com", name: "Ghost", role: .client, phone: nil, passwordHash: "")
            try await expectRefused(api, authorization: "Bearer \(try await issuer.issue(for: ghost, barberID: nil))")
        }
    }
}

/// base64url without padding, as JWTs use it.
enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
