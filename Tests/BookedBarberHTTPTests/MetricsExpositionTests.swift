@testable import BookedBarberHTTP
import BookingCore
import Foundation
import Hummingbird
import TestSupport
import Testing

/// `GET /metrics` is valid Prometheus text (checked with a strict parser) and counts what
/// happened: requests by route pattern, method and status class, latency histograms whose
/// counts match, appointments by status, and what the log reports.
@Suite struct MetricsExpositionTests {
    @Test func requestsAreCountedByRoutePatternMethodAndStatusClass() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin)
            let service = try await api.createService(adminToken: admin)
            let client = try await api.register("metrics@client.test")
            var ids: [Int] = []
            for hour in ["10:00", "11:00", "12:00"] {
                let booked = try await api.book(client.token, barber: barber, service: service, start: "2027-03-02T\(hour):00-05:00")
                #expect(booked.status == .created, "\(booked.raw)")
                ids.append(booked.id)
            }
            let taken = try await api.book(client.token, barber: barber, service: service, start: "2027-03-02T10:00:00-05:00")
            #expect(taken.status == .conflict)
            for id in ids { _ = try await api.send(.get, "/api/v2/appointments/\(id)", token: client.token) }
            _ = try await api.send(.get, "/no/such/route/12345")

            let text = try await api.send(.get, "/metrics")
            #expect(text.status == .ok)
            #expect(text.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let metrics = try PrometheusText(text.raw)

            let requests = "bookedbarber_http_requests_total"
            #expect(metrics.types[requests] == "counter")
            #expect(metrics.value(requests, ["route": "/api/v2/appointments", "method": "POST", "status": "2xx"]) == 3)
            #expect(metrics.value(requests, ["route": "/api/v2/appointments", "method": "POST", "status": "4xx"]) == 1)
            #expect(metrics.value(requests, ["route": "/api/v2/appointments/{id}", "method": "GET", "status": "2xx"]) == 3)
            #expect(metrics.value(requests, ["route": "unmatched", "method": "GET", "status": "4xx"]) == 1)
            // Routes are patterns: no label value carries a raw id or an unknown path.
            for sample in metrics.samples(named: requests) {
                let route = try #require(sample.labels["route"])
                #expect(!route.contains("12345") && !ids.contains { route.hasSuffix("/\($0)") }, "\(route)")
            }
            // Every counted request is in the latency histogram of the same labels.
            let duration = "bookedbarber_http_request_duration_seconds"
            #expect(metrics.types[duration] == "histogram")
            for sample in metrics.samples(named: requests) {
                #expect(metrics.value(duration + "_count", sample.labels) == sample.value, "\(sample.labels)")
            }
            #expect(metrics.value("bookedbarber_appointments", ["status": "confirmed"]) == 3)
            #expect(metrics.value("bookedbarber_appointments", ["status": "cancelled"]) == 0)
            // The scrape itself is in flight while it renders.
            #expect(metrics.value("bookedbarber_http_requests_in_flight") == 1)
            #expect(metrics.types["bookedbarber_process_resident_memory_bytes"] == "gauge")
            #expect((metrics.value("bookedbarber_process_resident_memory_bytes") ?? 0) > 0)
        }
    }

    /// The prebuilt handle table is keyed by route patterns in the form the router reports them
    /// (the `route` label above), so served routes never fall back to the locked cache.
    @Test func prebuiltHandlesCoverEveryServedRouteInTheRoutersPatternForm() {
        let metrics = ServerMetrics()
        let table = metrics.handleTable(for: [(method: "GET", pattern: RouterPath("/api/v2/appointments/:id").description)])
        for statusClass in 1...5 {
            #expect(table.handles[.init(route: "/api/v2/appointments/{id}", method: "GET", statusClass: statusClass)] != nil)
        }
        #expect(table.handles.count == 5)
    }

    @Test func appointmentsByStatusFollowCancellationsAndOutcomes() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let barber = try await api.createBarber(adminToken: admin)
            let service = try await api.createService(adminToken: admin)
            let client = try await api.register("status@client.test")
            var ids: [Int] = []
            for hour in ["09:00", "10:00", "11:00", "12:00"] {
                ids.append(try await api.book(client.token, barber: barber, service: service, start: "2027-03-02T\(hour):00-05:00").id)
            }
            #expect(try await api.send(.post, "/api/v2/appointments/\(ids[0])/cancel", token: client.token, json: [:]).status == .ok)
            harness.clock.set(RFC3339.parse("2027-03-02T18:00:00Z")!)
            #expect(try await api.send(.post, "/api/v2/appointments/\(ids[1])/complete", token: admin).status == .ok)
            #expect(try await api.send(.post, "/api/v2/appointments/\(ids[2])/no-show", token: admin).status == .ok)

            let metrics = try PrometheusText(try await api.send(.get, "/metrics").raw)
            #expect(metrics.value("bookedbarber_appointments", ["status": "confirmed"]) == 1)
            #expect(metrics.value("bookedbarber_appointments", ["status": "cancelled"]) == 1)
            #expect(metrics.value("bookedbarber_appointments", ["status": "completed"]) == 1)
            #expect(metrics.value("bookedbarber_appointments", ["status": "no_show"]) == 1)
        }
    }

    @Test func logFsyncsAndSnapshotsAreReported() throws {
        let metrics = ServerMetrics()
        metrics.fsyncFinished(duration: .microseconds(300), records: 5)
        metrics.fsyncFinished(duration: .milliseconds(3), records: 40)
        metrics.snapshotWritten(bytes: 12_345, duration: .milliseconds(700))
        let parsed = try PrometheusText(String(decoding: metrics.exposition(engine: nil), as: UTF8.self))
        #expect(parsed.value("bookedbarber_wal_fsync_duration_seconds_count") == 2)
        #expect(parsed.value("bookedbarber_wal_fsync_duration_seconds_bucket", ["le": "0.0005"]) == 1)
        #expect(parsed.value("bookedbarber_wal_fsync_batch_records_count") == 2)
        #expect(parsed.value("bookedbarber_wal_fsync_batch_records_sum") == 45)
        #expect(parsed.value("bookedbarber_snapshot_size_bytes") == 12_345)
        #expect(parsed.value("bookedbarber_snapshot_duration_seconds_count") == 1)
        let age = try #require(parsed.value("bookedbarber_snapshot_age_seconds"))
        #expect(age >= 0 && age < 3600)
        #expect(try #require(parsed.value("bookedbarber_wal_last_fsync_age_seconds")) >= 0)
        #expect(parsed.help["bookedbarber_wal_fsync_duration_seconds"]?.isEmpty == false)
    }

    @Test func theParserRefusesBrokenExpositions() {
        let broken = [
            "no_type_sample 1\n",
            "# TYPE x counter\nx{a=\"1\" 2\n",
            "# TYPE x counter\nx{a=\"1\"} two\n",
            "# TYPE x counter\nx 1\nx 2\n",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 3\nh_sum 1\nh_count 2\n",
            "# TYPE x flavour\nx 1\n",
        ]
        for text in broken { #expect(throws: PrometheusText.ParseError.self, "\(text)") { try PrometheusText(text) } }
        #expect(throws: Never.self) { try PrometheusText("# HELP x an x\n# TYPE x gauge\nx{a=\"q\\\"uote\"} 1.5\n") }
    }
}
