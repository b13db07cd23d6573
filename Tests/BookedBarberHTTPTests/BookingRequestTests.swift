import BookingCore
import Foundation
import Hummingbird
import Testing

/// `POST /api/v2/appointments`: the 201 answer, and every refusal the contract names for a booking.
@Suite struct BookingRequestTests {
    static let fields: Set<String> = [
        "id", "barber_id", "client_id", "service_id", "start", "end", "status", "price_cents", "notes", "created_at",
    ]

    /// A harness with a barber working 09:00-17:00 every day, a 30-minute service at 25.00, the admin's
    /// token and one client.
    private func withShop(buffer: Int = 0,
                          _ body: @Sendable (APIClient, _ admin: String, _ barber: Int, _ service: Int, _ client: (token: String, id: Int))
                              async throws -> Void) async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin, buffer: buffer)
            let client = try await api.register("client@example.com")
            try await body(api, admin, barber, service, client)
        }
    }

    @Test func aClientBooksAListedSlotAndGets201WithEveryField() async throws {
        try await withShop { api, admin, barber, service, client async throws in
            let response = try await api.book(
                client.token, barber: barber, service: service, start: "2027-03-03T15:30:00+01:00", notes: "short on the sides")
            #expect(response.status == .created, "\(response.raw)")
            #expect(Self.fields.isSubset(of: Set(response.object.keys)))
            #expect(response.id > 0)
            #expect(response["barber_id"] as? Int == barber)
            #expect(response["client_id"] as? Int == client.id)
            #expect(response["service_id"] as? Int == service)
            #expect(response["start"] as? String == "2027-03-03T09:30:00-05:00")
            #expect(response["end"] as? String == "2027-03-03T10:00:00-05:00")
            #expect(response["status"] as? String == "confirmed")
            #expect(response["price_cents"] as? Int == 2500)
            #expect(response["notes"] as? String == "short on the sides")
            #expect(response["created_at"] as? String == "2027-03-01T07:00:00-05:00")
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)

            let fetched = try await api.appointment(response.id, token: client.token)
            #expect(fetched.canonical == response.canonical)
        }
    }

    @Test func notesAreOptionalAndThePriceIsTheOneAtBookingTime() async throws {
        try await withShop { api, admin, barber, service, client async throws in
            let first = try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T10:00:00-05:00")
            #expect(first.status == .created)
            #expect(first["notes"] == nil || first["notes"] is NSNull)
            _ = try await api.send(.patch, "/api/v2/services/\(service)", token: admin, json: ["price_cents": 4000, "duration_minutes": 60])
            let second = try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T11:00:00-05:00")
            #expect(second["price_cents"] as? Int == 4000)
            #expect(second["end"] as? String == "2027-03-03T12:00:00-05:00")
            let kept = try await api.appointment(first.id, token: client.token)
            #expect(kept["price_cents"] as? Int == 2500)
            #expect(kept["end"] as? String == "2027-03-03T10:30:00-05:00")
            #expect(second.id > first.id)
        }
    }

    @Test func aClientStartOffTheSlotGridIs422ButStaffMayBookIt() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin, email: "bea@shop.test")
            let service = try await api.createService(adminToken: admin)
            let barberToken = try await api.login("bea@shop.test", "barber-password")
            let client = try await api.register("client@example.com")
            for start in ["2027-03-03T09:05:00-05:00", "2027-03-03T09:00:30-05:00", "2027-03-03T10:50:00-05:00"] {
                expectError(
                    try await api.book(client.token, barber: barber, service: service, start: start), .unprocessableContent,
                    "validation_failed")
            }
            let byAdmin = try await api.book(admin, barber: barber, service: service, start: "2027-03-03T09:05:00-05:00", clientID: client.id)
            #expect(byAdmin.status == .created, "\(byAdmin.raw)")
            #expect(byAdmin["client_id"] as? Int == client.id)
            #expect(byAdmin["start"] as? String == "2027-03-03T09:05:00-05:00")
            #expect(byAdmin["end"] as? String == "2027-03-03T09:35:00-05:00")
            let byBarber = try await api.book(
                barberToken, barber: barber, service: service, start: "2027-03-03T11:10:00-05:00", clientID: client.id)
            #expect(byBarber.status == .created, "\(byBarber.raw)")
            // The client sees both as theirs.
            #expect(Set(try await api.listedIDs(client.token)) == [byAdmin.id, byBarber.id])
        }
    }

    @Test func aStartInThePastOrInsideTheNoticeIsTooSoon() async throws {
        try await withShop { api, admin, barber, service, client async throws in
            // Now is 2027-03-01 07:00 in New York; the notice is 60 minutes.
            for start in ["2027-02-28T10:00:00-05:00", "2027-03-01T07:30:00-05:00", "2027-03-01T07:59:59-05:00"] {
                expectError(
                    try await api.book(client.token, barber: barber, service: service, start: start), .unprocessableContent, "too_soon")
            }
            expectError(
                try await api.book(admin, barber: barber, service: service, start: "2027-02-28T10:00:00-05:00", clientID: client.id),
                .unprocessableContent, "too_soon")
        }
    }

    @Test func aStartBeyondTheHorizonIsTooFar() async throws {
        try await withShop { api, admin, barber, service, client async throws in
            expectError(
                try await api.book(client.token, barber: barber, service: service, start: "2027-06-01T09:00:00-04:00"),
                .unprocessableContent, "too_far")
            expectError(
                try await api.book(admin, barber: barber, service: service, start: "2028-03-01T09:00:00-05:00", clientID: client.id),
                .unprocessableContent, "too_far")
            #expect(try await api.book(client.token, barber: barber, service: service, start: "2027-05-29T09:00:00-04:00").status == .created)
        }
    }

    @Test func anIntervalOutsideWorkingHoursIs422OutsideHours() async throws {
        try await withShop { api, admin, barber, service, client async throws in
            for start in ["2027-03-03T08:45:00-05:00", "2027-03-03T16:45:00-05:00", "2027-03-03T17:00:00-05:00", "2027-03-03T23:00:00-05:00"] {
                expectError(
                    try await api.book(client.token, barber: barber, service: service, start: start), .unprocessableContent,
                    "outside_hours")
            }
            expectError(
                try await api.book(admin, barber: barber, service: service, start: "2027-03-03T16:50:00-05:00", clientID: client.id),
                .unprocessableContent, "outside_hours")
            #expect(try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T16:30:00-05:00").status == .created)
        }
    }

    @Test func anOverlapWithALiveAppointmentIs409SlotTaken() async throws {
        try await withShop { api, admin, barber, service, client async throws in
            #expect(try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T10:00:00-05:00").status == .created)
            let other = try await api.register("other@example.com")
            for start in ["2027-03-03T10:00:00-05:00", "2027-03-03T09:45:00-05:00", "2027-03-03T10:15:00-05:00"] {
                expectError(try await api.book(other.token, barber: barber, service: service, start: start), .conflict, "slot_taken")
            }
            expectError(
                try await api.book(admin, barber: barber, service: service, start: "2027-03-03T10:29:00-05:00", clientID: other.id),
                .conflict, "slot_taken")
            #expect(try await api.book(other.token, barber: barber, service: service, start: "2027-03-03T10:30:00-05:00").status == .created)
            #expect(try await api.book(other.token, barber: barber, service: service, start: "2027-03-03T09:30:00-05:00").status == .created)
        }
    }

    @Test func theBarbersBufferCountsAsTaken() async throws {
        try await withShop(buffer: 15) { api, admin, barber, service, client async throws in
            #expect(try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T10:00:00-05:00").status == .created)
            let other = try await api.register("other@example.com")
            // After 10:30 the barber keeps 15 minutes; before 10:00, the earlier one must end by 09:45.
            expectError(try await api.book(other.token, barber: barber, service: service, start: "2027-03-03T10:30:00-05:00"), .conflict, "slot_taken")
            expectError(try await api.book(other.token, barber: barber, service: service, start: "2027-03-03T09:30:00-05:00"), .conflict, "slot_taken")
            expectError(
                try await api.book(admin, barber: barber, service: service, start: "2027-03-03T10:40:00-05:00", clientID: other.id),
                .conflict, "slot_taken")
            #expect(try await api.book(other.token, barber: barber, service: service, start: "2027-03-03T10:45:00-05:00").status == .created)
            #expect(try await api.book(other.token, barber: barber, service: service, start: "2027-03-03T09:15:00-05:00").status == .created)
            // The buffer may run past closing time: the last slot of the day still books.
            #expect(try await api.book(other.token, barber: barber, service: service, start: "2027-03-03T16:30:00-05:00").status == .created)
        }
    }

    @Test func anUnknownBarberOrServiceIs404() async throws {
        try await withShop { api, admin, barber, service, client async throws in
            expectError(try await api.book(client.token, barber: 999, service: service, start: "2027-03-03T10:00:00-05:00"), .notFound, "not_found")
            expectError(try await api.book(client.token, barber: barber, service: 999, start: "2027-03-03T10:00:00-05:00"), .notFound, "not_found")
        }
    }

    @Test func aClientBookingForSomeoneElseIs403() async throws {
        try await withShop { api, admin, barber, service, client async throws in
            let other = try await api.register("other@example.com")
            expectError(
                try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T10:00:00-05:00", clientID: other.id),
                .forbidden, "forbidden")
            #expect(try await api.listedIDs(other.token).isEmpty)
            // Naming themselves is allowed.
            #expect(try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T10:00:00-05:00", clientID: client.id)
                .status == .created)
        }
    }

    @Test func aBarberBookingForAClientOnAnotherBarbersCalendarIs403() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            _ = try await api.createBarber(adminToken: admin, email: "own@shop.test")
            let other = try await api.createBarber(adminToken: admin)
            let service = try await api.createService(adminToken: admin)
            let token = try await api.login("own@shop.test", "barber-password")
            let client = try await api.register("client@example.com")
            expectError(
                try await api.book(token, barber: other, service: service, start: "2027-03-03T10:00:00-05:00", clientID: client.id),
                .forbidden, "forbidden")
        }
    }

    @Test func staffBookingForAnUnknownClientIs404() async throws {
        try await withShop { api, admin, barber, service, client async throws in
            expectError(
                try await api.book(admin, barber: barber, service: service, start: "2027-03-03T10:00:00-05:00", clientID: 999),
                .notFound, "not_found")
            #expect(try await api.listedIDs(admin).isEmpty)
        }
    }

    @Test func bookingNeedsAToken() async throws {
        try await withShop { api, admin, barber, service, client async throws in
            let response = try await api.send(
                .post, "/api/v2/appointments", json: ["barber_id": barber, "service_id": service, "start": "2027-03-03T10:00:00-05:00"])
            expectError(response, .unauthorized, "unauthorized")
        }
    }

    @Test func malformedBodiesAre400() async throws {
        try await withShop { api, admin, barber, service, client async throws in
            let bodies = [
                "{not json",
                "",
                "[]",
                "null",
                #"{"service_id":\#(service),"start":"2027-03-03T10:00:00-05:00"}"#,
                #"{"barber_id":\#(barber),"start":"2027-03-03T10:00:00-05:00"}"#,
                #"{"barber_id":\#(barber),"service_id":\#(service)}"#,
                #"{"barber_id":"\#(barber)","service_id":\#(service),"start":"2027-03-03T10:00:00-05:00"}"#,
                #"{"barber_id":\#(barber),"service_id":\#(service),"start":1741000000}"#,
                #"{"barber_id":\#(barber),"service_id":\#(service),"start":"2027-03-03T10:00:00-05:00","client_id":"me"}"#,
                #"{"barber_id":\#(barber),"service_id":\#(service),"start":"2027-03-03T10:00:00-05:00","notes":5}"#,
                #"{"barber_id":\#(barber),"service_id":\#(service),"start":"2027-03-03T10:00:00"}"#,
                #"{"barber_id":\#(barber),"service_id":\#(service),"start":"2027-03-03 10:00"}"#,
                #"{"barber_id":\#(barber),"service_id":\#(service),"start":"2027-02-30T10:00:00Z"}"#,
                #"{"barber_id":\#(barber),"service_id":\#(service),"start":"2027-03-03T10:00:00-05:00 "}"#,
                #"{"barber_id":\#(barber),"service_id":\#(service),"start":"tomorrow"}"#,
                #"{"barber_id":-1,"service_id":\#(service),"start":"2027-03-03T10:00:00-05:00"}"#,
                #"{"barber_id":\#(barber),"service_id":\#(service),"start":null}"#,
            ]
            for body in bodies {
                let response = try await api.send(.post, "/api/v2/appointments", token: client.token, rawBody: body)
                expectError(response, .badRequest, "bad_request")
            }
            #expect(try await api.listedIDs(admin).isEmpty)
        }
    }

    @Test func aBodyOver64KiBIs413() async throws {
        try await withShop { api, admin, barber, service, client async throws in
            let notes = String(repeating: "x", count: 70 * 1024)
            let body = #"{"barber_id":\#(barber),"service_id":\#(service),"start":"2027-03-03T10:00:00-05:00","notes":"\#(notes)"}"#
            expectError(try await api.send(.post, "/api/v2/appointments", token: client.token, rawBody: body), .contentTooLarge, "payload_too_large")
            let keyed = try await api.send(
                .post, "/api/v2/appointments", token: client.token, rawBody: body, headers: [.idempotencyKey: "big-body"])
            expectError(keyed, .contentTooLarge, "payload_too_large")
            expectError(
                try await api.send(.post, "/api/v2/auth/register", rawBody: #"{"email":"\#(notes)@x.com","password":"p","name":"n"}"#),
                .contentTooLarge, "payload_too_large")
            #expect(try await api.listedIDs(admin).isEmpty)
        }
    }

    @Test func aBodyJustUnderTheLimitIsRead() async throws {
        try await withShop { api, admin, barber, service, client async throws in
            let prefix = #"{"barber_id":\#(barber),"service_id":\#(service),"start":"2027-03-03T10:00:00-05:00","notes":"x","pad":""#
            let body = prefix + String(repeating: " ", count: 64 * 1024 - prefix.utf8.count - 2) + #""}"#
            #expect(body.utf8.count == 64 * 1024)
            let response = try await api.send(.post, "/api/v2/appointments", token: client.token, rawBody: body)
            #expect(response.status == .created, "\(response.raw)")
        }
    }
}

extension HTTPFields.Element.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
}
