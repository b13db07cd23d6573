import BookingCore
import Foundation
import Hummingbird
import TestSupport
import Testing

/// `POST /api/v2/appointments/{id}/cancel`: the cut-off for clients, staff at any time, the freed
/// interval, and cancelling twice.
@Suite struct CancellationTests {
    static let start = "2027-03-03T10:00:00-05:00"

    @Test func aClientCancelsBeforeTheCutOffAndTheSlotIsBookableAtOnce() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let client = try await api.register("c@example.com")
            let booked = try await api.book(client.token, barber: barber, service: service, start: Self.start, notes: "n")
            #expect(!(try await api.slotStarts(service: service, date: "2027-03-03", barber: barber)).contains(Self.start))

            let cancelled = try await api.send(.post, "/api/v2/appointments/\(booked.id)/cancel", token: client.token, json: ["reason": "ill"])
            #expect(cancelled.status == .ok, "\(cancelled.raw)")
            #expect(cancelled.id == booked.id)
            #expect(cancelled["status"] as? String == "cancelled")
            for field in ["barber_id", "client_id", "service_id", "start", "end", "price_cents", "notes", "created_at"] {
                #expect("\(cancelled[field] ?? "-")" == "\(booked[field] ?? "-")", "\(field) changed")
            }
            // The record stays, the interval is free.
            #expect((try await api.appointment(booked.id, token: client.token))["status"] as? String == "cancelled")
            #expect(try await api.slotStarts(service: service, date: "2027-03-03", barber: barber).contains(Self.start))
            let other = try await api.register("other@example.com")
            #expect(try await api.book(other.token, barber: barber, service: service, start: Self.start).status == .created)
        }
    }

    @Test func theBodyAndItsReasonAreOptional() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let client = try await api.register("c@example.com")
            let first = try await api.book(client.token, barber: barber, service: service, start: Self.start)
            let second = try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T11:00:00-05:00")
            #expect(try await api.send(.post, "/api/v2/appointments/\(first.id)/cancel", token: client.token).status == .ok)
            let withEmptyObject = try await api.send(.post, "/api/v2/appointments/\(second.id)/cancel", token: client.token, json: [String: Any]())
            #expect(withEmptyObject.status == .ok)
            #expect(withEmptyObject["status"] as? String == "cancelled")
            let third = try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T12:00:00-05:00")
            expectError(
                try await api.send(.post, "/api/v2/appointments/\(third.id)/cancel", token: client.token, rawBody: #"{"reason":5}"#),
                .badRequest, "bad_request")
            #expect((try await api.appointment(third.id, token: client.token))["status"] as? String == "confirmed")
        }
    }

    @Test func aClientAfterTheCutOffIs409CancellationClosedButStaffMayStillCancel() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin, email: "own@shop.test")
            let service = try await api.createService(adminToken: admin)
            let barberToken = try await api.login("own@shop.test", "barber-password")
            let client = try await api.register("c@example.com")
            let first = try await api.book(client.token, barber: barber, service: service, start: Self.start)
            let second = try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T11:00:00-05:00")

            // The cut-off is 120 minutes: later than 08:00, a 10:00 appointment is no longer the client's to cancel.
            harness.clock.set(RFC3339.parse("2027-03-03T08:01:00-05:00")!)
            expectError(try await api.send(.post, "/api/v2/appointments/\(first.id)/cancel", token: client.token), .conflict, "cancellation_closed")
            #expect((try await api.appointment(first.id, token: client.token))["status"] as? String == "confirmed")

            let byBarber = try await api.send(.post, "/api/v2/appointments/\(first.id)/cancel", token: barberToken)
            #expect(byBarber.status == .ok, "\(byBarber.raw)")
            #expect(byBarber["status"] as? String == "cancelled")
            // Even after the start has passed, an admin may cancel.
            harness.clock.set(RFC3339.parse("2027-03-03T12:00:00-05:00")!)
            let byAdmin = try await api.send(.post, "/api/v2/appointments/\(second.id)/cancel", token: admin)
            #expect(byAdmin.status == .ok, "\(byAdmin.raw)")
            #expect(byAdmin["status"] as? String == "cancelled")
        }
    }

    @Test func theCutOffIsTheShopsSetting() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let client = try await api.register("c@example.com")
            let first = try await api.book(client.token, barber: barber, service: service, start: Self.start)
            let second = try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T11:00:00-05:00")
            harness.clock.set(RFC3339.parse("2027-03-03T09:00:00-05:00")!)
            expectError(try await api.send(.post, "/api/v2/appointments/\(first.id)/cancel", token: client.token), .conflict, "cancellation_closed")
            _ = try await api.send(.patch, "/api/v2/shop", token: admin, json: ["cancellation_cutoff_minutes": 30])
            #expect(try await api.send(.post, "/api/v2/appointments/\(first.id)/cancel", token: client.token).status == .ok)
            // Exactly at the cut-off is still allowed: 11:00 minus 30 minutes.
            harness.clock.set(RFC3339.parse("2027-03-03T10:30:00-05:00")!)
            #expect(try await api.send(.post, "/api/v2/appointments/\(second.id)/cancel", token: client.token).status == .ok)
        }
    }

    @Test func cancellingTwiceIs409InvalidTransition() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let client = try await api.register("c@example.com")
            let booked = try await api.book(client.token, barber: barber, service: service, start: Self.start)
            #expect(try await api.send(.post, "/api/v2/appointments/\(booked.id)/cancel", token: client.token).status == .ok)
            expectError(try await api.send(.post, "/api/v2/appointments/\(booked.id)/cancel", token: client.token), .conflict, "invalid_transition")
            expectError(try await api.send(.post, "/api/v2/appointments/\(booked.id)/cancel", token: admin), .conflict, "invalid_transition")
            // A completed one cannot be cancelled either.
            let done = try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T11:00:00-05:00")
            _ = try await api.send(.post, "/api/v2/appointments/\(done.id)/complete", token: admin)
            expectError(try await api.send(.post, "/api/v2/appointments/\(done.id)/cancel", token: admin), .conflict, "invalid_transition")
        }
    }

    @Test func anotherClientCannotCancel() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let client = try await api.register("c@example.com")
            let stranger = try await api.register("s@example.com")
            let booked = try await api.book(client.token, barber: barber, service: service, start: Self.start)
            expectError(try await api.send(.post, "/api/v2/appointments/\(booked.id)/cancel", token: stranger.token), .forbidden, "forbidden")
            expectError(try await api.send(.post, "/api/v2/appointments/\(booked.id)/cancel"), .unauthorized, "unauthorized")
            #expect((try await api.appointment(booked.id, token: client.token))["status"] as? String == "confirmed")
        }
    }
}
