import BookedBarberHTTP
import BookingLog
import Foundation
import Hummingbird
import Testing

/// Below the space reserve the server is read-only: every request that may change state is 503
/// `unavailable` with `Retry-After` and a message naming the full disk, while reads, slots,
/// login and `/metrics` go on; `/readiness` is 503 with the reason and the free bytes. A reading
/// above the reserve again lets writes through, with nothing lost.
@Suite struct ReadOnlyModeTests {
    static let reserve = SpaceReserve(bytes: 1 << 20)

    @Test func belowTheReserveChangesAreRefusedAndReadsServed() async throws {
        let harness = try await APIHarness.make()
        let diskSpace = harness.app.runtime.diskSpace
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let client = try await api.register("disk@client.test")
            let booked = try await api.book(client.token, barber: barber, service: service, start: "2027-03-02T10:00:00-05:00")
            #expect(booked.status == .created, "\(booked.raw)")

            diskSpace.record(.init(availableBytes: 4096, reserve: Self.reserve))

            let refused: [APIResponse] = [
                try await api.book(client.token, barber: barber, service: service, start: "2027-03-02T11:00:00-05:00"),
                try await api.send(.post, "/api/v2/appointments/\(booked.id)/cancel", token: client.token, json: [:]),
                try await api.send(.patch, "/api/v2/shop", token: admin, json: ["name": "Renamed"]),
                try await api.send(.put, "/api/v2/barbers/\(barber)/schedule", token: admin, json: ["weekly": [:], "buffer_minutes": 0]),
                try await api.send(.delete, "/api/v2/barbers/\(barber)/time-off/1", token: admin),
                try await api.send(.post, "/api/v2/auth/register", json: ["email": "new@client.test", "password": "password123", "name": "N"]),
            ]
            for response in refused {
                #expect(response.status == .serviceUnavailable, "\(response.raw)")
                #expect(response.errorCode == "unavailable")
                #expect(response.headers[.retryAfter] == "5")
                #expect(response.errorMessage?.contains("disk") == true, "\(response.raw)")
                #expect(response.errorMessage?.contains("4096 bytes free") == true, "\(response.raw)")
            }

            let listing = try await api.send(.get, "/api/v2/appointments", token: admin)
            #expect(listing.status == .ok && listing.list("appointments").count == 1)
            #expect(listing.list("appointments").first?["status"] as? String == "confirmed")
            let slots = try await api.send(.get, "/api/v2/appointments/slots?barber_id=\(barber)&service_id=\(service)&date=2027-03-02")
            #expect(slots.status == .ok, "\(slots.raw)")
            #expect(try await api.send(.head, "/api/v2/shop").status == .ok)
            #expect(try await api.send(.get, "/api/v2/auth/me", token: client.token).status == .ok)
            let login = try await api.send(.post, "/api/v2/auth/login", json: ["email": "disk@client.test", "password": "password123"])
            #expect(login.status == .ok, "login writes nothing and keeps working: \(login.raw)")

            let readiness = try await api.send(.get, "/readiness")
            #expect(readiness.status == .serviceUnavailable)
            #expect(readiness["ready"] as? Bool == false)
            #expect(readiness["phase"] as? String == "ready")
            let log = try #require(readiness["log"] as? [String: Any])
            #expect(log["writable"] as? Bool == false)
            #expect(log["reason"] as? String == "disk_full")
            #expect(log["free_bytes"] as? Int == 4096)

            let metrics = try PrometheusText(try await api.send(.get, "/metrics").raw)
            #expect(metrics.types["bookedbarber_read_only"] == "gauge")
            #expect(metrics.value("bookedbarber_read_only", ["reason": "disk_full"]) == 1)
            #expect(metrics.value("bookedbarber_data_dir_free_bytes") == 4096)
            #expect(metrics.value("bookedbarber_data_dir_reserve_bytes") == Double(Self.reserve.bytes))

            diskSpace.record(.init(availableBytes: 8 << 20, reserve: Self.reserve))
            let resumed = try await api.book(client.token, barber: barber, service: service, start: "2027-03-02T11:00:00-05:00")
            #expect(resumed.status == .created, "\(resumed.raw)")
            let ready = try await api.send(.get, "/readiness")
            #expect(ready.status == .ok)
            let writableLog = try #require(ready["log"] as? [String: Any])
            #expect(writableLog["writable"] as? Bool == true && writableLog["reason"] == nil)
            #expect(writableLog["free_bytes"] as? Int == 8 << 20)
            let after = try PrometheusText(try await api.send(.get, "/metrics").raw)
            #expect(after.value("bookedbarber_read_only", ["reason": "disk_full"]) == 0)
            let all = try await api.send(.get, "/api/v2/appointments", token: admin)
            #expect(Set(all.list("appointments").compactMap { $0["id"] as? Int }) == [booked.id, resumed.id])
        }
    }

    @Test func exactlyAtTheReserveTheServerStillWrites() async throws {
        let harness = try await APIHarness.make()
        harness.app.runtime.diskSpace.record(.init(availableBytes: Self.reserve.bytes, reserve: Self.reserve))
        try await harness.run { api in
            let admin = try await api.adminToken()
            let patched = try await api.send(.patch, "/api/v2/shop", token: admin, json: ["name": "At the line"])
            #expect(patched.status == .ok, "\(patched.raw)")
            #expect(try await api.send(.get, "/readiness").status == .ok)
        }
    }
}
