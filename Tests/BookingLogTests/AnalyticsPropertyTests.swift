import BookingCore
import BookingEngine
import Foundation
import TestSupport
import Testing

@testable import BookingLog

/// The live figures (kept by `BarberCalendar.apply`) equal a brute-force computation from the
/// appointment list (`AnalyticsReference`), for seeded random histories of thousands of changes
/// in two pairs of time zones; and they stay equal after the history is replayed from its log
/// records, and after a snapshot round trip.
struct AnalyticsPropertyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var seed: UInt64
        var zones: (String, String)
        var testDescription: String { "seed \(seed), \(zones.0) then \(zones.1)" }
    }

    static let cases = [
        Case(seed: 1, zones: ("America/New_York", "Europe/Berlin")),
        Case(seed: 2, zones: ("Europe/Berlin", "America/New_York")),
        Case(seed: 3, zones: ("Australia/Sydney", "Asia/Calcutta")),
    ]

    /// Ranges at their edges: the whole span of the history, single days (daylight-saving days
    /// among them), a week across the New York change, and the last weeks of spring.
    static let ranges: [AnalyticsRange] = [
        (CivilDate(year: 2027, month: 3, day: 1), CivilDate(year: 2027, month: 11, day: 15)),
        (CivilDate(year: 2027, month: 3, day: 14), CivilDate(year: 2027, month: 3, day: 14)),
        (CivilDate(year: 2027, month: 3, day: 28), CivilDate(year: 2027, month: 3, day: 28)),
        (CivilDate(year: 2027, month: 11, day: 7), CivilDate(year: 2027, month: 11, day: 7)),
        (CivilDate(year: 2027, month: 3, day: 10), CivilDate(year: 2027, month: 3, day: 17)),
        (CivilDate(year: 2027, month: 4, day: 1), CivilDate(year: 2027, month: 5, day: 10)),
    ].map { try! AnalyticsRange.make(from: $0.0, to: $0.1).get() }

    func expectFiguresMatchReference(_ state: ShopState, _ stage: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let zone = ShopTime(settings: state.registry.settings).timeZone
        let (barbers, appointments) = AnalyticsReference.inputs(of: state)
        for range in Self.ranges {
            for barberID in [nil, 1, 2, 3] as [BarberID?] {
                let live = state.analyticsSummary(range, barberID: barberID)
                let expected = AnalyticsReference.summary(
                    zone: zone, range: range, barbers: barbers, appointments: appointments, barberID: barberID)
                #expect(live?.totals == expected.totals, "\(stage): totals, \(range), barber \(barberID ?? 0)", sourceLocation: sourceLocation)
                #expect(live?.days == expected.days, "\(stage): days, \(range), barber \(barberID ?? 0)", sourceLocation: sourceLocation)
                #expect(live?.barbers == expected.barbers, "\(stage): barbers, \(range), barber \(barberID ?? 0)", sourceLocation: sourceLocation)
                #expect(live?.services == expected.services, "\(stage): services, \(range)", sourceLocation: sourceLocation)
                #expect(live?.hours == expected.hours, "\(stage): hours, \(range), barber \(barberID ?? 0)", sourceLocation: sourceLocation)
            }
        }
        for now in [Instant(seconds: 1_700_000_000), ShopTime(timeZone: zone).instant(on: CivilDate(year: 2027, month: 4, day: 2), at: TimeOfDay(minutes: 600))] {
            for client in AnalyticsHistory.clients {
                #expect(
                    state.clientStats(client, now: now) == AnalyticsReference.clientStats(client, appointments: appointments, now: now),
                    "\(stage): client \(client)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test(arguments: cases)
    func liveFiguresEqualBruteForceBeforeAndAfterReplayAndSnapshot(_ test: Case) throws {
        var history = AnalyticsHistory(seed: test.seed, zones: test.zones)
        history.run(steps: 6_000)
        let appointments = history.state.calendars.values.reduce(0) { $0 + $1.appointments.count }
        let statuses = Set(history.state.calendars.values.flatMap { $0.appointments.values.map(\.status) })
        #expect(history.records.count > 2_000 && appointments > 500, "thousands of changes: \(history.records.count) records, \(appointments) appointments")
        #expect(statuses.count == 4, "every status")
        expectFiguresMatchReference(history.state, "live")

        // Replayed from the binary log records, as recovery does.
        var image = StateImage()
        for (offset, changes) in history.records.enumerated() {
            let decoded = try LogRecord(
                lsn: LSN(offset + 1), appendedAt: Instant(seconds: 0), type: .changesBinary,
                payload: LogRecord.changesPayload(changes)
            ).changes()
            image.replay(decoded, lsn: LSN(offset + 1))
        }
        expectFiguresMatchReference(image.state, "replayed")
        #expect(ShopEngine.digest(of: image.state) == ShopEngine.digest(of: history.state))
        #expect(image.state.clientRecords == history.state.clientRecords && !image.state.clientRecords.isEmpty)

        // A snapshot round trip rebuilds the figures in bulk.
        let restored = try SnapshotPayload.decode(SnapshotPayload.encode(image), version: SnapshotPayload.writtenVersion)
        expectFiguresMatchReference(restored.state, "snapshot")
        #expect(ShopEngine.digest(of: restored.state) == ShopEngine.digest(of: history.state))
        #expect(restored.state.clientRecords == history.state.clientRecords)
    }
}
