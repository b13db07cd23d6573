import BookedBarberHTTP
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Testing

/// Runs a harness server as `serve` runs it (`makeApplication`: connection limit, timeouts,
/// decoder limits) on a free loopback port, calls `body` with the port, then shuts it down.
///
/// Not HummingbirdTesting's live mode: that rebuilds the configuration without the connection
/// limit, and its client connects before the test body runs, so a short idle timeout can close
/// it before it is used. Clients here are `RawConnection`s the test opens when it needs them.
func withLiveServer(_ configure: @escaping (inout ServerConfiguration) -> Void,
                    _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
    let harness = try await APIHarness.make { configuration in
        configuration.http.port = 0
        configure(&configuration)
    }
    let (ports, bound) = AsyncStream.makeStream(of: Int.self)
    let app = harness.app.makeApplication(services: [], logger: Logger(label: "live-test")) { channel in
        bound.yield(channel.localAddress?.port ?? 0)
    }
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        defer { group.cancelAll() }
        try await body(port)
    }
}

/// A fresh connection's answer to `GET /health` (empty if none came within 30 s).
func rawHealth(_ port: Int) async throws -> String {
    let connection = try RawConnection(port: port)
    connection.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
    return await connection.receive(within: 30) ?? ""
}
