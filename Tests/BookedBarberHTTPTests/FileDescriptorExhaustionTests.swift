import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension RealProcessTests {
    /// When the process runs out of file descriptors, it neither dies nor stops accepting for ever:
    /// accepting backs off while the limit is hit, the open connections are served, and once clients
    /// go away new connections (and the log) work again. Runs the real executable under `ulimit -n`.
    @Suite struct FileDescriptorExhaustionTests {
        @Test func runningOutOfDescriptorsPausesAcceptingAndTheServerRecovers() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bb-fd-\(UInt64.random(in: 0 ... .max))").path
            defer {
                try? FileManager.default.removeItem(atPath: directory)
                try? FileManager.default.removeItem(atPath: directory + ".log")
            }
            let server = ServerProcess(dataDirectory: directory)
            try await server.start(openFileLimit: 64)
            let pid = try #require(server.pid)

            // Far more connections than descriptors the server has left.
            var flood: [RawConnection] = []
            for _ in 0..<120 { flood.append(try RawConnection(port: server.port)) }
            let open = try await Self.eventually { Self.descriptorCount(of: pid).map { $0 >= 60 } ?? false }
            #expect(open, "the server never reached its descriptor limit")
            #expect(kill(pid, 0) == 0, "the server died at its descriptor limit")

            // A connection accepted before the flood ends is still served.
            let inside = flood[0]
            inside.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect((await inside.receive(within: 30) ?? "").hasPrefix("HTTP/1.1 200"))

            flood.removeAll()  // closes them all
            let fresh = try RawConnection(port: server.port)
            fresh.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let answer = await fresh.receive(within: 60) ?? ""
            #expect(answer.hasPrefix("HTTP/1.1 200"), "no answer after the flood: \(answer.prefix(100))")
            let login = try await HTTP.request(
                "POST", server.base + "/api/v2/auth/register", json: ["email": "after@flood.test", "password": "password123", "name": "A"])
            #expect(login.status == 201, "the log no longer takes writes after the flood")
            #expect(server.terminate() == 0)
        }

        static func descriptorCount(of pid: Int32) -> Int? {
            try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count
        }

        /// Polls `condition` for up to 60 s (a liveness bound, not a timing assertion).
        static func eventually(_ condition: () -> Bool) async throws -> Bool {
            for _ in 0..<600 {
                if condition() { return true }
                try await Task.sleep(for: .milliseconds(100))
            }
            return false
        }
    }
}
