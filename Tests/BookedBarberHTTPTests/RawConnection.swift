@testable import BookedBarberHTTP
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to 127.0.0.1, for behaving like a broken client.
/// Sendable: the descriptor never changes, and one task may read while another writes a socket.
final class RawConnection: @unchecked Sendable {
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

    /// True once the peer has closed the connection (a read returns 0 or fails). Waits off the
    /// cooperative pool (`offload`): blocking its few threads would stall the server under test,
    /// whose handlers run there.
    func waitUntilClosed(within seconds: Int) async -> Bool {
        await offload(.waiting) { self.pollUntilClosed(within: seconds) }
    }

    /// What the peer sends within `seconds` until it pauses after some bytes or closes; nil if
    /// nothing arrived. Waits off the cooperative pool, like `waitUntilClosed`.
    func receive(within seconds: Double) async -> String? {
        await offload(.waiting) { self.pollReceive(within: seconds) }
    }

    private func pollUntilClosed(within seconds: Int) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(Double(seconds))
        while Date() < deadline {
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&request, 1, 200) > 0 else { continue }
            if read(descriptor, &buffer, buffer.count) <= 0 { return true }
        }
        return false
    }

    private func pollReceive(within seconds: Double) -> String? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&request, 1, received.isEmpty ? 100 : 300) > 0 else {
                if received.isEmpty { continue } else { break }
            }
            let count = read(descriptor, &buffer, buffer.count)
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return received.isEmpty ? nil : String(decoding: received, as: UTF8.self)
    }

    deinit { close(descriptor) }
}
