import Foundation
import Hummingbird
import Testing

/// Admin-only routes: no token is 401, a client's or a barber's token is 403, and nothing changes.
@Suite struct RoleAccessTests {
    /// Every admin-only route with a body that would succeed for an admin.
    static func adminRoutes(barber: Int, service: Int) -> [(HTTPRequest.Method, String, [String: Any])] {
        [
            (.patch, "/api/v2/shop", ["name": "Taken over"]),
            (.post, "/api/v2/barbers", ["name": "Intruder"]),
            (.patch, "/api/v2/barbers/\(barber)", ["is_active": false]),
            (.post, "/api/v2/services", ["name": "Free cut", "duration_minutes": 30, "price_cents": 0]),
            (.patch, "/api/v2/services/\(service)", ["price_cents": 1]),
        ]
    }

    @Test func aClientOnAdminRoutesIs403AndChangesNothing() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let client = try await api.register("client@example.com")
            for (method, path, body) in Self.adminRoutes(barber: barber, service: service) {
                expectError(try await api.send(method, path, token: client.token, json: body), .forbidden, "forbidden")
            }
            try await expectNothingChanged(api, barber: barber, service: service)
        }
    }

    @Test func aBarberOnAdminRoutesIs403() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin, email: "bo@shop.test")
            let service = try await api.createService(adminToken: admin)
            let token = try await api.login("bo@shop.test", "barber-password")
            for (method, path, body) in Self.adminRoutes(barber: barber, service: service) {
                expectError(try await api.send(method, path, token: token, json: body), .forbidden, "forbidden")
            }
            try await expectNothingChanged(api, barber: barber, service: service)
        }
    }

    @Test func noTokenOnAdminRoutesIs401() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            for (method, path, body) in Self.adminRoutes(barber: barber, service: service) {
                expectError(try await api.send(method, path, json: body), .unauthorized, "unauthorized")
            }
            try await expectNothingChanged(api, barber: barber, service: service)
        }
    }

    private func expectNothingChanged(_ api: APIClient, barber: Int, service: Int) async throws {
        #expect((try await api.send(.get, "/api/v2/shop"))["name"] as? String == "BookedBarber")
        let barbers = try await api.send(.get, "/api/v2/barbers").list("barbers")
        #expect(barbers.compactMap { $0["id"] as? Int } == [barber])
        let services = try await api.send(.get, "/api/v2/services").list("services")
        #expect(services.compactMap { $0["id"] as? Int } == [service])
        #expect(services.first?["price_cents"] as? Int == 2500)
    }
}
