import BookingCore
import Foundation
import Hummingbird
import TestSupport
import Testing

/// `POST /api/v2/appointments/{id}/reschedule`: same id, new times, optionally a new barber; on any
/// failure the old booking stands unchanged.
@Suite struct RescheduleTests {
    static let start = "2027-03-03T10:00:00-05:00"

    struct Shop {
        var admin: String
        var barbers: [Int]
        var service: Int
        var client: (token: String, id: Int)
    }

    /// Two barbers working 09:00-17:00, a 30-minute service offered by both, one client.
    private func withShop(_ body: @Sendable (APIClient, Shop, ManualClock) async throws -> Void) async throws {
        let harness = try await APIHarness.make()
        let clock = harness.clock
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barbers = [try await api.createBarber(adminToken: admin), try await api.createBarber(adminToken: admin)]
            let service = try await api.createService(adminToken: admin)
            let client = try await api.register("c@example.com")
            try await body(api, Shop(admin: admin, barbers: barbers, service: service, client: client), clock)
        }
    }

    private func reschedule(_ api: APIClient, _ id: Int, token: String, to start: String, barber: Int? = nil) async throws -> APIResponse {
        var body: [String: Any] = ["start": start]
        if let barber { body["barber_id"] = barber }
        return try await api.send(.post, "/api/v2/appointments/\(id)/reschedule", token: token, json: body)
    }

    @Test func reschedulingKeepsTheIdAndMovesTheInterval() async throws {
        try await withShop { api, shop, _ async throws in
            let booked = try await api.book(shop.client.token, barber: shop.barbers[0], service: shop.service, start: Self.start, notes: "n")
            let moved = try await reschedule(api, booked.id, token: shop.client.token, to: "2027-03-04T14:30:00-05:00")
            #expect(moved.status == .ok, "\(moved.raw)")
            #expect(moved.id == booked.id)
            #expect(moved["start"] as? String == "2027-03-04T14:30:00-05:00")
            #expect(moved["end"] as? String == "2027-03-04T15:00:00-05:00")
            #expect(moved["status"] as? String == "confirmed")
            #expect(moved["barber_id"] as? Int == shop.barbers[0])
            #expect(moved["client_id"] as? Int == shop.client.id)
            #expect(moved["notes"] as? String == "n")
            #expect(moved["created_at"] as? String == booked["created_at"] as? String)
            #expect(try await api.appointment(booked.id, token: shop.client.token).canonical == moved.canonical)

            #expect(try await api.slotStarts(service: shop.service, date: "2027-03-03", barber: shop.barbers[0]).contains(Self.start))
            #expect(!(try await api.slotStarts(service: shop.service, date: "2027-03-04", barber: shop.barbers[0]))
                .contains("2027-03-04T14:30:00-05:00"))
            #expect(try await api.listedIDs(shop.admin) == [booked.id])
        }
    }

    @Test func aMoveMayOverlapTheAppointmentsOwnOldInterval() async throws {
        try await withShop { api, shop, _ async throws in
            let booked = try await api.book(shop.client.token, barber: shop.barbers[0], service: shop.service, start: Self.start)
            let moved = try await reschedule(api, booked.id, token: shop.client.token, to: "2027-03-03T10:15:00-05:00")
            #expect(moved.status == .ok, "\(moved.raw)")
            #expect(moved["end"] as? String == "2027-03-03T10:45:00-05:00")
        }
    }

    @Test func aMoveToAnotherBarberTakesTheIntervalThereAndFreesItHere() async throws {
        try await withShop { api, shop, _ async throws in
            let (from, to) = (shop.barbers[0], shop.barbers[1])
            let booked = try await api.book(shop.client.token, barber: from, service: shop.service, start: Self.start)
            let moved = try await reschedule(api, booked.id, token: shop.client.token, to: "2027-03-03T11:00:00-05:00", barber: to)
            #expect(moved.status == .ok, "\(moved.raw)")
            #expect(moved.id == booked.id)
            #expect(moved["barber_id"] as? Int == to)
            #expect(moved["start"] as? String == "2027-03-03T11:00:00-05:00")

            let fromSlots = try await api.slotStarts(service: shop.service, date: "2027-03-03", barber: from)
            let toSlots = try await api.slotStarts(service: shop.service, date: "2027-03-03", barber: to)
            #expect(fromSlots.count == 31)
            #expect(toSlots.count == 31 - 3)
            #expect(!toSlots.contains("2027-03-03T11:00:00-05:00"))
            #expect(try await api.appointment(booked.id, token: shop.client.token)["barber_id"] as? Int == to)
            #expect(try await api.listedIDs(shop.admin, "barber_id=\(from)").isEmpty)
            #expect(try await api.listedIDs(shop.admin, "barber_id=\(to)") == [booked.id])
            #expect(try await api.listedIDs(shop.client.token) == [booked.id])
            // It can be moved on again, and back.
            let back = try await reschedule(api, booked.id, token: shop.admin, to: Self.start, barber: from)
            #expect(back.status == .ok, "\(back.raw)")
            #expect(try await api.listedIDs(shop.admin, "barber_id=\(to)").isEmpty)
            #expect(try await api.slotStarts(service: shop.service, date: "2027-03-03", barber: to).count == 31)
        }
    }

    @Test func aMoveOntoATakenSlotIs409AndTheOldBookingStands() async throws {
        try await withShop { api, shop, _ async throws in
            let other = try await api.register("other@example.com")
            let booked = try await api.book(shop.client.token, barber: shop.barbers[0], service: shop.service, start: Self.start)
            _ = try await api.book(other.token, barber: shop.barbers[0], service: shop.service, start: "2027-03-03T12:00:00-05:00")
            _ = try await api.book(other.token, barber: shop.barbers[1], service: shop.service, start: "2027-03-03T13:00:00-05:00")
            let before = try await api.appointment(booked.id, token: shop.client.token).canonical

            expectError(try await reschedule(api, booked.id, token: shop.client.token, to: "2027-03-03T12:15:00-05:00"), .conflict, "slot_taken")
            expectError(
                try await reschedule(api, booked.id, token: shop.client.token, to: "2027-03-03T13:00:00-05:00", barber: shop.barbers[1]),
                .conflict, "slot_taken")
            #expect(try await api.appointment(booked.id, token: shop.client.token).canonical == before)
            #expect(!(try await api.slotStarts(service: shop.service, date: "2027-03-03", barber: shop.barbers[0])).contains(Self.start))
            #expect(try await api.slotStarts(service: shop.service, date: "2027-03-03", barber: shop.barbers[1]).count == 31 - 3)
            #expect(try await api.listedIDs(shop.admin, "barber_id=\(shop.barbers[1])").count == 1)
        }
    }

    @Test func everyOtherRefusalAlsoLeavesTheOldBookingStanding() async throws {
        try await withShop { api, shop, _ async throws in
            let booked = try await api.book(shop.client.token, barber: shop.barbers[0], service: shop.service, start: Self.start)
            let before = try await api.appointment(booked.id, token: shop.client.token).canonical
            let refusals: [(String, Int?, HTTPResponse.Status, String)] = [
                ("2027-03-03T18:00:00-05:00", nil, .unprocessableContent, "outside_hours"),
                ("2027-03-03T18:00:00-05:00", shop.barbers[1], .unprocessableContent, "outside_hours"),
                ("2027-03-01T07:30:00-05:00", nil, .unprocessableContent, "too_soon"),
                ("2027-03-01T07:30:00-05:00", shop.barbers[1], .unprocessableContent, "too_soon"),
                ("2028-01-01T10:00:00-05:00", nil, .unprocessableContent, "too_far"),
                ("2027-03-03T11:05:00-05:00", nil, .unprocessableContent, "validation_failed"),
                ("2027-03-03T11:05:00-05:00", shop.barbers[1], .unprocessableContent, "validation_failed"),
                ("2027-03-03T11:00:00-05:00", 999, .notFound, "not_found"),
            ]
            for (start, barber, status, code) in refusals {
                expectError(try await reschedule(api, booked.id, token: shop.client.token, to: start, barber: barber), status, code)
            }
            for body in [#"{}"#, #"{"start":"2027-03-03T11:00:00"}"#, #"{"start":"2027-03-03T11:00:00-05:00","barber_id":"2"}"#, "nope"] {
                expectError(
                    try await api.send(.post, "/api/v2/appointments/\(booked.id)/reschedule", token: shop.client.token, rawBody: body),
                    .badRequest, "bad_request")
            }
            #expect(try await api.appointment(booked.id, token: shop.client.token).canonical == before)
            #expect(try await api.listedIDs(shop.admin) == [booked.id])
        }
    }

    @Test func aMoveToABarberWhoDoesNotOfferTheServiceIs422() async throws {
        try await withShop { api, shop, _ async throws in
            let onlyFirst = try await api.createService(adminToken: shop.admin, name: "Only first", barberIDs: [shop.barbers[0]])
            let booked = try await api.book(shop.client.token, barber: shop.barbers[0], service: onlyFirst, start: Self.start)
            let before = try await api.appointment(booked.id, token: shop.client.token).canonical
            expectError(
                try await reschedule(api, booked.id, token: shop.client.token, to: Self.start, barber: shop.barbers[1]),
                .unprocessableContent, "validation_failed")
            #expect(try await api.appointment(booked.id, token: shop.client.token).canonical == before)
        }
    }

    @Test func aClientAfterTheCutOffIs409ButStaffMayMoveIt() async throws {
        try await withShop { api, shop, clock async throws in
            let booked = try await api.book(shop.client.token, barber: shop.barbers[0], service: shop.service, start: Self.start)
            clock.set(RFC3339.parse("2027-03-03T08:30:00-05:00")!)
            expectError(
                try await reschedule(api, booked.id, token: shop.client.token, to: "2027-03-03T15:00:00-05:00"), .conflict,
                "cancellation_closed")
            expectError(
                try await reschedule(api, booked.id, token: shop.client.token, to: "2027-03-03T15:00:00-05:00", barber: shop.barbers[1]),
                .conflict, "cancellation_closed")
            #expect(try await api.appointment(booked.id, token: shop.client.token)["start"] as? String == Self.start)
            let byAdmin = try await reschedule(api, booked.id, token: shop.admin, to: "2027-03-03T15:05:00-05:00", barber: shop.barbers[1])
            #expect(byAdmin.status == .ok, "\(byAdmin.raw)")
            #expect(byAdmin["start"] as? String == "2027-03-03T15:05:00-05:00")
        }
    }

    @Test func onlyAConfirmedAppointmentOfTheirOwnCanAClientMove() async throws {
        try await withShop { api, shop, _ async throws in
            let stranger = try await api.register("s@example.com")
            let booked = try await api.book(shop.client.token, barber: shop.barbers[0], service: shop.service, start: Self.start)
            expectError(try await reschedule(api, booked.id, token: stranger.token, to: "2027-03-03T15:00:00-05:00"), .forbidden, "forbidden")
            expectError(
                try await reschedule(api, booked.id, token: stranger.token, to: "2027-03-03T15:00:00-05:00", barber: shop.barbers[1]),
                .forbidden, "forbidden")
            expectError(
                try await api.send(.post, "/api/v2/appointments/\(booked.id)/reschedule", json: ["start": "2027-03-03T15:00:00-05:00"]),
                .unauthorized, "unauthorized")
            _ = try await api.send(.post, "/api/v2/appointments/\(booked.id)/cancel", token: shop.client.token)
            expectError(try await reschedule(api, booked.id, token: shop.client.token, to: "2027-03-03T15:00:00-05:00"), .conflict, "invalid_transition")
            expectError(
                try await reschedule(api, booked.id, token: shop.admin, to: "2027-03-03T15:00:00-05:00", barber: shop.barbers[1]), .conflict,
                "invalid_transition")
            #expect(try await api.listedIDs(shop.admin, "barber_id=\(shop.barbers[1])").isEmpty)
        }
    }
}
