import BookingCore
import BookingEngine
import BookingLog
import Foundation
import Logging
import TestSupport
import Testing

@testable import BookedBarberHTTP
@testable import BookedBarberServer

/// On real files: a snapshot taken while the engine runs, plus the log after it, rebuilds the
/// same state as the whole log, and as the live engine.
@Suite struct SnapshotReplayTests {
    @Test func snapshotPlusLogTailGivesTheDigestOfTheWholeLogAndOfTheLiveState() async throws {
        let directory = try makeTemporaryDirectory("bb-snapshot")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let logger = Logger(label: "test")
        let now = RFC3339.parse("2027-03-01T00:00:00Z")!
        let writer = try LogWriter(directory: directory, resuming: try LogReader(directory: directory).scan(), logger: logger)
        let engine = ShopEngine(journal: writer, clock: { now })
        let admin = Requester(userID: 0, role: .admin)
        let day = [WorkPeriod(start: TimeOfDay(minutes: 9 * 60), end: TimeOfDay(minutes: 17 * 60))]
        let week = try WeeklySchedule.validated(Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, day) })).get()
        let barbers = try await (0..<3).asyncMap { index in
            let barber = try await engine.createBarber(name: "B\(index)", account: nil)
            return try await engine.setSchedule(barber.id, weekly: week, bufferMinutes: 5, by: admin).id
        }
        let service = try await engine.createService(name: "Cut", durationMinutes: 30, priceCents: 100, barberIDs: nil)
        let client = try await engine.createUser(email: "c@x.test", name: "C", phone: nil, role: .client, passwordHash: "h")

        func book(_ hour: Int, barber: Int) async throws -> Appointment {
            try await engine.book(
                barberID: barber, serviceID: service.id, start: RFC3339.parse("2027-03-02T" + (hour < 10 ? "0" : "") + "\(hour):00:00Z")!,
                clientID: client.id, notes: nil, by: admin)
        }
        var booked: [Appointment] = []
        for hour in 9..<13 { booked.append(try await book(hour, barber: barbers[hour % 3])) }

        var policy = ServerConfiguration.Durability()
        policy.snapshotEveryRecords = 1
        let snapshots = Snapshotter(
            engine: engine, writer: writer, directory: directory, fileSystem: PosixFileSystem(), policy: policy, startLSN: 0,
            clock: { Instant(Date()) }, logger: logger, metrics: ServerMetrics())
        #expect(snapshots.isDue)
        let taken = try #require(await snapshots.take())

        _ = try await engine.cancel(booked[0].id, reason: "ill", by: admin)
        _ = try await engine.reschedule(booked[1].id, to: RFC3339.parse("2027-03-02T16:00:00Z")!, barberID: barbers[0], by: admin)
        for hour in 13..<16 { _ = try await book(hour, barber: barbers[hour % 3]) }
        let live = ShopEngine.digest(of: await engine.capture().state)
        await writer.close()

        let recovery = StateRecovery(directory: directory)
        let fromSnapshot = try recovery.recover(logger: logger)
        #expect(fromSnapshot.snapshotLSN == taken.lsn)
        #expect(fromSnapshot.recordsReplayed > 0)
        #expect(ShopEngine.digest(of: fromSnapshot.image.state) == live)
        let fromLog = try recovery.recover(useSnapshots: false, logger: logger)
        #expect(fromLog.snapshotLSN == nil)
        #expect(ShopEngine.digest(of: fromLog.image.state) == live)
        #expect(fromLog.lastLSN == fromSnapshot.lastLSN)

        let untilSnapshot = try recovery.recover(limit: .lsn(taken.lsn), logger: logger)
        #expect(untilSnapshot.lastLSN == taken.lsn)
        #expect(ShopEngine.digest(of: untilSnapshot.image.state) != live)
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
