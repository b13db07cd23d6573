import BookingCore
import Foundation
import Hummingbird
import Testing

/// `GET /api/v2/appointments/slots`: parameters, the answer's shape, and every rule that removes a slot.
@Suite struct SlotListingTests {
    @Test func theAnswerNamesTheDayZoneAndServiceAndEachSlotItsBarberStartAndEnd() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let response = try await api.send(.get, "/api/v2/appointments/slots?service_id=\(service)&date=2027-03-03&barber_id=\(barber)")
            #expect(response.status == .ok)
            #expect(Set(response.object.keys) == ["date", "time_zone", "service_id", "slots"])
            #expect(response["date"] as? String == "2027-03-03")
            #expect(response["time_zone"] as? String == "America/New_York")
            #expect(response["service_id"] as? Int == service)
            let slots = response.list("slots")
            #expect(slots.count == 31)
            #expect(slots.allSatisfy { Set($0.keys) == ["barber_id", "start", "end"] && $0["barber_id"] as? Int == barber })
            #expect(slots.first?["start"] as? String == "2027-03-03T09:00:00-05:00")
            #expect(slots.first?["end"] as? String == "2027-03-03T09:30:00-05:00")
            #expect(slots.last?["start"] as? String == "2027-03-03T16:30:00-05:00")
        }
    }

    @Test(arguments: [
        "date=2027-03-03", "service_id=&date=2027-03-03", "service_id=abc&date=2027-03-03", "service_id=0&date=2027-03-03",
        "service_id=-1&date=2027-03-03", "service_id=1", "service_id=1&date=", "service_id=1&date=2027-02-30",
        "service_id=1&date=03/03/2027", "service_id=1&date=2027-3-3", "service_id=1&date=2027-03-03T09:00:00Z",
        "service_id=1&date=2027-03-03&barber_id=abc", "service_id=1&date=2027-03-03&barber_id=0",
    ])
    func missingOrMalformedParametersAre400(query: String) async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            _ = try await api.setUpBarberAndService(adminToken: admin)
            expectError(try await api.send(.get, "/api/v2/appointments/slots?\(query)"), .badRequest, "bad_request")
        }
    }

    @Test func anUnknownServiceOrBarberIs404() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            expectError(try await api.send(.get, "/api/v2/appointments/slots?service_id=999&date=2027-03-03"), .notFound, "not_found")
            expectError(
                try await api.send(.get, "/api/v2/appointments/slots?service_id=999&date=2027-03-03&barber_id=\(barber)"), .notFound,
                "not_found")
            expectError(
                try await api.send(.get, "/api/v2/appointments/slots?service_id=\(service)&date=2027-03-03&barber_id=999"), .notFound,
                "not_found")
        }
    }

    @Test func withoutABarberTheSlotsOfEveryActiveBarberWhoOffersItAreMergedByStartThenBarber() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let early = try await api.createBarber(adminToken: admin, name: "Early", hours: ("09:00", "12:00"))
            let late = try await api.createBarber(adminToken: admin, name: "Late", hours: ("10:00", "13:00"))
            let inactive = try await api.createBarber(adminToken: admin, name: "Gone", hours: ("09:00", "17:00"))
            let notOffering = try await api.createBarber(adminToken: admin, name: "Other", hours: ("09:00", "17:00"))
            _ = try await api.send(.patch, "/api/v2/barbers/\(inactive)", token: admin, json: ["is_active": false])
            let service = try await api.createService(adminToken: admin, barberIDs: [late, early, inactive])

            let merged = try await api.slots(service: service, date: "2027-03-03")
            let pairs = merged.map { ($0["start"] as? String ?? "", $0["barber_id"] as? Int ?? 0) }
            #expect(Set(pairs.map(\.1)) == [early, late])
            #expect(!pairs.contains { $0.1 == inactive || $0.1 == notOffering })
            // All starts share the -05:00 offset, so string order is time order.
            #expect(pairs.map { "\($0.0)#\($0.1)" } == pairs.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { "\($0.0)#\($0.1)" })
            let earlyOnly = try await api.slots(service: service, date: "2027-03-03", barber: early)
            let lateOnly = try await api.slots(service: service, date: "2027-03-03", barber: late)
            #expect(merged.count == earlyOnly.count + lateOnly.count)
            #expect(pairs.filter { $0.1 == early }.map(\.0) == earlyOnly.compactMap { $0["start"] as? String })
            #expect(pairs.filter { $0.1 == late }.map(\.0) == lateOnly.compactMap { $0["start"] as? String })
            #expect(pairs.first?.0 == "2027-03-03T09:00:00-05:00")
            #expect(pairs.filter { $0.0 == "2027-03-03T10:00:00-05:00" }.map(\.1) == [early, late])
            // Asked for by id, a barber who does not offer the service has no slots.
            #expect(try await api.slots(service: service, date: "2027-03-03", barber: notOffering).isEmpty)
        }
    }

    @Test func slotsCloserThanTheMinimumNoticeAreNotListed() async throws {
        let harness = try await APIHarness.make(now: RFC3339.parse("2027-03-03T09:20:00-05:00")!)
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let starts = try await api.slotStarts(service: service, date: "2027-03-03", barber: barber)
            // Now is 09:20 and the notice 60 minutes: 10:20 is the earliest start, 10:30 the first on the grid.
            #expect(starts.first == "2027-03-03T10:30:00-05:00")
            #expect(starts.count == 25)
            let client = try await api.register("c@example.com")
            expectError(
                try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T10:15:00-05:00"),
                .unprocessableContent, "too_soon")
            // A day in the past has no slots at all.
            #expect(try await api.slotStarts(service: service, date: "2027-03-02", barber: barber).isEmpty)
        }
    }

    @Test func slotsBeyondTheHorizonAreNotListed() async throws {
        let harness = try await APIHarness.make(now: RFC3339.parse("2027-03-01T12:00:00-05:00")!)
        try await harness.run { api in
            let admin = try await api.adminToken()
            _ = try await api.send(.patch, "/api/v2/shop", token: admin, json: ["max_advance_days": 2])
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            #expect(try await api.slotStarts(service: service, date: "2027-03-02", barber: barber).count == 31)
            // The horizon ends at 2027-03-03 12:00: the last start listed is 12:00 itself.
            let lastDay = try await api.slotStarts(service: service, date: "2027-03-03", barber: barber)
            #expect(lastDay.first == "2027-03-03T09:00:00-05:00")
            #expect(lastDay.last == "2027-03-03T12:00:00-05:00")
            #expect(lastDay.count == 13)
            #expect(try await api.slotStarts(service: service, date: "2027-03-04", barber: barber).isEmpty)
            #expect(try await api.slotStarts(service: service, date: "2027-06-01", barber: barber).isEmpty)
        }
    }

    @Test func theDefaultHorizonIs90Days() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            // Now is 2027-03-01T12:00Z; 90 days later is 2027-05-30T12:00Z, 08:00 in New York.
            #expect(try await api.slotStarts(service: service, date: "2027-05-29", barber: barber).count == 31)
            #expect(try await api.slotStarts(service: service, date: "2027-05-30", barber: barber).isEmpty)
        }
    }

    @Test func anAppointmentAndTheBarbersBufferRemoveSlots() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin, buffer: 15)
            let client = try await api.register("c@example.com")
            let booked = try await api.book(client.token, barber: barber, service: service, start: "2027-03-03T10:00:00-05:00")
            #expect(booked.status == .created)
            let starts = Set(try await api.slotStarts(service: service, date: "2027-03-03", barber: barber))
            // The next start is no sooner than 10:30 + 15; an earlier one must end 15 minutes before 10:00.
            for removed in ["09:30", "09:45", "10:00", "10:15", "10:30"] {
                #expect(!starts.contains("2027-03-03T\(removed):00-05:00"), "\(removed) is listed")
            }
            for kept in ["09:00", "09:15", "10:45", "11:00"] {
                #expect(starts.contains("2027-03-03T\(kept):00-05:00"), "\(kept) is missing")
            }
            #expect(starts.count == 31 - 5)
        }
    }

    @Test func timeOffRemovesTheSlotsItTouches() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            _ = try await api.send(
                .post, "/api/v2/barbers/\(barber)/time-off", token: admin,
                json: ["start": "2027-03-03T13:10:00-05:00", "end": "2027-03-03T13:20:00-05:00"])
            let starts = Set(try await api.slotStarts(service: service, date: "2027-03-03", barber: barber))
            for removed in ["12:45", "13:00", "13:15"] { #expect(!starts.contains("2027-03-03T\(removed):00-05:00")) }
            for kept in ["12:30", "13:30"] { #expect(starts.contains("2027-03-03T\(kept):00-05:00")) }
            #expect(starts.count == 31 - 3)
            // Other days are untouched.
            #expect(try await api.slotStarts(service: service, date: "2027-03-04", barber: barber).count == 31)
        }
    }

    @Test func anInactiveBarberHasNoSlots() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            _ = try await api.send(.patch, "/api/v2/barbers/\(barber)", token: admin, json: ["is_active": false])
            #expect(try await api.slotStarts(service: service, date: "2027-03-03", barber: barber).isEmpty)
            #expect(try await api.slotStarts(service: service, date: "2027-03-03").isEmpty)
        }
    }
}
