import ArgumentParser
import BookedBarberHTTP
import Foundation
import Hummingbird
import Logging

@main
struct BookedBarberCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bookedbarber",
        abstract: "An in-memory booking server for barbershops.",
        subcommands: [Serve.self, Replay.self, SnapshotCommand.self])
}
