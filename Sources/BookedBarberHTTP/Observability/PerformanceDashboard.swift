import Hummingbird
/// `GET /api/v2/dashboard/performance/current`: the last minute at a glance, from the
/// `PerformanceWindow` (HDR histograms) and the storage's last reports. Latencies are in
/// milliseconds; routes are route patterns, busiest first.
struct PerformanceDashboard: ResponseEncodable {
    struct Route: Encodable {
        var route: String
        var requests: UInt64
        var requests_per_second: Double
        var p50_ms: Double
        var p95_ms: Double
        var p99_ms: Double
        var max_ms: Double
    }

    struct Fsync: Encodable {
        var count: UInt64
        var p50_ms: Double
        var p99_ms: Double
        var max_ms: Double
    }

    struct Snapshot: Encodable {
        var age_seconds: Double
        var bytes: Int
    }

    struct Memory: Encodable {
        var resident_bytes: Int?
        var peak_resident_bytes: Int?
    }

    var window_seconds: Double
    var requests: UInt64
    var requests_per_second: Double
    /// Share of answers with a 5xx status.
    var error_rate: Double
    /// Share of answers with a 4xx status.
    var client_error_rate: Double
    var routes: [Route]
    /// Absent until the log has been fsynced in the window.
    var fsync: Fsync?
    /// Absent until this process has written a snapshot.
    var snapshot: Snapshot?
    var memory: Memory

    init(metrics: ServerMetrics) {
        let summary = metrics.window.summary()
        let seconds = max(summary.seconds, 1)
        let requests = Double(max(summary.requests, 1))
        window_seconds = (summary.seconds * 10).rounded() / 10
        self.requests = summary.requests
        requests_per_second = Double(summary.requests) / seconds
        error_rate = Double(summary.serverErrors) / requests
        client_error_rate = Double(summary.clientErrors) / requests
        routes = summary.routes.map { route, latency in
            Route(
                route: route, requests: latency.count, requests_per_second: Double(latency.count) / seconds,
                p50_ms: Self.milliseconds(latency.p50), p95_ms: Self.milliseconds(latency.p95),
                p99_ms: Self.milliseconds(latency.p99), max_ms: Self.milliseconds(latency.max))
        }.sorted { ($0.requests, $1.route) > ($1.requests, $0.route) }
        fsync = summary.fsync.map {
            Fsync(count: $0.count, p50_ms: Self.milliseconds($0.p50), p99_ms: Self.milliseconds($0.p99), max_ms: Self.milliseconds($0.max))
        }
        snapshot = metrics.lastSnapshot.map { Snapshot(age_seconds: ($0.age * 10).rounded() / 10, bytes: $0.bytes) }
        let process = ProcessMemory.read()
        memory = Memory(resident_bytes: process.residentBytes, peak_resident_bytes: process.peakResidentBytes)
    }

    private static func milliseconds(_ microseconds: UInt64) -> Double { Double(microseconds) / 1000 }
}
