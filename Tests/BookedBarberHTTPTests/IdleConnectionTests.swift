import BookedBarberHTTP
import Foundation
import Testing

/// A client that opens a connection, sends part of a request and stalls is disconnected after the
/// idle timeout, while other clients are served.
@Suite struct IdleConnectionTests {
    @Test func aStalledConnectionIsClosedAfterTheIdleTimeoutWhileOthersAreServed() async throws {
        try await withLiveServer({ configuration in
            configuration.http.idleTimeout = .seconds(1)
            configuration.http.requestTimeout = .seconds(600)  // only the idle timeout may close it
        }) { port in
            let stalled = try RawConnection(port: port)
            stalled.send("GET /health HTTP/1.1\r\nHost: localhost\r\n")  // and never the end of the headers
            #expect(try await rawHealth(port).hasPrefix("HTTP/1.1 200"))
            // Liveness bound only: the server closes the stalled connection after about a second.
            #expect(await stalled.waitUntilClosed(within: 30), "the stalled connection was not closed")
        }
    }
}
