import Foundation
import Hummingbird
import Testing

/// Unknown routes, known paths with a wrong method, and the shape every error body shares.
/// (`/` is the booking page of the contract's "Web pages", so it is not among the unknown routes.)
@Suite struct ErrorEnvelopeTests {
    @Test(arguments: ["/nothing-here", "/api/v2", "/api/v2/nothing", "/api/v1/shop", "/api/v2/barbers/1/holidays", "/api/v2/appointments/1/archive",
                      "/healthz"])
    func anUnknownRouteIs404NotFoundJSON(path: String) async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            expectError(try await api.send(.get, path), .notFound, "not_found")
            expectError(try await api.send(.post, path, token: admin, json: ["x": 1]), .notFound, "not_found")
        }
    }

    @Test(arguments: [
        (HTTPRequest.Method.delete, "/api/v2/shop", "GET, HEAD, PATCH"),
        (.post, "/api/v2/shop", "GET, HEAD, PATCH"),
        (.get, "/api/v2/auth/login", "POST"),
        (.get, "/api/v2/auth/register", "POST"),
        (.post, "/api/v2/auth/me", "GET, HEAD"),
        (.delete, "/api/v2/barbers", "GET, HEAD, POST"),
        (.put, "/api/v2/barbers/1", "GET, HEAD, PATCH"),
        (.get, "/api/v2/barbers/1/schedule", "PUT"),
        (.get, "/api/v2/barbers/1/time-off", "POST"),
        (.get, "/api/v2/barbers/1/time-off/2", "DELETE"),
        (.put, "/api/v2/services", "GET, HEAD, POST"),
        (.delete, "/api/v2/appointments", "GET, HEAD, POST"),
        (.post, "/api/v2/appointments/slots", "GET, HEAD"),
        (.delete, "/api/v2/appointments/1", "GET, HEAD"),
        (.get, "/api/v2/appointments/1/cancel", "POST"),
        (.get, "/api/v2/appointments/1/reschedule", "POST"),
        (.get, "/api/v2/appointments/1/complete", "POST"),
        (.put, "/api/v2/appointments/1/no-show", "POST"),
        (.post, "/health", "GET, HEAD"),
        (.post, "/readiness", "GET, HEAD"),
        (.delete, "/metrics", "GET, HEAD"),
        (.post, "/api/v2/admin/state", "GET, HEAD"),
    ])
    /// HEAD is served wherever GET is (the router answers it without a body), so `Allow` lists it.
    func aKnownPathWithAnotherMethodIs405WithAnAllowHeader(method: HTTPRequest.Method, path: String, allow: String) async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let response = try await api.send(method, path, token: admin, json: ["name": "X"])
            expectError(response, .methodNotAllowed, "method_not_allowed")
            let allowed = Set((response.headers[.allow] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(allowed == Set(allow.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }))
        }
    }

    @Test func everyErrorBodyIsExactlyCodeAndMessage() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let client = try await api.register("c@example.com")
            _ = try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T10:00:00-05:00")
            let samples: [(APIResponse, HTTPResponse.Status, String)] = [
                (try await api.send(.post, "/api/v2/appointments", token: client.token, rawBody: "{"), .badRequest, "bad_request"),
                (try await api.send(.get, "/api/v2/auth/me"), .unauthorized, "unauthorized"),
                (try await api.send(.patch, "/api/v2/shop", token: client.token, json: ["name": "X"]), .forbidden, "forbidden"),
                (try await api.send(.get, "/api/v2/barbers/999"), .notFound, "not_found"),
                (try await api.send(.put, "/api/v2/shop", token: admin, json: [String: Any]()), .methodNotAllowed, "method_not_allowed"),
                (try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T10:00:00-05:00"), .conflict, "slot_taken"),
                (try await api.send(.post, "/api/v2/auth/register", json: ["email": "c@example.com", "password": "password123", "name": "C"]),
                 .conflict, "email_taken"),
                (try await api.send(.post, "/api/v2/services", token: admin, json: ["name": "X", "duration_minutes": 0, "price_cents": 0]),
                 .unprocessableContent, "validation_failed"),
                (try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T20:00:00-05:00"),
                 .unprocessableContent, "outside_hours"),
                (try await api.book(client.token, barber: barber, service: service, start: "2027-03-01T07:15:00-05:00"),
                 .unprocessableContent, "too_soon"),
                (try await api.book(client.token, barber: barber, service: service, start: "2027-12-01T10:00:00-05:00"),
                 .unprocessableContent, "too_far"),
                (try await api.send(.post, "/api/v2/auth/login", rawBody: String(repeating: " ", count: 65 * 1024)),
                 .contentTooLarge, "payload_too_large"),
            ]
            for (response, status, code) in samples { expectError(response, status, code) }
        }
    }

    @Test func unauthorizedAnswersNameTheBearerScheme() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let response = try await api.send(.get, "/api/v2/auth/me")
            #expect(response.headers[.wwwAuthenticate]?.lowercased().hasPrefix("bearer") == true)
        }
    }
}
