import BookingCore
import Foundation
import Hummingbird
import Testing

/// Days with a daylight-saving change keep their real length in the slots a New York shop lists.
@Suite struct DaylightSavingDaySlotTests {
    /// Every start is 15 minutes after the one before, on the real timeline.
    private func expectEvenSteps(_ starts: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let instants = starts.compactMap(RFC3339.parse)
        #expect(instants.count == starts.count, sourceLocation: sourceLocation)
        for (a, b) in zip(instants, instants.dropFirst()) {
            #expect(b.seconds - a.seconds == 15 * 60, "\(a) → \(b)", sourceLocation: sourceLocation)
        }
    }

    @Test func springForwardDayFrom9To17GivesEightHoursOfSlots() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let slots = try await api.slots(service: service, date: "2027-03-14", barber: barber)
            let starts = slots.compactMap { $0["start"] as? String }
            #expect(starts.count == 31)
            #expect(starts.first == "2027-03-14T09:00:00-04:00")
            #expect(starts.last == "2027-03-14T16:30:00-04:00")
            #expect(slots.last?["end"] as? String == "2027-03-14T17:00:00-04:00")
            expectEvenSteps(starts)
            // The day before still has the winter offset.
            #expect(try await api.slotStarts(service: service, date: "2027-03-13", barber: barber).first == "2027-03-13T09:00:00-05:00")
        }
    }

    @Test func springForwardNightLosesTheMissingHour() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin, hours: ("00:00", "04:00"))
            let starts = try await api.slotStarts(service: service, date: "2027-03-14", barber: barber)
            // 00:00 EST to 04:00 EDT is three real hours: 30-minute slots start 00:00 … 03:30 wall time.
            #expect(starts.count == 11)
            #expect(starts.first == "2027-03-14T00:00:00-05:00")
            #expect(starts.contains("2027-03-14T01:45:00-05:00"))
            #expect(starts.contains("2027-03-14T03:00:00-04:00"))
            #expect(starts.last == "2027-03-14T03:30:00-04:00")
            expectEvenSteps(starts)
        }
    }

    @Test func fallBackDayFrom9To17GivesEightHoursOfSlots() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            _ = try await api.send(.patch, "/api/v2/shop", token: admin, json: ["max_advance_days": 365])
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let starts = try await api.slotStarts(service: service, date: "2027-11-07", barber: barber)
            #expect(starts.count == 31)
            #expect(starts.first == "2027-11-07T09:00:00-05:00")
            #expect(starts.last == "2027-11-07T16:30:00-05:00")
            expectEvenSteps(starts)
            #expect(try await api.slotStarts(service: service, date: "2027-11-06", barber: barber).first == "2027-11-06T09:00:00-04:00")
        }
    }

    @Test func aSlotListedOnTheSpringForwardDayCanBeBookedAndRoundTrips() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let client = try await api.register("c@example.com")
            let booked = try await api.book(client.token, barber: barber, service: service, start: "2027-03-14T13:00:00Z")
            #expect(booked.status == .created, "\(booked.raw)")
            #expect(booked["start"] as? String == "2027-03-14T09:00:00-04:00")
            #expect(booked["end"] as? String == "2027-03-14T09:30:00-04:00")
        }
    }
}
