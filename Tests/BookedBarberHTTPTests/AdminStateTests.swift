import Foundation
import Hummingbird
import Testing

/// `GET /api/v2/admin/state` (admin): `{"lsn": N, "digest": "<hex SHA-256 of the canonical state>"}`.
@Suite struct AdminStateTests {
    private func state(_ api: APIClient, _ token: String) async throws -> (lsn: Int, digest: String) {
        let response = try await api.send(.get, "/api/v2/admin/state", token: token)
        #expect(response.status == .ok, "\(response.raw)")
        return (response["lsn"] as? Int ?? -1, response["digest"] as? String ?? "")
    }

    @Test func theStateIsAnLSNAndAHexSHA256Digest() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (lsn, digest) = try await state(api, admin)
            #expect(lsn > 0)
            #expect(digest.count == 64)
            #expect(digest.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
    }

    @Test func theDigestIsStableAtRestAndFollowsEveryChange() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let first = try await state(api, admin)
            // Reads change nothing.
            _ = try await api.send(.get, "/api/v2/shop")
            _ = try await api.send(.get, "/api/v2/barbers")
            let again = try await state(api, admin)
            #expect(again.lsn == first.lsn)
            #expect(again.digest == first.digest)

            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let afterSetUp = try await state(api, admin)
            #expect(afterSetUp.lsn > first.lsn)
            #expect(afterSetUp.digest != first.digest)

            let client = try await api.register("c@example.com")
            let booked = try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T10:00:00-05:00")
            let afterBooking = try await state(api, admin)
            #expect(afterBooking.lsn > afterSetUp.lsn)
            #expect(afterBooking.digest != afterSetUp.digest)

            // A refused request changes neither.
            _ = try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T10:00:00-05:00")
            let afterRefusal = try await state(api, admin)
            #expect(afterRefusal.lsn == afterBooking.lsn)
            #expect(afterRefusal.digest == afterBooking.digest)

            _ = try await api.send(.post, "/api/v2/appointments/\(booked.id)/cancel", token: client.token)
            #expect(try await state(api, admin).digest != afterBooking.digest)
        }
    }

    @Test func onlyAnAdminMayReadTheState() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let client = try await api.register("c@example.com")
            expectError(try await api.send(.get, "/api/v2/admin/state", token: client.token), .forbidden, "forbidden")
            expectError(try await api.send(.get, "/api/v2/admin/state"), .unauthorized, "unauthorized")
        }
    }
}
