import BookedBarberHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

#if canImport(Glibc)
import Glibc
#endif

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
            #expect(stalled.waitUntilClosed(within: 30), "the stalled connection was not closed")
        }
    }
}

/// A plain TCP connection to 127.0.0.1, for behaving like a broken client.
final class RawConnection {
    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    /// True once the peer has closed the connection (a read returns 0 or fails).
    func waitUntilClosed(within seconds: Int) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(Double(seconds))
        while Date() < deadline {
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&request, 1, 200) > 0 else { continue }
            if read(descriptor, &buffer, buffer.count) <= 0 { return true }
        }
        return false
    }

    deinit { close(descriptor) }
}
