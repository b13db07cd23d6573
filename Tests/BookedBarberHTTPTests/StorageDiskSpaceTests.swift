import BookingCore
import BookingLog
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import TestSupport
import Testing

@testable import BookedBarberHTTP
@testable import BookedBarberServer

/// The storage service with the data directory's free space reported through the log's
/// file-system seam (real files, a chosen `statvfs` answer): the watch turns the server
/// read-only below the reserve and writable again above it, with nothing lost; a start below the
/// reserve comes up read-only; no snapshot is written while read-only.
@Suite struct StorageDiskSpaceTests {
    static let reserve = SpaceReserve(bytes: 1 << 20)

    /// Real files on the disk; `availableBytes` answers what the test says.
    final class ReportedSpaceFileSystem: LogFileSystem {
        // Sendable: the real file system is stateless and the reported space is atomic.
        private let disk = PosixFileSystem()
        private let reported = Atomic<Int>(64 << 20)

        func report(_ bytes: Int) { reported.store(bytes, ordering: .relaxed) }

        func availableBytes(_ path: String) throws -> Int {
            _ = try disk.availableBytes(path)
            return reported.load(ordering: .relaxed)
        }

        func openForAppending(_ path: String, truncating: Bool) throws -> any LogFile { try disk.openForAppending(path, truncating: truncating) }
        func readFile(_ path: String) throws -> [UInt8] { try disk.readFile(path) }
        func read(_ path: String, offset: Int, count: Int) throws -> [UInt8] { try disk.read(path, offset: offset, count: count) }
        func fileSize(_ path: String) throws -> Int { try disk.fileSize(path) }
        func truncate(_ path: String, to size: Int) throws { try disk.truncate(path, to: size) }
        func rename(_ source: String, to destination: String) throws { try disk.rename(source, to: destination) }
        func remove(_ path: String) throws { try disk.remove(path) }
        func listDirectory(_ path: String) throws -> [String] { try disk.listDirectory(path) }
        func syncDirectory(_ path: String) throws { try disk.syncDirectory(path) }
        func createDirectory(_ path: String) throws { try disk.createDirectory(path) }
    }

    /// One life of the server on `directory`: storage service and router, until `body` returns.
    /// Snapshots are due after `snapshotEvery` records (and at shutdown, if anything changed).
    static func serve<T: Sendable>(
        _ directory: String, _ fileSystem: ReportedSpaceFileSystem, snapshotEvery: Int64 = 1_000_000,
        _ body: @Sendable (APIClient, ServerRuntime) async throws -> T
    ) async throws -> T {
        var configuration = ServerConfiguration()
        configuration.dataDirectory = directory
        configuration.auth.jwtSecret = APIHarness.jwtSecret
        configuration.auth.bcryptCost = 4
        configuration.bootstrap.adminEmail = APIHarness.adminEmail
        configuration.bootstrap.adminPassword = APIHarness.adminPassword
        configuration.rateLimit.enabled = false
        configuration.durability.snapshotEveryRecords = snapshotEvery
        configuration.diskSpace.reserve = reserve
        configuration.diskSpace.checkInterval = .milliseconds(50)
        configuration.fileSystem = fileSystem
        let runtime = ServerRuntime()
        let app = try await BookedBarberApp(configuration: configuration, runtime: runtime)
        let logger = Logger(label: "test")
        let storage = StorageService(
            configuration: configuration, runtime: runtime, clock: { APIHarness.defaultNow }, logger: logger
        ) { engine in try await app.bootstrapAdmin(into: engine, logger: logger) }
        let service = Task { try await storage.run() }
        #expect(await eventually { runtime.phase == .ready }, "storage never became ready")
        let result = try await Application(router: app.makeRouter()).test(.router) { client in
            try await body(APIClient(client: client), runtime)
        }
        service.cancel()
        try await service.value
        return result
    }


    static func snapshots(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".snap") }.sorted()
    }

    @Test func belowTheReserveWritesStopAndResumeAndAStartOnAFullDiskIsReadOnly() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bb-space-\(UInt64.random(in: 0 ... .max))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fileSystem = ReportedSpaceFileSystem()

        let (client, barber, service, booked) = try await Self.serve(directory, fileSystem) { api, runtime in
            let admin = try await api.adminToken()
            _ = try await api.send(.patch, "/api/v2/shop", token: admin, json: ["time_zone": "America/New_York"])
            let (barber, service) = try await api.setUpBarberAndService(adminToken: admin)
            let client = try await api.register("space@client.test")
            var booked: [Int] = []
            for hour in 9..<12 {
                let response = try await api.book(client.token, barber: barber, service: service, start: "2027-03-02T\(hour < 10 ? "0" : "")\(hour):00:00-05:00")
                #expect(response.status == .created, "\(response.raw)")
                booked.append(response.id)
            }

            fileSystem.report(4096)
            #expect(await eventually { runtime.diskSpace.reading?.readOnlyReason == .diskFull })
            let refused = try await api.book(client.token, barber: barber, service: service, start: "2027-03-02T12:00:00-05:00")
            #expect(refused.status == .serviceUnavailable && refused.errorCode == "unavailable" && refused.headers[.retryAfter] != nil)
            #expect(try await api.send(.get, "/readiness").status == .serviceUnavailable)
            #expect(try await api.send(.get, "/api/v2/appointments", token: admin).list("appointments").count == 3)

            fileSystem.report(8 << 20)
            #expect(await eventually { (try? await api.send(.get, "/readiness").status) == .ok })
            let resumed = try await api.book(client.token, barber: barber, service: service, start: "2027-03-02T12:00:00-05:00")
            #expect(resumed.status == .created, "\(resumed.raw)")
            booked.append(resumed.id)

            // Stopped while read-only: no final snapshot.
            fileSystem.report(4096)
            #expect(await eventually { runtime.diskSpace.reading?.readOnlyReason == .diskFull })
            return (client.token, barber, service, booked)
        }
        #expect(try Self.snapshots(in: directory) == [], "a snapshot was written while read-only")

        // A start below the reserve: read-only before the first write; the records since the last
        // snapshot make one due at once, and none is taken, periodic or final; everything
        // acknowledged is readable.
        try await Self.serve(directory, fileSystem, snapshotEvery: 1) { api, runtime in
            #expect(runtime.diskSpace.reading?.readOnlyReason == .diskFull)
            let readiness = try await api.send(.get, "/readiness")
            #expect(readiness.status == .serviceUnavailable)
            let log = readiness["log"] as? [String: Any]
            #expect(log?["reason"] as? String == "disk_full" && log?["free_bytes"] as? Int == 4096)
            let admin = try await api.adminToken()
            let listing = try await api.send(.get, "/api/v2/appointments", token: admin)
            #expect(Set(listing.list("appointments").compactMap { $0["id"] as? Int }) == Set(booked))
            let refused = try await api.book(client, barber: barber, service: service, start: "2027-03-02T13:00:00-05:00")
            #expect(refused.status == .serviceUnavailable, "\(refused.raw)")
        }
        #expect(try Self.snapshots(in: directory) == [], "a snapshot was written while read-only")

        // Space back: the next start writes, and the final snapshot is taken again.
        fileSystem.report(8 << 20)
        try await Self.serve(directory, fileSystem) { api, _ in
            #expect(try await api.send(.get, "/readiness").status == .ok)
            let created = try await api.book(client, barber: barber, service: service, start: "2027-03-02T13:00:00-05:00")
            #expect(created.status == .created, "\(created.raw)")
        }
        #expect(try Self.snapshots(in: directory).count == 1)
    }
}
