import BookingCore
import BookingEngine
import BookingLog
import CoreMetrics
import Metrics
import Foundation
import Prometheus
import Synchronization

/// The metrics of one server: what `GET /metrics` renders (Prometheus text, through a
/// swift-prometheus registry of its own) and what the performance dashboard summarises.
///
/// Cheap where it is hot: a request costs one lookup of its (route, method, status class) handles
/// in a table built before the first request (`RequestHandleTable`, read without a lock), a
/// counter increment, a histogram record and one `PerformanceWindow` record. Only combinations
/// the table lacks (unmatched paths, the 405s of methods a path does not serve) go to a cache
/// behind a mutex. Values
/// that only matter when someone looks (appointments by status, log statistics, snapshot age,
/// memory) are read when the exposition is rendered, never on the request path.
///
/// Request count and latency go through swift-metrics (`Counter`, `Timer`) backed by a
/// `PrometheusMetricsFactory`; the rest are swift-prometheus collectors with help texts. Serve
/// bootstraps swift-metrics' global system with the same factory, so a library's metrics land in
/// the same exposition.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let factory: PrometheusMetricsFactory
    let window: PerformanceWindow

    struct RequestKey: Hashable, Sendable {
        var route: String
        var method: String
        var statusClass: Int
    }

    struct RequestHandles: Sendable {
        var count: CoreMetrics.Counter
        var duration: CoreMetrics.Timer
        /// "METHOD /route", the performance window's key.
        var windowKey: String
    }

    private let requestHandles = Mutex<[RequestKey: RequestHandles]>([:])
    private let inFlight: Prometheus.Gauge
    private let openConnections: Prometheus.Gauge
    private let requestTimeouts: Prometheus.Counter
    private let walAppends: Prometheus.Counter
    private let walFsyncs: Prometheus.Counter
    private let walBatch: Prometheus.ValueHistogram
    private let walFsyncDuration: Prometheus.DurationHistogram
    private let walLastFsyncAge: Prometheus.Gauge
    private let journalLSN: Prometheus.Gauge
    private let snapshotDuration: Prometheus.DurationHistogram
    private let snapshotAge: Prometheus.Gauge
    private let snapshotBytes: Prometheus.Gauge
    private let appointments: [AppointmentStatus: Prometheus.Gauge]
    private let residentBytes: Prometheus.Gauge
    private let dataDirectoryFreeBytes: Prometheus.Gauge
    private let dataDirectoryReserveBytes: Prometheus.Gauge
    private let readOnly: [DiskSpaceStatus.ReadOnlyReason: Prometheus.Gauge]
    private let uptime: Prometheus.Gauge
    private let webhookAttempts: Prometheus.Counter
    private let webhookFailures: Prometheus.Counter
    private let webhookGivenUp: Prometheus.Counter
    private let webhookLag: Prometheus.DurationHistogram
    private let mailHandedOff: Prometheus.Counter
    private let mailFailures: Prometheus.Counter
    private let mailSkipped: Prometheus.Counter
    private let mailPending: Prometheus.Gauge

    /// What the log and snapshots last reported (from the writer thread and the snapshotter).
    private struct Storage {
        var writer: LogWriter?
        var reportedAppends = 0
        var reportedFsyncs = 0
        var lastFsync: ContinuousClock.Instant?
        var lastSnapshot: (at: ContinuousClock.Instant, bytes: Int)?
    }

    private let storage = Mutex(Storage())
    private let startedAt = ContinuousClock.now

    static let requestDurationBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    /// - Parameter now: the clock of the performance window (tests drive their own).
    public init(now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["bookedbarber_http_request_duration_seconds"] = Self.requestDurationBuckets
        self.registry = registry
        self.factory = factory
        self.window = PerformanceWindow(now: now)

        func named(_ subsystem: String, _ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "bookedbarber", subsystem: subsystem, metricName: metric, unitName: unit, helpText: help)
        }
        inFlight = registry.makeGauge(descriptor: named("http", "requests_in_flight", "", "Requests being handled now."))
        openConnections = registry.makeGauge(descriptor: named("http", "open_connections", "", "Open client connections."))
        requestTimeouts = registry.makeCounter(
            descriptor: named("http", "request_timeouts", "total", "Connections closed because a request did not arrive whole within --request-timeout."))
        walAppends = registry.makeCounter(descriptor: named("wal", "appends", "total", "Records appended to the write-ahead log."))
        walFsyncs = registry.makeCounter(descriptor: named("wal", "fsyncs", "total", "fdatasync calls that committed records."))
        walBatch = registry.makeValueHistogram(
            descriptor: named("wal", "fsync_batch", "records", "Records made durable by one fsync (group commit batch size)."),
            buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024])
        walFsyncDuration = registry.makeDurationHistogram(
            descriptor: named("wal", "fsync_duration", "seconds", "Duration of one fdatasync of the write-ahead log."),
            buckets: [
                .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
                .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                .milliseconds(250), .milliseconds(500), .seconds(1),
            ])
        walLastFsyncAge = registry.makeGauge(
            descriptor: named("wal", "last_fsync_age", "seconds", "Seconds since the last fsync of the log (-1: none yet)."))
        journalLSN = registry.makeGauge(descriptor: named("wal", "lsn", "", "Log sequence number of the newest record."))
        snapshotDuration = registry.makeDurationHistogram(
            descriptor: named("snapshot", "duration", "seconds", "Time to capture, encode, compress and write one snapshot."),
            buckets: [.milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
                      .seconds(10), .seconds(20), .seconds(40), .seconds(80)])
        snapshotAge = registry.makeGauge(
            descriptor: named("snapshot", "age", "seconds", "Seconds since the last snapshot this process wrote (-1: none yet)."))
        snapshotBytes = registry.makeGauge(descriptor: named("snapshot", "size", "bytes", "Size of the last snapshot file."))
        var appointments: [AppointmentStatus: Prometheus.Gauge] = [:]
        for status in AppointmentStatus.allCases {
            appointments[status] = registry.makeGauge(
                descriptor: named("", "appointments", "", "Appointments in memory by status."), labels: [("status", status.rawValue)])
        }
        self.appointments = appointments
        residentBytes = registry.makeGauge(descriptor: named("process", "resident_memory", "bytes", "Resident set size of the process."))
        uptime = registry.makeGauge(descriptor: named("", "uptime", "seconds", "Seconds since the process started serving."))
        dataDirectoryFreeBytes = registry.makeGauge(
            descriptor: named("", "data_dir_free", "bytes", "Bytes the server may still write in its data directory's file system, at the last check (-1: not checked)."))
        dataDirectoryReserveBytes = registry.makeGauge(
            descriptor: named("", "data_dir_reserve", "bytes", "The --disk-reserve: below this much free space the server is read-only (-1: not checked)."))
        var readOnly: [DiskSpaceStatus.ReadOnlyReason: Prometheus.Gauge] = [:]
        for reason in DiskSpaceStatus.ReadOnlyReason.allCases {
            readOnly[reason] = registry.makeGauge(
                descriptor: named("", "read_only", "", "1 while the server refuses changes for this reason, else 0."),
                labels: [("reason", reason.rawValue)])
        }
        self.readOnly = readOnly
        webhookAttempts = registry.makeCounter(
            descriptor: named("webhook", "delivery_attempts", "total", "Webhook delivery attempts (each POST to an endpoint)."))
        webhookFailures = registry.makeCounter(
            descriptor: named("webhook", "delivery_failures", "total", "Webhook delivery attempts without a 2xx answer within 10 s."))
        webhookGivenUp = registry.makeCounter(
            descriptor: named("webhook", "deliveries_given_up", "total", "Webhook deliveries given up after retrying for 24 h."))
        webhookLag = registry.makeDurationHistogram(
            descriptor: named("webhook", "delivery_lag", "seconds", "From an event's record to its successful delivery."),
            buckets: [.milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                      .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(20), .seconds(30),
                      .seconds(60), .seconds(300),
                      .seconds(1800), .seconds(7200), .seconds(86400)])
        mailHandedOff = registry.makeCounter(
            descriptor: named("mail", "handed_off", "total", "Mails handed to the sendmail command (it exited 0), recorded in the log."))
        mailFailures = registry.makeCounter(
            descriptor: named("mail", "failed_attempts", "total", "Runs of the sendmail command that failed (non-zero exit, timeout, no start); each is retried."))
        mailSkipped = registry.makeCounter(
            descriptor: named("mail", "skipped", "total", "Mails not sent: the appointment started first, or the address cannot be written safely."))
        mailPending = registry.makeGauge(
            descriptor: named("mail", "pending", "", "Mails owed now (confirmations, notices, due reminders) and not handed off yet."))
    }

    // MARK: - Mail

    /// A mail was handed to sendmail and that is durable in the log.
    public func mailWasHandedOff() { mailHandedOff.increment() }

    /// One run of the sendmail command failed.
    public func mailAttemptFailed() { mailFailures.increment() }

    public func mailWasSkipped() { mailSkipped.increment() }

    /// How many mails are owed now, at the last look.
    public func setMailPending(_ count: Int) { mailPending.set(Double(count)) }

    // MARK: - Webhook deliveries

    /// One delivery attempt finished; `failed` when it got no 2xx.
    public func webhookAttempted(failed: Bool) {
        webhookAttempts.increment()
        if failed { webhookFailures.increment() }
    }

    /// A delivery succeeded `lag` after its event was recorded.
    public func webhookDelivered(lag: Duration) { webhookLag.record(lag) }

    public func webhookDeliveryGivenUp() { webhookGivenUp.increment() }

    // MARK: - Requests and connections

    func requestStarted() { inFlight.increment() }

    /// Records a finished request. `route` is the matched route pattern (never the raw path).
    func requestFinished(route: String, method: String, status: Int, duration: Duration, table: RequestHandleTable) {
        inFlight.decrement()
        let key = RequestKey(route: route, method: method, statusClass: status / 100)
        let handles = table.handles[key] ?? requestHandles.withLock { cache in
            if let handles = cache[key] { return handles }
            let handles = makeHandles(key)
            cache[key] = handles
            return handles
        }
        handles.count.increment()
        handles.duration.record(duration: duration)
        window.recordRequest(route: handles.windowKey, status: status, microseconds: duration.wholeMicroseconds)
    }

    /// The handles of every status class of every (method, route pattern) in `routes`, built
    /// once; route patterns as the router reports them (`/api/v2/appointments/{id}`).
    func handleTable(for routes: [(method: String, pattern: String)]) -> RequestHandleTable {
        var table: [RequestKey: RequestHandles] = [:]
        for route in routes {
            for statusClass in 1...5 {
                let key = RequestKey(route: route.pattern, method: route.method, statusClass: statusClass)
                table[key] = makeHandles(key)
            }
        }
        return RequestHandleTable(handles: table)
    }

    private func makeHandles(_ key: RequestKey) -> RequestHandles {
        let dimensions = [("route", key.route), ("method", key.method), ("status", "\(key.statusClass)xx")]
        return RequestHandles(
            count: CoreMetrics.Counter(label: "bookedbarber_http_requests_total", dimensions: dimensions, factory: factory),
            duration: CoreMetrics.Timer(label: "bookedbarber_http_request_duration_seconds", dimensions: dimensions, factory: factory),
            windowKey: "\(key.method) \(key.route)")
    }

    func connectionOpened() { openConnections.increment() }
    func connectionClosed() { openConnections.decrement() }
    func requestTimedOut() { requestTimeouts.increment() }

    // MARK: - Log and snapshots

    /// From now on, log statistics are read from `writer` when metrics are rendered.
    public func observe(_ writer: LogWriter) { storage.withLock { $0.writer = writer } }

    /// The writer thread's report of one fsync covering `records` records.
    public func fsyncFinished(duration: Duration, records: Int) {
        walFsyncDuration.record(duration)
        walBatch.record(Double(records))
        storage.withLock { $0.lastFsync = .now }
        window.recordFsync(microseconds: duration.wholeMicroseconds)
    }

    public func snapshotWritten(bytes: Int, duration: Duration) {
        snapshotDuration.record(duration)
        storage.withLock { $0.lastSnapshot = (.now, bytes) }
    }

    /// Seconds since the last fsync of the log, if there was one.
    var lastFsyncAge: Double? { storage.withLock { $0.lastFsync }.map { (ContinuousClock.now - $0).secondsValue } }

    /// Age in seconds and size in bytes of the last snapshot this process wrote.
    var lastSnapshot: (age: Double, bytes: Int)? {
        storage.withLock { $0.lastSnapshot }.map { ((ContinuousClock.now - $0.at).secondsValue, $0.bytes) }
    }

    // MARK: - Rendering

    /// The Prometheus text exposition, with the sampled values read now.
    func exposition(engine: ShopEngine?, diskSpace: DiskSpaceStatus.Reading? = nil) -> [UInt8] {
        sample(engine: engine, diskSpace: diskSpace)
        return registry.emitToBuffer()
    }

    private func sample(engine: ShopEngine?, diskSpace: DiskSpaceStatus.Reading?) {
        uptime.set((ContinuousClock.now - startedAt).secondsValue)
        dataDirectoryFreeBytes.set(Int64(diskSpace?.availableBytes ?? -1))
        dataDirectoryReserveBytes.set(Int64(diskSpace?.reserve.bytes ?? -1))
        for (reason, gauge) in readOnly { gauge.set(Int64(diskSpace?.readOnlyReason == reason ? 1 : 0)) }
        if let engine {
            journalLSN.set(engine.journal.lastLSN)
            for (status, count) in engine.index.tally.counts { appointments[status]?.set(Int64(count)) }
        }
        let (appends, fsyncs) = storage.withLock { storage -> (Int, Int) in
            guard let statistics = storage.writer?.statistics else { return (0, 0) }
            defer {
                storage.reportedAppends = statistics.appends
                storage.reportedFsyncs = statistics.fsyncs
            }
            return (statistics.appends - storage.reportedAppends, statistics.fsyncs - storage.reportedFsyncs)
        }
        if appends > 0 { walAppends.increment(by: Int64(appends)) }
        if fsyncs > 0 { walFsyncs.increment(by: Int64(fsyncs)) }
        walLastFsyncAge.set(lastFsyncAge ?? -1)
        let snapshot = lastSnapshot
        snapshotAge.set(snapshot?.age ?? -1)
        snapshotBytes.set(Int64(snapshot?.bytes ?? 0))
        residentBytes.set(Int64(ProcessMemory.read().residentBytes ?? 0))
    }
}

/// Request metric handles prebuilt for the routes the router serves; immutable, so read by every
/// request without a lock.
struct RequestHandleTable: Sendable {
    let handles: [ServerMetrics.RequestKey: ServerMetrics.RequestHandles]
}
