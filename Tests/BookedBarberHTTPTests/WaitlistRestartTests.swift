import Foundation
import Testing

extension RealProcessTests {
    /// The real process: an offer acknowledged before `kill -9` is still held after the restart,
    /// with the same expiry; the waitlist and the walk-in line read back equal; the live digest is the digest
    /// `bookedbarber replay` computes from the same data directory.
    @Suite struct WaitlistRestartTests {
        static func replayDigest(_ directory: String) throws -> String {
            let process = Process()
            process.executableURL = ServerProcess.executable
            process.arguments = ["replay", "--data-dir", directory, "--json"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            return json?["digest"] as? String ?? "replay printed: \(String(decoding: data, as: UTF8.self))"
        }

        static func liveDigest(_ server: ServerProcess, admin: String) async throws -> String {
            try await HTTP.request("GET", server.base + "/api/v2/admin/state", token: admin).json["digest"] as? String ?? ""
        }

        static func canonical(_ response: HTTP.Response) -> String {
            let object = try? JSONSerialization.jsonObject(with: response.body)
            let data = object.flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) } ?? response.body
            return String(decoding: data, as: UTF8.self)
        }

        @Test func kill9KeepsEveryOfferHoldAndWalkInWithItsExpiry() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bb-waitlist-\(UInt64.random(in: 0 ... .max))").path
            defer {
                try? FileManager.default.removeItem(atPath: directory)
                try? FileManager.default.removeItem(atPath: directory + ".log")
            }
            let server = ServerProcess(dataDirectory: directory)
            try await server.start()
            let base = server.base + "/api/v2"
            let login = try await HTTP.request("POST", base + "/auth/login", json: ["email": "admin@process.test", "password": "admin-password"])
            let admin = try #require(login.json["token"] as? String)
            let shop = try await HTTP.request(
                "PATCH", base + "/shop", token: admin, json: ["time_zone": "UTC", "min_notice_minutes": 0, "waitlist_hold_minutes": 600])
            #expect(shop.status == 200)
            let day = [["start": "09:00", "end": "10:00"]]
            let weekly = Dictionary(uniqueKeysWithValues: ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].map { ($0, day) })
            var barbers: [Int] = []
            for name in ["W1", "W2"] {
                let barber = try #require(try await HTTP.request("POST", base + "/barbers", token: admin, json: ["name": name]).json["id"] as? Int)
                #expect(try await HTTP.request(
                    "PUT", base + "/barbers/\(barber)/schedule", token: admin, json: ["weekly": weekly, "buffer_minutes": 0]).status == 200)
                barbers.append(barber)
            }
            let service = try #require(try await HTTP.request(
                "POST", base + "/services", token: admin, json: ["name": "Cut", "duration_minutes": 30, "price_cents": 900]).json["id"] as? Int)
            let date = ISO8601DateFormatter.string(from: Date().addingTimeInterval(2 * 86_400), timeZone: .gmt, formatOptions: [.withFullDate])
            var appointments: [Int] = []
            for barber in barbers {
                for start in ["09:00", "09:30"] {
                    let booked = try await HTTP.request(
                        "POST", base + "/appointments", token: admin,
                        json: ["barber_id": barber, "service_id": service, "start": "\(date)T\(start):00Z", "client_id": 1])
                    #expect(booked.status == 201)
                    appointments.append(booked.json["id"] as? Int ?? 0)
                }
            }
            var clients: [String] = []
            for index in 0..<3 {
                let registered = try await HTTP.request(
                    "POST", base + "/auth/register", json: ["email": "w\(index)@process.test", "password": "client-password", "name": "W \(index)"])
                let token = try #require(registered.json["token"] as? String)
                let entry = try await HTTP.request(
                    "POST", base + "/waitlist", token: token, json: ["service_id": service, "date_from": date, "date_to": date])
                #expect(entry.status == 201)
                clients.append(token)
            }
            // Two offers, on two barbers, each acknowledged by its cancellation's 200.
            for id in [appointments[1], appointments[2]] {
                #expect(try await HTTP.request("POST", base + "/appointments/\(id)/cancel", token: admin).status == 200)
            }
            // Two walk-ins in line, one of them being served.
            for name in ["Walk One", "Walk Two"] {
                #expect(try await HTTP.request("POST", base + "/queue", token: admin, json: ["name": name, "service_id": service]).status == 201)
            }
            let board = try #require(try await HTTP.request("GET", base + "/queue", token: admin).json["entries"] as? [[String: Any]])
            #expect(board.count == 2)
            let before = try await HTTP.request("GET", base + "/waitlist", token: admin)
            let entries = try #require(before.json["entries"] as? [[String: Any]])
            #expect(entries.map { $0["status"] as? String } == ["offered", "offered", "waiting"])
            let digest = try await Self.liveDigest(server, admin: admin)

            server.kill9()
            #expect(try Self.replayDigest(directory) == digest)
            try await server.start()

            let after = try await HTTP.request("GET", base + "/waitlist", token: admin)
            #expect(Self.canonical(after) == Self.canonical(before))
            let boardAfter = try #require(try await HTTP.request("GET", base + "/queue", token: admin).json["entries"] as? [[String: Any]])
            #expect(boardAfter.map { $0["id"] as? Int } == board.map { $0["id"] as? Int })
            #expect(boardAfter.map { $0["name"] as? String } == ["Walk One", "Walk Two"])
            #expect(boardAfter.map { $0["checked_in_at"] as? String } == board.map { $0["checked_in_at"] as? String })
            #expect(try await Self.liveDigest(server, admin: admin) == digest)
            for barber in barbers {
                let slots = try await HTTP.request("GET", base + "/appointments/slots?service_id=\(service)&date=\(date)&barber_id=\(barber)")
                #expect((slots.json["slots"] as? [Any])?.isEmpty == true, "a held start is listed after the restart")
            }
            let offered = entries[0]["offer"] as? [String: Any]
            let taken = try await HTTP.request(
                "POST", base + "/appointments", token: clients[2],
                json: ["barber_id": offered?["barber_id"] ?? 0, "service_id": service, "start": offered?["start"] ?? ""])
            #expect(taken.status == 409)
            let claimed = try await HTTP.request("POST", base + "/waitlist/\(entries[0]["id"] as? Int ?? 0)/claim", token: clients[0])
            #expect(claimed.status == 201)
            #expect(claimed.json["start"] as? String == offered?["start"] as? String)
            let final = try await Self.liveDigest(server, admin: admin)
            #expect(server.terminate() == 0)
            #expect(try Self.replayDigest(directory) == final)
        }
    }
}
