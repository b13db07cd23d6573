import BookingCore
import BookingEngine
import BookingLog
import Foundation
import Logging
import Testing

/// Data directories written by earlier format versions (Snapshots/vN) still replay to the digest
/// recorded when they were written.
@Suite struct GoldenFixtureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Snapshots")

    static var versions: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter { $0.hasPrefix("v") }.sorted()
    }

    struct Expected: Decodable {
        var digest: String
        var last_lsn: Int64
        var snapshot_lsn: Int64?
        var users: Int
        var barbers: Int
        var services: Int
        var appointments: [String: Int]
    }

    @Test func thereIsAFixtureForEachFormatVersion() {
        #expect(Self.versions.contains("v1"))
        #expect(Self.versions.contains("v\(SnapshotHeader.formatVersion)"))
    }

    /// Each fixture really is of its version: v1 a JSON snapshot and JSON records, v2 a binary
    /// snapshot and binary records.
    @Test(arguments: versions)
    func fixtureIsWrittenInItsFormatVersion(version: String) throws {
        let number = try #require(UInt32(version.dropFirst()))
        let data = Self.root.appendingPathComponent(version).appendingPathComponent("data").path
        let snapshots = try FileManager.default.contentsOfDirectory(atPath: data).filter { $0.hasSuffix(".snap") }
        #expect(!snapshots.isEmpty)
        for name in snapshots {
            #expect(try SnapshotFile.readHeader(data + "/" + name).version == number)
        }
        let records = try LogReader(directory: data).scan().records
        #expect(!records.isEmpty)
        #expect(records.allSatisfy { $0.type == (number == 1 ? .changesJSON : .changesBinary) })
    }

    @Test(arguments: versions)
    func fixtureReplaysToItsRecordedDigestFromSnapshotAndFromTheLogAlone(version: String) throws {
        let fixture = Self.root.appendingPathComponent(version)
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: fixture.appendingPathComponent("expected.json")))
        let recovery = StateRecovery(directory: fixture.appendingPathComponent("data").path)
        let logger = Logger(label: "golden")

        let fromSnapshot = try recovery.recover(logger: logger)
        #expect(fromSnapshot.snapshotLSN != nil)
        #expect(fromSnapshot.snapshotLSN == expected.snapshot_lsn)
        #expect(fromSnapshot.recordsReplayed > 0, "the fixture should exercise the log tail after its snapshot")
        #expect(fromSnapshot.lastLSN == expected.last_lsn)
        #expect(ShopEngine.digest(of: fromSnapshot.image.state) == expected.digest)

        let state = fromSnapshot.image.state
        #expect(state.registry.users.count == expected.users)
        #expect(state.calendars.count == expected.barbers)
        #expect(state.registry.services.count == expected.services)
        for status in AppointmentStatus.allCases {
            let count = state.calendars.values.reduce(0) { $0 + $1.appointments.values.filter { $0.status == status }.count }
            #expect(count == expected.appointments[status.rawValue], "\(status.rawValue)")
        }

        let fromLog = try recovery.recover(useSnapshots: false, logger: logger)
        #expect(ShopEngine.digest(of: fromLog.image.state) == expected.digest)
        #expect(fromLog.lastLSN == expected.last_lsn)
    }

    /// A data directory of format version 1 opened by this build: the log goes on with binary
    /// records after the JSON ones, in the same segment, and both replay, from the version 1
    /// snapshot and from the log alone, to the same state.
    @Test func versionOneDataContinuedByThisBuildReplaysBothEncodings() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: Self.root.appendingPathComponent("v1/data").path, toPath: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let logger = Logger(label: "golden")
        let recovery = StateRecovery(directory: directory)
        let before = try recovery.recover(logger: logger)
        let writer = try LogWriter(directory: directory, resuming: before.scan, logger: logger)
        let service = Service(id: 99, name: "Hot towel", durationMinutes: 15, priceCents: 900, isActive: true, barberIDs: nil)
        let lsn = writer.append([.registry(.serviceSaved(service))])
        await writer.close()

        let fromSnapshot = try recovery.recover(logger: logger)
        let fromLog = try recovery.recover(useSnapshots: false, logger: logger)
        #expect(fromSnapshot.lastLSN == lsn && fromLog.lastLSN == lsn)
        #expect(fromSnapshot.image.state.registry.services[99] == service)
        #expect(ShopEngine.digest(of: fromSnapshot.image.state) == ShopEngine.digest(of: fromLog.image.state))
        #expect(ShopEngine.digest(of: fromLog.image.state) != ShopEngine.digest(of: before.image.state))
        let types = try LogReader(directory: directory).scan().records.map(\.type)
        #expect(types == Array(repeating: .changesJSON, count: Int(lsn) - 1) + [.changesBinary])
    }
}
