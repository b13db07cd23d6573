import BookingCore
import Foundation
import Hummingbird
import Testing

@Suite struct BookingFlowTests {
    @Test func aClientListsSlotsBooksAndSeesTheAppointment() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.login(APIHarness.adminEmail, APIHarness.adminPassword)
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let client = try await api.register("carla@example.com")

            let slots = try await api.send(.get, "/api/v2/appointments/slots?service_id=\(service)&date=2027-03-03")
            #expect(slots.status == .ok)
            #expect(slots["time_zone"] as? String == "America/New_York")
            let list = slots["slots"] as? [[String: Any]] ?? []
            // 09:00-17:00 with a 30-minute service on a 15-minute grid: 09:00 ... 16:30.
            #expect(list.count == 31)
            #expect(list.first?["start"] as? String == "2027-03-03T09:00:00-05:00")
            #expect(list.last?["end"] as? String == "2027-03-03T17:00:00-05:00")

            let booked = try await api.send(
                .post, "/api/v2/appointments", token: client.token,
                json: ["barber_id": barber, "service_id": service, "start": "2027-03-03T14:00:00Z", "notes": "fade"])
            #expect(booked.status == .created, "\(booked.raw)")
            #expect(booked["start"] as? String == "2027-03-03T09:00:00-05:00")
            #expect(booked["end"] as? String == "2027-03-03T09:30:00-05:00")
            #expect(booked["status"] as? String == "confirmed")
            #expect(booked["price_cents"] as? Int == 2500)
            #expect(booked["client_id"] as? Int == client.id)
            #expect(booked["notes"] as? String == "fade")
            #expect(booked["created_at"] as? String == "2027-03-01T07:00:00-05:00")

            let after = try await api.send(.get, "/api/v2/appointments/slots?service_id=\(service)&date=2027-03-03&barber_id=\(barber)")
            let starts = (after["slots"] as? [[String: Any]] ?? []).compactMap { $0["start"] as? String }
            #expect(!starts.contains("2027-03-03T09:00:00-05:00"))
            #expect(!starts.contains("2027-03-03T09:15:00-05:00"))
            #expect(starts.contains("2027-03-03T09:30:00-05:00"))

            let mine = try await api.send(.get, "/api/v2/appointments", token: client.token)
            #expect((mine["appointments"] as? [[String: Any]])?.count == 1)
        }
    }
}
