import BookedBarberHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// A client that opens a connection, sends part of a request and stalls is disconnected after the
/// idle timeout, while other clients are served.
@Suite struct IdleConnectionTests {
    @Test func aStalledConnectionIsClosedAfterTheIdleTimeoutWhileOthersAreServed() async throws {
        let harness = try await APIHarness.make { configuration in
            configuration.http.port = 0
            configuration.http.idleTimeout = .seconds(1)
        }
        let app = harness.app.makeApplication(services: [], logger: Logger(label: "idle-test"))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let stalled = try RawConnection(port: port)
            stalled.send("GET /health HTTP/1.1\r\nHost: localhost\r\n")  // and never the end of the headers

            let other = try await client.execute(uri: "/health", method: .get) { $0.status }
            #expect(other == .ok)
            // Liveness bound only: the server closes the stalled connection after about a second.
            #expect(await stalled.waitUntilClosed(within: 30), "the stalled connection was not closed")
        }
    }
}
