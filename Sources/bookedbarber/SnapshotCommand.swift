import ArgumentParser
import BookingCore
import BookingLog
import Foundation

/// `bookedbarber snapshot inspect FILE`: a snapshot's header and what its state holds.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot", abstract: "Look into snapshot files.", subcommands: [Inspect.self])

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a snapshot's header and counts.")

        @Argument(help: "A snapshot file (snapshot-<LSN>.snap).")
        var file: String

        func run() throws {
            let snapshot = try SnapshotFile.read(file)
            let image = try snapshot.image()
            let state = image.state
            let appointments = state.calendars.values.reduce(0) { $0 + $1.appointments.count }
            print("""
                file:               \(file)
                format version:     \(snapshot.header.version)
                covers LSN:         \(snapshot.header.lsn)
                compressed bytes:   \(snapshot.header.compressedLength)
                uncompressed bytes: \(snapshot.header.uncompressedLength)
                body checksum:      \(String(snapshot.header.bodyChecksum, radix: 16))
                users:              \(state.registry.users.count)
                barbers:            \(state.calendars.count)
                services:           \(state.registry.services.count)
                appointments:       \(appointments)
                """)
        }
    }
}
