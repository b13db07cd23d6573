import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// The answer to an `Idempotency-Key` outlives the in-memory store: the key is logged with the
/// booking, so a repeat after a restart finds it. A request refused for its malformed body is not
/// remembered, so the client can retry the key with a corrected body.
@Suite struct IdempotencyAcrossRestartTests {
    @Test func aRepeatAfterARestartOfTheStoreGetsTheBookingNotASecondOne() async throws {
        let harness = try await APIHarness.make()
        let (client, barber, service) = try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            return (try await api.register("retry@example.com").token, barber, service)
        }
        @Sendable func bookOnce(_ api: APIClient) async throws -> (status: Int, id: Int?) {
            let response = try await api.send(
                .post, "/api/v2/appointments", token: client,
                json: ["barber_id": barber, "service_id": service, "start": "2027-03-03T15:00:00Z"],
                headers: [HTTPField.Name("Idempotency-Key")!: "after-restart"])
            return (response.status.code, response["id"] as? Int)
        }
        let first = try await harness.run(bookOnce)
        #expect(first.status == 201)
        // A new router has a new, empty in-memory store: as after a restart.
        let repeated = try await harness.run(bookOnce)
        #expect(repeated.status == 201)
        #expect(repeated.id != nil && repeated.id == first.id)
        let count = try await harness.run { api in try await api.listedIDs(client).count }
        #expect(count == 1)
    }

    @Test func aMalformedFirstAttemptIsNotRemembered() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let client = try await api.register("fixer@example.com").token
            let key = HTTPField.Name("Idempotency-Key")!
            let broken = try await api.send(.post, "/api/v2/appointments", token: client, rawBody: "{", headers: [key: "k1"])
            #expect(broken.status == .badRequest)
            let fixed = try await api.send(
                .post, "/api/v2/appointments", token: client,
                json: ["barber_id": barber, "service_id": service, "start": "2027-03-03T15:00:00Z"], headers: [key: "k1"])
            #expect(fixed.status == .created)
        }
    }
}
