import BookedBarberHTTP
import Foundation
import Hummingbird
import Testing

/// `/health`, `/readiness` and `/metrics`: public, and in the shapes the contract names.
@Suite struct OperationsEndpointTests {
    @Test func healthIsOkWithVersionAndUptime() async throws {
        let harness = try await APIHarness.make { $0.version = "9.8.7" }
        try await harness.run { api in
            let response = try await api.send(.get, "/health")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(response["status"] as? String == "ok")
            #expect(response["version"] as? String == "9.8.7")
            let uptime = try #require(response["uptime_seconds"] as? Int)
            #expect(uptime >= 0)
        }
    }

    @Test func readinessIsReadyOnceServing() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let response = try await api.send(.get, "/readiness")
            #expect(response.status == .ok)
            #expect(response["ready"] as? Bool == true)
        }
    }

    @Test func metricsArePrometheusText() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            _ = try await api.send(.get, "/api/v2/shop")
            let response = try await api.send(.get, "/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(response.json == nil)
            let lines = response.raw.split(separator: "\n")
            #expect(!lines.isEmpty)
            // Every line is a comment or `name[{labels}] value`.
            for line in lines where !line.hasPrefix("#") {
                let parts = line.split(separator: " ")
                #expect(parts.count >= 2, "\(line)")
                #expect(Double(parts[parts.count - 1]) != nil || parts.count == 3, "\(line)")
                #expect(parts[0].first.map { $0.isLetter || $0 == "_" } == true, "\(line)")
            }
            #expect(lines.contains { $0.hasPrefix("# TYPE ") })
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
