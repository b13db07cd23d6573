import BookedBarberHTTP
import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// Browsers on the origins of `--cors-origin` may call the API; other origins get no grant, and
/// without any configured origin nothing changes (`OPTIONS` stays 405 with `Allow`).
@Suite struct CORSAllowListTests {
    static let shopOrigin = "https://book.example.com"

    static func preflight(_ api: APIClient, origin: String, path: String = "/api/v2/appointments") async throws -> APIResponse {
        try await api.send(
            .options, path,
            headers: [.origin: origin, .accessControlRequestMethod: "POST", .accessControlRequestHeaders: "authorization, content-type"])
    }

    static func vary(_ response: APIResponse) -> [String] {
        response.headers[values: .vary].flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    @Test func withNoConfiguredOriginThereAreNoCORSHeadersAndOptionsStays405() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let preflight = try await Self.preflight(api, origin: Self.shopOrigin)
            expectError(preflight, .methodNotAllowed, "method_not_allowed")
            #expect(preflight.headers[.allow] != nil)
            #expect(preflight.headers[.accessControlAllowOrigin] == nil)
            let get = try await api.send(.get, "/api/v2/shop", headers: [.origin: Self.shopOrigin])
            #expect(get.status == .ok)
            #expect(get.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test func aPreflightFromAnAllowedOriginIsGranted() async throws {
        let harness = try await APIHarness.make { $0.cors.allowedOrigins = [Self.shopOrigin, "https://admin.example.com"] }
        try await harness.run { api in
            let granted = try await Self.preflight(api, origin: Self.shopOrigin)
            #expect(granted.status == .noContent, "\(granted.raw)")
            #expect(granted.headers[.accessControlAllowOrigin] == Self.shopOrigin)
            let methods = Set((granted.headers[.accessControlAllowMethods] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(methods.isSuperset(of: ["GET", "POST", "PUT", "PATCH", "DELETE"]))
            let headers = Set(
                (granted.headers[.accessControlAllowHeaders] ?? "").lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(headers.isSuperset(of: ["authorization", "content-type", "idempotency-key", "x-request-id"]))
            #expect(granted.headers[.accessControlMaxAge] == "600")
            #expect(Self.vary(granted).contains("Origin"))
            #expect(granted.headers[.accessControlAllowCredentials] == nil)

            let other = try await Self.preflight(api, origin: "https://admin.example.com", path: "/api/v2/shop")
            #expect(other.status == .noContent)
            #expect(other.headers[.accessControlAllowOrigin] == "https://admin.example.com")
        }
    }

    @Test func anOriginNotOnTheListGetsNoGrantAndNoCORSHeaders() async throws {
        let harness = try await APIHarness.make { $0.cors.allowedOrigins = [Self.shopOrigin] }
        try await harness.run { api in
            for origin in ["https://evil.example", "http://book.example.com", "https://book.example.com.evil.example", "null"] {
                let preflight = try await Self.preflight(api, origin: origin)
                expectError(preflight, .methodNotAllowed, "method_not_allowed")
                #expect(preflight.headers[.accessControlAllowOrigin] == nil, "\(origin)")
                #expect(preflight.headers[.accessControlAllowMethods] == nil, "\(origin)")
                let get = try await api.send(.get, "/api/v2/shop", headers: [.origin: origin])
                #expect(get.status == .ok)
                #expect(get.headers[.accessControlAllowOrigin] == nil, "\(origin)")
                #expect(Self.vary(get).contains("Origin"), "the answer depends on Origin, so caches must know")
            }
            // OPTIONS without Access-Control-Request-Method is no preflight, even from the shop.
            expectError(try await api.send(.options, "/api/v2/shop", headers: [.origin: Self.shopOrigin]), .methodNotAllowed, "method_not_allowed")
        }
    }

    @Test func answersToAnAllowedOriginCarryAllowOriginErrorsIncluded() async throws {
        let harness = try await APIHarness.make { $0.cors.allowedOrigins = [Self.shopOrigin + "/"] }
        try await harness.run { api in
            let shop = try await api.send(.get, "/api/v2/shop", headers: [.origin: Self.shopOrigin])
            #expect(shop.status == .ok)
            #expect(shop.headers[.accessControlAllowOrigin] == Self.shopOrigin)
            #expect(shop.headers[.accessControlExposeHeaders]?.contains("Retry-After") == true)
            let refused = try await api.send(.get, "/api/v2/auth/me", headers: [.origin: Self.shopOrigin])
            expectError(refused, .unauthorized, "unauthorized")
            #expect(refused.headers[.accessControlAllowOrigin] == Self.shopOrigin)
        }
    }
}
