import BookingCore
import BookingEngine
import BookingLog
import Foundation
import Logging
import TestSupport
import Testing

@testable import BookedBarberHTTP
@testable import BookedBarberServer

/// On real files: a snapshot holding waitlist entries and holds (section 3), plus the log after
/// it, rebuilds the live state; so does the log alone; and an engine loaded from it keeps every
/// offer with its expiry and refuses the held start to others.
@Suite struct WaitlistSnapshotReplayTests {
    @Test func snapshotWithHoldsPlusLogTailGivesTheLiveDigestAndKeepsEveryOffer() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bb-waitlist-\(UInt64.random(in: 0 ... .max))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let logger = Logger(label: "test")
        let clock = ManualClock(RFC3339.parse("2027-03-01T00:00:00Z")!)
        let writer = try LogWriter(directory: directory, resuming: try LogReader(directory: directory).scan(), logger: logger)
        let engine = ShopEngine(journal: writer, clock: { clock.now })
        let admin = Requester(userID: 0, role: .admin)
        _ = try await engine.updateShop { $0.waitlistHoldMinutes = 20 }
        let day = [WorkPeriod(start: TimeOfDay(minutes: 9 * 60), end: TimeOfDay(minutes: 11 * 60))]
        let week = try WeeklySchedule.validated(Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, day) })).get()
        let barbers = try await (0..<2).asyncMap { index in
            let barber = try await engine.createBarber(name: "B\(index)", account: nil)
            return try await engine.setSchedule(barber.id, weekly: week, bufferMinutes: 0, by: admin).id
        }
        let service = try await engine.createService(name: "Cut", durationMinutes: 30, priceCents: 100, barberIDs: nil)
        let clients = try await (0..<5).asyncMap { index in
            let user = try await engine.createUser(email: "c\(index)@x.test", name: "C", phone: nil, role: .client, passwordHash: "h")
            return Requester(userID: user.id, role: .client)
        }
        var booked: [Appointment] = []
        for barber in barbers {
            for slot in 0..<4 {
                booked.append(try await engine.book(
                    barberID: barber, serviceID: service.id, start: RFC3339.parse("2027-03-02T09:00:00Z")!.adding(minutes: slot * 30),
                    clientID: clients[0].userID, notes: nil, by: admin))
            }
        }
        let date = CivilDate(year: 2027, month: 3, day: 2)
        var entries: [WaitlistEntry] = []
        for client in clients.dropFirst() {
            entries.append(try await engine.joinWaitlist(
                serviceID: service.id, barberID: nil, dateFrom: date, dateTo: date, timeFrom: nil, timeTo: nil, clientID: nil, by: client))
        }
        _ = try await engine.cancel(booked[1].id, reason: nil, by: admin)
        _ = try await engine.cancel(booked[6].id, reason: nil, by: admin)

        var policy = ServerConfiguration.Durability()
        policy.snapshotEveryRecords = 1
        let snapshots = Snapshotter(
            engine: engine, writer: writer, directory: directory, fileSystem: PosixFileSystem(), policy: policy, startLSN: 0,
            clock: { clock.now }, logger: logger, metrics: ServerMetrics())
        let taken = try #require(await snapshots.take())

        // After the snapshot: a claim, an expiry passing a start on, a new offer.
        _ = try await engine.claim(entries[0].id, by: clients[1])
        clock.set(clock.now.adding(minutes: 20))
        #expect(await engine.expireOffers() == 1)
        _ = try await engine.cancel(booked[3].id, reason: nil, by: admin)
        let liveState = await engine.capture().state
        let live = ShopEngine.digest(of: liveState)
        await writer.close()
        #expect(liveState.holds.count == 2)

        let recovery = StateRecovery(directory: directory)
        let fromSnapshot = try recovery.recover(logger: logger)
        #expect(fromSnapshot.snapshotLSN == taken.lsn)
        #expect(fromSnapshot.recordsReplayed > 0)
        #expect(ShopEngine.digest(of: fromSnapshot.image.state) == live)
        #expect(ShopEngine.digest(of: try recovery.recover(useSnapshots: false, logger: logger).image.state) == live)
        // The snapshot alone holds the two offers made before it, with their expiry.
        let atSnapshot = try recovery.recover(limit: .lsn(taken.lsn), logger: logger).image.state
        #expect(atSnapshot.waitlist.offered.count == 2)
        #expect(atSnapshot.holds.map(\.expiresAt) == [RFC3339.parse("2027-03-01T00:20:00Z")!, RFC3339.parse("2027-03-01T00:20:00Z")!])
        #expect(atSnapshot.registry.settings.waitlistHoldMinutes == 20)

        let restarted = ShopEngine(clock: { clock.now })
        await restarted.load(fromSnapshot.image.state)
        let offers = await restarted.waitlist.read { $0.offered.compactMap(\.offer) }
        #expect(offers == liveState.holds.sorted { $0.entryID < $1.entryID })
        for hold in offers {
            await #expect(throws: BookingError.slotTaken) {
                try await restarted.book(
                    barberID: hold.barberID, serviceID: service.id, start: hold.start, clientID: nil, notes: nil, by: clients[0])
            }
        }
    }
}
