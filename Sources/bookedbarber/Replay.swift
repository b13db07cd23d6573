import ArgumentParser
import BookingCore
import BookingEngine
import BookingLog
import Foundation
import Logging

/// `bookedbarber replay`: rebuilds the state offline from a data directory (snapshot + log, or the
/// log alone) without changing it, and prints what it holds and its digest: the same digest the
/// live server reports at `GET /api/v2/admin/state` for the same log.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Rebuild the state from a data directory and print its digest.")

    @Option(name: .customLong("data-dir"), help: "The data directory to read.")
    var dataDir: String = "./data"

    @Option(name: .customLong("until-lsn"), help: "Replay up to and including this LSN.")
    var untilLSN: Int64?

    @Option(help: "Replay the records appended up to this RFC 3339 instant (from the log alone).")
    var until: String?

    @Flag(name: .customLong("from-scratch"), help: "Ignore snapshots; replay the whole log from LSN 1.")
    var fromScratch = false

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        if untilLSN != nil, until != nil { throw ValidationError("give --until-lsn or --until, not both") }
        if let until, RFC3339.parse(until) == nil { throw ValidationError("--until must be an RFC 3339 instant") }
    }

    func run() throws {
        var logger = Logger(label: "bookedbarber.replay")
        logger.logLevel = json ? .error : .notice
        let limit: StateRecovery.Limit =
            if let untilLSN { .lsn(untilLSN) } else if let until { .time(RFC3339.parse(until)!) } else { .end }
        let started = ContinuousClock.now
        let result = try StateRecovery(directory: dataDir).recover(useSnapshots: !fromScratch, limit: limit, logger: logger)
        let report = ReplayReport(result: result, duration: ContinuousClock.now - started)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.text)
        }
    }
}

/// What `replay` prints.
struct ReplayReport: Encodable {
    var last_lsn: Int64
    var snapshot_lsn: Int64?
    var records_replayed: Int
    var users: Int
    var barbers: Int
    var services: Int
    var appointments: [String: Int]
    var digest: String
    var seconds: Double

    init(result: StateRecovery.Result, duration: Duration) {
        let state = result.image.state
        last_lsn = result.lastLSN
        snapshot_lsn = result.snapshotLSN
        records_replayed = result.recordsReplayed
        users = state.registry.users.count
        barbers = state.calendars.count
        services = state.registry.services.count
        var byStatus = Dictionary(uniqueKeysWithValues: AppointmentStatus.allCases.map { ($0.rawValue, 0) })
        for calendar in state.calendars.values {
            for appointment in calendar.appointments.values { byStatus[appointment.status.rawValue, default: 0] += 1 }
        }
        appointments = byStatus
        digest = ShopEngine.digest(of: state)
        seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    var text: String {
        let statuses = AppointmentStatus.allCases.map { "\($0.rawValue)=\(appointments[$0.rawValue] ?? 0)" }.joined(separator: " ")
        return """
            last LSN:         \(last_lsn)
            snapshot LSN:     \(snapshot_lsn.map(String.init) ?? "none (log only)")
            records replayed: \(records_replayed)
            users:            \(users)
            barbers:          \(barbers)
            services:         \(services)
            appointments:     \(statuses)
            digest:           \(digest)
            replay time:      \(String(format: "%.3f", seconds)) s
            """
    }
}
