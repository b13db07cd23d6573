import BookedBarberHTTP
import Foundation
import Hummingbird
import Testing

/// `/health`, `/readiness` and `/metrics`: public, and in the shapes the contract names.
@Suite struct OperationsEndpointTests {
    @Test func healthIsOkWithVersionAndUptime() async throws {
        let testStarted = ContinuousClock.now
        let harness = try await APIHarness.make { $0.version = "9.8.7" }
        try await harness.run { api in
            let response = try await api.send(.get, "/health")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(response["status"] as? String == "ok")
            #expect(response["version"] as? String == "9.8.7")
            // Whole seconds since this app started: at most the time this test has run.
            let uptime = try #require(response["uptime_seconds"] as? Int)
            #expect((0...Int(testStarted.duration(to: .now).components.seconds)).contains(uptime))
        }
    }

    @Test func readinessIsReadyOnceServing() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let response = try await api.send(.get, "/readiness")
            #expect(response.status == .ok)
            #expect(response["ready"] as? Bool == true)
            let log = try #require(response["log"] as? [String: Any], "\(response.raw)")
            #expect(log["writable"] as? Bool == true)
            #expect(log["fsync"] as? String == "always")
            // The in-memory engine of the tests has no log file, so nothing was ever fsynced.
            #expect(log["last_fsync_age_seconds"] == nil)
        }
    }

    @Test func operationsEndpointsNeedNoToken() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            for path in ["/health", "/readiness", "/metrics"] {
                let response = try await api.send(.get, path, headers: [.authorization: "Bearer not-a-token"])
                #expect(response.status == .ok, "\(path): \(response.raw)")
            }
        }
    }
}
