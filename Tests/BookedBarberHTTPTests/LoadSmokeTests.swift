@testable import BookedBarberHTTP
import Foundation
import Testing

extension RealProcessTests {
    /// The load test's smoke run, straight to the real server: 500 users for 10 seconds, then the
    /// load test's own verification — (a) every acknowledged booking is there with its fields,
    /// (b) no barber is double-booked, (c) no 5xx was seen. Only the verdict is asserted, never a
    /// timing. (`LoadTests/smoke.sh` runs the same against a release build.)
    @Suite struct LoadSmokeTests {
        @Test func fiveHundredUsersLoseNothingAndDoubleBookNothing() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bb-smoke-\(UInt64.random(in: 0 ... .max))").path
            defer {
                try? FileManager.default.removeItem(atPath: directory)
                try? FileManager.default.removeItem(atPath: directory + ".log")
            }
            let server = ServerProcess(dataDirectory: directory)
            try await server.start()

            let loadtest = Process()
            loadtest.executableURL = ServerProcess.executable.deletingLastPathComponent().appendingPathComponent("loadtest")
            loadtest.arguments = [
                "--target", server.base, "--users", "500", "--rate", "500", "--duration", "10", "--setup", "--verify",
                "--admin-email", "admin@process.test", "--admin-password", "admin-password", "--seed", "7",
            ]
            let output = Pipe()
            loadtest.standardOutput = output
            loadtest.standardError = output
            try loadtest.run()
            let report = await offload(.waiting) {
                let data = output.fileHandleForReading.readDataToEndOfFile()
                loadtest.waitUntilExit()
                return String(decoding: data, as: UTF8.self)
            }
            #expect(loadtest.terminationStatus == 0, "\(report)")
            let verdicts = report.split(separator: "\n").map { $0.drop { $0 == " " } }.filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") }
            #expect(verdicts.count == 3, "\(report)")
            #expect(verdicts.allSatisfy { $0.hasPrefix("PASS") }, "\(report)")
            #expect(server.terminate() == 0)
        }
    }
}
