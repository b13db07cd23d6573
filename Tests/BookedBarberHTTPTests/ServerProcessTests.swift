import Foundation
import Synchronization
import Testing

extension RealProcessTests {
    /// The durability promise against the real process: after a 2xx, neither `kill -9` nor a
    /// graceful stop loses the change, ids are never reused, and no interval is double-booked.
    @Suite struct ServerProcessTests {
        /// What a 201 answered: the fields the server must still have after a crash.
        struct Acknowledged: Sendable, Hashable {
            var id: Int
            var barber: Int
            var start: String
            var end: String
        }

        /// Shop set up through the API: UTC, no notice, four barbers working around the clock, a
        /// 15-minute service, a client.
        struct Shop {
            var admin: String
            var client: String
            var barbers: [Int]
            var service: Int
        }

        /// Cycle n books on day n after this one (2030-01-01T00:00:00Z).
        static let firstDay = Date(timeIntervalSince1970: 1_893_456_000)

        static func setUp(_ server: ServerProcess) async throws -> Shop {
            let base = server.base + "/api/v2"
            let admin = try await HTTP.request("POST", base + "/auth/login", json: ["email": "admin@process.test", "password": "admin-password"])
            let adminToken = try #require(admin.json["token"] as? String)
            _ = try await HTTP.request(
                "PATCH", base + "/shop", token: adminToken,
                json: ["time_zone": "UTC", "min_notice_minutes": 0, "max_advance_days": 3000, "slot_interval_minutes": 15])
            let day = [["start": "00:00", "end": "24:00"]]
            let weekly = Dictionary(uniqueKeysWithValues: ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].map { ($0, day) })
            var barbers: [Int] = []
            for index in 0..<4 {
                let barber = try await HTTP.request("POST", base + "/barbers", token: adminToken, json: ["name": "P\(index)"])
                let id = try #require(barber.json["id"] as? Int)
                _ = try await HTTP.request("PUT", base + "/barbers/\(id)/schedule", token: adminToken, json: ["weekly": weekly, "buffer_minutes": 0])
                barbers.append(id)
            }
            let service = try await HTTP.request(
                "POST", base + "/services", token: adminToken, json: ["name": "Trim", "duration_minutes": 15, "price_cents": 900])
            let client = try await HTTP.request(
                "POST", base + "/auth/register", json: ["email": "client@process.test", "password": "client-password", "name": "C"])
            return Shop(
                admin: adminToken, client: try #require(client.json["token"] as? String), barbers: barbers,
                service: try #require(service.json["id"] as? Int))
        }

        /// Books from `workers` concurrent tasks until `stop` or the server goes away, and returns
        /// every acknowledged booking. Workers overlap on purpose: each slot is tried by two workers.
        static func bookUntilStopped(_ server: ServerProcess, _ shop: Shop, workers: Int, day: Int, stop: StopSignal)
            async -> [Acknowledged]
        {
            await withTaskGroup(of: [Acknowledged].self) { group in
                for worker in 0..<workers {
                    group.addTask {
                        var acknowledged: [Acknowledged] = []
                        var slot = worker / 2
                        while !stop.isStopped, slot < 96 * 4 {
                            let barber = shop.barbers[slot % shop.barbers.count]
                            let minute = (slot / shop.barbers.count) * 15
                            let date = Calendar(identifier: .gregorian).date(byAdding: .day, value: day, to: Self.firstDay)!
                            let start = ISO8601DateFormatter().string(from: date.addingTimeInterval(Double(minute * 60)))
                            guard let response = try? await HTTP.request(
                                "POST", server.base + "/api/v2/appointments", token: shop.client,
                                json: ["barber_id": barber, "service_id": shop.service, "start": start])
                            else { break }
                            if response.status == 201, let id = response.json["id"] as? Int, let end = response.json["end"] as? String {
                                acknowledged.append(Acknowledged(id: id, barber: barber, start: response.json["start"] as? String ?? "", end: end))
                            }
                            slot += workers / 2
                        }
                        return acknowledged
                    }
                }
                return await group.reduce(into: []) { $0 += $1 }
            }
        }

        /// Every acknowledged booking is stored with its fields; live intervals of a barber never
        /// overlap; ids are unique. Returns the largest id stored.
        static func verify(_ server: ServerProcess, _ shop: Shop, acknowledged: Set<Acknowledged>) async throws -> Int {
            let listing = try await HTTP.request("GET", server.base + "/api/v2/appointments", token: shop.admin)
            let stored = try #require(listing.json["appointments"] as? [[String: Any]])
            var byID: [Int: Acknowledged] = [:]
            for item in stored {
                let id = try #require(item["id"] as? Int)
                #expect(byID[id] == nil, "id \(id) appears twice")
                byID[id] = Acknowledged(
                    id: id, barber: item["barber_id"] as? Int ?? 0, start: item["start"] as? String ?? "", end: item["end"] as? String ?? "")
            }
            for booking in acknowledged { #expect(byID[booking.id] == booking, "acknowledged booking \(booking.id) lost or changed") }
            for barber in shop.barbers {
                let intervals = byID.values.filter { $0.barber == barber }.sorted { $0.start < $1.start }
                for (a, b) in zip(intervals, intervals.dropFirst()) { #expect(a.end <= b.start, "overlap of \(a.id) and \(b.id)") }
            }
            return byID.keys.max() ?? 0
        }

        /// Crash cycles: 3 in the suite; `scripts/soak-crash.sh` runs many more.
        static var cycles: Int { ProcessInfo.processInfo.environment["BOOKEDBARBER_CRASH_CYCLES"].flatMap(Int.init) ?? 3 }

        @Test func kill9AtRandomMomentsLosesNoAcknowledgedBookingAndSigtermExitsZero() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bb-process-\(UInt64.random(in: 0 ... .max))").path
            defer {
                try? FileManager.default.removeItem(atPath: directory)
                try? FileManager.default.removeItem(atPath: directory + ".log")
            }
            let server = ServerProcess(dataDirectory: directory)
            try await server.start()
            let shop = try await Self.setUp(server)
            var acknowledged = Set<Acknowledged>()
            var largestID = 0
            for cycle in 1...Self.cycles {
                let stop = StopSignal()
                async let booked = Self.bookUntilStopped(server, shop, workers: 8, day: cycle, stop: stop)
                try await Task.sleep(for: .milliseconds(Int.random(in: 150...600)))
                server.kill9()
                stop.stop()
                let thisCycle = await booked
                #expect(!thisCycle.isEmpty, "cycle \(cycle) booked nothing before the kill")
                acknowledged.formUnion(thisCycle)
                try await server.start()
                largestID = try await Self.verify(server, shop, acknowledged: acknowledged)
            }

            let next = try await HTTP.request(
                "POST", server.base + "/api/v2/appointments", token: shop.client,
                json: [
                    "barber_id": shop.barbers[0], "service_id": shop.service,
                    "start": ISO8601DateFormatter().string(from: Self.firstDay.addingTimeInterval(Double(Self.cycles + 1) * 86_400)),
                ])
            #expect(next.status == 201)
            #expect((next.json["id"] as? Int ?? 0) > largestID, "an id was reused after a crash")

            let stop = StopSignal()
            async let inFlight = Self.bookUntilStopped(server, shop, workers: 8, day: Self.cycles + 2, stop: stop)
            try await Task.sleep(for: .milliseconds(200))
            #expect(server.terminate() == 0, "SIGTERM must exit 0")
            stop.stop()
            acknowledged.formUnion(await inFlight)
            try await server.start()
            _ = try await Self.verify(server, shop, acknowledged: acknowledged)
            #expect(server.terminate() == 0)
        }
    }
}

/// Tells booking workers to finish.
final class StopSignal: Sendable {
    private let flag = Atomic(false)
    func stop() { flag.store(true, ordering: .relaxed) }
    var isStopped: Bool { flag.load(ordering: .relaxed) }
}
