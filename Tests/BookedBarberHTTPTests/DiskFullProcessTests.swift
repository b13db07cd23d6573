import Foundation
import Synchronization
import TestSupport
import Testing

extension RealProcessTests {
    /// The real server on a real small disk (a 4 MiB tmpfs mounted by the test), with a reserve
    /// of 1 MiB: filled under concurrent booking load it turns read-only (503 with `Retry-After`,
    /// reads served, readiness 503) without losing an acknowledged booking and resumes by itself
    /// once space is freed; restarted on a full disk it comes up read-only instead of crashing;
    /// a write that still meets a full disk (no reserve) stops it with exit 70, and the restart
    /// is read-only with every acknowledged booking there: no crash loop.
    ///
    /// Where the machine refuses to mount, the test says so and the same behaviour is covered
    /// through the file-system seam (`StorageDiskSpaceTests`, `DiskFullTests`).
    @Suite struct DiskFullProcessTests {
        typealias Acknowledged = ServerProcessTests.Acknowledged
        static let reserve = 1 << 20
        static let reserveFlag = ["--disk-reserve", "1MiB"]

        /// What the booking workers saw. Shared by all of them: each field is atomic or behind a
        /// mutex of its own, and nothing is read and written as one step across fields.
        final class Load: Sendable {
            let acknowledged = Mutex<[Acknowledged]>([])
            /// 503 answers with `Retry-After` and code `unavailable`.
            let refused = Atomic(0)
            /// Anything else: another status, a 503 without `Retry-After`, or no answer at all.
            let unexpected = Mutex<[String]>([])
            let nextSlot = Atomic(0)
            let stop = StopSignal()

            var acknowledgedCount: Int { acknowledged.withLock { $0.count } }
        }

        /// Books distinct 15-minute slots from `workers` tasks until `load.stop`.
        static func book(_ server: ServerProcess, _ shop: ServerProcessTests.Shop, workers: Int, _ load: Load) async {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<workers {
                    group.addTask {
                        while !load.stop.isStopped {
                            let slot = load.nextSlot.add(1, ordering: .relaxed).newValue
                            let start = ISO8601DateFormatter().string(
                                from: ServerProcessTests.firstDay.addingTimeInterval(Double(slot / shop.barbers.count) * 900))
                            let barber = shop.barbers[slot % shop.barbers.count]
                            do {
                                let response = try await HTTP.request(
                                    "POST", server.base + "/api/v2/appointments", token: shop.client,
                                    json: ["barber_id": barber, "service_id": shop.service, "start": start])
                                let error = response.json["error"] as? [String: Any]
                                if response.status == 201, let id = response.json["id"] as? Int, let end = response.json["end"] as? String {
                                    let booking = Acknowledged(id: id, barber: barber, start: response.json["start"] as? String ?? "", end: end)
                                    load.acknowledged.withLock { $0.append(booking) }
                                } else if response.status == 503, response.headers["retry-after"] != nil, error?["code"] as? String == "unavailable" {
                                    load.refused.add(1, ordering: .relaxed)
                                    // Refusals are instant; a client that honoured Retry-After would wait far longer.
                                    try? await Task.sleep(for: .milliseconds(5))
                                } else {
                                    load.unexpected.withLock { $0.append("\(response.status) \(String(decoding: response.body, as: UTF8.self))") }
                                }
                            } catch {
                                load.unexpected.withLock { $0.append("no answer: \(error)") }
                                return
                            }
                        }
                    }
                }
            }
        }


        static func readiness(_ server: ServerProcess) async throws -> (status: Int, reason: String?, free: Int?) {
            let response = try await HTTP.request("GET", server.base + "/readiness")
            let log = response.json["log"] as? [String: Any]
            return (response.status, log?["reason"] as? String, log?["free_bytes"] as? Int)
        }

        static func metric(_ server: ServerProcess, _ name: String, _ labels: [String: String] = [:]) async throws -> Double? {
            let scrape = try await HTTP.request("GET", server.base + "/metrics")
            return try PrometheusText(String(decoding: scrape.body, as: UTF8.self)).value(name, labels)
        }

        /// A booking now, outside the load: its status and the parts of the answer checked.
        static func bookOnce(_ server: ServerProcess, _ shop: ServerProcessTests.Shop, day: Int) async throws -> HTTP.Response {
            let start = ISO8601DateFormatter().string(from: ServerProcessTests.firstDay.addingTimeInterval(Double(500 + day) * 86_400))
            return try await HTTP.request(
                "POST", server.base + "/api/v2/appointments", token: shop.client,
                json: ["barber_id": shop.barbers[0], "service_id": shop.service, "start": start])
        }

        /// What a refused change must look like.
        static func expectRefused(_ response: HTTP.Response, _ what: String) {
            let error = response.json["error"] as? [String: Any]
            #expect(response.status == 503, "\(what): \(String(decoding: response.body, as: UTF8.self))")
            #expect(error?["code"] as? String == "unavailable", "\(what)")
            #expect((error?["message"] as? String)?.contains("disk") == true, "\(what): the message names the full disk")
            #expect(response.headers["retry-after"] != nil, "\(what): Retry-After")
        }

        /// Waits until the server reports itself read-only for a full disk.
        static func expectReadOnly(_ server: ServerProcess) async throws {
            #expect(await eventually { (try? await readiness(server).reason) == "disk_full" }, "never turned read-only")
            let state = try await readiness(server)
            #expect(state.status == 503)
            #expect((state.free ?? .max) < reserve)
        }

        @Test func fillingTheDiskTurnsTheServerReadOnlyAndFreeingItResumesWithoutLosingAnything() async throws {
            let disk: SmallDisk
            switch SmallDisk.mount(bytes: 4 << 20) {
            case .success(let mounted): disk = mounted
            case .failure(let refused):
                print("DiskFullProcessTests: mount -t tmpfs refused (\(refused)); the full disk is covered through the file-system seam instead (StorageDiskSpaceTests, DiskFullTests)")
                return
            }
            let server = ServerProcess(dataDirectory: disk.mountPoint + "/data", output: disk.base + "/server.log")
            defer {
                server.kill9()
                disk.unmount()
            }
            try await server.start(extra: Self.reserveFlag)
            let shop = try await ServerProcessTests.setUp(server)
            var acknowledged = Set<Acknowledged>()

            // Fill the disk under concurrent booking load.
            let load = Load()
            async let loadDone: Void = Self.book(server, shop, workers: 8, load)
            #expect(await eventually { load.acknowledgedCount >= 50 }, "the load booked nothing")
            try disk.fill(leaving: 512 << 10)
            try await Self.expectReadOnly(server)
            #expect(await eventually { load.refused.load(ordering: .relaxed) >= 20 }, "the load saw no refusal")
            Self.expectRefused(try await Self.bookOnce(server, shop, day: 0), "booking")
            Self.expectRefused(
                try await HTTP.request("POST", server.base + "/api/v2/auth/register", json: ["email": "late@process.test", "password": "password123", "name": "L"]),
                "register")
            let login = try await HTTP.request("POST", server.base + "/api/v2/auth/login", json: ["email": "client@process.test", "password": "client-password"])
            #expect(login.status == 200, "login writes nothing: it keeps working")
            let date = String(ISO8601DateFormatter().string(from: ServerProcessTests.firstDay).prefix(10))
            let slots = try await HTTP.request(
                "GET", server.base + "/api/v2/appointments/slots?barber_id=\(shop.barbers[0])&service_id=\(shop.service)&date=\(date)")
            #expect(slots.status == 200)
            #expect(try await Self.metric(server, "bookedbarber_read_only", ["reason": "disk_full"]) == 1)
            #expect(try await Self.metric(server, "bookedbarber_data_dir_free_bytes").map { $0 < Double(Self.reserve) } == true)

            // Free the space: writes resume by themselves while the load goes on.
            let beforeResume = load.acknowledgedCount
            disk.removeFiller()
            #expect(await eventually { (try? await Self.readiness(server).status) == 200 }, "never writable again")
            #expect(await eventually { load.acknowledgedCount >= beforeResume + 50 }, "bookings did not resume")
            #expect(try await Self.metric(server, "bookedbarber_read_only", ["reason": "disk_full"]) == 0)
            load.stop.stop()
            await loadDone
            #expect(load.unexpected.withLock { $0 }.isEmpty, "\(load.unexpected.withLock { $0.prefix(5) })")
            acknowledged.formUnion(load.acknowledged.withLock { $0 })
            _ = try await ServerProcessTests.verify(server, shop, acknowledged: acknowledged)

            // Restart on a full disk: it comes up read-only and stays up.
            try disk.fill(leaving: 512 << 10)
            try await Self.expectReadOnly(server)
            #expect(server.terminate() == 0, "SIGTERM while read-only exits 0")
            try await server.start(extra: Self.reserveFlag, ready: { $0.json["phase"] as? String == "ready" })
            try await Self.expectReadOnly(server)
            Self.expectRefused(try await Self.bookOnce(server, shop, day: 1), "booking after a restart on a full disk")
            _ = try await ServerProcessTests.verify(server, shop, acknowledged: acknowledged)
            #expect(server.isRunning)
            disk.removeFiller()
            #expect(await eventually { (try? await Self.readiness(server).status) == 200 })
            let resumed = try await Self.bookOnce(server, shop, day: 1)
            #expect(resumed.status == 201, "\(String(decoding: resumed.body, as: UTF8.self))")
            #expect(server.terminate() == 0)

            // Without a reserve a write meets the full disk: fail-stop with exit 70, then a restart
            // with the reserve comes up read-only with every acknowledged booking.
            try await server.start(extra: ["--disk-reserve", "0"])
            try disk.fillCompletely()
            var exit: Int32?
            for day in 10..<1_000 where exit == nil {
                if let response = try? await Self.bookOnce(server, shop, day: day), response.status == 201,
                    let id = response.json["id"] as? Int, let end = response.json["end"] as? String
                {
                    acknowledged.insert(Acknowledged(id: id, barber: shop.barbers[0], start: response.json["start"] as? String ?? "", end: end))
                }
                exit = await server.exitStatus(within: .milliseconds(1))
            }
            if exit == nil { exit = await server.exitStatus(within: .seconds(30)) }
            #expect(exit == 70, "a write on a full disk must stop the process with 70")
            let output = (try? String(contentsOfFile: disk.base + "/server.log", encoding: .utf8)) ?? ""
            #expect(output.contains("No space left on device"))

            try await server.start(extra: Self.reserveFlag, ready: { $0.json["phase"] as? String == "ready" })
            try await Self.expectReadOnly(server)
            Self.expectRefused(try await Self.bookOnce(server, shop, day: 2), "booking after the fail-stop")
            _ = try await ServerProcessTests.verify(server, shop, acknowledged: acknowledged)
            disk.removeFiller()
            #expect(await eventually { (try? await Self.readiness(server).status) == 200 })
            #expect(try await Self.bookOnce(server, shop, day: 3).status == 201)
            #expect(server.terminate() == 0)
        }
    }
}
