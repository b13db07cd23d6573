import Foundation
import Testing

extension RealProcessTests {
    /// `bookedbarber serve` limits requests without being asked to: the real process, with only
    /// the sign-in refill slowed (`--auth-rate-limit`) so the test does not depend on timing.
    @Suite struct ServeRateLimitProcessTests {
        @Test func serveRefusesPasswordGuessingAfterTheDefaultBurst() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bb-limits-\(UInt64.random(in: 0 ... .max))").path
            defer {
                try? FileManager.default.removeItem(atPath: directory)
                try? FileManager.default.removeItem(atPath: directory + ".log")
            }
            let server = ServerProcess(dataDirectory: directory)
            try await server.start(extra: ["--auth-rate-limit", "0.01"], rateLimited: true)
            let guess: [String: Any] = ["email": "admin@process.test", "password": "not-the-password"]
            for attempt in 1...5 {
                let answer = try await HTTP.request("POST", server.base + "/api/v2/auth/login", json: guess)
                #expect(answer.status == 401, "attempt \(attempt)")
            }
            let refused = try await HTTP.request("POST", server.base + "/api/v2/auth/login", json: guess)
            #expect(refused.status == 429)
            #expect((refused.json["error"] as? [String: Any])?["code"] as? String == "rate_limited")
            #expect(Int(refused.headers["retry-after"] ?? "") ?? 0 >= 1, "\(refused.headers)")
            #expect(try await HTTP.request("GET", server.base + "/health").status == 200)
            #expect(server.terminate() == 0)
        }
    }
}
