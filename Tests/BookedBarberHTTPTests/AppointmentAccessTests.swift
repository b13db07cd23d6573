import Foundation
import Hummingbird
import Testing

/// `GET /api/v2/appointments/{id}`: its client, its barber and admins see it; anyone else is 403;
/// an unknown id is 404.
@Suite struct AppointmentAccessTests {
    @Test func onlyTheOwnerTheBarberAndAdminsSeeAnAppointment() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin, email: "own@shop.test")
            _ = try await api.createBarber(adminToken: admin, email: "other@shop.test")
            let service = try await api.createService(adminToken: admin)
            let owner = try await api.register("owner@example.com")
            let stranger = try await api.register("stranger@example.com")
            let booked = try await api.book(owner.token, barber: barber, service: service, start: "2027-03-03T10:00:00-05:00")
            #expect(booked.status == .created)

            for token in [owner.token, admin, try await api.login("own@shop.test", "barber-password")] {
                let seen = try await api.appointment(booked.id, token: token)
                #expect(seen.status == .ok, "\(seen.raw)")
                #expect(seen.canonical == booked.canonical)
            }
            expectError(try await api.appointment(booked.id, token: stranger.token), .forbidden, "forbidden")
            expectError(
                try await api.appointment(booked.id, token: try await api.login("other@shop.test", "barber-password")), .forbidden,
                "forbidden")
            expectError(try await api.send(.get, "/api/v2/appointments/\(booked.id)"), .unauthorized, "unauthorized")
        }
    }

    @Test func unknownAndNonNumericIdsAre404() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let client = try await api.register("c@example.com")
            for path in ["/api/v2/appointments/999", "/api/v2/appointments/0", "/api/v2/appointments/abc"] {
                expectError(try await api.send(.get, path, token: client.token), .notFound, "not_found")
                expectError(try await api.send(.get, path, token: admin), .notFound, "not_found")
            }
            for action in ["cancel", "reschedule", "complete", "no-show"] {
                let response = try await api.send(
                    .post, "/api/v2/appointments/999/\(action)", token: admin, json: ["start": "2027-03-03T10:00:00-05:00"])
                expectError(response, .notFound, "not_found")
            }
        }
    }
}
