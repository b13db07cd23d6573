import Foundation
import Hummingbird
import Testing

/// `POST /api/v2/barbers/{id}/time-off` and `DELETE …/time-off/{timeOffId}`.
@Suite struct BarberTimeOffTests {
    @Test func creatingTimeOffAnswers201WithItsFieldsAndRemovesSlots() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let response = try await api.send(
                .post, "/api/v2/barbers/\(barber)/time-off", token: admin,
                json: ["start": "2027-03-03T15:00:00Z", "end": "2027-03-03T12:00:00-05:00", "reason": "dentist"])
            #expect(response.status == .created, "\(response.raw)")
            #expect(Set(response.object.keys) == ["id", "start", "end", "reason"])
            #expect(response.id > 0)
            #expect(response["start"] as? String == "2027-03-03T10:00:00-05:00")
            #expect(response["end"] as? String == "2027-03-03T12:00:00-05:00")
            #expect(response["reason"] as? String == "dentist")

            let starts = try await api.slotStarts(service: service, date: "2027-03-03", barber: barber)
            // A 30-minute slot must end by 10:00 or start at 12:00 or later.
            #expect(starts.contains("2027-03-03T09:30:00-05:00"))
            #expect(!starts.contains("2027-03-03T09:45:00-05:00"))
            #expect(!starts.contains { $0 > "2027-03-03T09:30:00-05:00" && $0 < "2027-03-03T12:00:00-05:00" })
            #expect(starts.contains("2027-03-03T12:00:00-05:00"))
            #expect(starts.count == 31 - 9)
            let client = try await api.register("c@example.com")
            let refused = try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T11:00:00-05:00")
            expectError(refused, .unprocessableContent, "outside_hours")
        }
    }

    @Test func theReasonIsNullWhenAbsent() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin)
            let response = try await api.send(
                .post, "/api/v2/barbers/\(barber)/time-off", token: admin,
                json: ["start": "2027-03-03T10:00:00-05:00", "end": "2027-03-03T11:00:00-05:00"])
            #expect(response.status == .created)
            #expect(Set(response.object.keys) == ["id", "start", "end", "reason"])
            #expect(response["reason"] is NSNull)
            #expect(response.raw.contains(#""reason":null"#))
        }
    }

    @Test func anEndNotAfterTheStartIs422() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin)
            for (start, end) in [("2027-03-03T11:00:00-05:00", "2027-03-03T10:00:00-05:00"),
                                 ("2027-03-03T11:00:00-05:00", "2027-03-03T16:00:00Z")] {
                let response = try await api.send(.post, "/api/v2/barbers/\(barber)/time-off", token: admin, json: ["start": start, "end": end])
                expectError(response, .unprocessableContent, "validation_failed")
            }
        }
    }

    @Test func malformedTimeOffIs400() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin)
            for body: [String: Any] in [["start": "2027-03-03T10:00:00", "end": "2027-03-03T11:00:00Z"],
                                        ["start": "2027-03-03", "end": "2027-03-04"], ["start": "2027-03-03T10:00:00Z"],
                                        ["start": 1, "end": 2]] {
                let response = try await api.send(.post, "/api/v2/barbers/\(barber)/time-off", token: admin, json: body)
                expectError(response, .badRequest, "bad_request")
            }
        }
    }

    @Test func deletingTimeOffAnswers204AndFreesTheSlots() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let created = try await api.send(
                .post, "/api/v2/barbers/\(barber)/time-off", token: admin,
                json: ["start": "2027-03-03T00:00:00-05:00", "end": "2027-03-04T00:00:00-05:00", "reason": "holiday"])
            #expect(try await api.slotStarts(service: service, date: "2027-03-03", barber: barber).isEmpty)

            let deleted = try await api.send(.delete, "/api/v2/barbers/\(barber)/time-off/\(created.id)", token: admin)
            #expect(deleted.status == .noContent)
            #expect(deleted.raw.isEmpty)
            #expect(try await api.slotStarts(service: service, date: "2027-03-03", barber: barber).count == 31)

            expectError(try await api.send(.delete, "/api/v2/barbers/\(barber)/time-off/\(created.id)", token: admin), .notFound, "not_found")
        }
    }

    @Test func deletingUnknownTimeOffIs404() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let first = try await api.createBarber(adminToken: admin)
            let second = try await api.createBarber(adminToken: admin)
            let created = try await api.send(
                .post, "/api/v2/barbers/\(first)/time-off", token: admin,
                json: ["start": "2027-03-03T10:00:00-05:00", "end": "2027-03-03T11:00:00-05:00"])
            for path in ["/api/v2/barbers/\(first)/time-off/999", "/api/v2/barbers/\(first)/time-off/abc",
                         "/api/v2/barbers/\(second)/time-off/\(created.id)", "/api/v2/barbers/999/time-off/\(created.id)"] {
                expectError(try await api.send(.delete, path, token: admin), .notFound, "not_found")
            }
            expectError(
                try await api.send(.post, "/api/v2/barbers/999/time-off", token: admin,
                                   json: ["start": "2027-03-03T10:00:00-05:00", "end": "2027-03-03T11:00:00-05:00"]),
                .notFound, "not_found")
        }
    }

    @Test func thatBarberManagesTheirTimeOffAndNobodyElseButTheAdmin() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let own = try await api.createBarber(adminToken: admin, email: "own@shop.test")
            let other = try await api.createBarber(adminToken: admin, email: "other@shop.test")
            let ownToken = try await api.login("own@shop.test", "barber-password")
            let otherToken = try await api.login("other@shop.test", "barber-password")
            let client = try await api.register("c@example.com")
            let body = ["start": "2027-03-03T10:00:00-05:00", "end": "2027-03-03T11:00:00-05:00"]

            let created = try await api.send(.post, "/api/v2/barbers/\(own)/time-off", token: ownToken, json: body)
            #expect(created.status == .created, "\(created.raw)")
            expectError(try await api.send(.post, "/api/v2/barbers/\(own)/time-off", token: otherToken, json: body), .forbidden, "forbidden")
            expectError(try await api.send(.post, "/api/v2/barbers/\(own)/time-off", token: client.token, json: body), .forbidden, "forbidden")
            expectError(try await api.send(.post, "/api/v2/barbers/\(own)/time-off", json: body), .unauthorized, "unauthorized")

            let path = "/api/v2/barbers/\(own)/time-off/\(created.id)"
            expectError(try await api.send(.delete, path, token: otherToken), .forbidden, "forbidden")
            expectError(try await api.send(.delete, path, token: client.token), .forbidden, "forbidden")
            expectError(try await api.send(.delete, path), .unauthorized, "unauthorized")
            #expect(try await api.send(.delete, path, token: ownToken).status == .noContent)

            let byAdmin = try await api.send(.post, "/api/v2/barbers/\(other)/time-off", token: admin, json: body)
            #expect(byAdmin.status == .created)
            #expect(try await api.send(.delete, "/api/v2/barbers/\(other)/time-off/\(byAdmin.id)", token: admin).status == .noContent)
        }
    }
}
