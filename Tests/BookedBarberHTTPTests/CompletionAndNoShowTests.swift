import Foundation
import Hummingbird
import Testing

/// `POST /api/v2/appointments/{id}/complete` and `/no-show`: that barber or an admin, from
/// `confirmed` only; the interval stays taken.
@Suite struct CompletionAndNoShowTests {
    @Test func thatBarberOrAnAdminMarksItAndTheIntervalStaysTaken() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin, email: "own@shop.test")
            let service = try await api.createService(adminToken: admin)
            let barberToken = try await api.login("own@shop.test", "barber-password")
            let client = try await api.register("c@example.com")
            let first = try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T10:00:00-05:00")
            let second = try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T11:00:00-05:00")
            let third = try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T12:00:00-05:00")

            let completed = try await api.send(.post, "/api/v2/appointments/\(first.id)/complete", token: barberToken)
            #expect(completed.status == .ok, "\(completed.raw)")
            #expect(completed.id == first.id)
            #expect(completed["status"] as? String == "completed")
            #expect(completed["start"] as? String == first["start"] as? String)
            let noShow = try await api.send(.post, "/api/v2/appointments/\(second.id)/no-show", token: admin)
            #expect(noShow.status == .ok, "\(noShow.raw)")
            #expect(noShow["status"] as? String == "no_show")
            let byAdmin = try await api.send(.post, "/api/v2/appointments/\(third.id)/complete", token: admin)
            #expect(byAdmin["status"] as? String == "completed")

            #expect((try await api.appointment(first.id, token: client.token))["status"] as? String == "completed")
            #expect((try await api.appointment(second.id, token: client.token))["status"] as? String == "no_show")
            let starts = try await api.slotStarts(service: service, date: "2027-03-03", barber: barber)
            for taken in ["10:00", "11:00", "12:00"] { #expect(!starts.contains("2027-03-03T\(taken):00-05:00")) }
            let other = try await api.register("o@example.com")
            expectError(
                try await api.book(other.token, barber: barber, service: service, start: "2027-03-03T11:00:00-05:00"), .conflict, "slot_taken")
        }
    }

    @Test func clientsAndOtherBarbersAre403() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin)
            _ = try await api.createBarber(adminToken: admin, email: "other@shop.test")
            let service = try await api.createService(adminToken: admin)
            let otherBarber = try await api.login("other@shop.test", "barber-password")
            let client = try await api.register("c@example.com")
            let booked = try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T10:00:00-05:00")
            for action in ["complete", "no-show"] {
                let path = "/api/v2/appointments/\(booked.id)/\(action)"
                expectError(try await api.send(.post, path, token: client.token), .forbidden, "forbidden")
                expectError(try await api.send(.post, path, token: otherBarber), .forbidden, "forbidden")
                expectError(try await api.send(.post, path), .unauthorized, "unauthorized")
            }
            #expect((try await api.appointment(booked.id, token: client.token))["status"] as? String == "confirmed")
        }
    }

    @Test func onlyAConfirmedAppointmentCanBeMarked() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let client = try await api.register("c@example.com")
            let cancelled = try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T10:00:00-05:00")
            _ = try await api.send(.post, "/api/v2/appointments/\(cancelled.id)/cancel", token: client.token)
            expectError(try await api.send(.post, "/api/v2/appointments/\(cancelled.id)/complete", token: admin), .conflict, "invalid_transition")
            expectError(try await api.send(.post, "/api/v2/appointments/\(cancelled.id)/no-show", token: admin), .conflict, "invalid_transition")

            let done = try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T11:00:00-05:00")
            #expect(try await api.send(.post, "/api/v2/appointments/\(done.id)/complete", token: admin).status == .ok)
            expectError(try await api.send(.post, "/api/v2/appointments/\(done.id)/complete", token: admin), .conflict, "invalid_transition")
            expectError(try await api.send(.post, "/api/v2/appointments/\(done.id)/no-show", token: admin), .conflict, "invalid_transition")
            expectError(
                try await api.send(.post, "/api/v2/appointments/\(done.id)/reschedule", token: admin, json: ["start": "2027-03-03T14:00:00-05:00"]),
                .conflict, "invalid_transition")
            #expect((try await api.appointment(cancelled.id, token: client.token))["status"] as? String == "cancelled")
            #expect((try await api.appointment(done.id, token: client.token))["status"] as? String == "completed")
        }
    }
}
