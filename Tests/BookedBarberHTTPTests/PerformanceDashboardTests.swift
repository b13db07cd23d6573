@testable import BookedBarberHTTP
import BookingCore
import Foundation
import Hummingbird
import Synchronization
import Testing

/// The admin's performance dashboard: the last minute's rates and latency percentiles per route,
/// from HDR histograms that forget what is older than the window.
@Suite struct PerformanceDashboardTests {
    /// A monotonic clock the test moves.
    final class SteppedClock: Sendable {
        private let base = ContinuousClock.now
        private let offset = Mutex(Duration.zero)
        var now: ContinuousClock.Instant { base + offset.withLock { $0 } }
        func advance(_ duration: Duration) { offset.withLock { $0 += duration } }
    }

    @Test func percentilesComeFromTheRecordedLatencies() {
        let clock = SteppedClock()
        let window = PerformanceWindow(now: { clock.now })
        // 1 ms … 100 ms, one each: P50 ≈ 50 ms, P95 ≈ 95 ms, P99 ≈ 99 ms (1% precision).
        for milliseconds in 1...100 {
            window.recordRequest(route: "POST /x", status: milliseconds <= 2 ? 500 : 200, microseconds: UInt64(milliseconds) * 1000)
        }
        window.recordRequest(route: "GET /y", status: 404, microseconds: 250)
        clock.advance(.seconds(5))
        let summary = window.summary()
        let x = try! #require(summary.routes["POST /x"])
        #expect(x.count == 100)
        #expect(abs(Double(x.p50) - 50_000) <= 500, "\(x.p50)")
        #expect(abs(Double(x.p95) - 95_000) <= 950, "\(x.p95)")
        #expect(abs(Double(x.p99) - 99_000) <= 990, "\(x.p99)")
        #expect(abs(Double(x.max) - 100_000) <= 1000, "\(x.max)")
        #expect(summary.routes["GET /y"]?.count == 1)
        #expect(summary.requests == 101)
        #expect(summary.serverErrors == 2)
        #expect(summary.clientErrors == 1)
        #expect(abs(summary.seconds - 5) < 0.01, "\(summary.seconds)")
    }

    @Test func samplesOlderThanTheWindowAreForgotten() {
        let clock = SteppedClock()
        let window = PerformanceWindow(now: { clock.now })
        window.recordRequest(route: "GET /old", status: 200, microseconds: 900_000)
        window.recordFsync(microseconds: 50_000)
        clock.advance(.seconds(30))
        window.recordRequest(route: "GET /new", status: 200, microseconds: 1000)
        #expect(window.summary().routes.keys.sorted() == ["GET /new", "GET /old"])
        clock.advance(.seconds(45))  // /old was 75 s ago, /new 45 s ago
        let later = window.summary()
        #expect(later.routes.keys.sorted() == ["GET /new"])
        #expect(later.fsync == nil)
        #expect(later.seconds <= 70 && later.seconds >= 60, "\(later.seconds)")
        clock.advance(.seconds(120))
        #expect(window.summary().requests == 0)
    }

    @Test func latenciesBeyondAMinuteCountAsAMinute() {
        let window = PerformanceWindow()
        window.recordRequest(route: "GET /slow", status: 200, microseconds: 600_000_000)
        window.recordRequest(route: "GET /slow", status: 200, microseconds: 0)
        let slow = window.summary().routes["GET /slow"]
        #expect(slow?.count == 2)
        #expect((slow?.max ?? 0) >= PerformanceWindow.highestMicroseconds * 99 / 100)
    }

    @Test func theDashboardIsForAdminsAndReportsTheLastMinute() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let path = "/api/v2/dashboard/performance/current"
            expectError(try await api.send(.get, path), .unauthorized, "unauthorized")
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin)
            let service = try await api.createService(adminToken: admin)
            let client = try await api.register("dash@client.test")
            expectError(try await api.send(.get, path, token: client.token), .forbidden, "forbidden")
            for hour in ["10:00", "11:00"] {
                #expect(try await api.book(client.token, barber: barber, service: service, start: "2027-03-02T\(hour):00-05:00").status == .created)
            }
            _ = try await api.send(.get, "/api/v2/appointments/999999", token: client.token)

            let dashboard = try await api.send(.get, path, token: admin)
            #expect(dashboard.status == .ok, "\(dashboard.raw)")
            let routes = dashboard.list("routes")
            let booking = try #require(routes.first { $0["route"] as? String == "POST /api/v2/appointments" }, "\(dashboard.raw)")
            #expect(booking["requests"] as? Int == 2)
            for key in ["p50_ms", "p95_ms", "p99_ms", "max_ms", "requests_per_second"] {
                #expect((booking[key] as? Double ?? (booking[key] as? Int).map(Double.init) ?? -1) >= 0, "\(key)")
            }
            let total = try #require(dashboard["requests"] as? Int)
            #expect(total == routes.reduce(0) { $0 + ($1["requests"] as? Int ?? 0) })
            #expect(total >= 8)  // logins, setup, register, bookings, the 404, the refused dashboard reads
            let clientErrors = try #require(dashboard["client_error_rate"] as? Double)
            #expect(clientErrors > 0 && clientErrors < 1)
            #expect(dashboard["error_rate"] as? Double == 0 || dashboard["error_rate"] as? Int == 0)
            let memory = try #require(dashboard["memory"] as? [String: Any])
            #expect((memory["resident_bytes"] as? Int ?? 0) > 0)
            #expect(dashboard["snapshot"] == nil)  // no log, no snapshot in the in-memory tests
            // Busiest route first.
            let counts = routes.map { $0["requests"] as? Int ?? 0 }
            #expect(counts == counts.sorted(by: >))
        }
    }
}
