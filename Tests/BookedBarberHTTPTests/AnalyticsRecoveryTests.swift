import BookingCore
import BookingEngine
import BookingLog
import Foundation
import Logging
import TestSupport
import Testing

@testable import BookedBarberHTTP
@testable import BookedBarberServer

/// On real files: the figures and the client notes of a live engine come back equal after
/// recovery from a snapshot plus the log after it, and from the log alone, and both equal the
/// brute-force reference over the recovered appointments.
@Suite struct AnalyticsRecoveryTests {
    @Test func figuresAndNotesSurviveRecoveryFromSnapshotPlusLogAndFromTheLogAlone() async throws {
        let directory = try makeTemporaryDirectory("bb-analytics")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let logger = Logger(label: "test")
        let now = RFC3339.parse("2027-03-01T00:00:00Z")!
        let writer = try LogWriter(directory: directory, resuming: try LogReader(directory: directory).scan(), logger: logger)
        let engine = ShopEngine(journal: writer, clock: { now })
        let admin = Requester(userID: 0, role: .admin)
        _ = try await engine.updateShop {
            $0.timeZone = "America/New_York"
            $0.maxAdvanceDays = 365
        }
        let day = [WorkPeriod(start: TimeOfDay(minutes: 0), end: TimeOfDay(minutes: 8 * 60))]
        let week = try WeeklySchedule.validated(Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, day) })).get()
        var barbers: [BarberID] = []
        for index in 0..<3 {
            let barber = try await engine.createBarber(name: "B\(index)", account: nil)
            barbers.append(try await engine.setSchedule(barber.id, weekly: week, bufferMinutes: 0, by: admin).id)
        }
        let service = try await engine.createService(name: "Cut", durationMinutes: 60, priceCents: 2500, barberIDs: nil)
        var clients: [UserID] = []
        for index in 0..<4 {
            clients.append(try await engine.createUser(email: "c\(index)@x.test", name: "C\(index)", phone: nil, role: .client, passwordHash: "h").id)
        }
        let shopTime = ShopTime(identifier: "America/New_York")!
        var generator = SeededGenerator(seed: 10)
        var booked: [Appointment] = []
        func bookSome(_ count: Int) async throws {
            for _ in 0..<count {
                let date = CivilDate(year: 2027, month: 3, day: 10).adding(days: Int.random(in: 0...10, using: &generator))
                let start = shopTime.instant(on: date, at: TimeOfDay(minutes: 60 * Int.random(in: 0...6, using: &generator)))
                if let appointment = try? await engine.book(
                    barberID: barbers.randomElement(using: &generator)!, serviceID: service.id, start: start,
                    clientID: clients.randomElement(using: &generator)!, notes: nil, by: admin)
                {
                    booked.append(appointment)
                }
            }
        }
        try await bookSome(40)
        _ = try await engine.setStatus(booked[0].id, .completed, by: admin)
        _ = try await engine.setStatus(booked[1].id, .noShow, by: admin)
        _ = try await engine.setClientNotes(clients[0], notes: "before the snapshot", by: admin)

        var policy = ServerConfiguration.Durability()
        policy.snapshotEveryRecords = 1
        let snapshots = Snapshotter(
            engine: engine, writer: writer, directory: directory, fileSystem: PosixFileSystem(), policy: policy, startLSN: 0,
            clock: { now }, logger: logger, metrics: ServerMetrics())
        _ = try #require(await snapshots.take())

        try await bookSome(40)
        _ = try? await engine.cancel(booked[2].id, reason: nil, by: admin)
        _ = try? await engine.setStatus(booked[3].id, .completed, by: admin)
        _ = try? await engine.reschedule(booked[4].id, to: shopTime.instant(on: CivilDate(year: 2027, month: 3, day: 25), at: TimeOfDay(minutes: 420)), barberID: barbers[2], by: admin)
        _ = try await engine.setClientNotes(clients[1], notes: "after the snapshot", by: admin)
        _ = try await engine.setClientNotes(clients[0], notes: "", by: admin)

        let ranges = [
            try AnalyticsRange.make(from: CivilDate(year: 2027, month: 3, day: 1), to: CivilDate(year: 2027, month: 3, day: 31)).get(),
            try AnalyticsRange.make(from: CivilDate(year: 2027, month: 3, day: 14), to: CivilDate(year: 2027, month: 3, day: 14)).get(),
        ]
        func figures(_ engine: ShopEngine) async throws -> [AnalyticsSummary] {
            var all: [AnalyticsSummary] = []
            for range in ranges {
                for barber in [nil] + barbers.map(Optional.some) {
                    all.append(try await engine.summary(range, barberID: barber, by: admin))
                }
            }
            return all
        }
        let live = try await figures(engine)
        let liveClients = try await engine.clients(matching: nil, limit: nil, afterID: nil, by: admin)
        #expect(liveClients.map(\.notes) == ["", "after the snapshot", "", ""])
        let liveState = await engine.capture().state
        let (referenceBarbers, appointments) = AnalyticsReference.inputs(of: liveState)
        #expect(live[0] == AnalyticsReference.summary(
            zone: shopTime.timeZone, range: ranges[0], barbers: referenceBarbers, appointments: appointments))
        await writer.close()

        let recovery = StateRecovery(directory: directory)
        for useSnapshots in [true, false] {
            let recovered = try recovery.recover(useSnapshots: useSnapshots, logger: logger)
            #expect((recovered.snapshotLSN != nil) == useSnapshots)
            let restarted = ShopEngine(clock: { now })
            await restarted.load(recovered.image.state)
            #expect(try await figures(restarted) == live, "figures after recovery, snapshots \(useSnapshots)")
            #expect(try await restarted.clients(matching: nil, limit: nil, afterID: nil, by: admin) == liveClients)
            #expect(ShopEngine.digest(of: recovered.image.state) == ShopEngine.digest(of: liveState))
        }
    }
}
