import BookedBarberHTTP
import BookingCore
import Foundation
import Hummingbird
import TestSupport
import Testing

/// The walk-in queue over HTTP: check-in by staff, the public board (short names, no phones)
/// with positions and the contract's estimates among a day of bookings, start (an appointment
/// from now), done, leave.
@Suite struct WalkInQueueTests {
    // 2027-03-03 is a Wednesday; the shop is in New York. Each test starts the clock at 07:00
    // that day (tokens are issued by the same clock) and moves it.
    static let nine = RFC3339.parse("2027-03-03T09:00:00-05:00")!
    static func local(_ time: String) -> String { "2027-03-03T\(time):00-05:00" }

    @Test func threeWalkInsAndADayOfBookingsGetTheContractsEstimates() async throws {
        let harness = try await APIHarness.make(now: Self.nine.adding(minutes: -120))
        try await harness.run { api in
            let admin = try await api.adminToken()
            let first = try await api.createBarber(adminToken: admin, name: "First", hours: ("09:00", "17:00"))
            let second = try await api.createBarber(adminToken: admin, name: "Second", hours: ("09:00", "17:00"), buffer: 10)
            let cut = try await api.createService(adminToken: admin, name: "Cut", duration: 30)
            let long = try await api.createService(adminToken: admin, name: "Long", duration: 60)
            let client = try await api.register("c@example.com")
            for (barber, service, start) in [
                (first, cut, "09:00"), (first, long, "10:00"), (first, cut, "11:30"), (second, long, "09:00"),
            ] {
                #expect(try await api.book(admin, barber: barber, service: service, start: Self.local(start), clientID: client.id).status == .created)
            }
            harness.clock.set(Self.nine)
            var ids: [Int] = []
            for (name, service, barber, phone) in [
                ("Sam Taylor", cut, first as Int?, "555-0100" as String?), ("Ana de la Cruz", long, nil, nil), ("Bo Li", cut, nil, nil),
            ] {
                var body: [String: Any] = ["name": name, "service_id": service]
                if let barber { body["barber_id"] = barber }
                if let phone { body["phone"] = phone }
                let checked = try await api.send(.post, "/api/v2/queue", token: admin, json: body)
                #expect(checked.status == .created, "\(checked.raw)")
                #expect(checked["status"] as? String == "waiting" && checked["name"] as? String == name)
                ids.append(checked.id)
            }
            let board = try await api.send(.get, "/api/v2/queue")
            #expect(board.status == .ok, "\(board.raw)")
            #expect(board["updated_at"] as? String == Self.local("09:00"))
            let entries = board.list("entries")
            #expect(entries.map { $0["id"] as? Int } == ids)
            #expect(entries.map { $0["position"] as? Int } == [1, 2, 3])
            #expect(entries.map { $0["name"] as? String } == ["Sam T.", "Ana C.", "Bo L."])
            #expect(entries.allSatisfy { $0["phone"] == nil })
            // Sam: First's 09:30-10:00 gap. Ana (an hour, anyone): no hour fits First before 12:00;
            // Second is free from 10:00 plus its 10-minute buffer, 10:10. Bo: First's 11:00-11:30
            // gap, before Second's 11:20 (after Ana and the buffer).
            #expect(entries.map { $0["estimated_start"] as? String } == [Self.local("09:30"), Self.local("10:10"), Self.local("11:00")])
            #expect(entries.map { $0["estimated_barber_id"] as? Int } == [first, second, first])
            let staff = try await api.send(.get, "/api/v2/queue", token: admin).list("entries")
            #expect(staff.first?["name"] as? String == "Sam Taylor" && staff.first?["phone"] as? String == "555-0100")
            let asClient = try await api.send(.get, "/api/v2/queue", token: client.token).list("entries")
            #expect(asClient.first?["name"] as? String == "Sam T." && asClient.first?["phone"] == nil)
        }
    }

    @Test func startBooksFromNowDoneAndLeaveFinishAndEstimatesMoveOn() async throws {
        let harness = try await APIHarness.make(now: Self.nine.adding(minutes: -120))
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin, name: "B", email: "b@example.com", hours: ("09:00", "17:00"))
            let cut = try await api.createService(adminToken: admin, name: "Cut", duration: 30)
            let client = try await api.register("c@example.com")
            #expect(try await api.book(admin, barber: barber, service: cut, start: Self.local("09:45"), clientID: client.id).status == .created)
            harness.clock.set(Self.nine.adding(minutes: 5))
            let barberToken = try await api.login("b@example.com", "barber-password")
            expectError(try await api.send(.post, "/api/v2/queue", token: client.token, json: ["name": "X", "service_id": cut]), .forbidden, "forbidden")
            expectError(try await api.send(.post, "/api/v2/queue", token: admin, json: ["name": " ", "service_id": cut]), .unprocessableContent, "validation_failed")
            expectError(try await api.send(.post, "/api/v2/queue", token: admin, json: ["service_id": cut]), .badRequest, "bad_request")
            expectError(try await api.send(.post, "/api/v2/queue", token: admin, json: ["name": "X", "service_id": 99]), .notFound, "not_found")
            let a = try await api.send(.post, "/api/v2/queue", token: barberToken, json: ["name": "Ann A", "service_id": cut])
            let b = try await api.send(.post, "/api/v2/queue", token: admin, json: ["name": "Ben B", "service_id": cut])
            #expect(a.status == .created && b.status == .created)
            // Now 09:05: Ann fits 09:05-09:35 before the 09:45 booking; Ben goes after it, 10:15.
            var line = try await api.send(.get, "/api/v2/queue").list("entries")
            #expect(line.map { $0["estimated_start"] as? String } == ["2027-03-03T09:05:00-05:00", Self.local("10:15")])

            // 09:20: Ann no longer fits before 09:45; starting her now is refused.
            harness.clock.set(Self.nine.adding(minutes: 20))
            expectError(
                try await api.send(.post, "/api/v2/queue/\(a.id)/start", token: barberToken, json: ["barber_id": barber]),
                .conflict, "slot_taken")
            // 09:05 again: Ann starts, an appointment from now on that barber.
            harness.clock.set(Self.nine.adding(minutes: 5))
            let started = try await api.send(.post, "/api/v2/queue/\(a.id)/start", token: barberToken, json: ["barber_id": barber])
            #expect(started.status == .ok, "\(started.raw)")
            #expect(started["status"] as? String == "serving" && started["barber_id"] as? Int == barber)
            #expect(started["position"] is NSNull && started["estimated_start"] is NSNull)
            let appointmentID = try #require(started["appointment_id"] as? Int)
            let appointment = try await api.appointment(appointmentID, token: admin)
            #expect(appointment["start"] as? String == "2027-03-03T09:05:00-05:00" && appointment["end"] as? String == "2027-03-03T09:35:00-05:00")
            expectError(
                try await api.send(.post, "/api/v2/queue/\(a.id)/start", token: barberToken, json: ["barber_id": barber]),
                .conflict, "invalid_transition")
            // The board: Ben first in line (after the booking at 09:45), then Ann being served.
            line = try await api.send(.get, "/api/v2/queue").list("entries")
            #expect(line.map { $0["id"] as? Int } == [b.id, a.id])
            #expect(line.map { $0["position"] as? Int } == [1, nil])
            #expect(line.first?["estimated_start"] as? String == Self.local("10:15"))

            expectError(try await api.send(.post, "/api/v2/queue/\(b.id)/done", token: admin), .conflict, "invalid_transition")
            expectError(try await api.send(.post, "/api/v2/queue/\(a.id)/leave", token: admin), .conflict, "invalid_transition")
            #expect(try await api.appointment(appointmentID, token: admin)["status"] as? String == "confirmed")
            let done = try await api.send(.post, "/api/v2/queue/\(a.id)/done", token: barberToken)
            #expect(done.status == .ok && done["status"] as? String == "done", "\(done.raw)")
            // Done completes the walk-in's appointment.
            #expect(try await api.appointment(appointmentID, token: admin)["status"] as? String == "completed")
            let left = try await api.send(.post, "/api/v2/queue/\(b.id)/leave", token: admin)
            #expect(left.status == .ok && left["status"] as? String == "left", "\(left.raw)")
            #expect(try await api.send(.get, "/api/v2/queue").list("entries").isEmpty)
            expectError(try await api.send(.post, "/api/v2/queue/999/done", token: admin), .notFound, "not_found")
        }
    }

    /// A barber who works around the clock (every day 00:00-24:00) serves a walk-in who comes
    /// at 23:45: the estimate is now and the start books 23:45-00:15, across midnight.
    @Test func aWalkInAtQuarterToMidnightRunsIntoTheNextDay() async throws {
        let quarterToMidnight = RFC3339.parse("2027-03-03T23:45:00-05:00")!
        let harness = try await APIHarness.make(now: quarterToMidnight.adding(minutes: -5))
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin, name: "Night", hours: ("00:00", "24:00"))
            let cut = try await api.createService(adminToken: admin, name: "Cut", duration: 30)
            harness.clock.set(quarterToMidnight)
            let walkIn = try await api.send(.post, "/api/v2/queue", token: admin, json: ["name": "Late Larry", "service_id": cut])
            #expect(walkIn.status == .created, "\(walkIn.raw)")
            #expect(walkIn["estimated_start"] as? String == "2027-03-03T23:45:00-05:00")
            let started = try await api.send(.post, "/api/v2/queue/\(walkIn.id)/start", token: admin, json: ["barber_id": barber])
            #expect(started.status == .ok, "\(started.raw)")
            let appointmentID = try #require(started["appointment_id"] as? Int)
            let appointment = try await api.appointment(appointmentID, token: admin)
            #expect(appointment["start"] as? String == "2027-03-03T23:45:00-05:00")
            #expect(appointment["end"] as? String == "2027-03-04T00:15:00-05:00")
        }
    }
}
