import Foundation
import Hummingbird
import Testing

/// `PUT /api/v2/barbers/{id}/schedule`: who may set it, what is a valid week, and what it does to slots.
@Suite struct BarberScheduleTests {
    static var splitMonday: [String: Any] {
        ["weekly": ["monday": [["start": "13:00", "end": "17:00"], ["start": "09:00", "end": "12:00"]]], "buffer_minutes": 5]
    }

    @Test func theAdminSetsAScheduleAndGetsTheBarberBack() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin, hours: nil)
            let response = try await api.send(.put, "/api/v2/barbers/\(barber)/schedule", token: admin, json: Self.splitMonday)
            #expect(response.status == .ok, "\(response.raw)")
            #expect(Set(response.object.keys) == BarberRosterTests.fields)
            #expect(response.id == barber)
            #expect(response["buffer_minutes"] as? Int == 5)
            let weekly = try #require(response["weekly"] as? [String: [[String: String]]])
            // A missing day is a day off; periods come back sorted.
            #expect(Array(weekly.keys) == ["monday"])
            #expect(weekly["monday"] == [["start": "09:00", "end": "12:00"], ["start": "13:00", "end": "17:00"]])
            #expect(try await api.send(.get, "/api/v2/barbers/\(barber)").canonical == response.canonical)
        }
    }

    @Test func slotsStepFromTheStartOfEachPeriodAndOnlyOnWorkingDays() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin, hours: nil)
            let service = try await api.createService(adminToken: admin)
            let week: [String: Any] = ["weekly": ["wednesday": [["start": "09:00", "end": "10:00"], ["start": "10:10", "end": "11:00"]]]]
            #expect(try await api.send(.put, "/api/v2/barbers/\(barber)/schedule", token: admin, json: week).status == .ok)
            #expect(try await api.slotStarts(service: service, date: "2027-03-03", barber: barber) == [
                "2027-03-03T09:00:00-05:00", "2027-03-03T09:15:00-05:00", "2027-03-03T09:30:00-05:00",
                "2027-03-03T10:10:00-05:00", "2027-03-03T10:25:00-05:00",
            ])
            #expect(try await api.slotStarts(service: service, date: "2027-03-04", barber: barber).isEmpty)
            // Replacing the week replaces it whole.
            let thursday: [String: Any] = ["weekly": ["thursday": [["start": "12:00", "end": "13:00"]]]]
            #expect(try await api.send(.put, "/api/v2/barbers/\(barber)/schedule", token: admin, json: thursday).status == .ok)
            #expect(try await api.slotStarts(service: service, date: "2027-03-03", barber: barber).isEmpty)
            #expect(try await api.slotStarts(service: service, date: "2027-03-04", barber: barber).count == 3)
        }
    }

    @Test func thatBarberMaySetTheirOwnScheduleButNotAnothers() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let own = try await api.createBarber(adminToken: admin, name: "Own", email: "own@shop.test", hours: nil)
            let other = try await api.createBarber(adminToken: admin, name: "Other", hours: nil)
            let token = try await api.login("own@shop.test", "barber-password")

            let mine = try await api.send(.put, "/api/v2/barbers/\(own)/schedule", token: token, json: Self.splitMonday)
            #expect(mine.status == .ok, "\(mine.raw)")
            #expect(mine["buffer_minutes"] as? Int == 5)

            expectError(try await api.send(.put, "/api/v2/barbers/\(other)/schedule", token: token, json: Self.splitMonday), .forbidden, "forbidden")
            let client = try await api.register("client@example.com")
            expectError(try await api.send(.put, "/api/v2/barbers/\(own)/schedule", token: client.token, json: Self.splitMonday), .forbidden, "forbidden")
            expectError(try await api.send(.put, "/api/v2/barbers/\(own)/schedule", json: Self.splitMonday), .unauthorized, "unauthorized")
            #expect((try await api.send(.get, "/api/v2/barbers/\(other)")["weekly"] as? [String: Any])?.isEmpty == true)
        }
    }

    @Test(arguments: [
        ["monday": [["start": "09:00", "end": "12:00"], ["start": "11:30", "end": "17:00"]]],
        ["monday": [["start": "09:00", "end": "12:00"], ["start": "09:00", "end": "10:00"]]],
        ["tuesday": [["start": "12:00", "end": "09:00"]]],
        ["tuesday": [["start": "09:00", "end": "09:00"]]],
        ["funday": [["start": "09:00", "end": "17:00"]]],
        ["Monday": [["start": "09:00", "end": "17:00"]]],
    ])
    func anInvalidWeekIs422AndChangesNothing(weekly: [String: [[String: String]]]) async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin)
            let before = try await api.send(.get, "/api/v2/barbers/\(barber)").canonical
            let response = try await api.send(.put, "/api/v2/barbers/\(barber)/schedule", token: admin, json: ["weekly": weekly])
            expectError(response, .unprocessableContent, "validation_failed")
            #expect(try await api.send(.get, "/api/v2/barbers/\(barber)").canonical == before)
        }
    }

    @Test(arguments: [-1, 1441])
    func aBufferOutOfRangeIs422(buffer: Int) async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin, hours: nil)
            let response = try await api.send(
                .put, "/api/v2/barbers/\(barber)/schedule", token: admin,
                json: ["weekly": APIClient.everyDay("09:00", "17:00"), "buffer_minutes": buffer])
            expectError(response, .unprocessableContent, "validation_failed")
        }
    }

    @Test(arguments: [
        #"{"weekly":{"monday":[{"start":"9:00","end":"17:00"}]}}"#,
        #"{"weekly":{"monday":[{"start":"09:00","end":"25:00"}]}}"#,
        #"{"weekly":{"monday":[{"start":"09:60","end":"17:00"}]}}"#,
        #"{"weekly":{"monday":[{"start":"0900","end":"1700"}]}}"#,
        #"{"weekly":{"monday":[{"start":"09:00"}]}}"#,
        #"{"weekly":{"monday":{"start":"09:00","end":"17:00"}}}"#,
        #"{"buffer_minutes":0}"#,
        #"{"weekly":{},"buffer_minutes":"5"}"#,
    ])
    func aMalformedScheduleBodyIs400(body: String) async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin, hours: nil)
            expectError(
                try await api.send(.put, "/api/v2/barbers/\(barber)/schedule", token: admin, rawBody: body), .badRequest, "bad_request")
        }
    }

    @Test func aPeriodMayRunToMidnight() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin, hours: ("23:00", "24:00"))
            let service = try await api.createService(adminToken: admin)
            #expect(try await api.slotStarts(service: service, date: "2027-03-03", barber: barber) == [
                "2027-03-03T23:00:00-05:00", "2027-03-03T23:15:00-05:00", "2027-03-03T23:30:00-05:00",
            ])
        }
    }
}
