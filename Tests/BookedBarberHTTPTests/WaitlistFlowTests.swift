import BookedBarberHTTP
import BookingCore
import BookingEngine
import Foundation
import Hummingbird
import TestSupport
import Testing

/// The "Done when" over HTTP, with the clock in the test's hand: a cancellation offers
/// the start to the first fitting entry within the same request; the start is then absent from
/// the slots and refused to others; the client claims it, or, unclaimed, it passes to the next
/// entry and then frees.
@Suite struct WaitlistFlowTests {
    static let day = "2027-03-03"
    static let nine = "2027-03-03T09:00:00-05:00"
    static let nineThirty = "2027-03-03T09:30:00-05:00"

    /// A barber working 09:00-10:00 with both half hours booked by `holder`; three clients on the
    /// waitlist: one for the afternoon only (does not fit), then two for any time of that day.
    struct Board {
        var admin: String
        var barber: Int
        var service: Int
        var holder: (token: String, id: Int)
        var afternoon: (token: String, id: Int)
        var first: (token: String, id: Int)
        var second: (token: String, id: Int)
        var booked: [Int]
        var entries: [Int]
    }

    static func setUp(_ api: APIClient) async throws -> Board {
        let admin = try await api.adminToken()
        let (barber, service) = try await api.setUpBarberAndService(adminToken: admin, hours: ("09:00", "10:00"))
        let holder = try await api.register("holder@example.com")
        let booked = [
            try await api.book(holder.token, barber: barber, service: service, start: nine).id,
            try await api.book(holder.token, barber: barber, service: service, start: nineThirty).id,
        ]
        let afternoon = try await api.register("afternoon@example.com")
        let first = try await api.register("first@example.com")
        let second = try await api.register("second@example.com")
        var entries: [Int] = []
        for (client, window) in [(afternoon, ("13:00", "17:00")), (first, ("00:00", "24:00")), (second, ("09:00", "12:00"))] {
            let entry = try await api.send(
                .post, "/api/v2/waitlist", token: client.token,
                json: ["service_id": service, "date_from": day, "date_to": day, "time_from": window.0, "time_to": window.1])
            #expect(entry.status == .created, "\(entry.raw)")
            #expect(entry["status"] as? String == "waiting" && entry["client_id"] as? Int == client.id)
            #expect(entry.object.keys.contains("barber_id") && entry["barber_id"] is NSNull)
            entries.append(entry.id)
        }
        return Board(
            admin: admin, barber: barber, service: service, holder: holder, afternoon: afternoon, first: first, second: second,
            booked: booked, entries: entries)
    }

    static func entry(_ api: APIClient, _ id: Int, token: String) async throws -> [String: Any] {
        let listed = try await api.send(.get, "/api/v2/waitlist", token: token)
        #expect(listed.status == .ok, "\(listed.raw)")
        return listed.list("entries").first { $0["id"] as? Int == id } ?? [:]
    }

    @Test func aCancelledSlotIsOfferedWithinTheRequestHeldFromOthersAndClaimed() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let board = try await Self.setUp(api)
            let cancelled = try await api.send(.post, "/api/v2/appointments/\(board.booked[1])/cancel", token: board.holder.token)
            #expect(cancelled.status == .ok, "\(cancelled.raw)")

            // Within that request: the oldest fitting entry (not the afternoon one) is offered 09:30.
            let offered = try await Self.entry(api, board.entries[1], token: board.first.token)
            #expect(offered["status"] as? String == "offered")
            let offer = offered["offer"] as? [String: Any]
            #expect(offer?["barber_id"] as? Int == board.barber)
            #expect(offer?["start"] as? String == Self.nineThirty)
            #expect(offer?["end"] as? String == "2027-03-03T10:00:00-05:00")
            #expect(offer?["expires_at"] as? String == "2027-03-01T07:15:00-05:00")
            #expect(try await Self.entry(api, board.entries[0], token: board.admin)["status"] as? String == "waiting")
            #expect(try await Self.entry(api, board.entries[2], token: board.admin)["status"] as? String == "waiting")

            // Held: absent from the slots, refused to everyone else (the next entry's client too).
            #expect(try await api.slotStarts(service: board.service, date: Self.day, barber: board.barber).isEmpty)
            expectError(
                try await api.book(board.second.token, barber: board.barber, service: board.service, start: Self.nineThirty),
                .conflict, "slot_taken")
            expectError(
                try await api.book(board.admin, barber: board.barber, service: board.service, start: Self.nineThirty,
                                   clientID: board.holder.id),
                .conflict, "slot_taken")
            expectError(
                try await api.send(.post, "/api/v2/waitlist/\(board.entries[2])/claim", token: board.second.token),
                .conflict, "invalid_transition")
            expectError(
                try await api.send(.post, "/api/v2/waitlist/\(board.entries[1])/claim", token: board.second.token),
                .forbidden, "forbidden")

            // The client claims it: an appointment, in one step.
            let claimed = try await api.send(.post, "/api/v2/waitlist/\(board.entries[1])/claim", token: board.first.token)
            #expect(claimed.status == .created, "\(claimed.raw)")
            #expect(claimed["start"] as? String == Self.nineThirty && claimed["client_id"] as? Int == board.first.id)
            #expect(claimed["status"] as? String == "confirmed")
            let booked = try await Self.entry(api, board.entries[1], token: board.first.token)
            #expect(booked["status"] as? String == "booked" && booked["appointment_id"] as? Int == claimed.id)
            expectError(
                try await api.send(.post, "/api/v2/waitlist/\(board.entries[1])/claim", token: board.first.token),
                .conflict, "invalid_transition")
            #expect(try await api.listedIDs(board.first.token) == [claimed.id])
        }
    }

    @Test func anUnclaimedOfferPassesToTheNextEntryAndThenFrees() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let board = try await Self.setUp(api)
            #expect(try await api.send(.post, "/api/v2/appointments/\(board.booked[1])/cancel", token: board.admin).status == .ok)
            #expect(try await Self.entry(api, board.entries[1], token: board.admin)["status"] as? String == "offered")

            // A second before expires_at nothing moves; at expires_at the offer passes on.
            harness.clock.set(APIHarness.defaultNow.adding(minutes: 15).adding(seconds: -1))
            #expect(await harness.app.engine.expireOffers() == 0)
            harness.clock.set(APIHarness.defaultNow.adding(minutes: 15))
            expectError(
                try await api.send(.post, "/api/v2/waitlist/\(board.entries[1])/claim", token: board.first.token),
                .conflict, "invalid_transition")
            #expect(await harness.app.engine.expireOffers() == 1)
            #expect(try await Self.entry(api, board.entries[1], token: board.admin)["status"] as? String == "expired")
            let next = try await Self.entry(api, board.entries[2], token: board.second.token)
            #expect(next["status"] as? String == "offered")
            #expect((next["offer"] as? [String: Any])?["start"] as? String == Self.nineThirty)
            #expect((next["offer"] as? [String: Any])?["expires_at"] as? String == "2027-03-01T07:30:00-05:00")
            #expect(try await api.slotStarts(service: board.service, date: Self.day, barber: board.barber).isEmpty)

            // Unclaimed again, and nobody else fits: the start is free.
            harness.clock.set(APIHarness.defaultNow.adding(minutes: 30))
            #expect(await harness.app.engine.expireOffers() == 1)
            #expect(try await Self.entry(api, board.entries[2], token: board.admin)["status"] as? String == "expired")
            #expect(try await Self.entry(api, board.entries[0], token: board.admin)["status"] as? String == "waiting")
            #expect(try await api.slotStarts(service: board.service, date: Self.day, barber: board.barber) == [Self.nineThirty])
            #expect(try await api.book(board.holder.token, barber: board.barber, service: board.service, start: Self.nineThirty).status == .created)
        }
    }

    @Test func leavingTheWaitlistWithAnOfferPassesTheStartOn() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let board = try await Self.setUp(api)
            #expect(try await api.send(.post, "/api/v2/appointments/\(board.booked[1])/cancel", token: board.admin).status == .ok)
            expectError(try await api.send(.delete, "/api/v2/waitlist/\(board.entries[1])", token: board.second.token), .forbidden, "forbidden")
            let left = try await api.send(.delete, "/api/v2/waitlist/\(board.entries[1])", token: board.first.token)
            #expect(left.status == .noContent, "\(left.raw)")
            #expect(try await Self.entry(api, board.entries[1], token: board.first.token)["status"] as? String == "cancelled")
            #expect(try await Self.entry(api, board.entries[2], token: board.second.token)["status"] as? String == "offered")
            #expect(try await api.send(.delete, "/api/v2/waitlist/\(board.entries[1])", token: board.first.token).status == .noContent)
            expectError(try await api.send(.delete, "/api/v2/waitlist/999", token: board.first.token), .notFound, "not_found")
        }
    }

    @Test func timeOffRemovedAndAScheduleWidenedOfferTheirTime() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let board = try await Self.setUp(api)
            // Widen the day to 10:30: the new 10:00 start goes to the oldest fitting entry.
            let widened = try await api.send(
                .put, "/api/v2/barbers/\(board.barber)/schedule", token: board.admin,
                json: ["weekly": APIClient.everyDay("09:00", "10:30"), "buffer_minutes": 0])
            #expect(widened.status == .ok, "\(widened.raw)")
            let first = try await Self.entry(api, board.entries[1], token: board.admin)
            #expect((first["offer"] as? [String: Any])?["start"] as? String == "2027-03-03T10:00:00-05:00")
            // Time off over 10:30-11:00 after widening again; removing it offers 10:30 to the next entry.
            let off = try await api.send(
                .post, "/api/v2/barbers/\(board.barber)/time-off", token: board.admin,
                json: ["start": "2027-03-03T10:30:00-05:00", "end": "2027-03-03T11:00:00-05:00"])
            #expect(off.status == .created, "\(off.raw)")
            #expect(try await api.send(
                .put, "/api/v2/barbers/\(board.barber)/schedule", token: board.admin,
                json: ["weekly": APIClient.everyDay("09:00", "11:00"), "buffer_minutes": 0]).status == .ok)
            #expect(try await Self.entry(api, board.entries[2], token: board.admin)["status"] as? String == "waiting")
            #expect(try await api.send(.delete, "/api/v2/barbers/\(board.barber)/time-off/\(off.id)", token: board.admin).status == .noContent)
            let second = try await Self.entry(api, board.entries[2], token: board.admin)
            #expect((second["offer"] as? [String: Any])?["start"] as? String == "2027-03-03T10:30:00-05:00")
        }
    }

    @Test func badEntriesGetTheContractsErrors() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (_, service) = try await api.setUpBarberAndService(adminToken: admin)
            let client = try await api.register("c@example.com")
            let other = try await api.register("o@example.com")
            func post(_ body: [String: Any], token: String? = nil) async throws -> APIResponse {
                try await api.send(.post, "/api/v2/waitlist", token: token ?? client.token, json: body)
            }
            let good: [String: Any] = ["service_id": service, "date_from": Self.day, "date_to": Self.day]
            expectError(try await api.send(.post, "/api/v2/waitlist", json: good), .unauthorized, "unauthorized")
            expectError(try await post(good.merging(["date_from": "03/03/2027"]) { $1 }), .badRequest, "bad_request")
            expectError(try await post(good.merging(["time_from": "25:00"]) { $1 }), .badRequest, "bad_request")
            expectError(try await post(["service_id": service, "date_from": Self.day]), .badRequest, "bad_request")
            expectError(try await post(good.merging(["service_id": "one"]) { $1 }), .badRequest, "bad_request")
            expectError(try await post(good.merging(["date_to": "2027-03-02"]) { $1 }), .unprocessableContent, "validation_failed")
            expectError(try await post(good.merging(["time_from": "12:00", "time_to": "12:00"]) { $1 }), .unprocessableContent, "validation_failed")
            expectError(try await post(good.merging(["service_id": 999]) { $1 }), .notFound, "not_found")
            expectError(try await post(good.merging(["barber_id": 999]) { $1 }), .notFound, "not_found")
            expectError(try await post(good.merging(["client_id": other.id]) { $1 }), .forbidden, "forbidden")
            let forOther = try await post(good.merging(["client_id": other.id]) { $1 }, token: admin)
            #expect(forOther.status == .created && forOther["client_id"] as? Int == other.id, "\(forOther.raw)")
            let own = try await post(good)
            #expect(own.status == .created && own["time_from"] as? String == "00:00" && own["time_to"] as? String == "24:00")
            // A client sees their own entries, staff all of them.
            #expect(try await api.send(.get, "/api/v2/waitlist", token: client.token).list("entries").map { $0["id"] as? Int } == [own.id])
            #expect(try await api.send(.get, "/api/v2/waitlist", token: admin).list("entries").count == 2)
            expectError(try await api.send(.post, "/api/v2/waitlist/\(own.id)/claim", token: client.token), .conflict, "invalid_transition")
        }
    }

    @Test func waitlistHoldMinutesIsAShopSettingWithItsDefault() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            #expect(try await api.send(.get, "/api/v2/shop")["waitlist_hold_minutes"] as? Int == 15)
            for bad in [0, 1441, -5] {
                expectError(
                    try await api.send(.patch, "/api/v2/shop", token: admin, json: ["waitlist_hold_minutes": bad]),
                    .unprocessableContent, "validation_failed")
            }
            expectError(try await api.send(.patch, "/api/v2/shop", token: admin, json: ["waitlist_hold_minutes": "ten"]), .badRequest, "bad_request")
            let patched = try await api.send(.patch, "/api/v2/shop", token: admin, json: ["waitlist_hold_minutes": 45])
            #expect(patched.status == .ok && patched["waitlist_hold_minutes"] as? Int == 45, "\(patched.raw)")
            let board = try await Self.setUp(api)
            #expect(try await api.send(.post, "/api/v2/appointments/\(board.booked[0])/cancel", token: board.admin).status == .ok)
            let offered = try await Self.entry(api, board.entries[1], token: board.admin)
            #expect((offered["offer"] as? [String: Any])?["expires_at"] as? String == "2027-03-01T07:45:00-05:00")
        }
    }
}
