import BookingCore
import Foundation
import Hummingbird
import Testing

/// "A slot is listed if and only if booking it at that moment would succeed", checked through HTTP:
/// every listed start books, every unlisted grid start is refused.
@Suite struct SlotsMatchBookingTests {
    /// The 15-minute grid of 2027-03-03 from 09:00 to 16:45, New York winter time.
    static let grid: [String] = stride(from: 9 * 60, to: 17 * 60, by: 15).map {
        "2027-03-03T" + String(format: "%02d:%02d", $0 / 60, $0 % 60) + ":00-05:00"
    }

    @Test func everyListedSlotBooksAndEveryUnlistedGridStartIsRefused() async throws {
        // Now is 10:05, so the notice removes the morning up to 11:05.
        let harness = try await APIHarness.make(now: RFC3339.parse("2027-03-03T10:05:00-05:00")!)
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin, duration: 15)
            let clients = try await api.registerClients(24, prefix: "grid")
            #expect(try await api.book(admin, barber: barber, service: service, start: "2027-03-03T12:00:00-05:00", clientID: clients[0].id)
                .status == .created)
            #expect(try await api.book(admin, barber: barber, service: service, start: "2027-03-03T14:05:00-05:00", clientID: clients[0].id)
                .status == .created)
            _ = try await api.send(
                .post, "/api/v2/barbers/\(barber)/time-off", token: admin,
                json: ["start": "2027-03-03T15:00:00-05:00", "end": "2027-03-03T15:40:00-05:00"])

            let listed = try await api.slotStarts(service: service, date: "2027-03-03", barber: barber)
            // 32 grid starts, less 9 inside the notice, 1 + 2 touching the bookings and 3 touching the time off.
            let expectedCount = 17
            #expect(listed.count == expectedCount)
            for start in Self.grid where !listed.contains(start) {
                let response = try await api.book(clients[1].token, barber: barber, service: service, start: start)
                #expect(response.status != .created, "\(start) is not listed but booked")
                #expect(["too_soon", "slot_taken", "outside_hours"].contains(response.errorCode ?? ""), "\(start): \(response.raw)")
            }
            for (index, start) in listed.enumerated() {
                let response = try await api.book(clients[index + 2].token, barber: barber, service: service, start: start)
                #expect(response.status == .created, "\(start) is listed but refused: \(response.raw)")
            }
            #expect(try await api.slotStarts(service: service, date: "2027-03-03", barber: barber).isEmpty)
        }
    }

    @Test func withABufferAndLongerServicesTheListStaysExactAfterEveryBooking() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin, buffer: 10, duration: 45)
            let clients = try await api.registerClients(12, prefix: "buffer")
            var booked = 0
            while true {
                let listed = try await api.slotStarts(service: service, date: "2027-03-03", barber: barber)
                for start in Self.grid where !listed.contains(start) {
                    let response = try await api.book(clients[0].token, barber: barber, service: service, start: start)
                    #expect(response.status != .created, "\(start) is not listed but booked after \(booked) bookings")
                }
                guard let first = listed.first else { break }
                let response = try await api.book(clients[booked + 1].token, barber: barber, service: service, start: first)
                #expect(response.status == .created, "\(first) is listed but refused: \(response.raw)")
                guard response.status == .created else { break }
                booked += 1
            }
            // 09:00-09:45 keeps the barber until 09:55, so the next grid start is 10:00: 09:00, 10:00, … 16:00.
            #expect(booked == 8)
        }
    }
}
