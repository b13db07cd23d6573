import Foundation
import Testing

extension RealProcessTests {
    /// Against the real process: after `kill -9` and a restart (a snapshot taken on the way, so
    /// recovery reads the snapshot and the log after it), the summary, the CSV and the client
    /// records, notes included, are what the server answered before the crash (JSON compared with
    /// sorted keys: the encoder's key order is not fixed across processes; the CSV byte for byte).
    @Suite struct AnalyticsAfterCrashTests {
        /// JSON re-serialized with sorted keys; anything else as it is.
        static func canonical(_ body: Data) -> Data {
            guard let value = try? JSONSerialization.jsonObject(with: body),
                let sorted = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
            else { return body }
            return sorted
        }

        @Test func figuresAndNotesAreTheSameAfterKill9AndRestart() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bb-analytics-crash-\(UInt64.random(in: 0 ... .max))").path
            defer {
                try? FileManager.default.removeItem(atPath: directory)
                try? FileManager.default.removeItem(atPath: directory + ".log")
            }
            let server = ServerProcess(dataDirectory: directory)
            try await server.start()
            let shop = try await ServerProcessTests.setUp(server)
            let base = server.base + "/api/v2"
            var ids: [Int] = []
            for slot in 0..<60 {
                let start = "2030-01-0\(2 + slot % 5)T\(10 + slot / 12):\(slot % 12 < 6 ? "00" : "30"):00Z"
                let booked = try await HTTP.request("POST", base + "/appointments", token: shop.admin, json: [
                    "barber_id": shop.barbers[slot % 4], "service_id": shop.service, "start": start, "client_id": 2,
                ])
                if booked.status == 201, let id = booked.json["id"] as? Int { ids.append(id) }
            }
            #expect(ids.count > 40)
            for (index, id) in ids.enumerated() {
                let action = ["complete", "no-show", "cancel", ""][index % 4]
                if !action.isEmpty {
                    #expect(try await HTTP.request("POST", base + "/appointments/\(id)/\(action)", token: shop.admin, json: [:]).status == 200)
                }
            }
            #expect(try await HTTP.request("PATCH", base + "/clients/2", token: shop.admin, json: ["notes": "keeps the beard"]).status == 200)
            let reads = [
                "/analytics/summary?from=2030-01-01&to=2030-01-31", "/analytics/daily.csv?from=2030-01-01&to=2030-01-07",
                "/clients", "/clients/2", "/admin/state",
            ]
            var before: [String: Data] = [:]
            for path in reads {
                let response = try await HTTP.request("GET", base + path, token: shop.admin)
                #expect(response.status == 200, "\(path): \(String(decoding: response.body, as: UTF8.self))")
                before[path] = Self.canonical(response.body)
            }
            #expect(String(decoding: before["/clients/2"]!, as: UTF8.self).contains("keeps the beard"))
            // The server snapshots in the background once 40 records are past (`--snapshot-every 40`):
            // wait for the file, so recovery reads a snapshot and the log after it.
            let deadline = ContinuousClock.now + .seconds(120)
            func snapshotWritten() -> Bool {
                ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).contains { $0.hasSuffix(".snap") }
            }
            while !snapshotWritten(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            #expect(snapshotWritten(), "a snapshot was taken before the crash")

            server.kill9()
            try await server.start()
            for path in reads {
                let response = try await HTTP.request("GET", base + path, token: shop.admin)
                #expect(Self.canonical(response.body) == before[path], "\(path) after restart: \(String(decoding: response.body, as: UTF8.self))")
            }
            _ = server.terminate()
        }
    }
}
