import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension RealProcessTests {
    /// SIGTERM while requests are being handled: every one of them gets its answer, the process
    /// exits 0, and what they changed is there after a restart. The requests are registrations with
    /// a slow bcrypt cost (seconds each), and SIGTERM is sent only once the server's own metrics show
    /// them in flight.
    @Suite struct GracefulShutdownTests {
        @Test func sigtermWithRequestsInFlightAnswersThemAllAndLosesNothing() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bb-drain-\(UInt64.random(in: 0 ... .max))").path
            defer {
                try? FileManager.default.removeItem(atPath: directory)
                try? FileManager.default.removeItem(atPath: directory + ".log")
            }
            let server = ServerProcess(dataDirectory: directory)
            try await server.start(extra: ["--drain-timeout", "60"], bcryptCost: 15)
            let pid = try #require(server.pid)

            let count = 4
            var connections: [RawConnection] = []
            for index in 0..<count {
                let connection = try RawConnection(port: server.port)
                let body = #"{"email":"drain\#(index)@test.example","password":"password123","name":"D"}"#
                connection.send(
                    "POST /api/v2/auth/register HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
                connections.append(connection)
            }
            // Wait until the server is handling them (the scrape itself is one more in flight); each
            // takes seconds of bcrypt, so they are still in flight when SIGTERM comes.
            var inFlight = 0.0
            for _ in 0..<600 where inFlight < 2 {
                let scrape = try await HTTP.request("GET", server.base + "/metrics")
                inFlight = try PrometheusText(String(decoding: scrape.body, as: UTF8.self)).value("bookedbarber_http_requests_in_flight") ?? 0
                if inFlight < 2 { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(inFlight >= 2, "no registration was ever seen in flight")

            kill(pid, SIGTERM)
            for (index, connection) in connections.enumerated() {
                let answer = await connection.receive(within: 120) ?? ""
                #expect(answer.hasPrefix("HTTP/1.1 201"), "registration \(index) got no answer: \(answer.prefix(200))")
            }
            #expect(server.waitForExit() == 0, "SIGTERM must exit 0")

            try await server.start()
            for index in 0..<count {
                let login = try await HTTP.request(
                    "POST", server.base + "/api/v2/auth/login", json: ["email": "drain\(index)@test.example", "password": "password123"])
                #expect(login.status == 200, "registration \(index) was answered but lost")
            }
            #expect(server.terminate() == 0)
        }
    }
}
